/**
 * Row-change events: every write to an exposed table leaves one, with the values (only what changed, for an update),
 * secrets redacted.
 */
import { describe, expect, it } from "vitest";
import { asRoot, asUser, useTestDatabase, withRollback } from "../../helpers/database.ts";
import { createLoggedInUser } from "../../helpers/users.ts";

const db = useTestDatabase();

describe("row-change events", () => {
  it("record an insert, an update (changed columns only, old and new) and a delete, with actor and entity", async () => {
    await withRollback(db.current, async (client) => {
      const user = await createLoggedInUser(client);
      await asUser(client, user);
      const { rows } = await client.query(
        "insert into app_public.posts (title, body) values ('Draft', 'Text') returning id",
      );
      const id = rows[0].id;
      await client.query("update app_public.posts set title = 'Better' where id = $1", [id]);
      await client.query("delete from app_public.posts where id = $1", [id]);
      await asRoot(client);
      const { rows: events } = await client.query(
        "select event_type, actor_id, entity_type, entity_id, details from audit.events where entity_id = $1 order by id",
        [id],
      );
      expect(events.map((e) => e.event_type)).toEqual(["row.posts.insert", "row.posts.update", "row.posts.delete"]);
      expect(events.every((e) => e.actor_id === user.id && e.entity_type === "posts")).toBe(true);
      expect(events[0].details.new).toMatchObject({ id, title: "Draft", body: "Text" });
      expect(events[1].details).toEqual({ old: { title: "Draft" }, new: { title: "Better" } });
      expect(events[2].details.old).toMatchObject({ id, title: "Better" });
    });
  });

  it("name composite keys and redact columns that look secret", async () => {
    await withRollback(db.current, async (client) => {
      await client.query(`
        create table app_public.secret_probes (a int, b int, api_token text, note text, primary key (a, b));
        create trigger _800_audit_insert after insert on app_public.secret_probes referencing new table as new_rows
          for each statement execute function audit.tg__row_changes('a', 'b');
        insert into app_public.secret_probes values (1, 2, 'tok_live_abcdef', 'kept');`);
      const { rows } = await client.query(
        "select entity_id, details from audit.events where event_type = 'row.secret_probes.insert'",
      );
      expect(rows[0].entity_id).toBe("1,2");
      expect(rows[0].details.new).toEqual({ a: 1, b: 2, note: "kept" });
      expect(JSON.stringify(rows)).not.toContain("tok_live");
    });
  });

  it("are attached to every table GraphQL exposes", async () => {
    const { rows } = await db.current.root.query(`
      select c.relname as name from pg_class c join pg_namespace n on n.oid = c.relnamespace
      where n.nspname = 'app_public' and c.relkind = 'r'
        and (select count(*) from pg_trigger t
             where t.tgrelid = c.oid and t.tgname in ('_800_audit_insert', '_800_audit_update', '_800_audit_delete')) <> 3`);
    expect(rows).toEqual([]);
  });
});

describe("row-change events of a many-row statement", () => {
  it("record one event per row, in row order, each update pairing old and new by key, personal values encrypted once", async () => {
    await withRollback(db.current, async (client) => {
      const user = await createLoggedInUser(client);
      await asUser(client, user, { ip: "198.51.100.9", userAgent: "RowChanges/1" });
      const { rows: inserted } = await client.query<{ id: string }>(
        "insert into app_public.posts (title) select 'T' || g from generate_series(1, 50) g returning id",
      );
      await client.query("update app_public.posts set title = title || '!' where id = any($1::uuid[])", [
        inserted.map((r) => r.id),
      ]);
      /* An update that changes nothing leaves nothing. */
      await client.query("update app_public.posts set title = title where id = any($1::uuid[])", [
        inserted.map((r) => r.id),
      ]);
      await client.query("delete from app_public.posts where id = any($1::uuid[])", [inserted.map((r) => r.id)]);
      await asRoot(client);
      const { rows } = await client.query<{
        event_type: string;
        entity_id: string;
        details: Record<string, Record<string, string>>;
        personal: Buffer;
      }>(
        "select event_type, entity_id, details, personal from audit.events where entity_type = 'posts' and actor_id = $1 order by id",
        [user.id],
      );
      expect(rows.filter((r) => r.event_type === "row.posts.insert").map((r) => r.entity_id)).toEqual(
        inserted.map((r) => r.id),
      );
      expect(rows.filter((r) => r.event_type === "row.posts.update")).toHaveLength(50);
      expect(rows.filter((r) => r.event_type === "row.posts.delete")).toHaveLength(50);
      const update = rows.find((r) => r.event_type === "row.posts.update")!;
      expect(update.details.new!.title).toBe(`${update.details.old!.title}!`);
      /* The statement's rows share one personal part (the same address and device): one ciphertext for all of them. */
      const inserts = rows.filter((r) => r.event_type === "row.posts.insert");
      expect(inserts.every((r) => r.personal.equals(inserts[0]!.personal))).toBe(true);
    });
  });

  it("moves personal columns of users into the encrypted part", async () => {
    await withRollback(db.current, async (client) => {
      const user = await createLoggedInUser(client);
      await asUser(client, user);
      await client.query("update app_public.users set first_name = 'Grace', bio = 'Compilers' where id = $1", [
        user.id,
      ]);
      await asRoot(client);
      const { rows } = await client.query(
        "select details, personal is not null as encrypted from audit.events where event_type = 'row.users.update' and entity_id = $1",
        [user.id],
      );
      expect(rows).toHaveLength(1);
      expect(JSON.stringify(rows[0].details)).not.toMatch(/Grace|Compilers/);
      expect(rows[0].encrypted).toBe(true);
    });
  });
});
