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
      const { rows } = await client.query("insert into app_public.posts (title, body) values ('Draft', 'Text') returning id");
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
        create trigger _800_audit after insert on app_public.secret_probes
          for each row execute function audit.tg__row_change('a', 'b');
        insert into app_public.secret_probes values (1, 2, 'tok_live_abcdef', 'kept');`);
      const { rows } = await client.query("select entity_id, details from audit.events where event_type = 'row.secret_probes.insert'");
      expect(rows[0].entity_id).toBe("1,2");
      expect(rows[0].details.new).toEqual({ a: 1, b: 2, note: "kept" });
      expect(JSON.stringify(rows)).not.toContain("tok_live");
    });
  });

  it("are attached to every table GraphQL exposes", async () => {
    const { rows } = await db.current.root.query(`
      select c.relname as name from pg_class c join pg_namespace n on n.oid = c.relnamespace
      where n.nspname = 'app_public' and c.relkind = 'r'
        and not exists (select 1 from pg_trigger t where t.tgrelid = c.oid and t.tgname = '_800_audit')`);
    expect(rows).toEqual([]);
  });
});
