/**
 * An organisation keeps an administrator (app_private.is_last_admin): its last org_admin cannot leave, be removed or
 * lose the role.
 */
import { describe, expect, it } from "vitest";
import { member, organization } from "../../helpers/access.ts";
import { asRoot, asUser, useTestDatabase, withRollback } from "../../helpers/database.ts";
import { createLoggedInUser, grantSystemRole } from "../../helpers/users.ts";

const db = useTestDatabase();

describe("the last administrator", () => {
  it("cannot leave, be removed or lose org_admin (LASTA) until there is another", async () => {
    await withRollback(db.current, async (client) => {
      const admin = await createLoggedInUser(client);
      const org = await organization(client, admin);
      await asUser(client, admin);
      expect((await client.query("select * from app_public.leave_organization($1)", [org])).rows[0].refusal_code).toBe(
        "LASTA",
      );
      const grantId = (
        await client.query("select id from app_public.user_roles where user_id = $1 and organization_id = $2", [
          admin.id,
          org,
        ])
      ).rows[0].id;
      expect((await client.query("select * from app_public.revoke_role($1)", [grantId])).rows[0].refusal_code).toBe(
        "LASTA",
      );
      await asRoot(client);
      const second = await member(client, org);
      await grantSystemRole(client, second.id, "org_admin", org);
      await asUser(client, second);
      expect(
        (await client.query("select * from app_public.remove_member($1, $2)", [org, admin.id])).rows[0].refusal_code,
      ).toBeNull();
      expect((await client.query("select * from app_public.leave_organization($1)", [org])).rows[0].refusal_code).toBe(
        "LASTA",
      );
    });
  });
});
