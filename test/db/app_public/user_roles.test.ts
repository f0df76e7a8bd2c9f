/**
 * Grants of roles to users (app_public.user_roles): when they stop counting (expiry on the clock, the end of the
 * membership) and where a global grant counts.
 */
import { describe, expect, it } from "vitest";
import { hasPermission, member, organization } from "../../helpers/access.ts";
import { asRoot, asUser, useTestDatabase, withRollback } from "../../helpers/database.ts";
import { createLoggedInUser, grantSystemRole } from "../../helpers/users.ts";

const db = useTestDatabase();

describe("grants", () => {
  it("an expired grant stops counting at once, with no job running (clock moved)", async () => {
    await withRollback(db.current, async (client) => {
      const admin = await createLoggedInUser(client);
      const org = await organization(client, admin);
      const user = await member(client, org);
      const viewer = (await client.query("select id from app_public.roles where name = 'viewer' and is_system")).rows[0]
        .id;
      await asUser(client, admin);
      const { rows } = await client.query(
        "select * from app_public.assign_role($1, $2, $3, now() + interval '1 hour')",
        [user.id, viewer, org],
      );
      expect(rows[0].refusal_code).toBeNull();
      await asRoot(client);
      expect(await hasPermission(client, user, "projects:read", org)).toBe(true);
      await client.query("select config.set_clock_offset(interval '61 minutes')");
      expect(await hasPermission(client, user, "projects:read", org)).toBe(false);
    });
  });

  it("organisation grants end with the membership; global grants count everywhere", async () => {
    await withRollback(db.current, async (client) => {
      const admin = await createLoggedInUser(client);
      const org = await organization(client, admin);
      const user = await member(client, org);
      await grantSystemRole(client, user.id, "viewer", org);
      expect(await hasPermission(client, user, "projects:read", org)).toBe(true);
      await asUser(client, admin);
      expect(
        (await client.query("select * from app_public.remove_member($1, $2)", [org, user.id])).rows[0].refusal_code,
      ).toBeNull();
      await asRoot(client);
      expect(await hasPermission(client, user, "projects:read", org)).toBe(false);
      await grantSystemRole(client, user.id, "auditor", null);
      expect(await hasPermission(client, user, "audit:read", org)).toBe(true);
      expect(await hasPermission(client, user, "audit:read", null)).toBe(true);
    });
  });
});
