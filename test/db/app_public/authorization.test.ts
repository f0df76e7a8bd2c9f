/**
 * The access model in SQL: the role DAG and its closure, has_permission / effective_permissions / explain_permission,
 * expiry, no escalation, the last administrator. Each test runs in a rolled-back transaction, except the concurrency
 * test, which needs two committed transactions.
 */
import pg from "pg";
import type { PoolClient } from "pg";
import { describe, expect, it } from "vitest";
import { asRoot, asUser, tryStatement, useTestDatabase, withRollback } from "../../helpers/database.ts";
import { createLoggedInUser, grantSystemRole, type TestSession } from "../../helpers/users.ts";

const db = useTestDatabase();

async function organization(client: PoolClient, admin: TestSession): Promise<string> {
  await asUser(client, admin);
  const { rows } = await client.query("select * from app_public.create_organization('Acme', $1)", [`acme-${Math.random().toString(36).slice(2, 8)}`]);
  await asRoot(client);
  expect(rows[0].refusal_code).toBeNull();
  return rows[0].organization_id;
}

async function role(client: PoolClient, org: string | null, name: string, permissions: string[] = []): Promise<string> {
  const { rows } = await client.query("insert into app_public.roles (organization_id, name) values ($1, $2) returning id", [org, name]);
  for (const p of permissions) await client.query("insert into app_public.role_permissions values ($1, $2)", [rows[0].id, p]);
  return rows[0].id;
}

async function member(client: PoolClient, org: string): Promise<TestSession & { id: string }> {
  const user = await createLoggedInUser(client);
  await client.query("insert into app_public.memberships (organization_id, user_id) values ($1, $2)", [org, user.id]);
  return user;
}

async function hasPermission(client: PoolClient, who: TestSession, permission: string, org: string | null): Promise<boolean> {
  await asUser(client, who);
  const { rows } = await client.query("select app_public.has_permission($1, $2) as ok", [permission, org]);
  await asRoot(client);
  return rows[0].ok;
}

describe("the role hierarchy", () => {
  it("resolves a 10-level chain, and explain_permission returns the path", async () => {
    await withRollback(db.current, async (client) => {
      const admin = await createLoggedInUser(client);
      const org = await organization(client, admin);
      const ids: string[] = [];
      for (let i = 0; i < 10; i++) {
        ids.push(await role(client, org, `level_${i}`, i === 0 ? ["projects:write"] : []));
        if (i > 0) await client.query("insert into app_public.role_parents values ($1, $2)", [ids[i], ids[i - 1]]);
      }
      const user = await member(client, org);
      await client.query("insert into app_public.user_roles (user_id, role_id, organization_id) values ($1, $2, $3)", [user.id, ids[9], org]);
      expect(await hasPermission(client, user, "projects:write", org)).toBe(true);
      expect(await hasPermission(client, user, "roles:manage", org)).toBe(false);
      await asUser(client, user);
      const { rows } = await client.query("select path from app_public.explain_permission($1, 'projects:write', $2)", [user.id, org]);
      expect(rows).toEqual([{ path: Array.from({ length: 10 }, (_, i) => `level_${9 - i}`) }]);
    });
  });

  it("resolves a diamond once, with both paths explained", async () => {
    await withRollback(db.current, async (client) => {
      const admin = await createLoggedInUser(client);
      const org = await organization(client, admin);
      const top = await role(client, org, "top");
      const left = await role(client, org, "left");
      const right = await role(client, org, "right");
      const bottom = await role(client, org, "bottom", ["projects:write"]);
      await client.query("insert into app_public.role_parents values ($1, $2), ($1, $3), ($2, $4), ($3, $4)", [top, left, right, bottom]);
      const user = await member(client, org);
      await client.query("insert into app_public.user_roles (user_id, role_id, organization_id) values ($1, $2, $3)", [user.id, top, org]);
      await asUser(client, user);
      const { rows: perms } = await client.query("select p from app_public.effective_permissions($1, $2) p", [user.id, org]);
      expect(perms.map((r) => r.p)).toEqual(["projects:write"]);
      const { rows } = await client.query("select path from app_public.explain_permission($1, 'projects:write', $2) order by 1", [user.id, org]);
      expect(rows).toEqual([{ path: ["top", "left", "bottom"] }, { path: ["top", "right", "bottom"] }]);
    });
  });

  it("refuses a cycle (LOOPS), through the API function and straight in SQL", async () => {
    await withRollback(db.current, async (client) => {
      const admin = await createLoggedInUser(client);
      const org = await organization(client, admin);
      const a = await role(client, org, "a_role");
      const b = await role(client, org, "b_role");
      await client.query("insert into app_public.role_parents values ($1, $2)", [a, b]);
      await asUser(client, admin);
      const { rows } = await client.query("select * from app_public.set_role_parents($1, array[$2]::uuid[])", [b, a]);
      expect(rows[0].refusal_code).toBe("LOOPS");
      await asRoot(client);
      expect(await tryStatement(client, "insert into app_public.role_parents values ($1, $2)", [b, a])).toBe("LOOPS");
      expect(await tryStatement(client, "insert into app_public.role_parents values ($1, $1)", [a])).toBe("LOOPS");
    });
  });

  it("lets only one of two concurrent edits that would jointly form a cycle commit", async () => {
    const setup = await db.current.root.connect();
    const [a, b] = await (async () => {
      try {
        return [await role(setup, null, "race_a"), await role(setup, null, "race_b")];
      } finally {
        setup.release();
      }
    })();
    const first = new pg.Client({ connectionString: db.current.urls.root });
    const second = new pg.Client({ connectionString: db.current.urls.root });
    await Promise.all([first.connect(), second.connect()]);
    try {
      await first.query("begin");
      await second.query("begin");
      await first.query("insert into app_public.role_parents values ($1, $2)", [a, b]);
      const blocked = second.query("insert into app_public.role_parents values ($1, $2)", [b, a]).then(
        () => "committed",
        (error: { code?: string }) => error.code,
      );
      await new Promise((r) => setTimeout(r, 200));
      await first.query("commit");
      expect(await blocked).toBe("LOOPS");
      await second.query("rollback");
      const { rows } = await db.current.root.query("select count(*)::int as n from app_public.role_parents where role_id in ($1, $2)", [a, b]);
      expect(rows[0].n).toBe(1);
    } finally {
      await Promise.all([first.end(), second.end()]);
    }
  });
});

describe("grants", () => {
  it("an expired grant stops counting at once, with no job running (clock moved)", async () => {
    await withRollback(db.current, async (client) => {
      const admin = await createLoggedInUser(client);
      const org = await organization(client, admin);
      const user = await member(client, org);
      const viewer = (await client.query("select id from app_public.roles where name = 'viewer' and is_system")).rows[0].id;
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
      expect((await client.query("select * from app_public.remove_member($1, $2)", [org, user.id])).rows[0].refusal_code).toBeNull();
      await asRoot(client);
      expect(await hasPermission(client, user, "projects:read", org)).toBe(false);
      await grantSystemRole(client, user.id, "auditor", null);
      expect(await hasPermission(client, user, "audit:read", org)).toBe(true);
      expect(await hasPermission(client, user, "audit:read", null)).toBe(true);
    });
  });
});

describe("no escalation", () => {
  it("refuses a role, a permission or a parent the caller does not hold, and audits each attempt", async () => {
    await withRollback(db.current, async (client) => {
      const admin = await createLoggedInUser(client);
      const org = await organization(client, admin);
      const manager = await member(client, org);
      await grantSystemRole(client, manager.id, "user_manager", org);
      const target = await member(client, org);
      const custom = await role(client, org, "custom_role");
      const orgAdmin = (await client.query("select id from app_public.roles where name = 'org_admin' and is_system")).rows[0].id;

      await asUser(client, manager);
      const assign = await client.query("select * from app_public.assign_role($1, $2, $3)", [target.id, orgAdmin, org]);
      expect(assign.rows[0].refusal_code).toBe("PERMS");
      const grant = await client.query("select * from app_public.grant_role_permission($1, 'roles:manage')", [custom]);
      expect(grant.rows[0].refusal_code).toBe("PERMS");

      await asUser(client, admin);
      const superAdmin = (await client.query("select id from app_public.roles where name = 'super_admin' and is_system")).rows[0].id;
      const parent = await client.query("select * from app_public.set_role_parents($1, array[$2]::uuid[])", [custom, superAdmin]);
      expect(parent.rows[0].refusal_code).toBe("PERMS");
      const viewer = (await client.query("select id from app_public.roles where name = 'viewer' and is_system")).rows[0].id;
      const allowed = await client.query("select * from app_public.set_role_parents($1, array[$2]::uuid[])", [custom, viewer]);
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
      expect((await client.query("select * from app_public.rename_role($1, 'second_name')", [a])).rows[0].refusal_code).toBe("TAKEN");
      expect((await client.query("select * from app_public.rename_role($1, 'third_name')", [a])).rows[0].refusal_code).toBeNull();
      expect((await client.query("select p from app_public.my_permissions($1) p", [org])).rows.map((r) => r.p)).toContain("roles:manage");
    });
  });

  it("keeps system roles read-only to organisations", async () => {
    await withRollback(db.current, async (client) => {
      const admin = await createLoggedInUser(client);
      await organization(client, admin);
      const viewer = (await client.query("select id from app_public.roles where name = 'viewer' and is_system")).rows[0].id;
      await asUser(client, admin);
      const { rows } = await client.query("select * from app_public.grant_role_permission($1, 'projects:write')", [viewer]);
      expect(rows[0].refusal_code).toBe("PERMS");
    });
  });
});

describe("the last administrator", () => {
  it("cannot leave, be removed or lose org_admin (LASTA) until there is another", async () => {
    await withRollback(db.current, async (client) => {
      const admin = await createLoggedInUser(client);
      const org = await organization(client, admin);
      await asUser(client, admin);
      expect((await client.query("select * from app_public.leave_organization($1)", [org])).rows[0].refusal_code).toBe("LASTA");
      const grantId = (await client.query("select id from app_public.user_roles where user_id = $1 and organization_id = $2", [admin.id, org])).rows[0].id;
      expect((await client.query("select * from app_public.revoke_role($1)", [grantId])).rows[0].refusal_code).toBe("LASTA");
      await asRoot(client);
      const second = await member(client, org);
      await grantSystemRole(client, second.id, "org_admin", org);
      await asUser(client, second);
      expect((await client.query("select * from app_public.remove_member($1, $2)", [org, admin.id])).rows[0].refusal_code).toBeNull();
      expect((await client.query("select * from app_public.leave_organization($1)", [org])).rows[0].refusal_code).toBe("LASTA");
    });
  });
});

describe("casbin_rule", () => {
  it("presents the same policies as p and g lines", async () => {
    await withRollback(db.current, async (client) => {
      const { rows } = await client.query(
        "select ptype, v0, v1, v2, v3 from app_public.casbin_rule where v0 in ('viewer', 'member') order by ptype, v0, v2, v3",
      );
      expect(rows).toEqual([
        { ptype: "g", v0: "member", v1: "viewer", v2: "*", v3: "" },
        { ptype: "p", v0: "member", v1: "*", v2: "projects", v3: "write" },
        { ptype: "p", v0: "viewer", v1: "*", v2: "members", v3: "read" },
        { ptype: "p", v0: "viewer", v1: "*", v2: "projects", v3: "read" },
      ]);
    });
  });
});
