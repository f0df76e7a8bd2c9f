/**
 * The no-escalation rule (app_hidden.holds_role_permissions) and the other checks of role management: a caller hands
 * out no role, permission or parent beyond their own, names stay unique, system roles stay read-only.
 */
import { describe, expect, it } from "vitest";
import { member, organization, role } from "../../helpers/access.ts";
import { asRoot, asUser, useTestDatabase, withRollback } from "../../helpers/database.ts";
import { createLoggedInUser, grantSystemRole } from "../../helpers/users.ts";

const db = useTestDatabase();

describe("no escalation", () => {
  it("refuses a role, a permission or a parent the caller does not hold, and audits each attempt", async () => {
    await withRollback(db.current, async (client) => {
      const admin = await createLoggedInUser(client);
      const org = await organization(client, admin);
      const manager = await member(client, org);
      await grantSystemRole(client, manager.id, "user_manager", org);
      const target = await member(client, org);
      const custom = await role(client, org, "custom_role");
      const orgAdmin = (await client.query("select id from app_public.roles where name = 'org_admin' and is_system"))
        .rows[0].id;

      await asUser(client, manager);
      const assign = await client.query("select * from app_public.assign_role($1, $2, $3)", [target.id, orgAdmin, org]);
      expect(assign.rows[0].refusal_code).toBe("PERMS");
      const grant = await client.query("select * from app_public.grant_role_permission($1, 'roles:manage')", [custom]);
      expect(grant.rows[0].refusal_code).toBe("PERMS");

      await asUser(client, admin);
      const superAdmin = (
        await client.query("select id from app_public.roles where name = 'super_admin' and is_system")
      ).rows[0].id;
      const parent = await client.query("select * from app_public.set_role_parents($1, array[$2]::uuid[])", [
        custom,
        superAdmin,
      ]);
      expect(parent.rows[0].refusal_code).toBe("PERMS");
      const viewer = (await client.query("select id from app_public.roles where name = 'viewer' and is_system")).rows[0]
        .id;
      const allowed = await client.query("select * from app_public.set_role_parents($1, array[$2]::uuid[])", [
        custom,
        viewer,
      ]);
      expect(allowed.rows[0].refusal_code).toBeNull();

      await asRoot(client);
      const { rows } = await client.query(
        "select event_type, reason from audit.events where outcome = 'refused' and reason = 'PERMS' and event_type like 'role.%' order by id",
      );
      expect(rows).toEqual([
        { event_type: "role.assign", reason: "PERMS" },
        { event_type: "role.grant_permission", reason: "PERMS" },
        { event_type: "role.set_parents", reason: "PERMS" },
      ]);
    });
  });

  it("renames an organisation role, refusing a taken name (TAKEN)", async () => {
    await withRollback(db.current, async (client) => {
      const admin = await createLoggedInUser(client);
      const org = await organization(client, admin);
      const a = await role(client, org, "first_name");
      await role(client, org, "second_name");
      await asUser(client, admin);
      expect(
        (await client.query("select * from app_public.rename_role($1, 'second_name')", [a])).rows[0].refusal_code,
      ).toBe("TAKEN");
      expect(
        (await client.query("select * from app_public.rename_role($1, 'third_name')", [a])).rows[0].refusal_code,
      ).toBeNull();
      expect(
        (await client.query("select p from app_public.my_permissions($1) p", [org])).rows.map((r) => r.p),
      ).toContain("roles:manage");
    });
  });

  it("keeps system roles read-only to organisations", async () => {
    await withRollback(db.current, async (client) => {
      const admin = await createLoggedInUser(client);
      await organization(client, admin);
      const viewer = (await client.query("select id from app_public.roles where name = 'viewer' and is_system")).rows[0]
        .id;
      await asUser(client, admin);
      const { rows } = await client.query("select * from app_public.grant_role_permission($1, 'projects:write')", [
        viewer,
      ]);
      expect(rows[0].refusal_code).toBe("PERMS");
    });
  });
});
