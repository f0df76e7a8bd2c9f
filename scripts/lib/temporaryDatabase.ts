/**
 * A throw-away cluster with one migrated Gatehouse database, for the generators and checks that need a real one:
 * schema.sql and plpgsql_check (PostgreSQL 15's own tools), schema.graphql (embedded PostgreSQL).
 */
import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { findFreePort, startCluster, type RunningCluster } from "../../src/db/cluster.ts";
import { provisionDatabase } from "../../src/db/provision.ts";
import { newPassword, newRolePasswords, withDatabase, type DatabaseUrls } from "../../src/db/roles.ts";
import { createLogger } from "../../src/logger.ts";

const INSTALL_POSTGRES15 =
  "install PostgreSQL 15 (Debian: `apt-get install postgresql-15`), or set POSTGRES15_BIN_DIR to the bin folder of a " +
  "PostgreSQL 15 installation (the one holding pg_dump, initdb and postgres)";

/**
 * PostgreSQL 15's binaries (POSTGRES15_BIN_DIR, or what Debian's pg_config reports, or Debian's usual place), checked:
 * pg_dump, initdb and postgres must be there and be version 15. Throws a message that says how to install them.
 */
export function postgres15BinDir(): string {
  const dir = process.env.POSTGRES15_BIN_DIR || debianPostgres15BinDir();
  const pgDump = path.join(dir, "pg_dump");
  let version: string;
  try {
    version = execFileSync(pgDump, ["--version"], { encoding: "utf8" }).trim();
  } catch {
    throw new Error(`PostgreSQL 15's pg_dump is not at ${pgDump}: ${INSTALL_POSTGRES15}`);
  }
  if (!/ 15\.\d+/.test(version))
    throw new Error(`${pgDump} is not PostgreSQL 15's (${version}): ${INSTALL_POSTGRES15}`);
  for (const program of ["initdb", "postgres"]) {
    if (!existsSync(path.join(dir, program)))
      throw new Error(`PostgreSQL 15's ${program} is not in ${dir}: ${INSTALL_POSTGRES15}`);
  }
  return dir;
}

function debianPostgres15BinDir(): string {
  try {
    const dir = execFileSync("pg_config", ["--bindir"], {
      encoding: "utf8",
      stdio: ["ignore", "pipe", "ignore"],
    }).trim();
    if (dir.includes("/15/")) return dir;
  } catch {
    /* fall through */
  }
  return "/usr/lib/postgresql/15/bin";
}

/** `binDir` undefined: the embedded PostgreSQL. */
export async function withMigratedDatabase<T>(
  binDir: string | undefined,
  options: { includeCurrent: boolean },
  fn: (urls: DatabaseUrls & { root: string; rootOnDatabase: string }, cluster: RunningCluster) => Promise<T>,
): Promise<T> {
  const tmpDir = await fs.mkdtemp(path.join(os.tmpdir(), "gatehouse-pg15-"));
  await fs.chmod(tmpDir, 0o755);
  const cluster = await startCluster({
    dir: path.join(tmpDir, "pg"),
    port: await findFreePort(),
    superuserPassword: newPassword(),
    binDir,
  });
  try {
    const urls = await provisionDatabase({
      rootUrl: cluster.rootUrl,
      database: "gatehouse",
      passwords: newRolePasswords(),
      /* Work in progress (current.sql) only ever runs on test databases. */
      mode: options.includeCurrent ? "test" : "production",
      includeCurrent: options.includeCurrent,
      log: createLogger("warn"),
    });
    return await fn({ ...urls, rootOnDatabase: withDatabase(cluster.rootUrl, "gatehouse") }, cluster);
  } finally {
    await cluster.stop();
    await fs.rm(tmpDir, { recursive: true, force: true });
  }
}
