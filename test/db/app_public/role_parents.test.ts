/**
 * The role DAG (app_public.role_parents) and its closure: inherited permissions through has_permission,
 * effective_permissions and explain_permission, and the refused cycle. Each test runs in a rolled-back transaction,
 * except the concurrency test, which needs two committed transactions.
 */
import pg from "pg";
import { describe, expect, it } from "vitest";
import { hasPermission, member, organization, role } from "../../helpers/access.ts";
import { asRoot, asUser, tryStatement, useTestDatabase, withRollback } from "../../helpers/database.ts";
import { createLoggedInUser } from "../../helpers/users.ts";

const db = useTestDatabase();

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
      await client.query("insert into app_public.user_roles (user_id, role_id, organization_id) values ($1, $2, $3)", [
        user.id,
        ids[9],
        org,
      ]);
      expect(await hasPermission(client, user, "projects:write", org)).toBe(true);
      expect(await hasPermission(client, user, "roles:manage", org)).toBe(false);
      await asUser(client, user);
      const { rows } = await client.query("select path from app_public.explain_permission($1, 'projects:write', $2)", [
        user.id,
        org,
      ]);
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
      await client.query("insert into app_public.role_parents values ($1, $2), ($1, $3), ($2, $4), ($3, $4)", [
        top,
        left,
        right,
        bottom,
      ]);
      const user = await member(client, org);
      await client.query("insert into app_public.user_roles (user_id, role_id, organization_id) values ($1, $2, $3)", [
        user.id,
        top,
        org,
      ]);
      await asUser(client, user);
      const { rows: perms } = await client.query("select p from app_public.effective_permissions($1, $2) p", [
        user.id,
        org,
      ]);
      expect(perms.map((r) => r.p)).toEqual(["projects:write"]);
      const { rows } = await client.query(
        "select path from app_public.explain_permission($1, 'projects:write', $2) order by 1",
        [user.id, org],
      );
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
      const { rows } = await db.current.root.query(
        "select count(*)::int as n from app_public.role_parents where role_id in ($1, $2)",
        [a, b],
      );
      expect(rows[0].n).toBe(1);
    } finally {
      await Promise.all([first.end(), second.end()]);
    }
  });
});
