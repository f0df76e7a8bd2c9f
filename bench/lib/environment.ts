/**
 * The throw-away world a benchmark run measures: an embedded PostgreSQL migrated in test mode (committed migrations
 * plus migrations/current/), the real gateway over HTTP on a free loopback port, and a superuser connection for
 * the scenarios' own setup. Everything is removed when the run ends.
 */
import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { generateSigningJwk, keySetFromJwks } from "../../src/auth/signingKeys.ts";
import { createTokenService } from "../../src/auth/tokens.ts";
import { PROJECT_ROOT } from "../../src/config.ts";
import { newPassword, type DatabaseUrls } from "../../src/db/roles.ts";
import { bootstrapKeystore } from "../../src/privacy/keystoreEnvironment.ts";
import { newMasterKeyFile } from "../../src/privacy/masterKey.ts";
import { openPrivacyKeys, type PrivacyKeys } from "../../src/privacy/privacyKeys.ts";
import { ensureSystemKey } from "../../src/privacy/provision.ts";
import { createLogger } from "../../src/logger.ts";
import { withMigratedDatabase } from "../../scripts/lib/temporaryDatabase.ts";
import { graphqlClient, type GraphQLClient } from "./http.ts";

/** Rate limits raised to their maximum for a run (those the schema does not have are skipped). */
const RAISED_LIMITS = ["rate_limit.login_failures_per_client_ip.max", "rate_limit.login_per_identifier.max"];

export const BENCH_JWT = { issuer: "gatehouse-bench", audience: "gatehouse-bench-clients" };

/** What a result was measured on: stored in every JSON result and summarised in every table. */
export interface EnvironmentRecord {
  node: string;
  postgres: { version: string; versionNum: number; server: string };
  cpus: number;
  cpuModel: string;
  memoryGiB: number;
  os: string;
  bcryptCost: number;
  bcryptCostDefault: number;
  /** Settings the harness changed for the run, with their new values (besides auth.bcrypt_cost). */
  settingOverrides: Record<string, unknown>;
  database: string;
  gateway: { mode: string; graphileEnv: string; logLevel: string };
  git: { commit: string; dirty: boolean } | null;
}

export interface BenchEnvironment {
  /** Base URL of the gateway, e.g. http://127.0.0.1:41234 */
  gatewayUrl: string;
  graphql: GraphQLClient;
  /** Superuser connection on the benchmark database, for the scenarios' setup (not for timed work). */
  root: pg.Client;
  urls: DatabaseUrls & { root: string; rootOnDatabase: string };
  /** The run's key store (a database beside the benchmark's), master key and blind-index key. */
  privacy: PrivacyKeys;
  record: EnvironmentRecord;
}

function gitState(): EnvironmentRecord["git"] {
  try {
    const commit = execFileSync("git", ["rev-parse", "HEAD"], {
      cwd: PROJECT_ROOT,
      encoding: "utf8",
      stdio: ["ignore", "pipe", "ignore"],
    }).trim();
    const status = execFileSync("git", ["status", "--porcelain", "--untracked-files=no"], {
      cwd: PROJECT_ROOT,
      encoding: "utf8",
      stdio: ["ignore", "pipe", "ignore"],
    });
    return { commit, dirty: status.trim() !== "" };
  } catch {
    return null;
  }
}

export async function withBenchEnvironment<T>(
  options: { bcryptCost?: number },
  fn: (env: BenchEnvironment) => Promise<T>,
): Promise<T> {
  /*
   * Grafast reads GRAPHILE_ENV once, when it is first loaded: production mode (no planning checks) unless the caller
   * chose otherwise, so the gateway is measured as it runs in production. Hence the gateway is imported only now.
   */
  process.env.GRAPHILE_ENV ??= "production";
  const { startGateway } = await import("../../src/server.ts");

  return withMigratedDatabase(undefined, { includeCurrent: true }, async (urls) => {
    const root = new pg.Client({ connectionString: urls.rootOnDatabase });
    await root.connect();
    try {
      if (options.bcryptCost !== undefined) {
        await root.query(
          "update config.system_settings set value = to_jsonb($1::integer) where key = 'auth.bcrypt_cost'",
          [options.bcryptCost],
        );
      }
      /*
       * A run makes hundreds of login attempts from 127.0.0.1 within minutes: per-address and per-identifier login limits
       * (where the schema has them) go to their highest allowed value, so the limit is still checked on every attempt
       * but never refuses one. Recorded in the result.
       */
      const overrides = await root.query<{ key: string; value: unknown }>(
        `update config.system_settings set value = to_jsonb(max_value::integer)
         where key = any($1::text[]) and max_value is not null
         returning key, value`,
        [RAISED_LIMITS],
      );
      const { rows } = await root.query<{
        cost: number;
        default_cost: number;
        version: string;
        version_num: string;
        server: string;
      }>(
        `select config.setting_integer('auth.bcrypt_cost') as cost,
                (select (default_value #>> '{}')::integer from config.system_settings where key = 'auth.bcrypt_cost') as default_cost,
                current_setting('server_version') as version,
                current_setting('server_version_num') as version_num,
                version() as server`,
      );
      const facts = rows[0];
      if (!facts) throw new Error("could not read the database's settings");

      const logLevel = "silent";
      const tokens = createTokenService(await keySetFromJwks(await generateSigningJwk()), BENCH_JWT);
      const privacy = await throwAwayPrivacyKeys(urls.root, urls.database, urls.worker);
      const gateway = await startGateway({
        authenticatorUrl: urls.authenticator,
        privacy,
        tokens,
        /* The database was migrated in test mode; the gateway matches it, as in the API tests. */
        mode: "test",
        host: "127.0.0.1",
        port: 0,
        trustProxy: false,
        corsOrigins: [],
        maxRequestBytes: 102_400,
        log: createLogger(logLevel),
      });
      try {
        const record: EnvironmentRecord = {
          node: process.version,
          postgres: { version: facts.version, versionNum: Number(facts.version_num), server: facts.server },
          cpus: os.availableParallelism(),
          cpuModel: os.cpus()[0]?.model ?? "unknown",
          memoryGiB: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
          os: `${os.type()} ${os.release()} ${os.arch()}`,
          bcryptCost: facts.cost,
          bcryptCostDefault: facts.default_cost,
          settingOverrides: Object.fromEntries(overrides.rows.map((r) => [r.key, r.value])),
          database:
            "throw-away embedded PostgreSQL on loopback, migrated in test mode (committed migrations + migrations/current/)",
          gateway: { mode: "test", graphileEnv: process.env.GRAPHILE_ENV ?? "production", logLevel },
          git: gitState(),
        };
        return await fn({ gatewayUrl: gateway.url, graphql: graphqlClient(gateway.url), root, urls, privacy, record });
      } finally {
        await gateway.close();
        await privacy.close();
      }
    } finally {
      await root.end();
    }
  });
}

/** Key files in a temporary folder and a key store database beside the benchmark's, with a system key made. */
export async function throwAwayPrivacyKeys(rootUrl: string, database: string, workerUrl: string): Promise<PrivacyKeys> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), "gatehouse-bench-keys-"));
  const masterKeyFile = path.join(dir, "master-key.json");
  const blindIndexKeyFile = path.join(dir, "blind-index.key");
  await fs.writeFile(masterKeyFile, JSON.stringify(newMasterKeyFile()), { mode: 0o600 });
  await fs.writeFile(blindIndexKeyFile, `${randomBytes(32).toString("base64")}\n`, { mode: 0o600 });
  const keystoreUrl = await bootstrapKeystore(rootUrl, `${database}_keys`, newPassword());
  const privacy = await openPrivacyKeys({ keystoreUrl, masterKeyFile, blindIndexKeyFile, generateIfMissing: false });
  await ensureSystemKey(workerUrl, privacy.keystore, privacy.ring);
  return {
    ...privacy,
    close: async () => {
      await privacy.close();
      await fs.rm(dir, { recursive: true, force: true });
    },
  };
}
