/**
 * A throw-away cluster with one migrated Gatehouse database, for the generators and checks that need a real one:
 * schema.sql and plpgsql_check (PostgreSQL 15's own tools), schema.graphql (embedded PostgreSQL).
 */
import { execFileSync } from "node:child_process";
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { findFreePort, startCluster, type RunningCluster } from "../../src/db/cluster.ts";
import { provisionDatabase } from "../../src/db/provision.ts";
import { newPassword, newRolePasswords, withDatabase, type DatabaseUrls } from "../../src/db/roles.ts";
import { createLogger } from "../../src/logger.ts";

/** PostgreSQL 15's binaries: POSTGRES15_BIN_DIR, or what Debian's pg_config reports. */
export function postgres15BinDir(): string {
  const fromEnv = process.env.POSTGRES15_BIN_DIR;
  if (fromEnv) return fromEnv;
  try {
    const dir = execFileSync("pg_config", ["--bindir"], { encoding: "utf8" }).trim();
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
  const cluster = await startCluster({ dir: path.join(tmpDir, "pg"), port: await findFreePort(), superuserPassword: newPassword(), binDir });
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
