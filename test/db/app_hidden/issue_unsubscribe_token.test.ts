/**
 * app_hidden.issue_unsubscribe_token: records a delivery with the hash of its unsubscribe token (never the token),
 * replaces it on a retry of an unsent mail, and answers null once the mail was sent.
 */
import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { createUser } from "../../../fixtures/users.ts";
import { ROLES } from "../../../src/db/roles.ts";
import { queueMarketingMail } from "../../helpers/consent.ts";
import { asRoot, setRole, useTestDatabase, withRollback } from "../../helpers/database.ts";

const db = useTestDatabase();

describe("app_hidden.issue_unsubscribe_token", () => {
  it("stores only the hash, replaces it until the mail is sent, then answers null", async () => {
    await withRollback(db.current, async (client) => {
      const user = await createUser(client);
      const id = await queueMarketingMail(client, [user.id]);
      const issue = async (token: string): Promise<Date | null> => {
        await setRole(client, ROLES.worker);
        await client.query(`set local role ${ROLES.marketing}`);
        const { rows } = await client.query<{ e: Date | null }>(
          "select app_hidden.issue_unsubscribe_token($1, $2, $3) as e",
          [id, user.id, createHash("sha256").update(token).digest()],
        );
        await asRoot(client);
        return rows[0]!.e;
      };
      const first = await issue("first-token-of-thirty-two-chars");
      expect(first).toBeInstanceOf(Date);
      expect(first!.getTime() - Date.now()).toBeGreaterThan(89 * 86_400_000);
      await issue("second-token-of-thirty-two-chars");
      const stored = async () =>
        (
          await client.query(
            "select token_hash = extensions.digest($2, 'sha256') as second, sent_at from app_private.marketing_deliveries where message_id = $1",
            [id, "second-token-of-thirty-two-chars"],
          )
        ).rows;
      expect(await stored()).toEqual([{ second: true, sent_at: null }]);
      await setRole(client, ROLES.worker);
      await client.query(`set local role ${ROLES.marketing}`);
      await client.query("select app_hidden.mark_marketing_sent($1, $2)", [id, user.id]);
      await asRoot(client);
      expect(await issue("third-token-of-thirty-two-chars")).toBeNull();
      expect((await stored())[0]).toMatchObject({ second: true });
    });
  });
});
