/**
 * app_hidden.begin_erasure, for what consent left behind: the marketing deliveries of an erased account (which
 * message went to whom) go with it; its consent history stays, its client addresses shredded with its key.
 * Erasure end to end: test/api/privacy/erasure.test.ts.
 */
import { describe, expect, it } from "vitest";
import { createUser } from "../../../fixtures/users.ts";
import { deliveredWithToken, queueMarketingMail, recordConsentFor } from "../../helpers/consent.ts";
import { useTestDatabase, withRollback } from "../../helpers/database.ts";

const db = useTestDatabase();

describe("app_hidden.begin_erasure", () => {
  it("deletes the marketing deliveries of the account and keeps its consent history", async () => {
    await withRollback(db.current, async (client) => {
      const user = await createUser(client);
      await recordConsentFor(client, user.id, "marketing", true);
      const messageId = await queueMarketingMail(client, [user.id]);
      await deliveredWithToken(client, messageId, user.id, "a-token-for-an-account-to-erase");
      await client.query(
        "update app_public.users set status = 'deleted', deleted_at = now(), erasure_requested_at = now(), erasure_due_at = now() where id = $1",
        [user.id],
      );
      await client.query("select app_hidden.begin_erasure($1)", [user.id]);
      const count = async (table: string) =>
        (await client.query(`select count(*)::int as n from ${table} where user_id = $1`, [user.id])).rows[0].n;
      expect(await count("app_private.marketing_deliveries")).toBe(0);
      expect(await count("app_private.consents")).toBe(1);
    });
  });
});
