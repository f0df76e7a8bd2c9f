/**
 * The gateway: Express, the PostGraphile instance, and the routes that are not GraphQL (health, readiness, the
 * access-token keys, and the one-click unsubscribe link of marketing mail).
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import cors from "cors";
import express from "express";
import helmet from "helmet";
import { pinoHttp } from "pino-http";
import pg from "pg";
import { postgraphile } from "postgraphile";
import { grafserv } from "postgraphile/grafserv/express/v4";
import { makeClock } from "./auth/clock.ts";
import type { TokenService } from "./auth/tokens.ts";
import type { Mode } from "./config.ts";
import { latestCommittedMigration } from "./db/migrate.ts";
import { makePreset } from "./graphile.config.ts";
import { authenticate } from "./http/authenticate.ts";
import { graphqlEdge } from "./http/graphqlEdge.ts";
import { assignRequestId } from "./http/requestContext.ts";
import { unsubscribe, unsubscribePage } from "./http/unsubscribe.ts";
import type { PrivacyKeys } from "./privacy/privacyKeys.ts";
import type { Logger } from "./logger.ts";

export interface GatewayOptions {
  authenticatorUrl: string;
  tokens: TokenService;
  /** Key store, master key and blind-index key: personal data is decrypted and indexed with them. */
  privacy: PrivacyKeys;
  mode: Mode;
  host: string;
  port: number;
  trustProxy: boolean | number | string[];
  corsOrigins: string[];
  maxRequestBytes: number;
  /** Whether clients may introspect the schema; default: everywhere but production. */
  introspection?: boolean;
  /** statement_timeout of each GraphQL request's transaction, in milliseconds; default 10 s. */
  statementTimeoutMs?: number;
  /** Grafast's planning timeout in milliseconds; default PLANNING_TIMEOUT_MS (tests lower it). */
  planningTimeoutMs?: number;
  log: Logger;
}

export const DEFAULT_STATEMENT_TIMEOUT_MS = 10_000;

export interface Gateway {
  server: Server;
  /** Base URL the gateway listens on, e.g. http://127.0.0.1:5678 */
  url: string;
  close(): Promise<void>;
}

export async function startGateway(options: GatewayOptions): Promise<Gateway> {
  const { log } = options;
  /* The gateway owns its pool, so close() can end it: nothing may outlive the gateway. */
  const pool = new pg.Pool({ connectionString: options.authenticatorUrl });
  const onLost = (error: Error): void => log.warn({ err: error }, "database connection lost");
  pool.on("error", onLost);
  pool.on("connect", (client) => client.on("error", onLost));
  const statementTimeoutMs = options.statementTimeoutMs ?? DEFAULT_STATEMENT_TIMEOUT_MS;
  /* Cheap, bounded checks of every GraphQL request before anything else sees it (src/http/graphqlEdge.ts). */
  const edge = graphqlEdge({
    maxRequestBytes: options.maxRequestBytes,
    introspection: options.introspection ?? options.mode !== "production",
    schema: () => pgl.getSchema(),
  });
  const pgl = postgraphile(makePreset({ ...options, statementTimeoutMs, pool, edgePlugin: edge.plugin }));
  const serv = pgl.createServ(grafserv);
  /* A small pool of its own for the readiness probe, so a busy GraphQL pool cannot make the probe lie. */
  const probePool = new pg.Pool({ connectionString: options.authenticatorUrl, max: 1 });
  probePool.on("error", onLost);
  const expectedMigration = await latestCommittedMigration();

  const app = express();
  app.disable("x-powered-by");
  app.set("trust proxy", options.trustProxy);
  /* Security headers on every response; the development IDE needs its own scripts, so no CSP there. */
  app.use(helmet({ contentSecurityPolicy: options.mode === "development" ? false : undefined }));
  /* CORS only for configured origins: with none, browsers on other origins cannot call the API. */
  app.use(cors({ origin: options.corsOrigins, credentials: false, maxAge: 600 }));
  app.use(assignRequestId);
  app.use(
    pinoHttp({
      logger: log,
      genReqId: (req) => (req as express.Request).requestId,
      autoLogging: { ignore: (req) => req.url === "/healthz" || req.url === "/readyz" },
      /* Query strings can carry link tokens (/unsubscribe?token=…): logged paths end before them. */
      serializers: {
        req: (req: { url?: string; query?: unknown }) => ({ ...req, url: req.url?.split("?")[0], query: undefined }),
      },
    }),
  );
  /* The edge first; only then the token (whose clock may ask the database). */
  app.use("/graphql", edge.handler);
  app.use("/graphql", authenticate(options.tokens, makeClock(options.mode, pool)));

  /* Public keys for verifying access tokens, the current signing key's first; retired keys stay until removed. */
  app.get("/.well-known/jwks.json", (_req, res) => {
    res.set("cache-control", "public, max-age=300").json(options.tokens.jwks());
  });

  /* RFC 8058 one-click unsubscribe: GET shows a button, POST withdraws the marketing consent (no sign-in). */
  app.get("/unsubscribe", unsubscribePage);
  app.post("/unsubscribe", unsubscribe(pool));

  app.get("/healthz", (_req, res) => {
    res.json({ status: "ok" });
  });

  app.get("/readyz", async (_req, res) => {
    try {
      const { rows } = await probePool.query<{ version: string | null }>(
        "select app_hidden.schema_version() as version",
      );
      const applied = rows[0]?.version ?? null;
      if (applied !== expectedMigration) {
        res.status(503).json({ status: "migrations pending", applied, expected: expectedMigration });
        return;
      }
      res.json({ status: "ready", migration: applied });
    } catch (error) {
      log.warn({ err: error }, "readiness check failed");
      res.status(503).json({ status: "database unreachable" });
    }
  });

  const server = createServer(app);
  await serv.addTo(app, server);
  /* Build the schema now, so a broken database fails the start rather than the first request. */
  await pgl.getSchema();

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port, options.host, () => resolve());
  });
  const address = server.address() as AddressInfo;
  const url = `http://${address.address.includes(":") ? `[${address.address}]` : address.address}:${address.port}`;
  log.info({ url, graphiql: options.mode === "development" ? `${url}/` : undefined }, "gateway listening");

  let closing: Promise<void> | null = null;
  return {
    server,
    url,
    close() {
      closing ??= (async () => {
        await new Promise<void>((resolve) => {
          server.close(() => resolve());
          server.closeIdleConnections();
        });
        /* Closing the HTTP server already released grafserv (it listens for 'close'); this releases the schema and pools. */
        await pgl.release();
        await Promise.all([pool.end(), probePool.end()]);
      })();
      return closing;
    },
  };
}
