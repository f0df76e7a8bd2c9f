/**
 * Brings a database to the current schema: graphile-worker's own schema first (as the worker role, which owns it),
 * then Gatehouse's migrations (as the owner) through graphile-migrate, configured by `.gmrc` plus the connection
 * strings and the database's mode from the validated configuration.
 */
import fs from "node:fs/promises";
import path from "node:path";
import { Logger as MigrateLogger, migrate, watch, type Settings } from "graphile-migrate";
import { getSettings } from "graphile-migrate/dist/commands/_common.js";
import { clearAllPools } from "graphile-migrate/dist/pgReal.js";
import { runMigrations as runWorkerMigrations } from "graphile-worker";
import { PROJECT_ROOT, type Mode } from "../config.ts";
import type { Logger } from "../logger.ts";
import { loadCommonPasswords } from "./commonPasswords.ts";

export const MIGRATIONS_FOLDER = path.join(PROJECT_ROOT, "migrations");

export interface MigrateOptions {
  ownerUrl: string;
  workerUrl: string;
  /** Superuser URL, needed only for graphile-migrate's shadow database (commit). */
  rootUrl?: string | undefined;
  /** The mode a new database is created in; ignored by databases that already have one. */
  mode: Mode;
  /** Also run migrations/current.sql (work in progress). Never in production. */
  includeCurrent: boolean;
  log: Logger;
}

export async function migrationSettings(
  options: Omit<MigrateOptions, "workerUrl" | "includeCurrent">,
): Promise<Settings> {
  const base = await getSettings({ configFile: path.join(PROJECT_ROOT, ".gmrc") });
  const log = options.log.child({ component: "migrate" });
  return {
    ...base,
    connectionString: options.ownerUrl,
    ...(options.rootUrl ? { rootConnectionString: options.rootUrl } : {}),
    migrationsFolder: MIGRATIONS_FOLDER,
    placeholders: { ...base.placeholders, ":GATEHOUSE_ENV": options.mode },
    logger: new MigrateLogger(() => (level, message) => {
      if (level === "error") log.error(message);
      else if (level === "warning") log.warn(message);
      else log.debug(message);
    }),
  };
}

/** Installs or upgrades graphile-worker's schema, as app_worker, which owns it (app_owner is a member: bootstrap.ts). */
export async function migrateWorkerSchema(workerUrl: string): Promise<void> {
  await runWorkerMigrations({ connectionString: workerUrl });
}

export async function migrateDatabase(options: MigrateOptions): Promise<void> {
  if (options.includeCurrent && options.mode === "production") {
    throw new Error("migrations/current.sql is work in progress and never runs on a production database.");
  }
  await migrateWorkerSchema(options.workerUrl);
  const settings = await migrationSettings(options);
  try {
    await migrate(settings);
    if (options.includeCurrent) {
      await watch(settings, true);
    }
    await loadCommonPasswords(options.ownerUrl);
  } finally {
    releaseMigrationPools();
  }
}

/**
 * graphile-migrate keeps its pools alive briefly after use and exits the process if one of them then loses its
 * connection (a database dropped, a server stopped): close them as soon as migrating is done.
 */
export function releaseMigrationPools(): void {
  clearAllPools();
}

/**
 * The newest committed migration as graphile-migrate records it once applied (`000001.sql` for
 * `000001-foundation.sql`): what a database must have to be current.
 */
export async function latestCommittedMigration(): Promise<string | null> {
  const files = (await fs.readdir(path.join(MIGRATIONS_FOLDER, "committed")))
    .filter((f) => /^\d+.*\.sql$/.test(f))
    .sort();
  return files.at(-1)?.replace(/^(\d+).*$/, "$1.sql") ?? null;
}
