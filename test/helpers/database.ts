/**
 * A database of the test file's own, cloned from the migrated template, with connections for each role and helpers
 * that run SQL as a given role and identity inside a transaction that is always rolled back.
 */
import { randomBytes, randomUUID } from "node:crypto";
import pg from "pg";
import { afterAll, beforeAll, inject } from "vitest";
import { withClient } from "../../src/db/client.ts";
import { ROLES, urlsOnServer, withDatabase, type DatabaseUrls } from "../../src/db/roles.ts";
import { KEYSTORE_ROLE } from "../../src/privacy/keystoreEnvironment.ts";
import { saveFunctionCalls, trackFunctionCalls } from "./functionCalls.ts";
import { keystoreDatabaseOf, keystoreUrlOf } from "./privacy.ts";

export type ClientRole = (typeof ROLES)[keyof typeof ROLES];

export interface TestDatabase {
  name: string;
  urls: DatabaseUrls & { root: string; owner: string; keystore: string };
  /** Superuser pool on this database (the tests' own setup and inspection). */
  root: pg.Pool;
}

export async function createTestDatabase(): Promise<TestDatabase> {
  const { rootUrl, template, passwords } = inject("database");
  const name = `${template}_${randomBytes(5).toString("hex")}`;
  await withClient(rootUrl, async (client) => {
    await client.query(`create database ${name} template ${template} owner ${ROLES.owner}`);
    await trackFunctionCalls(client, name);
    /* Its own copy of the template's key store: the keys the template's spare and system keys were made with. */
    await client.query(
      `create database ${keystoreDatabaseOf(name)} template ${keystoreDatabaseOf(template)} owner ${KEYSTORE_ROLE}`,
    );
  });
  const urls = urlsOnServer(rootUrl, name, passwords);
  const root = new pg.Pool({ connectionString: withDatabase(rootUrl, name), max: 4 });
  /* An idle connection ended by the server (the database dropped at the end of the file) is not a test failure. */
  root.on("error", () => undefined);
  return {
    name,
    urls: {
      ...urls,
      root: withDatabase(rootUrl, name),
      owner: urls.owner as string,
      keystore: keystoreUrlOf(urls.authenticator),
    },
    root,
  };
}

export async function dropTestDatabase(db: TestDatabase): Promise<void> {
  await db.root.end();
  await withClient(db.urls.root, (client) => saveFunctionCalls(client, inject("functionCallsDir"), db.name));
  await withClient(inject("database").rootUrl, async (client) => {
    await client.query(`drop database if exists ${db.name} with (force)`);
    await client.query(`drop database if exists ${keystoreDatabaseOf(db.name)} with (force)`);
  });
}

/** Registers beforeAll/afterAll for a file-wide database; read `.current` inside tests and hooks. */
export function useTestDatabase(): { readonly current: TestDatabase } {
  let db: TestDatabase | undefined;
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(async () => {
    if (db) await dropTestDatabase(db);
  });
  return {
    get current(): TestDatabase {
      if (!db) throw new Error("the test database is created in beforeAll");
      return db;
    },
  };
}

/** Runs `fn` in a transaction on the superuser pool and rolls it back, whatever happens. */
export async function withRollback<T>(db: TestDatabase, fn: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  const client = await db.root.connect();
  try {
    await client.query("begin");
    return await fn(client);
  } finally {
    await client.query("rollback").catch(() => undefined);
    client.release();
  }
}

export interface Identity {
  userId?: string | null;
  sessionId?: string | null;
  requestId?: string;
  ip?: string;
  userAgent?: string;
}

/** Switches the open transaction to `role` with the request settings the gateway would set (transaction-local). */
export async function setRole(client: pg.ClientBase, role: ClientRole, identity: Identity = {}): Promise<void> {
  await client.query(
    `select set_config('role', $1, true), set_config('jwt.claims.sub', $2, true), set_config('request.id', $3, true),
            set_config('request.ip', $4, true), set_config('request.user_agent', $5, true),
            set_config('jwt.claims.sid', $6, true)`,
    [
      role,
      identity.userId ?? "",
      identity.requestId ?? randomUUID(),
      identity.ip ?? "",
      identity.userAgent ?? "",
      identity.sessionId ?? "",
    ],
  );
}

export const asAnonymous = (client: pg.ClientBase, identity: Omit<Identity, "userId"> = {}): Promise<void> =>
  setRole(client, ROLES.anonymous, identity);

/** Acts as a logged-in account: the claims a verified access token for `session` would give. */
export const asUser = (
  client: pg.ClientBase,
  session: { userId: string; sessionId: string },
  identity: Omit<Identity, "userId" | "sessionId"> = {},
): Promise<void> => setRole(client, ROLES.authenticated, { ...identity, ...session });

/** Back to the superuser, keeping the transaction. */
export async function asRoot(client: pg.ClientBase): Promise<void> {
  await client.query("reset role");
}

/** The SQLSTATE (Gatehouse error code) a statement fails with, or null when it succeeds. */
export async function errorCodeOf(promise: Promise<unknown>): Promise<string | null> {
  try {
    await promise;
    return null;
  } catch (error) {
    return (error as { code?: string }).code ?? "no code";
  }
}

/** Runs one statement inside a savepoint, so an expected failure leaves the surrounding transaction usable. */
export async function tryStatement(client: pg.ClientBase, sql: string, values: unknown[] = []): Promise<string | null> {
  await client.query("savepoint try_statement");
  const code = await errorCodeOf(client.query(sql, values));
  await client.query(code ? "rollback to savepoint try_statement" : "release savepoint try_statement");
  return code;
}
