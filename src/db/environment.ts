/**
 * Where the database is: the embedded cluster under DATA_DIR (the default), or the server named by DATABASE_URL and
 * friends. Either way the result is the same set of connection strings, and `prepareDatabase` brings that database
 * to the current schema.
 */
import { existsSync } from "node:fs";
import fs from "node:fs/promises";
import path from "node:path";
import type { Config } from "../config.ts";
import type { Logger } from "../logger.ts";
import { bootstrapDatabase } from "./bootstrap.ts";
import { startCluster, type RunningCluster } from "./cluster.ts";
import { migrateDatabase } from "./migrate.ts";
import {
  databaseName,
  newPassword,
  newRolePasswords,
  urlsOnServer,
  type DatabaseUrls,
  type RolePasswords,
} from "./roles.ts";

export interface DatabaseEnvironment {
  urls: DatabaseUrls;
  /** The embedded cluster, when this process started one. */
  cluster: RunningCluster | null;
  stop(): Promise<void>;
}

interface EmbeddedCredentials {
  superuser: string;
  roles: RolePasswords;
}

/** Passwords of the embedded cluster, made once and kept beside it (DATA_DIR is git-ignored, mode 0600). */
async function embeddedCredentials(dataDir: string): Promise<EmbeddedCredentials> {
  const file = path.join(dataDir, "credentials.json");
  if (existsSync(file)) return JSON.parse(await fs.readFile(file, "utf8")) as EmbeddedCredentials;
  const credentials: EmbeddedCredentials = { superuser: newPassword(), roles: newRolePasswords() };
  await fs.mkdir(dataDir, { recursive: true });
  await fs.writeFile(file, JSON.stringify(credentials, null, 2), { mode: 0o600 });
  return credentials;
}

export async function openDatabaseEnvironment(config: Config, log: Logger): Promise<DatabaseEnvironment> {
  if (config.external) {
    const { authenticatorUrl, ownerUrl, workerUrl, rootUrl } = config.external;
    return {
      urls: {
        database: databaseName(authenticatorUrl),
        root: rootUrl,
        owner: ownerUrl,
        authenticator: authenticatorUrl,
        worker: workerUrl,
      },
      cluster: null,
      stop: async () => undefined,
    };
  }
  const credentials = await embeddedCredentials(config.dataDir);
  const cluster = await startCluster({
    dir: path.join(config.dataDir, "pg"),
    port: config.embedded.port,
    superuserPassword: credentials.superuser,
  });
  log.info({ port: cluster.port, dataDir: config.dataDir }, "embedded PostgreSQL started");
  return {
    urls: urlsOnServer(cluster.rootUrl, config.embedded.database, credentials.roles),
    cluster,
    stop: () => cluster.stop(),
  };
}

/** Roles and database (when a superuser URL is known), then worker schema and migrations. */
export async function prepareDatabase(
  env: DatabaseEnvironment,
  config: Config,
  log: Logger,
  options: { includeCurrent: boolean },
): Promise<void> {
  const { root, owner } = env.urls;
  if (root && owner) {
    await bootstrapDatabase({ ...env.urls, root, owner });
  }
  if (!owner) return;
  await migrateDatabase({
    ownerUrl: owner,
    workerUrl: env.urls.worker,
    rootUrl: root,
    mode: config.mode,
    includeCurrent: options.includeCurrent && config.mode !== "production",
    log,
  });
  log.info({ database: env.urls.database }, "database migrated");
}
