/**
 * Rules every table and function must follow, checked against the catalogue so that a new one cannot slip through.
 */
import { describe, expect, it } from "vitest";
import { useTestDatabase } from "../../helpers/database.ts";

const db = useTestDatabase();
const PROJECT_SCHEMAS = ["app_public", "app_hidden", "app_private", "audit", "config", "analytics"];
const CLIENT_ROLES = ["app_anonymous", "app_authenticated", "app_analytics", "authenticator"];

describe("the catalogue", () => {
  it("every table GraphQL exposes has row-level security and at least one policy (ASVS 8.2.2)", async () => {
    const { rows } = await db.current.root.query<{ name: string; rls: boolean; policies: number }>(`
      select c.relname as name, c.relrowsecurity as rls, (select count(*)::int from pg_policy p where p.polrelid = c.oid) as policies
      from pg_class c join pg_namespace n on n.oid = c.relnamespace
      where n.nspname = 'app_public' and c.relkind in ('r', 'p')
      order by 1`);
    expect(rows.length).toBeGreaterThan(5);
    expect(rows.filter((r) => !r.rls || r.policies === 0)).toEqual([]);
  });

  it("no client role may insert or update every column of a table: writes are per column, or through functions", async () => {
    const { rows } = await db.current.root.query(
      `
      select format('%I.%I', n.nspname, c.relname) as name, r.rolname as role
      from pg_class c join pg_namespace n on n.oid = c.relnamespace cross join pg_roles r
      where n.nspname = any($1) and c.relkind in ('r', 'p', 'v') and r.rolname = any($2)
        and (has_table_privilege(r.oid, c.oid, 'INSERT') or has_table_privilege(r.oid, c.oid, 'UPDATE'))`,
      [PROJECT_SCHEMAS, CLIENT_ROLES],
    );
    expect(rows).toEqual([]);
  });

  it("every foreign key has an index that starts with its columns", async () => {
    const { rows } = await db.current.root.query(
      `
      select format('%I.%I', n.nspname, c.relname) as table, con.conname as constraint
      from pg_constraint con
      join pg_class c on c.oid = con.conrelid
      join pg_namespace n on n.oid = c.relnamespace
      where con.contype = 'f' and n.nspname = any($1)
        and not exists (
          select 1 from pg_index i
          where i.indrelid = con.conrelid
            and (i.indkey::int2[])[0:array_length(con.conkey, 1) - 1] = con.conkey
        )`,
      [PROJECT_SCHEMAS],
    );
    expect(rows).toEqual([]);
  });

  it("every table and function that GraphQL exposes is documented (COMMENT ON)", async () => {
    const { rows } = await db.current.root.query(`
      select c.relname as name from pg_class c join pg_namespace n on n.oid = c.relnamespace
      where n.nspname = 'app_public' and c.relkind in ('r', 'p', 'v') and obj_description(c.oid, 'pg_class') is null
      union all
      select p.proname from pg_proc p join pg_namespace n on n.oid = p.pronamespace
      where n.nspname = 'app_public' and obj_description(p.oid, 'pg_proc') is null`);
    expect(rows).toEqual([]);
  });
});
