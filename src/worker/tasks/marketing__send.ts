import type { PoolClient } from "pg";
import type { TaskFactory } from "../deps.ts";
import { marketingMail, type MarketingMessage, type Recipient } from "../../mail/templates.ts";
import { ROLES } from "../../db/roles.ts";
import { mintToken } from "../mintToken.ts";
import { assertUuid, assertUuidList } from "../payload.ts";

/** How many accounts one job mails at most (app_private.queue_marketing_mail queues batches of this size). */
export const MARKETING_BATCH = 100;

/**
 * Runs `work` in a transaction as app_marketing: a role that reaches an address only through the consent check of
 * app_hidden.mail_recipient(user_id, purpose), and reads nothing else of the worker (not even the job queue). The
 * worker does not inherit its rights, so a marketing query outside this wrapper fails instead of skipping the check.
 */
async function asMarketing<T>(client: PoolClient, work: () => Promise<T>): Promise<T> {
  await client.query("begin");
  try {
    await client.query(`set local role ${ROLES.marketing}`);
    const result = await work();
    await client.query("commit");
    return result;
  } catch (error) {
    await client.query("rollback");
    throw error;
  }
}

/**
 * Mails a product-news message to a list of accounts (docs/consent.md). For each account, just before its mail: the
 * consent-checked address (no row: no consent now, or no mailable account; skipped), then a fresh unsubscribe token
 * whose hash is stored with the delivery (null: sent by an earlier try of this job; skipped). The mail carries the
 * one-click link in its body and its RFC 8058 headers. A withdrawal committed before the address query means no mail;
 * one landing between that query and the mail server accepting the mail does not stop it (the window is one mail).
 * A failure throws after the accounts before it were marked sent, so graphile-worker's retry carries on from there.
 */
const marketing__send: TaskFactory = (deps) => async (payload, helpers) => {
  const messageId = assertUuid(payload, "message_id");
  const userIds = assertUuidList(payload, "user_ids", MARKETING_BATCH);
  let sent = 0;
  await helpers.withPgClient(async (client) => {
    const content = await asMarketing(
      client,
      async () =>
        (await client.query<MarketingMessage>("select * from app_hidden.marketing_message($1)", [messageId])).rows[0],
    );
    if (!content) return; // The message was deleted: nothing to send.
    for (const userId of userIds) {
      const { token, hash } = mintToken();
      const delivery = await asMarketing(client, async () => {
        const { rows } = await client.query<Recipient>("select * from app_hidden.mail_recipient($1, 'marketing')", [
          userId,
        ]);
        const recipient = rows[0];
        if (!recipient) return null;
        const issued = await client.query<{ expires_at: Date | null }>(
          "select app_hidden.issue_unsubscribe_token($1, $2, $3) as expires_at",
          [messageId, userId, hash],
        );
        const expiresAt = issued.rows[0]?.expires_at;
        return expiresAt ? { recipient, expiresAt } : null;
      });
      if (!delivery) continue;
      const link = `${deps.publicBaseUrl}/unsubscribe?token=${encodeURIComponent(token)}`;
      await deps.mailer.send(marketingMail(delivery.recipient, content, link, delivery.expiresAt));
      await asMarketing(client, () =>
        client.query("select app_hidden.mark_marketing_sent($1, $2)", [messageId, userId]),
      );
      sent++;
    }
  });
  await helpers.query(
    "select audit.record_event('marketing.send', 'success', jsonb_build_object('recipients', $2::int, 'sent', $3::int), entity_type => 'marketing_message', entity_id => $1)",
    [messageId, userIds.length, sent],
  );
};

export default marketing__send;
