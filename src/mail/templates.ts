/**
 * The messages Gatehouse sends, each as plain text and HTML. Values are escaped for HTML; links are built from
 * PUBLIC_BASE_URL. Security notifications say what happened, when, from which address and device, and what to do if
 * it was not the owner. No message ever contains a password.
 */
import type { MailMessage } from "./mailer.ts";

export interface Recipient {
  email: string;
  username: string;
  display_name: string | null;
}

/** When and from where something was done, as the request that did it saw it. */
export interface RequestOrigin {
  at: Date;
  ip: string | null;
  userAgent: string | null;
}

const ENTITIES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };

function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => ENTITIES[c] ?? c);
}

function originLines(origin: RequestOrigin): string[] {
  return [
    `When: ${origin.at.toUTCString()}`,
    `From address: ${origin.ip ?? "unknown"}`,
    `Device: ${origin.userAgent?.slice(0, 200) || "unknown"}`,
  ];
}

function message(
  to: Recipient,
  subject: string,
  paragraphs: string[],
  options: { link?: { href: string; label: string }; origin?: RequestOrigin } = {},
): MailMessage {
  const name = to.display_name || to.username;
  const origin = options.origin ? originLines(options.origin) : [];
  const link = options.link;
  const text = [
    `Hello ${name},`,
    ...paragraphs,
    ...(origin.length ? [origin.join("\n")] : []),
    ...(link ? [`${link.label}: ${link.href}`] : []),
    "— Gatehouse",
  ].join("\n\n");
  const html = [
    `<p>Hello ${escapeHtml(name)},</p>`,
    ...paragraphs.map((p) => `<p>${escapeHtml(p)}</p>`),
    ...(origin.length ? [`<p>${origin.map(escapeHtml).join("<br>")}</p>`] : []),
    ...(link ? [`<p><a href="${escapeHtml(link.href)}">${escapeHtml(link.label)}</a></p>`] : []),
    "<p>— Gatehouse</p>",
  ].join("\n");
  return { to: to.email, subject, text, html };
}

export function verificationMail(to: Recipient, link: string, expiresAt: Date): MailMessage {
  return message(
    to,
    "Confirm your email address",
    [
      "Please confirm that this is your email address by opening the link below.",
      `The link works once, until ${expiresAt.toUTCString()}. If you did not create an account, ignore this message.`,
    ],
    { link: { href: link, label: "Confirm my email address" } },
  );
}

export function passwordResetMail(to: Recipient, link: string, expiresAt: Date, origin: RequestOrigin): MailMessage {
  return message(
    to,
    "Reset your password",
    [
      "Someone asked to reset the password of your account. To choose a new password, open the link below.",
      `The link works once, until ${expiresAt.toUTCString()}. If you did not ask for this, ignore this message: your password stays as it is.`,
    ],
    { link: { href: link, label: "Choose a new password" }, origin },
  );
}

export function emailChangeMail(to: Recipient, link: string, expiresAt: Date): MailMessage {
  return message(
    to,
    "Confirm your new email address",
    [
      "Your account asked to use this address from now on. Open the link below to confirm it.",
      `The link works once, until ${expiresAt.toUTCString()}. If you did not ask for this, ignore this message.`,
    ],
    { link: { href: link, label: "Confirm my new address" } },
  );
}

export function invitationMail(
  to: { email: string },
  organizationName: string,
  invitedBy: string,
  link: string,
  expiresAt: Date,
): MailMessage {
  return message(
    { email: to.email, username: to.email, display_name: null },
    `You are invited to join ${organizationName}`,
    [
      `${invitedBy} invited you to join ${organizationName} on Gatehouse.`,
      `To accept, log in (or create an account) with this address and open the link below. It works once, until ${expiresAt.toUTCString()}.`,
      "If you did not expect this, ignore this message.",
    ],
    { link: { href: link, label: "Accept the invitation" } },
  );
}

/** A product-news message as the operator wrote it (app_private.queue_marketing_mail): paragraphs split on blank lines. */
export interface MarketingMessage {
  subject: string;
  body: string;
}

/**
 * A marketing mail: the message, why it came, and a one-click unsubscribe both in the body and in the RFC 8058
 * headers (List-Unsubscribe with the HTTPS link, List-Unsubscribe-Post), so a mail client can offer it too. The link
 * works without signing in, once, until `expiresAt`.
 */
export function marketingMail(
  to: Recipient,
  content: MarketingMessage,
  unsubscribeLink: string,
  expiresAt: Date,
): MailMessage {
  const paragraphs = content.body
    .split(/\r?\n\s*\r?\n/)
    .map((p) => p.trim())
    .filter((p) => p.length > 0);
  const mail = message(
    to,
    content.subject,
    [
      ...paragraphs,
      "You receive product news because you agreed to it. To stop, open the link below: one click, no sign-in " +
        `needed (it works until ${expiresAt.toUTCString()}; after that, withdraw your consent in your account).`,
    ],
    { link: { href: unsubscribeLink, label: "Unsubscribe from product news" } },
  );
  return {
    ...mail,
    headers: { "List-Unsubscribe": `<${unsubscribeLink}>`, "List-Unsubscribe-Post": "List-Unsubscribe=One-Click" },
  };
}

export const NOTIFICATION_KINDS = [
  "duplicate_registration",
  "password_changed",
  "password_reset_completed",
  "account_locked",
  "email_change_requested",
  "email_changed",
  "email_in_use_attempt",
  "new_sign_in",
  "account_deleted",
  "account_restored",
] as const;
export type NotificationKind = (typeof NOTIFICATION_KINDS)[number];

const NOT_YOU = "If this was not you, reset your password at once and contact support.";

/** The security notification of a kind queued by app_private.notify. */
export function notificationMail(
  kind: NotificationKind,
  to: Recipient,
  origin: RequestOrigin,
  details: Record<string, unknown>,
): MailMessage {
  const text = (key: string) => String(details[key] ?? "");
  switch (kind) {
    case "duplicate_registration":
      return message(
        to,
        "Someone tried to register with your email address",
        [
          "Someone tried to create a new account with this email address, which already has an account. No new account was created.",
          "If it was you, log in instead, or reset your password if you have forgotten it. If it was not you, no action is needed.",
        ],
        { origin },
      );
    case "password_changed":
      return message(
        to,
        "Your password was changed",
        ["The password of your account was changed, and your other sessions were ended.", NOT_YOU],
        { origin },
      );
    case "password_reset_completed":
      return message(
        to,
        "Your password was reset",
        [
          "The password of your account was reset with a link sent to this address, and every session was ended.",
          NOT_YOU,
        ],
        { origin },
      );
    case "account_locked":
      return message(
        to,
        "Your account was locked after failed logins",
        [
          `There were several failed attempts to log in to your account, so logging in is blocked until ${new Date(text("locked_until")).toUTCString()}.`,
          "If this was you, wait until then, or reset your password. If it was not you, your password held: consider changing it to be safe.",
        ],
        { origin },
      );
    case "email_change_requested":
      return message(
        to,
        "A change of your email address was requested",
        [
          `Your account asked to move to the address ${text("new_email")}. Nothing changes until the link sent there is followed.`,
          "If this was not you, change your password at once: whoever did this knows it.",
        ],
        { origin },
      );
    case "email_changed":
      return message(
        to,
        "Your email address was changed",
        [`Your account now uses the address ${text("new_email")}.`, "If this was not you, contact support at once."],
        { origin },
      );
    case "email_in_use_attempt":
      return message(
        to,
        "Someone tried to move another account to your email address",
        [
          "Another account asked to use this address, which already belongs to your account. Nothing was changed.",
          "No action is needed. If you see this often, tell support.",
        ],
        { origin },
      );
    case "new_sign_in":
      return message(
        to,
        "New sign-in to your account",
        ["Your account was just logged in to from a device it has not used before.", NOT_YOU],
        { origin },
      );
    case "account_deleted":
      return message(
        to,
        "Your account was deleted",
        [
          `Your account was deleted and every session ended. Its data will be erased for good on ${new Date(text("erasure_due_at")).toUTCString()}.`,
          "Until then you can restore it with your email address and password. If this was not you, restore it and change your password at once.",
        ],
        { origin },
      );
    case "account_restored":
      return message(
        to,
        "Your account was restored",
        ["Your deleted account was restored: you can log in again.", NOT_YOU],
        { origin },
      );
  }
}
