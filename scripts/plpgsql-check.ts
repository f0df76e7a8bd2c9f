/**
 * `npm run plpgsql-check`: CI's static check of every PL/pgSQL function in Gatehouse's schemas with plpgsql_check (Debian package
 * postgresql-15-plpgsql-check), on a database built by the migrations on PostgreSQL 15. Errors fail the run;
 * warnings are printed.
 */
import { runCli } from "../src/cli/fatal.ts";
import { withClient } from "../src/db/client.ts";
import { postgres15BinDir, withMigratedDatabase } from "./lib/temporaryDatabase.ts";

const SCHEMAS = ["app_public", "app_hidden", "app_private", "audit", "config"];

interface Finding {
  fn: string;
  level: string;
  message: string;
  lineno: number | null;
  detail: string | null;
}

runCli("plpgsql-check", async () => {
  const findings = await withMigratedDatabase(postgres15BinDir(), { includeCurrent: true }, (urls) =>
    withClient(urls.rootOnDatabase, async (client) => {
      await client.query("create extension if not exists plpgsql_check");
      const { rows } = await client.query<Finding>(
        `select p.oid::regprocedure::text as fn, r.level, r.message, r.lineno, r.detail
         from pg_proc p
         join pg_namespace n on n.oid = p.pronamespace
         join pg_language l on l.oid = p.prolang and l.lanname = 'plpgsql'
         /*
          * A trigger function is checked against a table that uses it, with that trigger's transition tables (the one
          * naming the most of them: a statement trigger's function may read old and new rows).
          */
         left join lateral (select t.tgrelid, t.tgoldtable, t.tgnewtable from pg_trigger t where t.tgfoid = p.oid
                            order by (t.tgoldtable is not null)::int + (t.tgnewtable is not null)::int desc limit 1) t on true
         cross join lateral plpgsql_check_function_tb(p.oid, coalesce(t.tgrelid, 0), fatal_errors => false,
                                                     other_warnings => true, extra_warnings => true,
                                                     oldtable => t.tgoldtable, newtable => t.tgnewtable) r
         where n.nspname = any($1)
         order by 1, r.lineno`,
        [SCHEMAS],
      );
      const { rows: count } = await client.query<{ n: string }>(
        `select count(*) as n from pg_proc p join pg_namespace n on n.oid = p.pronamespace
         join pg_language l on l.oid = p.prolang and l.lanname = 'plpgsql' where n.nspname = any($1)`,
        [SCHEMAS],
      );
      process.stdout.write(`checked ${count[0]?.n} PL/pgSQL functions\n`);
      return rows;
    }),
  );
  for (const f of findings) {
    process.stdout.write(
      `${f.level}: ${f.fn}${f.lineno ? ` line ${f.lineno}` : ""}: ${f.message}${f.detail ? ` (${f.detail})` : ""}\n`,
    );
  }
  const errors = findings.filter((f) => f.level === "error");
  if (errors.length > 0) throw new Error(`${errors.length} PL/pgSQL error(s) found`);
});
