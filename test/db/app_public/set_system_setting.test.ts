import type pg from "pg";
import { describe, expect, it } from "vitest";
import { asAnonymous, asRoot, asUser, useTestDatabase, withRollback } from "../../helpers/database.ts";
import { createLoggedInUser, grantSystemRole } from "../../helpers/users.ts";

const db = useTestDatabase();

async function change(client: pg.ClientBase, key: string, value: unknown) {
  const { rows } = await client.query("select * from app_public.set_system_setting($1, $2::jsonb)", [
    key,
    JSON.stringify(value),
  ]);
  return rows[0];
}

async function lastEvent(client: pg.ClientBase) {
  await asRoot(client);
  const { rows } = await client.query(
    "select * from audit.events where event_type = 'config.setting_change' order by id desc limit 1",
  );
  return rows[0];
}

describe("app_public.set_system_setting", () => {
  it("returns a LOGIN refusal to anonymous callers and audits it", async () => {
    await withRollback(db.current, async (client) => {
      await asAnonymous(client, { requestId: "req-anon-0001" });
      expect(await change(client, "auth.lockout_threshold", 7)).toMatchObject({ refusal_code: "LOGIN", value: null });
      expect(await lastEvent(client)).toMatchObject({
        outcome: "refused",
        reason: "LOGIN",
        request_id: "req-anon-0001",
        actor_id: null,
      });
      const { rows } = await client.query("select config.setting_integer('auth.lockout_threshold') as n");
      expect(rows[0].n).toBe(5);
    });
  });

  it("returns a PERMS refusal to a user who is not a platform administrator and audits it", async () => {
    await withRollback(db.current, async (client) => {
      const user = await createLoggedInUser(client);
      await asUser(client, user);
      expect(await change(client, "auth.lockout_threshold", 7)).toMatchObject({ refusal_code: "PERMS" });
      expect(await lastEvent(client)).toMatchObject({
        outcome: "refused",
        reason: "PERMS",
        actor_id: user.id,
        severity: "warning",
      });
    });
  });

  it("lets a platform administrator change a setting, auditing old and new values", async () => {
    await withRollback(db.current, async (client) => {
      const admin = await createLoggedInUser(client);
      await grantSystemRole(client, admin.id, "super_admin");
      await asUser(client, admin);
      expect(await change(client, "auth.lockout_threshold", 7)).toEqual({
        key: "auth.lockout_threshold",
        value: 7,
        refusal_code: null,
        refusal_message: null,
      });
      expect(await lastEvent(client)).toMatchObject({
        outcome: "success",
        actor_id: admin.id,
        details: { key: "auth.lockout_threshold", old: 5, new: 7 },
      });
    });
  });

  it("raises for an unknown setting (NOSET) and an invalid value (INVAL)", async () => {
    await withRollback(db.current, async (client) => {
      const admin = await createLoggedInUser(client);
      await grantSystemRole(client, admin.id, "super_admin");
      await asUser(client, admin);
      await client.query("savepoint s");
      await expect(change(client, "no.such_thing", 1)).rejects.toMatchObject({ code: "NOSET" });
      await client.query("rollback to savepoint s");
      await expect(change(client, "auth.lockout_threshold", 999)).rejects.toMatchObject({ code: "INVAL" });
    });
  });
});
