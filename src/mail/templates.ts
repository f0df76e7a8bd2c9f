/**
 * The messages Gatehouse sends, each as plain text and HTML. Values are escaped for HTML; links are built from
 * PUBLIC_BASE_URL. Messages say what happened and what to do, and never contain a password.
 */
import type { MailMessage } from "./mailer.ts";

export interface Recipient {
  email: string;
  username: string;
  display_name: string | null;
}

const ENTITIES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };

function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => ENTITIES[c] ?? c);
}

function message(to: Recipient, subject: string, paragraphs: string[], link?: { href: string; label: string }): MailMessage {
  const name = to.display_name || to.username;
  const text = [`Hello ${name},`, ...paragraphs, ...(link ? [`${link.label}: ${link.href}`] : []), "— Gatehouse"].join("\n\n");
  const html = [
    `<p>Hello ${escapeHtml(name)},</p>`,
    ...paragraphs.map((p) => `<p>${escapeHtml(p)}</p>`),
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
    { href: link, label: "Confirm my email address" },
  );
}

export function duplicateRegistrationMail(to: Recipient, loginUrl: string): MailMessage {
  return message(
    to,
    "Someone tried to register with your email address",
    [
      "Someone tried to create a new account with this email address, which already has an account.",
      "If it was you, log in instead (or reset your password if you have forgotten it). If it was not you, no action is needed: no new account was created.",
    ],
    { href: loginUrl, label: "Log in" },
  );
}

export function passwordChangedMail(to: Recipient): MailMessage {
  return message(to, "Your password was changed", [
    "The password of your account was just changed, and your other sessions were ended.",
    "If you did not do this, reset your password at once and contact support.",
  ]);
}

export function accountLockedMail(to: Recipient, lockedUntil: Date): MailMessage {
  return message(to, "Your account was locked after failed logins", [
    `There were several failed attempts to log in to your account, so logging in is blocked until ${lockedUntil.toUTCString()}.`,
    "If this was you, wait until then, or reset your password. If it was not you, your password held: consider changing it to be safe.",
  ]);
}
