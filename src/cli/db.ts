/**
 * Database commands: `migrate`, `reset` (drop, recreate, migrate, load the development seed: src/db/developmentSeed.ts), `watch` (re-run
 * migrations/current.sql on every save) and `commit [message]` (freeze current.sql into migrations/committed/).
 * With DATABASE_URL unset they work on the embedded cluster under DATA_DIR, starting it for the command.
 */
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

runCli("db", async () => {
  const command = process.argv[2] as Command;
  if (!COMMANDS.includes(command)) throw new Error(`usage: db <${COMMANDS.join("|")}>`);
  const config = parseConfig();
  const log = createLogger(config.logLevel);
  const env = await openDatabaseEnvironment(config, log);
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
      return;
    }
    log.info("watching migrations/current.sql and sql/ (Ctrl-C to stop)");
    await watch(settings);
    await new Promise<void>((resolve) => {
      process.once("SIGINT", resolve);
      process.once("SIGTERM", resolve);
    });
  } finally {
    /* graphile-migrate lets go of a pool 200 ms after its last use: wait that out, then close them all. */
    await new Promise((resolve) => setTimeout(resolve, 250));
    releaseMigrationPools();
    await env.stop();
  }
});
