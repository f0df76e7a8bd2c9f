/**
 * Where the key store is: KEYSTORE_DATABASE_URL, or (the embedded default) a second PostgreSQL cluster of its own
 * under DATA_DIR/keystore, so that the main cluster's base backups never contain it. The embedded key store has one
 * login role, `gatehouse_keys`, owning one database, `keystore`.
 */
import { existsSync } from "node:fs";
import fs from "node:fs/promises";
import path from "node:path";
import { ConfigError, type Config } from "../config.ts";
import { withClient } from "../db/client.ts";
import { startCluster } from "../db/cluster.ts";
import { newPassword, roleUrl, withDatabase } from "../db/roles.ts";
import type { Logger } from "../logger.ts";

export const KEYSTORE_ROLE = "gatehouse_keys";
export const KEYSTORE_DATABASE = "keystore";

export interface KeystoreEnvironment {
  url: string;
  stop(): Promise<void>;
}

/** Creates the key store's role and database on a server where `rootUrl` is a superuser (idempotent). */
export async function bootstrapKeystore(rootUrl: string, database: string, password: string): Promise<string> {
  await withClient(rootUrl, async (client) => {
    const { rowCount: hasRole } = await client.query("select 1 from pg_roles where rolname = $1", [KEYSTORE_ROLE]);
    if (!hasRole) await client.query(`create role ${KEYSTORE_ROLE} login`);
    await client.query(`alter role ${KEYSTORE_ROLE} password '${password.replace(/'/g, "''")}'`);
    const { rowCount: hasDatabase } = await client.query("select 1 from pg_database where datname = $1", [database]);
    if (!hasDatabase) await client.query(`create database "${database}" owner ${KEYSTORE_ROLE}`);
  });
  await withClient(withDatabase(rootUrl, database), (client) =>
    client.query(`revoke all on database "${database}" from public`),
  );
  return roleUrl(rootUrl, KEYSTORE_ROLE, password, database);
}

export async function openKeystoreEnvironment(config: Config, log: Logger): Promise<KeystoreEnvironment> {
  if (config.keys.keystoreUrl) return { url: config.keys.keystoreUrl, stop: async () => undefined };
  /* An external main database with an embedded key store would put keys on the gateway's disk by surprise. */
  if (config.external)
    throw new ConfigError("Invalid configuration: KEYSTORE_DATABASE_URL is required when DATABASE_URL is set");
  const dir = path.join(config.dataDir, "keystore");
  const credentialsFile = path.join(dir, "credentials.json");
  /* Traversable: as root, the cluster beneath runs as the postgres user. The credentials file itself is 0600. */
  await fs.mkdir(dir, { recursive: true, mode: 0o755 });
  if (!existsSync(credentialsFile)) {
    await fs.writeFile(credentialsFile, JSON.stringify({ superuser: newPassword(), keys: newPassword() }, null, 2), {
      mode: 0o600,
    });
  }
  const credentials = JSON.parse(await fs.readFile(credentialsFile, "utf8")) as { superuser: string; keys: string };
  const cluster = await startCluster({
    dir: path.join(dir, "pg"),
    port: config.embedded.keystorePort,
    superuserPassword: credentials.superuser,
    logFile: path.join(dir, "postgres.log"),
  });
  log.info({ port: cluster.port }, "embedded key store started");
  const url = await bootstrapKeystore(cluster.rootUrl, KEYSTORE_DATABASE, credentials.keys);
  return { url, stop: () => cluster.stop() };
}
