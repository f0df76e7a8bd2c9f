/** app_hidden.marketing_message: what a marketing job sends, for the marketing role only. */
import { describe, expect, it } from "vitest";
import { createUser } from "../../../fixtures/users.ts";
import { ROLES } from "../../../src/db/roles.ts";
import { queueMarketingMail } from "../../helpers/consent.ts";
import { setRole, tryStatement, useTestDatabase, withRollback } from "../../helpers/database.ts";

const db = useTestDatabase();

describe("app_hidden.marketing_message", () => {
  it("gives the marketing role the subject and body, and the worker nothing without switching (42501)", async () => {
    await withRollback(db.current, async (client) => {
      const user = await createUser(client);
      const id = await queueMarketingMail(client, [user.id], { subject: "Hello", body: "News" });
      await setRole(client, ROLES.worker);
      expect(await tryStatement(client, "select * from app_hidden.marketing_message($1)", [id])).toBe("42501");
      await client.query(`set local role ${ROLES.marketing}`);
      const { rows } = await client.query("select * from app_hidden.marketing_message($1)", [id]);
      expect(rows).toEqual([{ subject: "Hello", body: "News" }]);
    });
  });
});
