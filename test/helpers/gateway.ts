/**
 * The real gateway on an ephemeral port, over a test database, for HTTP tests; and a small GraphQL client for it.
 */
import { afterAll, beforeAll } from "vitest";
import type { JWK } from "jose";
import { generateSigningJwk, keySetFromJwks } from "../../src/auth/signingKeys.ts";
import { createTokenService, type TokenService } from "../../src/auth/tokens.ts";
import type { LogLevel } from "../../src/config.ts";
import { createLogger, type Logger } from "../../src/logger.ts";
import { startGateway, type Gateway } from "../../src/server.ts";
import type { PrivacyKeys } from "../../src/privacy/privacyKeys.ts";
import { createTestDatabase, dropTestDatabase, type TestDatabase } from "./database.ts";
import { openTestPrivacyKeys } from "./privacy.ts";

export interface GraphQLResponse<T = Record<string, unknown>> {
  status: number;
  headers: Headers;
  data?: T | null;
  errors?: Array<{
    message: string;
    path?: string[];
    extensions?: { code?: string; hint?: string; errorId?: string; retryAfter?: number };
  }>;
}

export class GatewayClient {
  readonly url: string;

  constructor(url: string) {
    this.url = url;
  }

  async graphql<T = Record<string, unknown>>(
    query: string,
    variables: Record<string, unknown> = {},
    headers: Record<string, string> = {},
  ): Promise<GraphQLResponse<T>> {
    const response = await fetch(`${this.url}/graphql`, {
      method: "POST",
      headers: { "content-type": "application/json", accept: "application/json", ...headers },
      body: JSON.stringify({ query, variables }),
    });
    const body = (await response.json()) as Omit<GraphQLResponse<T>, "status" | "headers">;
    return { status: response.status, headers: response.headers, ...body };
  }

  /**
   * A POST to /graphql exactly as given (any body, any headers: nothing added but what fetch adds), for requests a
   * well-behaved client would not send. The answer's JSON when it is JSON, else `errors` is undefined.
   */
  async post<T = Record<string, unknown>>(
    body: string | Uint8Array,
    headers: Record<string, string> = { "content-type": "application/json" },
    method = "POST",
  ): Promise<GraphQLResponse<T> & { text: string }> {
    const response = await fetch(`${this.url}/graphql`, {
      method,
      headers,
      ...(method === "GET" || method === "HEAD" ? {} : { body }),
    });
    const text = await response.text();
    let parsed: Omit<GraphQLResponse<T>, "status" | "headers"> = {};
    try {
      parsed = JSON.parse(text) as typeof parsed;
    } catch {
      /* not JSON: the caller looks at `text` */
    }
    return { status: response.status, headers: response.headers, text, ...parsed };
  }
}

export const TEST_JWT = { issuer: "gatehouse-test", audience: "gatehouse-test-clients" };

/** A token service with a fresh signing key (and optionally retired keys that are still accepted). */
export async function testTokenService(signing?: JWK, retired: JWK[] = []): Promise<TokenService> {
  return createTokenService(await keySetFromJwks(signing ?? (await generateSigningJwk()), retired), TEST_JWT);
}

export async function startTestGateway(
  db: TestDatabase,
  options: {
    trustProxy?: boolean | number | string[];
    tokens?: TokenService;
    log?: Logger;
    privacy?: PrivacyKeys;
    mode?: "test" | "production";
    introspection?: boolean;
    statementTimeoutMs?: number;
    planningTimeoutMs?: number;
  } = {},
): Promise<Gateway> {
  /* The gateway's keys live as long as it does (unless the test brings its own). */
  const privacy = options.privacy ?? (await openTestPrivacyKeys(db.urls.authenticator));
  const gateway = await startGateway({
    authenticatorUrl: db.urls.authenticator,
    privacy,
    tokens: options.tokens ?? (await testTokenService()),
    mode: options.mode ?? "test",
    ...(options.introspection === undefined ? {} : { introspection: options.introspection }),
    ...(options.statementTimeoutMs === undefined ? {} : { statementTimeoutMs: options.statementTimeoutMs }),
    ...(options.planningTimeoutMs === undefined ? {} : { planningTimeoutMs: options.planningTimeoutMs }),
    host: "127.0.0.1",
    port: 0,
    trustProxy: options.trustProxy ?? false,
    corsOrigins: ["https://app.example.test"],
    maxRequestBytes: 102_400,
    /* TEST_LOG_LEVEL=error shows what the gateway logs (masked errors' causes) while debugging a test. */
    log: options.log ?? createLogger((process.env.TEST_LOG_LEVEL as LogLevel | undefined) ?? "silent"),
  });
  if (options.privacy) return gateway;
  return {
    ...gateway,
    close: async () => {
      await gateway.close();
      await privacy.close();
    },
  };
}

/** A file-wide database plus a gateway over it (logging to `log` when given, e.g. a capturing logger). */
export function useGateway(options: { log?: Logger } = {}): {
  readonly db: TestDatabase;
  readonly client: GatewayClient;
  readonly gateway: Gateway;
} {
  let db: TestDatabase | undefined;
  let gateway: Gateway | undefined;
  beforeAll(async () => {
    db = await createTestDatabase();
    gateway = await startTestGateway(db, options.log ? { log: options.log } : {});
  });
  afterAll(async () => {
    await gateway?.close();
    if (db) await dropTestDatabase(db);
  });
  const need = <T>(value: T | undefined): T => {
    if (value === undefined) throw new Error("the gateway starts in beforeAll");
    return value;
  };
  return {
    get db() {
      return need(db);
    },
    get gateway() {
      return need(gateway);
    },
    get client() {
      return new GatewayClient(need(gateway).url);
    },
  };
}
