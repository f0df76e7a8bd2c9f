/**
 * Starts one PostgreSQL for the whole run and migrates a template database once; every test file then clones its own
 * database from the template (test/helpers/database.ts).
 *
 *   TEST_DATABASE_URL      use this server (a superuser URL) instead of starting one
 *   TEST_POSTGRES_BIN_DIR  start a throw-away cluster from these binaries (CI: Debian's PostgreSQL 15) instead of the
 *                          embedded PostgreSQL 18
 */
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import type { TestProject } from "vitest/node";
import { withClient } from "../../src/db/client.ts";
import { findFreePort, startCluster, type RunningCluster } from "../../src/db/cluster.ts";
import { provisionDatabase } from "../../src/db/provision.ts";
import { newPassword, newRolePasswords, type RolePasswords } from "../../src/db/roles.ts";
import { createLogger } from "../../src/logger.ts";

declare module "vitest" {
  export interface ProvidedContext {
    database: { rootUrl: string; template: string; passwords: RolePasswords; serverVersion: number };
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  let cluster: RunningCluster | null = null;
  let tmpDir: string | null = null;
  let rootUrl = process.env.TEST_DATABASE_URL;
  if (!rootUrl) {
    tmpDir = await fs.mkdtemp(path.join(os.tmpdir(), "gatehouse-test-"));
    await fs.chmod(tmpDir, 0o755);
    cluster = await startCluster({
      dir: path.join(tmpDir, "pg"),
      port: await findFreePort(),
      superuserPassword: newPassword(),
      binDir: process.env.TEST_POSTGRES_BIN_DIR || undefined,
    });
    rootUrl = cluster.rootUrl;
  }

  const template = `gatehouse_template_${process.pid}`;
  const passwords = newRolePasswords();
  const serverVersion = await withClient(rootUrl, async (client) => {
    await client.query(`drop database if exists ${template} with (force)`);
    const { rows } = await client.query<{ v: string }>("select current_setting('server_version_num') as v");
    return Number(rows[0]?.v);
  });
  const urls = await provisionDatabase({
    rootUrl,
    database: template,
    passwords,
    mode: "test",
    includeCurrent: true,
    log: createLogger("warn"),
  });
  /*
   * bcrypt at cost 4 keeps the suite fast (production's 12 is the setting's default, tested in test/db/config), and
   * every test registers and logs in from 127.0.0.1: rate limits are lifted here, and the tests of limits set their own.
   */
  await withClient(urls.owner, (client) =>
    client.query(`
      update config.system_settings set value = '4' where key = 'auth.bcrypt_cost';
      update config.system_settings set value = '100000' where key like 'rate_limit.%.max';`),
  );
  project.provide("database", { rootUrl, template, passwords, serverVersion });
  process.stdout.write(`Tests run on PostgreSQL ${Math.floor(serverVersion / 10_000)} (${serverVersion})\n`);

  return async () => {
    await withClient(rootUrl, async (client) => {
      const { rows } = await client.query<{ datname: string }>(
        "select datname from pg_database where datname like $1 or datname = $2",
        [`${template}\\_%`, template],
      );
      for (const { datname } of rows) await client.query(`drop database if exists "${datname}" with (force)`);
    });
    await cluster?.stop();
    if (tmpDir) await fs.rm(tmpDir, { recursive: true, force: true });
  };
}
