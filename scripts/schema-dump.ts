/**
 * `npm run schema:dump`: writes schema.sql, a schema-only pg_dump of a database built from the committed migrations on
 * a throw-away PostgreSQL 15 cluster (the only pg_dump here is 15's; it refuses newer servers). graphile-worker's and
 * graphile-migrate's schemas are left out. `--check` compares instead of writing, and fails on a difference.
 */
import { execFileSync } from "node:child_process";
import fs from "node:fs/promises";
import path from "node:path";
import { PROJECT_ROOT } from "../src/config.ts";
import { runCli } from "../src/cli/fatal.ts";
import { postgres15BinDir, withMigratedDatabase } from "./lib/temporaryDatabase.ts";

const target = path.join(PROJECT_ROOT, "schema.sql");

runCli("schema:dump", async () => {
  const check = process.argv.includes("--check");
  const binDir = postgres15BinDir();
  const dump = await withMigratedDatabase(binDir, { includeCurrent: false }, async (urls) =>
    execFileSync(
      path.join(binDir, "pg_dump"),
      ["--schema-only", "--exclude-schema=graphile_worker", "--exclude-schema=graphile_migrate", "--restrict-key=gatehouse", urls.rootOnDatabase],
      { encoding: "utf8", maxBuffer: 64 * 1024 * 1024 },
    )
      /* Minor-version lines would make the file change with every Debian point release. */
      .replace(/^-- Dumped (from|by) .*\n/gm, ""),
  );
  if (!check) {
    await fs.writeFile(target, dump);
    process.stdout.write(`wrote ${path.relative(process.cwd(), target)}\n`);
    return;
  }
  const committed = await fs.readFile(target, "utf8").catch(() => "");
  if (committed !== dump) {
    throw new Error("schema.sql differs from what the migrations produce: run `npm run schema:dump` and commit it");
  }
  process.stdout.write("schema.sql matches the migrations\n");
});
