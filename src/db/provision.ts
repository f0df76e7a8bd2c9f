/**
 * A new Gatehouse database on a server we are superuser of: roles, the database, then every migration. Used by the
 * test harness's template, the throw-away databases of the generators and checks, and tests that need a database in
 * another mode.
 */
import type { Mode } from "../config.ts";
import type { Logger } from "../logger.ts";
import { bootstrapDatabase } from "./bootstrap.ts";
import { migrateDatabase } from "./migrate.ts";
import { urlsOnServer, type DatabaseUrls, type RolePasswords } from "./roles.ts";

export interface ProvisionOptions {
  rootUrl: string;
  database: string;
  passwords: RolePasswords;
  mode: Mode;
  includeCurrent: boolean;
  log: Logger;
}

export async function provisionDatabase(
  options: ProvisionOptions,
): Promise<DatabaseUrls & { root: string; owner: string }> {
  const urls = urlsOnServer(options.rootUrl, options.database, options.passwords);
  const full = { ...urls, root: options.rootUrl, owner: urls.owner as string };
  await bootstrapDatabase(full);
  await migrateDatabase({
    ownerUrl: full.owner,
    workerUrl: full.worker,
    rootUrl: options.rootUrl,
    mode: options.mode,
    includeCurrent: options.includeCurrent,
    log: options.log,
  });
  return full;
}
