/**
 * Consent records for accounts made in SQL: written through app_private.append_consent, the one writer of the
 * history, as recordConsent and the unsubscribe link write them.
 */
import { createHash } from "node:crypto";
import type pg from "pg";

export type ConsentPurpose = "terms" | "marketing" | "analytics";

export async function recordConsentFor(
  client: pg.ClientBase,
  userId: string,
  purpose: ConsentPurpose,
  granted: boolean,
  version = "v1",
): Promise<void> {
  await client.query("select app_private.append_consent($1, $2, $3, $4)", [userId, purpose, version, granted]);
}

/** Queues a marketing message to `userIds` as an operator does (the owner's app_private.queue_marketing_mail). */
export async function queueMarketingMail(
  client: pg.ClientBase,
  userIds: string[],
  content: { subject?: string; body?: string } = {},
): Promise<string> {
  const { rows } = await client.query<{ id: string }>("select app_private.queue_marketing_mail($1, $2, $3) as id", [
    content.subject ?? "What is new in Gatehouse",
    content.body ?? "Passkeys arrived.\n\nSessions got faster.",
    userIds,
  ]);
  return rows[0]!.id;
}

/**
 * A delivered marketing mail, as the job leaves it: the delivery recorded with the hash of `token`, marked sent.
 * Run as the marketing role; leaves the transaction as the superuser.
 */
export async function deliveredWithToken(
  client: pg.ClientBase,
  messageId: string,
  userId: string,
  token: string,
): Promise<void> {
  await client.query("select set_config('role', 'app_worker', true)");
  await client.query("set local role app_marketing");
  await client.query("select app_hidden.issue_unsubscribe_token($1, $2, $3)", [
    messageId,
    userId,
    createHash("sha256").update(token, "utf8").digest(),
  ]);
  await client.query("select app_hidden.mark_marketing_sent($1, $2)", [messageId, userId]);
  await client.query("reset role");
}
