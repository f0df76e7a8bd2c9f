/** app_hidden.mark_marketing_sent: a delivery is marked sent once; a later call changes nothing. */
import { describe, expect, it } from "vitest";
import { createUser } from "../../../fixtures/users.ts";
import { deliveredWithToken, queueMarketingMail } from "../../helpers/consent.ts";
import { useTestDatabase, withRollback } from "../../helpers/database.ts";

const db = useTestDatabase();

describe("app_hidden.mark_marketing_sent", () => {
  it("records when the mail was handed over, once", async () => {
    await withRollback(db.current, async (client) => {
      const user = await createUser(client);
      const id = await queueMarketingMail(client, [user.id]);
      await deliveredWithToken(client, id, user.id, "a-token-of-at-least-twenty-chars");
      const sentAt = async () =>
        (await client.query("select sent_at from app_private.marketing_deliveries where message_id = $1", [id])).rows;
      const first = await sentAt();
      expect(first[0].sent_at).toBeInstanceOf(Date);
      await client.query("update config.clock set offset_by = interval '1 hour'");
      await client.query("select set_config('role', 'app_worker', true)");
      await client.query("set local role app_marketing");
      await client.query("select app_hidden.mark_marketing_sent($1, $2)", [id, user.id]);
      await client.query("reset role");
      expect(await sentAt()).toEqual(first);
    });
  });
});
