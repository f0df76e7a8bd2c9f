/**
 * Searches for a secret where it must never be: every row of every table of the database (the job queue and failed
 * jobs' errors included), and captured log lines.
 */
import { Writable } from "node:stream";
import { pino } from "pino";
import type pg from "pg";
import type { Logger } from "../../src/logger.ts";

export async function tablesContaining(db: pg.Pool, secret: string): Promise<string[]> {
  const { rows: tables } = await db.query<{ name: string }>(`
    select format('%I.%I', n.nspname, c.relname) as name
    from pg_class c join pg_namespace n on n.oid = c.relnamespace
    where c.relkind = 'r' and n.nspname not in ('pg_catalog', 'information_schema', 'pg_toast')
    order by 1`);
  const found: string[] = [];
  for (const { name } of tables) {
    const { rows } = await db.query<{ n: number }>(
      `select count(*)::int as n from ${name} t where t::text like '%' || $1 || '%'`,
      [secret],
    );
    if ((rows[0]?.n ?? 0) > 0) found.push(name);
  }
  return found;
}

/** A real pino logger (debug level) whose lines are kept in memory. */
export function capturingLogger(): { log: Logger; lines: string[] } {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      lines.push(chunk.toString());
      callback();
    },
  });
  return { log: pino({ level: "debug" }, stream), lines };
}
