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
import { newPassword, newRolePasswords, withDatabase, type RolePasswords } from "../../src/db/roles.ts";
import { createLogger } from "../../src/logger.ts";
import { uncalledFunctions } from "./functionCalls.ts";
import { randomBytes } from "node:crypto";
import pg from "pg";
import { bootstrapKeystore } from "../../src/privacy/keystoreEnvironment.ts";
import { newMasterKeyFile } from "../../src/privacy/masterKey.ts";
import { openPrivacyKeys } from "../../src/privacy/privacyKeys.ts";
import { provisionKeys } from "../../src/privacy/provision.ts";

/** Spare keys in the template: enough for the accounts a test file gives a phone number; later ones wait for the worker. */
const TEMPLATE_SPARE_KEYS = 12;

declare module "vitest" {
  export interface ProvidedContext {
    /** Where each test database leaves the names of the functions it called (test/helpers/functionCalls.ts). */
    functionCallsDir: string;
    database: {
      rootUrl: string;
      template: string;
      passwords: RolePasswords;
      serverVersion: number;
      keys: { masterKeyFile: string; blindIndexKeyFile: string; keystorePassword: string };
    };
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
      update config.system_settings set value = '100000' where key like 'rate_limit.%.max';
      update config.system_settings set value = '${TEMPLATE_SPARE_KEYS}' where key = 'keys.spare_pool_size';`),
  );
  const keys = await prepareTemplateKeys(rootUrl, template, urls.worker);
  project.provide("database", { rootUrl, template, passwords, serverVersion, keys });
  const functionCallsDir = await fs.mkdtemp(path.join(os.tmpdir(), "gatehouse-function-calls-"));
  project.provide("functionCallsDir", functionCallsDir);
  process.stdout.write(`Tests run on PostgreSQL ${Math.floor(serverVersion / 10_000)} (${serverVersion})\n`);

  return async () => {
    const problems = await checkFunctionCalls(project, rootUrl, template, functionCallsDir);
    await withClient(rootUrl, async (client) => {
      const { rows } = await client.query<{ datname: string }>(
        "select datname from pg_database where datname like $1 or datname = $2",
        [`${template}\\_%`, template],
      );
      for (const { datname } of rows) await client.query(`drop database if exists "${datname}" with (force)`);
    });
    await cluster?.stop();
    if (tmpDir) await fs.rm(tmpDir, { recursive: true, force: true });
    await fs.rm(path.dirname(keys.masterKeyFile), { recursive: true, force: true });
    await fs.rm(functionCallsDir, { recursive: true, force: true });
    if (problems) throw new Error(problems);
  };
}

/**
 * After a run of every test file, the SQL functions no test called (test/helpers/functionCalls.ts). A run of some files
 * only, or a run with failures, says nothing about that: it is not checked.
 */
async function checkFunctionCalls(
  project: TestProject,
  rootUrl: string,
  template: string,
  dir: string,
): Promise<string | null> {
  const { testFiles } = await project.globTestFiles();
  const modules = project.vitest.state.getTestModules();
  if (modules.length < testFiles.length || modules.some((m) => m.state() !== "passed")) return null;
  const { uncalled, stale } = await withClient(withDatabase(rootUrl, template), (client) =>
    uncalledFunctions(client, dir),
  );
  const problems = [
    ...(uncalled.length
      ? [
          `SQL functions no test calls (test one, or list it with its reason in UNCALLED_FUNCTIONS): ${uncalled.join(", ")}`,
        ]
      : []),
    ...(stale.length ? [`listed as uncalled in UNCALLED_FUNCTIONS but called: ${stale.join(", ")}`] : []),
  ];
  return problems.length ? problems.join("\n") : null;
}

/**
 * The run's master key and blind-index key (files, as in production), and the template's key store with a system key
 * and a pool of spare keys, recorded in the template database as the worker would.
 */
async function prepareTemplateKeys(rootUrl: string, template: string, workerUrl: string) {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), "gatehouse-test-keys-"));
  const masterKeyFile = path.join(dir, "master-key.json");
  const blindIndexKeyFile = path.join(dir, "blind-index.key");
  await fs.writeFile(masterKeyFile, JSON.stringify(newMasterKeyFile()), { mode: 0o600 });
  await fs.writeFile(blindIndexKeyFile, `${randomBytes(32).toString("base64")}\n`, { mode: 0o600 });
  const keystorePassword = newPassword();
  const keystoreUrl = await bootstrapKeystore(rootUrl, `${template}_keys`, keystorePassword);
  const privacy = await openPrivacyKeys({ keystoreUrl, masterKeyFile, blindIndexKeyFile, generateIfMissing: false });
  const worker = new pg.Client({ connectionString: workerUrl });
  await worker.connect();
  try {
    await provisionKeys(worker, privacy.keystore, privacy.ring, { maxKeys: TEMPLATE_SPARE_KEYS });
    /* The pool is full: the job the provisioning queued (if any) is not the tests' business. */
    await worker.query("select graphile_worker.remove_job('keys__replenish')");
  } finally {
    await worker.end();
    await privacy.close();
  }
  return { masterKeyFile, blindIndexKeyFile, keystorePassword };
}
