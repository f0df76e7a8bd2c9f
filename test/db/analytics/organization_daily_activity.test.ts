/**
 * analytics.organization_daily_activity: new members, logins and active members per organisation and day, membership
 * taken at the time of each event, each count shown only when it covers analytics.min_group_size people.
 */
import type pg from "pg";
import { describe, expect, it } from "vitest";
import { createUser, uniqueName } from "../../../fixtures/users.ts";
import { ROLES } from "../../../src/db/roles.ts";
import { setSetting } from "../../helpers/auth.ts";
import { asRoot, setRole, useTestDatabase, withRollback } from "../../helpers/database.ts";

const db = useTestDatabase();

async function organizationWith(client: pg.ClientBase, members: number): Promise<{ id: string; userIds: string[] }> {
  const slug = uniqueName("org").replace(/_/g, "-");
  const { rows } = await client.query<{ id: string }>(
    "insert into app_public.organizations (name, slug) values ($1, $2) returning id",
    [slug, slug],
  );
  const id = rows[0]!.id;
  const userIds: string[] = [];
  for (let i = 0; i < members; i++) {
    const user = await createUser(client);
    await client.query("insert into app_public.memberships (organization_id, user_id) values ($1, $2)", [id, user.id]);
    userIds.push(user.id);
  }
  return { id, userIds };
}

async function login(client: pg.ClientBase, userId: string): Promise<void> {
  await client.query("select audit.record_event('auth.login', 'success', subject_id => $1)", [userId]);
}

async function rowsAsAnalytics(client: pg.ClientBase): Promise<Array<Record<string, unknown>>> {
  await setRole(client, ROLES.analytics);
  const { rows } = await client.query(
    "select organization_id, new_members, logins, active_users from analytics.organization_daily_activity",
  );
  await asRoot(client);
  return rows;
}

describe("analytics.organization_daily_activity", () => {
  it("shows an organisation's day only for counts of at least analytics.min_group_size people", async () => {
    await withRollback(db.current, async (client) => {
      await setSetting(client, "analytics.min_group_size", 3);
      const big = await organizationWith(client, 3);
      const small = await organizationWith(client, 2);
      for (const userId of [...big.userIds, big.userIds[0]!, ...small.userIds]) await login(client, userId);
      expect(await rowsAsAnalytics(client)).toEqual([
        { organization_id: big.id, new_members: 3, logins: 4, active_users: 3 },
      ]);
    });
  });

  it("counts an event for the organisations its account belonged to at that moment, not after leaving", async () => {
    await withRollback(db.current, async (client) => {
      await setSetting(client, "analytics.min_group_size", 3);
      const org = await organizationWith(client, 4);
      const [leaver, ...stayers] = org.userIds;
      await client.query(
        "update app_public.memberships set status = 'left', ended_at = app_hidden.clock_now() where user_id = $1",
        [leaver],
      );
      for (const userId of [leaver!, ...stayers.slice(0, 2)]) await login(client, userId);
      /* Two members active, plus one who had left: too few. */
      expect(await rowsAsAnalytics(client)).toEqual([
        { organization_id: org.id, new_members: 4, logins: null, active_users: null },
      ]);
      await login(client, stayers[2]!);
      expect(await rowsAsAnalytics(client)).toEqual([
        { organization_id: org.id, new_members: 4, logins: 3, active_users: 3 },
      ]);
    });
  });
});
