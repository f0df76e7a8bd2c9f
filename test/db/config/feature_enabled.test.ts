/**
 * config.feature_enabled: whether a flag is on for an account (off, on, a user list, a stable percentage), and the
 * public flags a client sees through app_public.enabled_features.
 */
import { randomUUID } from "node:crypto";
import type pg from "pg";
import { describe, expect, it } from "vitest";
import { asAnonymous, asUser, useTestDatabase, withRollback } from "../../helpers/database.ts";
import { createLoggedInUser } from "../../helpers/users.ts";

const db = useTestDatabase();

async function addFlag(client: pg.ClientBase, name: string, enabled: boolean, isPublic: boolean, rules: object = {}) {
  await client.query(
    "insert into config.feature_flags (name, description, enabled, is_public, rules) values ($1, 'test', $2, $3, $4)",
    [name, enabled, isPublic, JSON.stringify(rules)],
  );
}

async function enabledFor(client: pg.ClientBase, name: string, userId: string | null): Promise<boolean> {
  const { rows } = await client.query("select config.feature_enabled($1, $2) as on", [name, userId]);
  return rows[0].on;
}

describe("feature flags", () => {
  it("are off when disabled or unknown, on for everyone when enabled without rules", async () => {
    await withRollback(db.current, async (client) => {
      await addFlag(client, "t.off", false, true);
      await addFlag(client, "t.on", true, true);
      expect(await enabledFor(client, "t.off", randomUUID())).toBe(false);
      expect(await enabledFor(client, "t.unknown", randomUUID())).toBe(false);
      expect(await enabledFor(client, "t.on", null)).toBe(true);
    });
  });

  it("honour a user list", async () => {
    await withRollback(db.current, async (client) => {
      const listed = randomUUID();
      await addFlag(client, "t.users", true, true, { users: [listed] });
      expect(await enabledFor(client, "t.users", listed)).toBe(true);
      expect(await enabledFor(client, "t.users", randomUUID())).toBe(false);
      expect(await enabledFor(client, "t.users", null)).toBe(false);
    });
  });

  it("roll out to a stable share of accounts", async () => {
    await withRollback(db.current, async (client) => {
      await addFlag(client, "t.none", true, true, { percentage: 0 });
      await addFlag(client, "t.all", true, true, { percentage: 100 });
      await addFlag(client, "t.half", true, true, { percentage: 50 });
      const users = Array.from({ length: 400 }, () => randomUUID());
      const { rows } = await client.query(
        `select count(*) filter (where config.feature_enabled('t.none', u)) as none,
                count(*) filter (where config.feature_enabled('t.all', u)) as all,
                count(*) filter (where config.feature_enabled('t.half', u)) as half
         from unnest($1::uuid[]) u`,
        [users],
      );
      expect(Number(rows[0].none)).toBe(0);
      expect(Number(rows[0].all)).toBe(400);
      expect(Number(rows[0].half)).toBeGreaterThan(140);
      expect(Number(rows[0].half)).toBeLessThan(260);
      const again = await enabledFor(client, "t.half", users[0]!);
      expect(await enabledFor(client, "t.half", users[0]!)).toBe(again);
    });
  });

  it("list only public flags to clients through enabled_features", async () => {
    await withRollback(db.current, async (client) => {
      const user = await createLoggedInUser(client);
      await addFlag(client, "t.public_on", true, true);
      await addFlag(client, "t.secret_on", true, false);
      await addFlag(client, "t.public_mine", true, true, { users: [user.id] });
      await asAnonymous(client);
      expect((await client.query("select app_public.enabled_features() as f")).rows[0].f).toEqual(["t.public_on"]);
      await asUser(client, user);
      expect((await client.query("select app_public.enabled_features() as f")).rows[0].f).toEqual([
        "t.public_mine",
        "t.public_on",
      ]);
    });
  });
});
