/**
 * current-user: what the generated API costs. The GraphQL query `{ currentUser { rowId } }` through the real gateway,
 * beside the **baseline** of a minimal hand-written Express + pg + jose handler doing the same work: verify the access
 * token (EdDSA, the gateway's published JWKS), read the clock the token is checked against (the database's, as the
 * gateway does in the test mode the benchmark database is in), then in one transaction as `app_authenticated` with the
 * token's claims, `select id from app_public.current_user()` (the live-session check and row-level security), commit.
 * Both are loaded from the separate load generator at 1 and at 4 connections.
 */
import { randomBytes } from "node:crypto";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import express from "express";
import { createLocalJWKSet, jwtVerify, type JSONWebKeySet } from "jose";
import pg from "pg";
import { BENCH_JWT, type BenchEnvironment } from "../lib/environment.ts";
import { startLoadGenerator, throughputTable, type BurstRequest, type BurstSeries } from "../lib/load.ts";
import type { BenchCase, Scenario } from "../lib/types.ts";

const QUERY = JSON.stringify({ query: "{ currentUser { rowId } }", variables: {} });
const REFRESH = `mutation ($token: String!) { refreshToken(input: { refreshToken: $token }) { result { accessToken } } }`;
const BURSTS = [
  { connections: 1, requests: 16 },
  { connections: 4, requests: 32 },
] as const;
const VIEWERS = 8;
const BLOCKS = 5;

/** The hand-written handler: jose, pg and nothing else. */
async function startHandWritten(env: BenchEnvironment): Promise<{ url: string; close(): Promise<void> }> {
  const jwks = (await (await fetch(`${env.gatewayUrl}/.well-known/jwks.json`)).json()) as JSONWebKeySet;
  const keys = createLocalJWKSet(jwks);
  const pool = new pg.Pool({ connectionString: env.urls.authenticator, max: 10 });
  pool.on("error", () => undefined);
  const app = express();
  app.post("/current-user", async (req, res) => {
    const match = /^Bearer (.+)$/.exec(req.get("authorization") ?? "");
    if (!match?.[1]) return void res.status(401).json({ errors: [{ message: "no token" }] });
    const client = await pool.connect();
    try {
      const { rows: clock } = await client.query<{ now: Date }>("select app_hidden.clock_now() as now");
      const { payload } = await jwtVerify(match[1], keys, { ...BENCH_JWT, algorithms: ["EdDSA", "ES256"], currentDate: clock[0]?.now });
      await client.query("begin");
      await client.query(
        "select set_config('role', 'app_authenticated', true), set_config('jwt.claims.sub', $1, true), set_config('jwt.claims.sid', $2, true)",
        [payload.sub, payload.sid],
      );
      const { rows } = await client.query<{ id: string | null }>("select id from app_public.current_user()");
      await client.query("commit");
      res.json({ data: { currentUser: rows[0]?.id ? { rowId: rows[0].id } : null } });
    } catch {
      await client.query("rollback").catch(() => undefined);
      res.status(401).json({ errors: [{ message: "invalid token" }] });
    } finally {
      client.release();
    }
  });
  const server: Server = createServer(app);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/current-user`,
    async close() {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await pool.end();
    },
  };
}

export const currentUserScenario: Scenario = {
  name: "current-user",
  title: "an authenticated currentUser over HTTP against a hand-written Express + pg + jose handler",
  description:
    "`{ currentUser { rowId } }` through the real gateway (JWT verification, live-session check, row-level security, GraphQL) " +
    "beside a minimal hand-written Express + pg + jose handler doing the same checks and the same SQL " +
    "(`app_public.current_user()` as app_authenticated with the token's claims, in one transaction), both with the access " +
    `tokens of ${VIEWERS} live sessions, from the separate load generator at ${BURSTS.map((b) => b.connections).join(" and ")} connections. ` +
    "The ratio is what the generated API costs over the least a server could do.",
  async setup(env: BenchEnvironment) {
    const viewers: Array<{ userId: string; authorization: string }> = [];
    for (let i = 0; i < VIEWERS; i++) {
      const tag = randomBytes(4).toString("hex");
      const { rows } = await env.root.query<{ id: string; token: string }>(
        `with u as (insert into app_public.users (username, email, email_verified, email_verified_at)
                    values ('bench_cu_' || $1, 'bench_cu_' || $1 || '@example.test', true, now()) returning id),
              s as (insert into app_private.sessions (user_id) select id from u returning id, user_id)
         select s.user_id as id, app_private.issue_refresh_token(s.id, null) as token from s`,
        [tag],
      );
      const refreshed = await env.graphql<{ refreshToken: { result: { accessToken: string } | null } | null }>(REFRESH, { token: rows[0]?.token });
      const accessToken = refreshed.data?.refreshToken?.result?.accessToken;
      if (!accessToken || !rows[0]) throw new Error(`could not get an access token: ${JSON.stringify(refreshed.errors)}`);
      viewers.push({ userId: rows[0].id, authorization: `Bearer ${accessToken}` });
    }
    const handWritten = await startHandWritten(env);
    const load = await startLoadGenerator();
    const check = ["data", "currentUser", "rowId"];
    const cases: BenchCase[] = [];
    const groups: Array<{ baseline: BurstSeries; cases: BurstSeries[] }> = [];
    for (const { connections, requests } of BURSTS) {
      const burst: BurstRequest[] = Array.from({ length: requests }, (_, i) => {
        const viewer = viewers[i % viewers.length]!;
        return { body: QUERY, authorization: viewer.authorization, expect: viewer.userId };
      });
      const hand: BurstSeries = { name: "hand-written", concurrency: connections, bursts: [] };
      const gateway: BurstSeries = { name: "gateway", concurrency: connections, bursts: [] };
      groups.push({ baseline: hand, cases: [gateway] });
      for (let i = 0; i < 2; i++) {
        await load.burst(handWritten.url, connections, burst, check);
        await load.burst(`${env.gatewayUrl}/graphql`, connections, burst, check);
      }
      const label = `${connections} connection${connections === 1 ? "" : "s"}`;
      const handCase: BenchCase = {
        name: `hand-written, ${label}`,
        description: `A burst of ${requests} requests to the hand-written handler over ${label}; each answer must name the token's account.`,
        transport: `HTTP ×${connections}`,
        async run() {
          hand.bursts.push(await load.burst(handWritten.url, connections, burst, check));
        },
      };
      const gatewayCase: BenchCase = {
        name: `gateway currentUser, ${label}`,
        description: `A burst of ${requests} \`{ currentUser { rowId } }\` to the gateway over ${label}; each answer must name the token's account.`,
        transport: `HTTP ×${connections}`,
        async run() {
          gateway.bursts.push(await load.burst(`${env.gatewayUrl}/graphql`, connections, burst, check));
        },
      };
      cases.push(handCase, gatewayCase);
    }
    const notes: string[] = [];
    return {
      /* The runner's table gives burst wall times; the comparison is the throughput table (hand-written = baseline). */
      cases,
      notes,
      async verify() {
        notes.push(
          `Throughput from the load generator's clock, bursts cut into ${BLOCKS} blocks, ratios paired block by block with the ` +
            `hand-written handler at the same concurrency:\n\n${throughputTable(groups, BLOCKS)}\n`,
          "Both read the database clock before checking the token's expiry (the gateway does in development and test mode, " +
            "which the benchmark database is in; in production it uses the machine's clock, one round trip less for both).",
        );
      },
      async teardown() {
        await load.close();
        await handWritten.close();
      },
    };
  },
};
