/**
 * app_public.search_users: full-text search over the accounts the caller may read. It reads the table as its owner
 * (so the GIN index serves it under row-level security), so these tests check that it applies the same rule as the
 * select policies: a global users:read holder finds anyone, an organisation's users:read holder only its active
 * members, anyone else only themselves.
 */
import { describe, expect, it } from "vitest";
import type pg from "pg";
import { asRoot, asUser, tryStatement, useTestDatabase, withRollback } from "../../helpers/database.ts";
import { createUser, uniqueName } from "../../../fixtures/users.ts";
import { createLoggedInUser, grantSystemRole } from "../../helpers/users.ts";

const db = useTestDatabase();

async function search(client: pg.ClientBase, query: string): Promise<string[]> {
  const { rows } = await client.query<{ username: string }>("select username from app_public.search_users($1)", [
    query,
  ]);
  return rows.map((r) => r.username);
}

async function named(client: pg.ClientBase, first: string, last: string, tag: string): Promise<string> {
  const user = await createUser(client, {
    username: `${first}_${last}_${tag}`,
    email: `${first}.${last}.${tag}@example.test`,
  });
  await client.query(
    "update app_public.users set first_name = $2, last_name = $3, display_name = $2 || ' ' || $3 where id = $1",
    [user.id, first, last],
  );
  return user.username;
}

describe("app_public.search_users", () => {
  it("finds accounts by name, username and email, the last word also as a prefix from three characters", async () => {
    await withRollback(db.current, async (client) => {
      const tag = uniqueName("t");
      const ada = await named(client, "Adalind", "Quorrow", tag);
      const other = await named(client, "Adalind", "Vexmoor", tag);
      const admin = await createLoggedInUser(client);
      await grantSystemRole(client, admin.id, "user_manager");
      await asUser(client, admin);
      expect(await search(client, "adalind quorrow")).toEqual([ada]);
      expect((await search(client, "ADALIND")).sort()).toEqual([ada, other].sort());
      expect(await search(client, "adalind quor")).toEqual([ada]);
      /* Only the last word, the one being typed, is a prefix. */
      expect(await search(client, "adal quorrow")).toEqual([]);
      expect(await search(client, `adalind.quorrow.${tag}@example.test`)).toEqual([ada]);
      /* A last word shorter than three characters matches only a whole word (letters beyond f: the hex tag's pieces are words too). */
      expect(await search(client, "adalind qu")).toEqual([]);
    });
  });

  it("puts the account whose username or email is the search first, then the other matches", async () => {
    await withRollback(db.current, async (client) => {
      const tag = uniqueName("t");
      const exact = await named(client, "Zedra", "Quorrow", tag);
      const lookalike = await createUser(client, { username: `${exact}_2` });
      const another = await createUser(client, { username: `${exact}_3` });
      const admin = await createLoggedInUser(client);
      await grantSystemRole(client, admin.id, "user_manager");
      await asUser(client, admin);
      const byUsername = await search(client, exact.toUpperCase());
      expect(byUsername[0]).toBe(exact);
      expect(byUsername.slice(1).sort()).toEqual([lookalike.username, another.username].sort());
      /* An email address is searched by the words of its local part, which the others share: it still comes first. */
      const byEmail = await search(client, `zedra.quorrow.${tag}@example.test`);
      expect(byEmail[0]).toBe(exact);
      expect(byEmail).toHaveLength(3);
      /* Words alone name no account exactly: all three match, none is put first. */
      expect((await search(client, `zedra quorrow ${tag}`)).sort()).toEqual(
        [exact, lookalike.username, another.username].sort(),
      );
    });
  });

  it("returns at most 100 accounts", async () => {
    await withRollback(db.current, async (client) => {
      const tag = uniqueName("t");
      await client.query(
        `insert into app_public.users (username, email, first_name) select $1 || '_' || g, $1 || '_' || g || '@example.test', 'Vantrell' from generate_series(1, 120) g`,
        [tag],
      );
      const admin = await createLoggedInUser(client);
      await grantSystemRole(client, admin.id, "user_manager");
      await asUser(client, admin);
      expect(await search(client, "vantrell")).toHaveLength(100);
    });
  });

  it("treats tsquery syntax as plain words and finds nothing for text without words", async () => {
    await withRollback(db.current, async (client) => {
      const tag = uniqueName("t");
      const ada = await named(client, "Brennow", "Quillet", tag);
      const admin = await createLoggedInUser(client);
      await grantSystemRole(client, admin.id, "user_manager");
      await asUser(client, admin);
      expect(await search(client, "brennow | !quillet")).toEqual([ada]);
      expect(await search(client, "brennow & (quillet:* <-> x)")).toEqual([]);
      expect(await search(client, " ':*&|! ")).toEqual([]);
      expect(await search(client, "")).toEqual([]);
    });
  });

  it("refuses a search longer than 200 characters (INVAL)", async () => {
    await withRollback(db.current, async (client) => {
      const user = await createLoggedInUser(client);
      await asUser(client, user);
      expect(await tryStatement(client, "select * from app_public.search_users($1)", ["a ".repeat(101)])).toBe("INVAL");
    });
  });

  it("finds only what the caller may read: anyone (global users:read), an organisation's active members, or oneself", async () => {
    await withRollback(db.current, async (client) => {
      const tag = uniqueName("t");
      const member = await named(client, "Corvella", "Member", tag);
      const former = await named(client, "Corvella", "Former", tag);
      const outsider = await named(client, "Corvella", "Outsider", tag);
      const self = await createLoggedInUser(client, { username: `corvella_self_${tag}` });
      const orgReader = await createLoggedInUser(client);
      const globalReader = await createLoggedInUser(client);
      const { rows } = await client.query<{ id: string }>(
        "insert into app_public.organizations (name, slug) values ('Corvella', $1) returning id",
        [tag.replaceAll("_", "-")],
      );
      const org = rows[0]!.id;
      const id = async (username: string): Promise<string> =>
        (await client.query<{ id: string }>("select id from app_public.users where username = $1", [username])).rows[0]!
          .id;
      await client.query(
        `insert into app_public.memberships (organization_id, user_id, status, ended_at)
         values ($1, $2, 'active', null), ($1, $3, 'left', now()), ($1, $4, 'active', null)`,
        [org, await id(member), await id(former), orgReader.id],
      );
      await grantSystemRole(client, orgReader.id, "user_manager", org);
      await grantSystemRole(client, globalReader.id, "user_manager");

      await asUser(client, globalReader);
      expect((await search(client, `corvella ${tag}`)).sort()).toEqual(
        [member, former, outsider, self.username].sort(),
      );
      await asRoot(client);
      await asUser(client, orgReader);
      expect(await search(client, `corvella ${tag}`)).toEqual([member]);
      await asRoot(client);
      await asUser(client, self);
      expect(await search(client, `corvella ${tag}`)).toEqual([self.username]);
    });
  });

  it("is served by users_search_idx, not a scan of every account", async () => {
    await withRollback(db.current, async (client) => {
      await client.query("set local session_replication_role = replica");
      await client.query(
        `insert into app_public.users (username, email, first_name, last_name)
         select 'filler_' || g, 'filler.' || g || '@example.test', 'Filler', 'Number' || g from generate_series(1, 20000) g`,
      );
      await client.query("set local session_replication_role = origin");
      await client.query("analyze app_public.users");
      const { rows } = await client.query<{ "QUERY PLAN": string }>(
        `explain select u.id from app_public.users u
         where app_hidden.user_search_document(u.username, u.email, u.first_name, u.last_name, u.display_name)
               @@ app_hidden.user_search_query('number123')`,
      );
      const plan = rows.map((r) => r["QUERY PLAN"]).join("\n");
      expect(plan).toContain("users_search_idx");
      expect(plan).not.toContain("Seq Scan");
    });
  });
});
