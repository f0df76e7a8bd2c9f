/**
 * Database commands: `migrate`, `reset` (drop, recreate, migrate, load the development seed: src/db/developmentSeed.ts), `watch` (re-run
 * migrations/current.sql on every save) and `commit [message]` (freeze current.sql into migrations/committed/, then
 * refresh every file derived from the schema: schema.sql, schema.graphql, docs/erd.md).
 * With DATABASE_URL unset they work on the embedded cluster under DATA_DIR, starting it for the command.
 */
import { spawnSync } from "node:child_process";
import { commit, watch } from "graphile-migrate";
import { parseConfig } from "../config.ts";
import { withClient } from "../db/client.ts";
import { loadDevelopmentSeed } from "../db/developmentSeed.ts";
import { openDatabaseEnvironment, prepareDatabase } from "../db/environment.ts";
import { migrationSettings, releaseMigrationPools } from "../db/migrate.ts";
import { withDatabase } from "../db/roles.ts";
import { createLogger } from "../logger.ts";
import { runCli } from "./fatal.ts";

const COMMANDS = ["migrate", "reset", "watch", "commit"] as const;
type Command = (typeof COMMANDS)[number];

/**
 * What `commit` refreshes once the migration is frozen, as the Graphile Starter's afterAllMigrations hook does: the npm
 * scripts that write each file (each builds its own throw-away database, so none depends on the cluster above).
 */
const DERIVED_FILES = [
  { file: "schema.sql", script: "schema:dump" },
  { file: "schema.graphql", script: "schema:graphql" },
  { file: "docs/erd.md", script: "docs:erd" },
];

/** Runs every refresh even when one fails (schema:dump needs PostgreSQL 15), then fails naming those that did. */
function refreshDerivedFiles(): void {
  const failed = DERIVED_FILES.filter(
    ({ script }) => spawnSync("npm", ["run", "--silent", script], { stdio: "inherit" }).status !== 0,
  );
  if (failed.length > 0) {
    throw new Error(
      `the migration is committed, but ${failed.map((f) => f.file).join(", ")} could not be refreshed: fix what is said above, ` +
        `then run ${failed.map((f) => `\`npm run ${f.script}\``).join(" and ")}`,
    );
  }
}

runCli("db", async () => {
  const command = process.argv[2] as Command;
  if (!COMMANDS.includes(command)) throw new Error(`usage: db <${COMMANDS.join("|")}>`);
  const config = parseConfig();
  const log = createLogger(config.logLevel);
  const env = await openDatabaseEnvironment(config, log);
  let committed = false;
  try {
    const { root, owner, database } = env.urls;
    if (command === "migrate") {
      await prepareDatabase(env, config, log, { includeCurrent: config.mode !== "production" });
      return;
    }
    if (!root || !owner) throw new Error(`${command} needs ROOT_DATABASE_URL and DATABASE_OWNER_URL`);
    if (config.mode === "production" && command !== "commit") {
      throw new Error(`${command} is for development databases; GATEHOUSE_ENV is production`);
    }
    if (command === "reset") {
      await withClient(root, async (client) => {
        await client.query(`drop database if exists ${client.escapeIdentifier(database)} with (force)`);
      });
      await prepareDatabase(env, config, log, { includeCurrent: true });
      const seeded = await loadDevelopmentSeed(owner);
      log.info({ database, ...seeded }, "database reset and seeded");
      return;
    }
    await prepareDatabase(env, config, log, { includeCurrent: false });
    const settings = {
      ...(await migrationSettings({ ownerUrl: owner, rootUrl: root, mode: config.mode, log })),
      shadowConnectionString: withDatabase(owner, `${database}_shadow`),
    };
    if (command === "commit") {
      await commit(settings, process.argv[3] ?? null);
      committed = true;
    } else {
      log.info("watching migrations/current.sql and sql/ (Ctrl-C to stop)");
      await watch(settings);
      await new Promise<void>((resolve) => {
        process.once("SIGINT", resolve);
        process.once("SIGTERM", resolve);
      });
    }
  } finally {
    /* graphile-migrate lets go of a pool 200 ms after its last use: wait that out, then close them all. */
    await new Promise((resolve) => setTimeout(resolve, 250));
    releaseMigrationPools();
    await env.stop();
  }
  if (committed) refreshDerivedFiles();
});
