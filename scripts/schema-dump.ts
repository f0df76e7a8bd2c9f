/**
 * `npm run schema:dump`: writes schema.sql, a schema-only pg_dump of a database built from the committed migrations on
 * a throw-away PostgreSQL 15 cluster (the only pg_dump here is 15's; it refuses newer servers), followed by the
 * settings catalogue as data (config.system_settings, by key), so a changed setting, default or bound shows in review
 * like a changed table. graphile-worker's and graphile-migrate's schemas are left out. `--check` compares instead of
 * writing, and fails on a difference.
 */
import { execFileSync } from "node:child_process";
import fs from "node:fs/promises";
import path from "node:path";
import type pg from "pg";
import { PROJECT_ROOT } from "../src/config.ts";
import { runCli } from "../src/cli/fatal.ts";
import { withClient } from "../src/db/client.ts";
import { postgres15BinDir, withMigratedDatabase } from "./lib/temporaryDatabase.ts";

const target = path.join(PROJECT_ROOT, "schema.sql");

/** Columns of config.system_settings that record its live use, not the catalogue: who changed a value, and when. */
const LIVE_COLUMNS = ["updated_at", "updated_by"];

/**
 * The settings catalogue as one INSERT, a row per line, ordered by key (byte order, whatever the locale): every column
 * of config.system_settings but LIVE_COLUMNS, read from the table itself so a new column shows up here too.
 */
export async function settingsCatalogue(client: pg.ClientBase): Promise<string> {
  const { rows: columns } = await client.query<{ name: string; literal: boolean }>(
    `select attname as name, atttypid not in ('numeric'::regtype, 'integer'::regtype, 'bigint'::regtype, 'boolean'::regtype) as literal
     from pg_attribute
     where attrelid = 'config.system_settings'::regclass and attnum > 0 and not attisdropped and attname <> all($1::text[])
     order by attnum`,
    [LIVE_COLUMNS],
  );
  /* PostgreSQL quotes the values itself (quote_nullable), so the text is what the server would read back. */
  const values = columns
    .map((c) =>
      c.literal ? `quote_nullable(${quoteIdent(c.name)}::text)` : `coalesce(${quoteIdent(c.name)}::text, 'NULL')`,
    )
    .join(` || ', ' || `);
  const { rows } = await client.query<{ row: string }>(
    `select '(' || ${values} || ')' as row from config.system_settings order by key collate "C"`,
  );
  return [
    "--",
    `-- Data: the settings catalogue (config.system_settings, by key; not ${LIVE_COLUMNS.join(" or ")})`,
    "--",
    "",
    `INSERT INTO config.system_settings (${columns.map((c) => c.name).join(", ")}) VALUES`,
    `${rows.map((r) => `    ${r.row}`).join(",\n")};`,
    "",
    "",
  ].join("\n");
}

function quoteIdent(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

runCli("schema:dump", async () => {
  const check = process.argv.includes("--check");
  const binDir = postgres15BinDir();
  const dump = await withMigratedDatabase(binDir, { includeCurrent: false }, async (urls) => {
    const schema = execFileSync(
      path.join(binDir, "pg_dump"),
      [
        "--schema-only",
        "--exclude-schema=graphile_worker",
        "--exclude-schema=graphile_migrate",
        "--restrict-key=gatehouse",
        urls.rootOnDatabase,
      ],
      { encoding: "utf8", maxBuffer: 64 * 1024 * 1024 },
    )
      /* Minor-version lines would make the file change with every Debian point release. */
      .replace(/^-- Dumped (from|by) .*\n/gm, "");
    /* pg_dump ends with its "dump complete" trailer: the data goes before it, so that stays the file's last line. */
    const trailer = /\n--\n-- PostgreSQL database dump complete\n--\n[^]*$/.exec(schema);
    if (!trailer) throw new Error("pg_dump's output does not end with its usual trailer");
    const catalogue = await withClient(urls.rootOnDatabase, settingsCatalogue);
    return `${schema.slice(0, trailer.index)}\n${catalogue}${schema.slice(trailer.index + 1)}`;
  });
  if (!check) {
    await fs.writeFile(target, dump);
    process.stdout.write(`wrote ${path.relative(process.cwd(), target)}\n`);
    return;
  }
  const committed = await fs.readFile(target, "utf8").catch(() => "");
  if (committed !== dump) {
    throw new Error(
      "schema.sql differs from what the migrations produce (schema or settings catalogue): run `npm run schema:dump` and commit it",
    );
  }
  process.stdout.write("schema.sql matches the migrations\n");
});
