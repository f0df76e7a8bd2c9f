import type { TaskFactory } from "../deps.ts";
import { NOTIFICATION_KINDS, notificationMail, type NotificationKind, type Recipient } from "../../mail/templates.ts";
import { assertUuid } from "../payload.ts";

interface NotifyPayload {
  kind: NotificationKind;
  to: string | null;
  at: string;
  ip: string | null;
  user_agent: string | null;
  details: Record<string, unknown>;
}

/**
 * Security notifications queued by app_private.notify (ASVS 6.3.6): what happened, when, from which address and
 * device, and what to do if it was not the owner. Sent to the account's current address, or to `to` when given.
 */
const users__notify: TaskFactory = (deps) => async (rawPayload, helpers) => {
  const userId = assertUuid(rawPayload, "user_id");
  const payload = rawPayload as NotifyPayload;
  if (!NOTIFICATION_KINDS.includes(payload.kind)) throw new Error(`unknown notification kind ${String(payload.kind)}`);
  const { rows } = await helpers.query<Recipient>("select * from app_hidden.mail_recipient($1)", [userId]);
  const recipient = rows[0];
  if (!recipient) return;
  const to = payload.to ? { ...recipient, email: payload.to } : recipient;
  await deps.mailer.send(
    notificationMail(
      payload.kind,
      to,
      { at: new Date(payload.at), ip: payload.ip, userAgent: payload.user_agent },
      payload.details ?? {},
    ),
  );
};

export default users__notify;
