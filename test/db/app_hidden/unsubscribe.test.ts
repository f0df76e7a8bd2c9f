/**
 * app_hidden.unsubscribe: the token of a marketing mail withdraws the marketing consent of its account without
 * signing in, once, until it expires; the withdrawal joins the consent history and the audit trail with its request.
 */
import { randomUUID } from "node:crypto";
import type pg from "pg";
import { describe, expect, it } from "vitest";
import { createUser } from "../../../fixtures/users.ts";
import { deliveredWithToken, queueMarketingMail, recordConsentFor } from "../../helpers/consent.ts";
import { asAnonymous, asRoot, useTestDatabase, withRollback } from "../../helpers/database.ts";

const db = useTestDatabase();
const TOKEN = "an-unsubscribe-token-of-32-chars";

async function unsubscribe(client: pg.ClientBase, token: string, requestId: string = randomUUID()) {
  await asAnonymous(client, { requestId, ip: "198.51.100.7", userAgent: "Mail client" });
  const { rows } = await client.query("select ok, refusal_code from app_hidden.unsubscribe($1)", [token]);
  await asRoot(client);
  return rows[0];
}

describe("app_hidden.unsubscribe", () => {
  it("withdraws the marketing consent without signing in: a new record of the history, audited with its request", async () => {
    await withRollback(db.current, async (client) => {
      const user = await createUser(client);
      await recordConsentFor(client, user.id, "marketing", true, "2026-03");
      const messageId = await queueMarketingMail(client, [user.id]);
      await deliveredWithToken(client, messageId, user.id, TOKEN);
      const requestId = `unsubscribe-${randomUUID()}`;

      expect(await unsubscribe(client, TOKEN, requestId)).toEqual({ ok: true, refusal_code: null });

      const { rows: history } = await client.query(
        "select purpose, version, granted from app_private.consents where user_id = $1 order by id",
        [user.id],
      );
      expect(history).toEqual([
        { purpose: "marketing", version: "2026-03", granted: true },
        { purpose: "marketing", version: "2026-03", granted: false },
      ]);
      expect(
        (await client.query("select app_private.consent_granted($1, 'marketing') as g", [user.id])).rows[0].g,
      ).toBe(false);
      const { rows: events } = await client.query(
        `select outcome, actor_id, subject_id, request_id, db_role, details, personal is not null as has_personal
         from audit.events where event_type = 'consent.withdraw' and subject_id = $1`,
        [user.id],
      );
      expect(events).toEqual([
        {
          outcome: "success",
          actor_id: null,
          subject_id: user.id,
          request_id: requestId,
          db_role: "app_anonymous",
          details: { purpose: "marketing", version: "2026-03", via: "unsubscribe_link", message_id: messageId },
          has_personal: true,
        },
      ]);
    });
  });

  it("refuses a used, an expired or an unknown token (LINKX) and audits each refusal", async () => {
    await withRollback(db.current, async (client) => {
      const user = await createUser(client);
      await recordConsentFor(client, user.id, "marketing", true);
      const messageId = await queueMarketingMail(client, [user.id]);
      await deliveredWithToken(client, messageId, user.id, TOKEN);
      expect(await unsubscribe(client, TOKEN)).toEqual({ ok: true, refusal_code: null });
      expect(await unsubscribe(client, TOKEN)).toEqual({ ok: false, refusal_code: "LINKX" });
      expect(await unsubscribe(client, "no-such-token-anywhere-at-all")).toEqual({ ok: false, refusal_code: "LINKX" });
      expect(await unsubscribe(client, "short")).toEqual({ ok: false, refusal_code: "LINKX" });

      const other = await createUser(client);
      await recordConsentFor(client, other.id, "marketing", true);
      const later = await queueMarketingMail(client, [other.id]);
      await deliveredWithToken(client, later, other.id, `${TOKEN}-later`);
      await client.query("update config.clock set offset_by = interval '91 days'");
      expect(await unsubscribe(client, `${TOKEN}-later`)).toEqual({ ok: false, refusal_code: "LINKX" });
      expect(
        (await client.query("select app_private.consent_granted($1, 'marketing') as g", [other.id])).rows[0].g,
      ).toBe(true);
      const { rows } = await client.query<{ n: number }>(
        "select count(*)::int as n from audit.events where event_type = 'consent.withdraw' and outcome = 'refused' and reason = 'LINKX'",
      );
      expect(rows[0]!.n).toBe(4);
    });
  });
});
