/**
 * analytics.daily_activity (the view and its function): sign-ups, logins and active users per day, counted over every
 * account, each count shown only when it covers at least analytics.min_group_size people.
 */
import type pg from "pg";
import { describe, expect, it } from "vitest";
import { createUser } from "../../../fixtures/users.ts";
import { ROLES } from "../../../src/db/roles.ts";
import { setSetting } from "../../helpers/auth.ts";
import { asRoot, setRole, useTestDatabase, withRollback } from "../../helpers/database.ts";

const db = useTestDatabase();

async function event(client: pg.ClientBase, type: "auth.login" | "auth.refresh", userId: string): Promise<void> {
  await client.query("select audit.record_event($1, 'success', subject_id => $2)", [type, userId]);
}

async function today(client: pg.ClientBase): Promise<string> {
  const { rows } = await client.query<{ day: string }>(
    "select to_char((app_hidden.clock_now() at time zone 'UTC')::date, 'YYYY-MM-DD') as day",
  );
  return rows[0]!.day;
}

async function rowsAsAnalytics(client: pg.ClientBase): Promise<Array<Record<string, unknown>>> {
  await setRole(client, ROLES.analytics);
  const { rows } = await client.query(
    "select to_char(day, 'YYYY-MM-DD') as day, sign_ups, logins, active_users from analytics.daily_activity order by day",
  );
  await asRoot(client);
  return rows;
}

describe("analytics.daily_activity", () => {
  it("shows each count of a day only when it covers analytics.min_group_size people", async () => {
    await withRollback(db.current, async (client) => {
      await setSetting(client, "analytics.min_group_size", 3);
      const day = await today(client);
      const [a, b, c] = [await createUser(client), await createUser(client), await createUser(client)];
      /* Four logins by two people (too few), and three people active (enough). */
      for (const user of [a, a, a, b]) await event(client, "auth.login", user.id);
      await event(client, "auth.refresh", c.id);
      expect(await rowsAsAnalytics(client)).toEqual([{ day, sign_ups: 3, logins: null, active_users: 3 }]);

      await event(client, "auth.login", c.id);
      expect(await rowsAsAnalytics(client)).toEqual([{ day, sign_ups: 3, logins: 5, active_users: 3 }]);
    });
  });

  it("leaves out a day whose every count is suppressed", async () => {
    await withRollback(db.current, async (client) => {
      await setSetting(client, "analytics.min_group_size", 3);
      const day = await today(client);
      for (let i = 0; i < 3; i++) await createUser(client);
      await client.query("update config.clock set offset_by = interval '1 day'");
      const lonely = await createUser(client);
      await event(client, "auth.login", lonely.id);
      expect(await rowsAsAnalytics(client)).toEqual([{ day, sign_ups: 3, logins: null, active_users: null }]);
    });
  });

  it("follows the setting: a larger group size suppresses what a smaller one showed", async () => {
    await withRollback(db.current, async (client) => {
      await setSetting(client, "analytics.min_group_size", 2);
      const day = await today(client);
      for (let i = 0; i < 2; i++) await createUser(client);
      expect(await rowsAsAnalytics(client)).toEqual([{ day, sign_ups: 2, logins: null, active_users: null }]);
      await setSetting(client, "analytics.min_group_size", 10);
      expect(await rowsAsAnalytics(client)).toEqual([]);
    });
  });

  it("the function under the view gives the same rows, and hides its inner rows from EXPLAIN ANALYZE", async () => {
    await withRollback(db.current, async (client) => {
      await setSetting(client, "analytics.min_group_size", 3);
      const lonely = await createUser(client);
      await event(client, "auth.login", lonely.id);
      await setRole(client, ROLES.analytics);
      const { rows } = await client.query("select * from analytics.daily_activity()");
      expect(rows).toEqual([]);
      const { rows: plan } = await client.query(
        "explain (analyze, costs off, timing off) select * from analytics.daily_activity",
      );
      const text = plan.map((r) => r["QUERY PLAN"]).join("\n");
      expect(text).toMatch(/Function Scan on daily_activity/);
      expect(text).not.toMatch(/events|users/);
    });
  });
});
