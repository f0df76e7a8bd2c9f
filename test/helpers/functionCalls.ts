/**
 * Which SQL functions the suite calls. Every test database counts its function calls (`track_functions = all`, set on
 * the clone before anyone connects); when a file's database is dropped, its counts are saved beside the run; after a
 * run of the whole suite, the global teardown fails the run if a function of the project was never called, unless it
 * is listed below with the reason. A function nobody tests is either dead or untested: both are worth a look.
 */
import fs from "node:fs/promises";
import path from "node:path";
import type pg from "pg";

/**
 * Functions the suite may leave uncounted, and why. PostgreSQL counts a call when the function returns, so a function
 * whose every call ends in an error it raises on purpose is never counted, however often its test runs it.
 */
export const UNCALLED_FUNCTIONS: Record<string, string> = {
  "audit.tg_events__forbid_change": "always raises RDONL (audit.events is append-only): test/db/audit/events.test.ts",
  "config.tg_instance__forbid_change": "always raises IMMUT (the mode is fixed): test/db/app_hidden/clock_now.test.ts",
};

/**
 * Functions `language sql` that PostgreSQL may inline into the calling query (no security definer, no SET clause; a
 * set-returning one also neither strict nor volatile, like audit.row_change_parts): they run, but are not counted as
 * calls, so the check cannot see them.
 */
const INLINABLE = `
  select n.nspname || '.' || p.proname as name
  from pg_proc p join pg_namespace n on n.oid = p.pronamespace join pg_language l on l.oid = p.prolang
  where l.lanname = 'sql' and not p.prosecdef and p.proconfig is null
    and (not p.proretset or (not p.proisstrict and p.provolatile <> 'v'))`;

const PROJECT_FUNCTIONS = `
  select distinct n.nspname || '.' || p.proname as name
  from pg_proc p join pg_namespace n on n.oid = p.pronamespace
  where n.nspname in ('app_public', 'app_hidden', 'app_private', 'audit', 'config', 'analytics')`;

export async function trackFunctionCalls(root: pg.ClientBase, database: string): Promise<void> {
  await root.query(`alter database ${root.escapeIdentifier(database)} set track_functions = 'all'`);
}

/**
 * Saves the calls counted in `database` into `dir`. Other sessions are ended first: a session reports its counts when
 * it goes idle or exits, and it leaves pg_stat_activity just before it reports at exit, hence the short wait after.
 */
export async function saveFunctionCalls(database: pg.ClientBase, dir: string, name: string): Promise<void> {
  await database.query(
    `select pg_terminate_backend(pid) from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid()`,
  );
  for (let i = 0; i < 50; i++) {
    const { rows } = await database.query<{ n: number }>(
      `select count(*)::int as n from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid()`,
    );
    if (rows[0]?.n === 0) break;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  await new Promise((resolve) => setTimeout(resolve, 300));
  await database.query("select pg_stat_clear_snapshot()");
  const { rows } = await database.query<{ name: string }>(
    `select distinct schemaname || '.' || funcname as name from pg_stat_user_functions where calls > 0`,
  );
  await fs.writeFile(path.join(dir, `${name}.json`), JSON.stringify(rows.map((r) => r.name)));
}

/**
 * The project's functions that no test database called (less the inlinable ones and the listed exceptions), and the
 * listed exceptions that were called after all (the list is stale).
 */
export async function uncalledFunctions(
  template: pg.ClientBase,
  dir: string,
): Promise<{ uncalled: string[]; stale: string[] }> {
  const called = new Set<string>();
  for (const file of await fs.readdir(dir)) {
    for (const name of JSON.parse(await fs.readFile(path.join(dir, file), "utf8")) as string[]) called.add(name);
  }
  const inlinable = new Set((await template.query<{ name: string }>(INLINABLE)).rows.map((r) => r.name));
  const { rows } = await template.query<{ name: string }>(PROJECT_FUNCTIONS);
  const uncalled = rows
    .map((r) => r.name)
    .filter((name) => !called.has(name) && !inlinable.has(name) && !(name in UNCALLED_FUNCTIONS))
    .sort();
  return { uncalled, stale: Object.keys(UNCALLED_FUNCTIONS).filter((name) => called.has(name)) };
}
