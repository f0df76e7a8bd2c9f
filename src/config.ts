/**
 * The one place that reads the environment. Every variable is parsed and checked once, here; everything else
 * imports the typed result. A bad value stops the process with a one-line message naming the variable.
 */
import path from "node:path";
import { z } from "zod";

export const PROJECT_ROOT = path.resolve(import.meta.dirname, "..");

const LOG_LEVELS = ["fatal", "error", "warn", "info", "debug", "trace", "silent"] as const;
const MODES = ["development", "test", "production"] as const;

const postgresUrl = z.string().refine((value) => {
  try {
    const url = new URL(value);
    return (url.protocol === "postgres:" || url.protocol === "postgresql:") && url.pathname.length > 1;
  } catch {
    return false;
  }
}, "must be a postgres:// URL that names a database");

const port = z.coerce
  .number({ error: "must be a port number from 0 to 65535" })
  .int("must be a port number from 0 to 65535")
  .min(0, "must be a port number from 0 to 65535")
  .max(65535, "must be a port number from 0 to 65535");

/** Express's `trust proxy` setting: false, true, a hop count, or a comma-separated list of addresses/subnets. */
const trustProxy = z.string().transform((value): boolean | number | string[] => {
  const trimmed = value.trim();
  if (trimmed === "" || trimmed === "false") return false;
  if (trimmed === "true") return true;
  if (/^\d+$/.test(trimmed)) return Number(trimmed);
  return trimmed
    .split(",")
    .map((part) => part.trim())
    .filter(Boolean);
});

const schema = z
  .object({
    GATEHOUSE_ENV: z.enum(MODES).default("development"),
    HOST: z.string().min(1).default("127.0.0.1"),
    PORT: port.default(5678),
    LOG_LEVEL: z.enum(LOG_LEVELS).default("info"),
    DATA_DIR: z.string().min(1).default(".data"),
    MAIL_DIR: z.string().min(1).optional(),
    AUDIT_ARCHIVE_DIR: z.string().min(1).optional(),
    DATABASE_URL: postgresUrl.optional(),
    DATABASE_OWNER_URL: postgresUrl.optional(),
    WORKER_DATABASE_URL: postgresUrl.optional(),
    ROOT_DATABASE_URL: postgresUrl.optional(),
    EMBEDDED_DATABASE_PORT: port.default(54320),
    EMBEDDED_DATABASE_NAME: z
      .string()
      .regex(/^[a-z_][a-z0-9_]{0,62}$/)
      .default("gatehouse"),
    EMBEDDED_KEYSTORE_PORT: port.default(54321),
    KEYSTORE_DATABASE_URL: postgresUrl.optional(),
    MASTER_KEY_FILE: z.string().min(1).optional(),
    BLIND_INDEX_KEY_FILE: z.string().min(1).optional(),
    TRUST_PROXY: trustProxy.default(false),
    CORS_ORIGINS: z
      .string()
      .default("")
      .transform((value) =>
        value
          .split(",")
          .map((o) => o.trim())
          .filter(Boolean),
      )
      .refine(
        (origins) => origins.every((o) => /^https?:\/\/[^/\s]+$/.test(o)),
        "must be a comma-separated list of origins like https://app.example.com",
      ),
    MAX_REQUEST_BYTES: z.coerce.number().int().min(1024).max(10_000_000).default(102_400),
    GRAPHQL_INTROSPECTION: z.enum(["true", "false"]).optional(),
    GRAPHQL_STATEMENT_TIMEOUT_MS: z.coerce.number().int().min(100).max(3_600_000).default(10_000),
    WORKER_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(2),
    RUN_WORKER: z
      .enum(["true", "false"])
      .default("true")
      .transform((v) => v === "true"),
    MIGRATE_ON_START: z
      .enum(["true", "false"])
      .default("true")
      .transform((v) => v === "true"),
    JWT_ISSUER: z.string().min(1).max(200).default("gatehouse"),
    JWT_AUDIENCE: z.string().min(1).max(200).default("gatehouse"),
    JWT_SIGNING_KEY_FILE: z.string().min(1).optional(),
    JWT_VERIFICATION_KEYS_FILE: z.string().min(1).optional(),
    PUBLIC_BASE_URL: z.url({ protocol: /^https?$/ }).default("http://localhost:5678"),
    MAIL_FROM: z.string().min(3).max(200).default("Gatehouse <no-reply@gatehouse.invalid>"),
    SMTP_URL: z.url({ protocol: /^smtps?$/ }).optional(),
  })
  .superRefine((env, ctx) => {
    if (env.GATEHOUSE_ENV === "production" && !env.JWT_SIGNING_KEY_FILE) {
      ctx.addIssue({ code: "custom", path: ["JWT_SIGNING_KEY_FILE"], message: "is required in production" });
    }
    if (env.GATEHOUSE_ENV === "production") {
      for (const variable of ["MASTER_KEY_FILE", "BLIND_INDEX_KEY_FILE", "KEYSTORE_DATABASE_URL"] as const) {
        if (!env[variable]) ctx.addIssue({ code: "custom", path: [variable], message: "is required in production" });
      }
    }
    if (env.DATABASE_URL && !env.WORKER_DATABASE_URL) {
      ctx.addIssue({ code: "custom", path: ["WORKER_DATABASE_URL"], message: "is required when DATABASE_URL is set" });
    }
    if (env.DATABASE_URL && env.MIGRATE_ON_START && !env.DATABASE_OWNER_URL) {
      ctx.addIssue({
        code: "custom",
        path: ["DATABASE_OWNER_URL"],
        message: "is required when DATABASE_URL is set (or set MIGRATE_ON_START=false)",
      });
    }
  });

export type Mode = (typeof MODES)[number];
export type LogLevel = (typeof LOG_LEVELS)[number];

/** Thrown for a bad environment; the entry points print only its message. */
export class ConfigError extends Error {
  override name = "ConfigError";
}

export interface Config {
  mode: Mode;
  host: string;
  port: number;
  logLevel: LogLevel;
  dataDir: string;
  mailDir: string;
  /** Where retired audit partitions are exported (gzip CSV, one file per month). */
  auditArchiveDir: string;
  /** Set when an external server is used; unset means the embedded server is started. */
  external: null | {
    authenticatorUrl: string;
    ownerUrl: string | undefined;
    workerUrl: string;
    rootUrl: string | undefined;
  };
  embedded: { port: number; database: string; keystorePort: number };
  keys: {
    /** The key store's database; unset means the embedded key store cluster under DATA_DIR/keystore. */
    keystoreUrl: string | undefined;
    /** JSON { current, previous? } of base64 master keys; generated under DATA_DIR in development and test. */
    masterKeyFile: string;
    /** base64 HMAC key of the blind indexes; generated under DATA_DIR in development and test. */
    blindIndexKeyFile: string;
  };
  trustProxy: boolean | number | string[];
  /** Browser origins allowed to call the API (CORS); empty: no cross-origin browser access. */
  corsOrigins: string[];
  maxRequestBytes: number;
  /** Whether clients may introspect the GraphQL schema; by default everywhere but production. */
  introspection: boolean;
  /** statement_timeout of every GraphQL request's transaction, in milliseconds. */
  statementTimeoutMs: number;
  workerConcurrency: number;
  runWorker: boolean;
  migrateOnStart: boolean;
  jwt: {
    issuer: string;
    audience: string;
    /** Private JWK (with kid) that signs access tokens; generated under DATA_DIR in development and test. */
    signingKeyFile: string;
    /** Optional JWKS of retired public keys whose tokens are still accepted until they expire. */
    verificationKeysFile: string | undefined;
  };
  mail: {
    from: string;
    /** Unset: messages are written as JSON files to mailDir (nodemailer's JSON transport). */
    smtpUrl: string | undefined;
    publicBaseUrl: string;
  };
}

export function parseConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const result = schema.safeParse(env);
  if (!result.success) {
    const issue = result.error.issues[0];
    const variable = issue?.path.join(".") || "environment";
    throw new ConfigError(`Invalid configuration: ${variable} ${issue?.message ?? "is invalid"}`);
  }
  const e = result.data;
  const dataDir = path.resolve(PROJECT_ROOT, e.DATA_DIR);
  return {
    mode: e.GATEHOUSE_ENV,
    host: e.HOST,
    port: e.PORT,
    logLevel: e.LOG_LEVEL,
    dataDir,
    mailDir: path.resolve(PROJECT_ROOT, e.MAIL_DIR ?? path.join(dataDir, "mail")),
    auditArchiveDir: path.resolve(PROJECT_ROOT, e.AUDIT_ARCHIVE_DIR ?? path.join(dataDir, "audit-archive")),
    external: e.DATABASE_URL
      ? {
          authenticatorUrl: e.DATABASE_URL,
          ownerUrl: e.DATABASE_OWNER_URL,
          workerUrl: e.WORKER_DATABASE_URL as string,
          rootUrl: e.ROOT_DATABASE_URL,
        }
      : null,
    embedded: {
      port: e.EMBEDDED_DATABASE_PORT,
      database: e.EMBEDDED_DATABASE_NAME,
      keystorePort: e.EMBEDDED_KEYSTORE_PORT,
    },
    keys: {
      keystoreUrl: e.KEYSTORE_DATABASE_URL,
      masterKeyFile: path.resolve(PROJECT_ROOT, e.MASTER_KEY_FILE ?? path.join(dataDir, "keys", "master-key.json")),
      blindIndexKeyFile: path.resolve(
        PROJECT_ROOT,
        e.BLIND_INDEX_KEY_FILE ?? path.join(dataDir, "keys", "blind-index.key"),
      ),
    },
    trustProxy: e.TRUST_PROXY,
    corsOrigins: e.CORS_ORIGINS,
    maxRequestBytes: e.MAX_REQUEST_BYTES,
    introspection: e.GRAPHQL_INTROSPECTION ? e.GRAPHQL_INTROSPECTION === "true" : e.GATEHOUSE_ENV !== "production",
    statementTimeoutMs: e.GRAPHQL_STATEMENT_TIMEOUT_MS,
    workerConcurrency: e.WORKER_CONCURRENCY,
    runWorker: e.RUN_WORKER,
    migrateOnStart: e.MIGRATE_ON_START,
    jwt: {
      issuer: e.JWT_ISSUER,
      audience: e.JWT_AUDIENCE,
      signingKeyFile: path.resolve(
        PROJECT_ROOT,
        e.JWT_SIGNING_KEY_FILE ?? path.join(dataDir, "jwt", "signing-key.json"),
      ),
      verificationKeysFile: e.JWT_VERIFICATION_KEYS_FILE && path.resolve(PROJECT_ROOT, e.JWT_VERIFICATION_KEYS_FILE),
    },
    mail: { from: e.MAIL_FROM, smtpUrl: e.SMTP_URL, publicBaseUrl: e.PUBLIC_BASE_URL.replace(/\/+$/, "") },
  };
}
