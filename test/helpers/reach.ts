/**
 * What a database role can reach, from the catalogue: the relations it may read and the functions that can hand it
 * an email address. Used by the tests of the walls around personal data (test/db/schema/personal_data_reach.test.ts)
 * and by the marketing sender's test, which runs with every other way to an address revoked.
 */
import type pg from "pg";

/** Schemas whose functions touch no stored data (extensions operate on their arguments only) or are the server's. */
const SYSTEM_SCHEMAS = ["pg_catalog", "information_schema", "extensions", "pg_toast"];

/**
 * Functions `role` may call (EXECUTE, and USAGE on the schema) that can return an address: their result can carry
 * text (text, citext, json, a record or a composite type) and their body reads an email column or a table that holds
 * one, or a result column is named like one.
 */
export async function addressFunctions(db: pg.Pool | pg.ClientBase, role: string): Promise<string[]> {
  const { rows } = await db.query<{ fn: string }>(
    `select p.oid::regprocedure::text as fn
     from pg_proc p
     join pg_namespace n on n.oid = p.pronamespace
     join pg_type t on t.oid = p.prorettype
     where n.nspname <> all($2)
       and has_schema_privilege($1, n.oid, 'USAGE') and has_function_privilege($1, p.oid, 'EXECUTE')
       and (t.typtype = 'c' or t.typname in ('record', 'text', 'citext', 'varchar', 'json', 'jsonb', 'anyelement'))
       and (p.prosrc ~* '(email|app_public\\.users\\y|app_public\\.invitations\\y|app_private\\.password_resets\\y|app_private\\.email_changes\\y)'
            or exists (select 1 from unnest(p.proargnames) a where a ~* '(email|address|recipient)'))
     order by 1`,
    [role, SYSTEM_SCHEMAS],
  );
  return rows.map((r) => r.fn);
}

/** Every table, view or foreign table `role` may read from (SELECT on it or on any of its columns, USAGE on its schema). */
export async function readableRelations(db: pg.Pool | pg.ClientBase, role: string): Promise<string[]> {
  const { rows } = await db.query<{ rel: string }>(
    `select format('%I.%I', n.nspname, c.relname) as rel
     from pg_class c join pg_namespace n on n.oid = c.relnamespace
     where c.relkind in ('r', 'p', 'v', 'm', 'f') and n.nspname not in ('pg_catalog', 'information_schema')
       and has_schema_privilege($1, n.oid, 'USAGE')
       and (has_table_privilege($1, c.oid, 'SELECT') or has_any_column_privilege($1, c.oid, 'SELECT'))
     order by 1`,
    [role],
  );
  return rows.map((r) => r.rel);
}

/** Every function `role` may call outside the server's own schemas and the extensions. */
export async function callableFunctions(db: pg.Pool | pg.ClientBase, role: string): Promise<string[]> {
  const { rows } = await db.query<{ fn: string }>(
    `select p.oid::regprocedure::text as fn
     from pg_proc p join pg_namespace n on n.oid = p.pronamespace
     where n.nspname <> all($2)
       and has_schema_privilege($1, n.oid, 'USAGE') and has_function_privilege($1, p.oid, 'EXECUTE')
     order by 1`,
    [role, SYSTEM_SCHEMAS],
  );
  return rows.map((r) => r.fn);
}
