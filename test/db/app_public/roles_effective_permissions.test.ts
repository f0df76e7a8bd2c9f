/**
 * app_public.roles_effective_permissions (Role.effectivePermissions): every permission a role gives, its own and its
 * ancestors', read from the closure table. It runs as its owner, so it applies the roles' select rule itself: a global
 * role answers to anyone logged in, an organisation's role only to the organisation's active members.
 */
import type { PoolClient } from "pg";
import { describe, expect, it } from "vitest";
import { member, organization, role } from "../../helpers/access.ts";
import { asAnonymous, asRoot, asUser, tryStatement, useTestDatabase, withRollback } from "../../helpers/database.ts";
import { createLoggedInUser, type TestSession } from "../../helpers/users.ts";

const db = useTestDatabase();

/** The role's effective permissions as `who` reads the computed column on the roles they can see. */
async function effective(client: PoolClient, who: TestSession, roleId: string): Promise<string[]> {
  await asUser(client, who);
  const { rows } = await client.query<{ p: string }>(
    "select p from app_public.roles r, app_public.roles_effective_permissions(r) p where r.id = $1",
    [roleId],
  );
  await asRoot(client);
  return rows.map((r) => r.p);
}

/** The same, given the role's row directly (as the superuser read it), so the function's own rule decides. */
async function effectiveOfRow(client: PoolClient, who: TestSession, roleId: string): Promise<string[]> {
  const { rows: found } = await client.query<{ row: string }>(
    "select r::text as row from app_public.roles r where r.id = $1",
    [roleId],
  );
  await asUser(client, who);
  const { rows } = await client.query<{ p: string }>(
    "select p from app_public.roles_effective_permissions($1::app_public.roles) p",
    [found[0]!.row],
  );
  await asRoot(client);
  return rows.map((r) => r.p);
}

describe("app_public.roles_effective_permissions", () => {
  it("gives a role its own permissions and those of every ancestor, each once, in order", async () => {
    await withRollback(db.current, async (client) => {
      const admin = await createLoggedInUser(client);
      const org = await organization(client, admin);
      const grandparent = await role(client, org, "grandparent", ["projects:write", "projects:read"]);
      const parent = await role(client, org, "parent", ["projects:read"]);
      const child = await role(client, org, "child", ["members:read"]);
      await client.query("insert into app_public.role_parents values ($1, $2), ($2, $3)", [child, parent, grandparent]);
      const reader = await member(client, org);
      expect(await effective(client, reader, child)).toEqual(["members:read", "projects:read", "projects:write"]);
      expect(await effective(client, reader, parent)).toEqual(["projects:read", "projects:write"]);
      expect(await effective(client, reader, grandparent)).toEqual(["projects:read", "projects:write"]);
    });
  });

  it("shows a role with no permission of its own what it inherits, and a role with none and no parents nothing", async () => {
    await withRollback(db.current, async (client) => {
      const admin = await createLoggedInUser(client);
      const org = await organization(client, admin);
      const parent = await role(client, org, "parent", ["projects:read"]);
      const heir = await role(client, org, "heir");
      const empty = await role(client, org, "empty");
      await client.query("insert into app_public.role_parents values ($1, $2)", [heir, parent]);
      const reader = await member(client, org);
      expect(await effective(client, reader, heir)).toEqual(["projects:read"]);
      expect(await effective(client, reader, empty)).toEqual([]);
    });
  });

  it("follows the hierarchy at once: a removed parent's permissions are no longer given", async () => {
    await withRollback(db.current, async (client) => {
      const admin = await createLoggedInUser(client);
      const org = await organization(client, admin);
      const parent = await role(client, org, "parent", ["projects:write"]);
      const child = await role(client, org, "child", ["projects:read"]);
      await client.query("insert into app_public.role_parents values ($1, $2)", [child, parent]);
      const reader = await member(client, org);
      expect(await effective(client, reader, child)).toEqual(["projects:read", "projects:write"]);
      await client.query("delete from app_public.role_parents where role_id = $1", [child]);
      expect(await effective(client, reader, child)).toEqual(["projects:read"]);
    });
  });

  it("answers for a global role to any logged-in user, member of no organisation", async () => {
    await withRollback(db.current, async (client) => {
      const loner = await createLoggedInUser(client);
      const ids = async (name: string): Promise<string> =>
        (await client.query<{ id: string }>("select id from app_public.roles where name = $1 and is_system", [name]))
          .rows[0]!.id;
      const viewer = await ids("viewer");
      const memberRole = await ids("member");
      expect(await effective(client, loner, viewer)).toEqual(["members:read", "projects:read"]);
      /* The system role member inherits viewer. */
      expect(await effective(client, loner, memberRole)).toEqual(["members:read", "projects:read", "projects:write"]);
    });
  });

  it("answers nothing for another organisation's role, even given its row, nor to a member who has left", async () => {
    await withRollback(db.current, async (client) => {
      const admin = await createLoggedInUser(client);
      const org = await organization(client, admin);
      const parent = await role(client, org, "parent", ["projects:write"]);
      const child = await role(client, org, "child", ["projects:read"]);
      await client.query("insert into app_public.role_parents values ($1, $2)", [child, parent]);
      const insider = await member(client, org);
      const outsider = await createLoggedInUser(client);
      const former = await member(client, org);
      await client.query(
        "update app_public.memberships set status = 'left', ended_at = now() where user_id = $1 and organization_id = $2",
        [former.id, org],
      );

      expect(await effectiveOfRow(client, insider, child)).toEqual(["projects:read", "projects:write"]);
      /* Row-level security hides the role itself; given the row anyway, the function gives away none of its permissions. */
      expect(await effective(client, outsider, child)).toEqual([]);
      expect(await effectiveOfRow(client, outsider, child)).toEqual([]);
      expect(await effectiveOfRow(client, former, child)).toEqual([]);
    });
  });

  it("cannot be called anonymously (42501)", async () => {
    await withRollback(db.current, async (client) => {
      const { rows } = await client.query<{ row: string }>(
        "select r::text as row from app_public.roles r where r.name = 'viewer' and r.is_system",
      );
      await asAnonymous(client);
      expect(
        await tryStatement(client, "select app_public.roles_effective_permissions($1::app_public.roles)", [
          rows[0]!.row,
        ]),
      ).toBe("42501");
    });
  });
});
