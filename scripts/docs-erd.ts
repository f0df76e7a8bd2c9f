/**
 * `npm run docs:erd`: writes docs/erd.md, the entity-relationship diagram (Mermaid) of a database migrated the way the
 * test suite migrates its template (committed migrations plus migrations/current.sql), on a throw-away embedded
 * cluster. `--check` compares instead of writing, and fails on a difference.
 */
import fs from "node:fs/promises";
import path from "node:path";
import { runCli } from "../src/cli/fatal.ts";
import { PROJECT_ROOT } from "../src/config.ts";
import { withClient } from "../src/db/client.ts";
import { renderErd } from "./lib/erd.ts";
import { withMigratedDatabase } from "./lib/temporaryDatabase.ts";

const target = path.join(PROJECT_ROOT, "docs", "erd.md");

runCli("docs:erd", async () => {
  const check = process.argv.includes("--check");
  const erd = await withMigratedDatabase(undefined, { includeCurrent: true }, (urls) =>
    withClient(urls.rootOnDatabase, renderErd),
  );
  const shown = path.relative(process.cwd(), target);
  if (!check) {
    await fs.writeFile(target, erd);
    process.stdout.write(`wrote ${shown}\n`);
    return;
  }
  const committed = await fs.readFile(target, "utf8").catch(() => "");
  if (committed !== erd)
    throw new Error(`${shown} differs from what the migrations build: run \`npm run docs:erd\` and commit it`);
  process.stdout.write(`${shown} matches the migrations\n`);
});
