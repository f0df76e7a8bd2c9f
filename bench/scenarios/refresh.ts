/**
 * refresh: refresh-token throughput through the real gateway, loaded from a separate process, beside a trivial
 * authenticated GraphQL query at the same concurrency. Every refresh presents a token never used before (rotation
 * makes each one single-use), taken from sessions made directly in SQL, so the timed work is the refresh alone: no
 * login, no bcrypt.
 */
import { randomBytes } from "node:crypto";
import type pg from "pg";
import type { BenchEnvironment } from "../lib/environment.ts";
import {
  startLoadGenerator,
  throughputTable,
  type BurstRequest,
  type BurstResult,
  type BurstSeries,
  type LoadGenerator,
} from "../lib/load.ts";
import type { BenchCase, Scenario } from "../lib/types.ts";

const REFRESH = `mutation Refresh($token: String!) {
  refreshToken(input: { refreshToken: $token }) { result { accessToken refreshToken accessTokenExpiresAt sessionId } }
}`;
const CURRENT_USER = "{ currentUser { rowId } }";

interface RefreshData {
  refreshToken: { result: { accessToken: string; refreshToken: string; sessionId: string } | null } | null;
}

/** Requests per burst (one timed iteration) at each concurrency: a burst at 8 connections is 8 requests per connection. */
const BURSTS = [
  { connections: 1, requests: 16 },
  { connections: 8, requests: 64 },
] as const;
/** Accounts the sessions are spread over, round-robin. */
const ACCOUNTS = 1_000;
/** Untimed bursts per case before the runner's own warm-up, so connections and plans are warm for every recorded one. */
const PREWARM_BURSTS = 2;
/** Sessions whose access tokens the baseline presents. */
const VIEWERS = 8;
/**
 * Sessions made before the first burst: enough for the default settings (3 warm-up + 5 × 30 timed bursts per case),
 * the pre-warm and the viewers. More are made between bursts (untimed) only if a run asks for more iterations.
 */
const INITIAL_SESSIONS = (3 + 5 * 30 + PREWARM_BURSTS) * BURSTS.reduce((sum, b) => sum + b.requests, 0) + VIEWERS;
const TOP_UP = 2_000;
/** Blocks of consecutive bursts per case in the throughput table. */
const BLOCKS = 5;

/** Every `rate_limit.*.max` to its highest allowed value; returns the previous values, for restoring. */
async function liftRateLimits(root: pg.Client): Promise<Array<{ key: string; value: unknown }>> {
  const { rows: before } = await root.query<{ key: string; value: unknown }>(
    "select key, value from config.system_settings where key like 'rate_limit.%.max' and max_value is not null",
  );
  await root.query(
    "update config.system_settings set value = to_jsonb(max_value::integer) where key like 'rate_limit.%.max' and max_value is not null",
  );
  return before;
}

/** Active, verified accounts with no password (a refresh never checks one), made in one statement. */
async function createAccounts(root: pg.Client, count: number): Promise<string[]> {
  const tag = randomBytes(4).toString("hex");
  const { rows } = await root.query<{ id: string }>(
    `insert into app_public.users (username, email, email_verified, email_verified_at, status)
     select 'bench_refresh_' || $1 || '_' || g, 'bench_refresh_' || $1 || '_' || g || '@example.test', true, now(), 'active'
     from generate_series(1, $2::integer) g
     returning id`,
    [tag, count],
  );
  return rows.map((r) => r.id);
}

/** Live sessions, each with one unused refresh token, made as login makes them but directly in SQL. */
class SessionPool {
  readonly sessionIds: string[] = [];
  readonly #root: pg.Client;
  readonly #accounts: readonly string[];
  readonly #tokens: string[] = [];

  constructor(root: pg.Client, accounts: readonly string[]) {
    this.#root = root;
    this.#accounts = accounts;
  }

  async mint(count: number): Promise<void> {
    const start = this.sessionIds.length;
    const owners = Array.from(
      { length: count },
      (_, i) => this.#accounts[(start + i) % this.#accounts.length] as string,
    );
    const { rows: sessions } = await this.#root.query<{ id: string }>(
      "insert into app_private.sessions (user_id) select unnest($1::uuid[]) returning id",
      [owners],
    );
    const ids = sessions.map((s) => s.id);
    const { rows } = await this.#root.query<{ token: string }>(
      "select app_private.issue_refresh_token(s.id, null) as token from unnest($1::uuid[]) as s(id)",
      [ids],
    );
    this.sessionIds.push(...ids);
    this.#tokens.push(...rows.map((r) => r.token));
  }

  /** `count` tokens never presented before (untimed: tops the pool up when it runs low). */
  async take(count: number): Promise<string[]> {
    while (this.#tokens.length < count) await this.mint(Math.max(TOP_UP, count));
    return this.#tokens.splice(0, count);
  }
}

export const refreshScenario: Scenario = {
  name: "refresh",
  title: "refresh-token throughput over HTTP against a trivial authenticated query",
  description:
    "The GraphQL `refreshToken` mutation through the real gateway, each request presenting a fresh, never-used refresh " +
    "token of its own session (sessions made directly in SQL, spread over 1,000 accounts), beside `{ currentUser { rowId } }` " +
    "with a valid access token, both at 1 and at 8 concurrent keep-alive connections. The load comes from a separate " +
    "Node process (bench/lib/loadWorker.ts). One timed iteration is one burst: " +
    BURSTS.map((b) => `${b.requests} requests over ${b.connections} connection${b.connections === 1 ? "" : "s"}`).join(
      ", ",
    ) +
    ". The table below gives the bursts' wall times; the throughput table under Notes gives requests per second, " +
    "per-request latency and the ratios to the baseline of the same concurrency.",
  async setup(env: BenchEnvironment) {
    const previousLimits = await liftRateLimits(env.root);
    const accounts = await createAccounts(env.root, ACCOUNTS);
    const pool = new SessionPool(env.root, accounts);
    await pool.mint(INITIAL_SESSIONS);

    /* Access tokens for the baseline: one refresh each of VIEWERS sessions, of as many accounts. */
    const viewers: Array<{ userId: string; authorization: string }> = [];
    for (const token of await pool.take(VIEWERS)) {
      const response = await env.graphql<RefreshData>(REFRESH, { token });
      const result = response.data?.refreshToken?.result;
      if (!result?.accessToken) throw new Error(`setup refresh failed: ${JSON.stringify(response.errors ?? response)}`);
      const { rows } = await env.root.query<{ user_id: string }>(
        "select user_id from app_private.sessions where id = $1",
        [result.sessionId],
      );
      viewers.push({ userId: rows[0]?.user_id ?? "", authorization: `Bearer ${result.accessToken}` });
    }
    const currentUserBody = JSON.stringify({ query: CURRENT_USER, variables: {} });

    const load: LoadGenerator = await startLoadGenerator();
    const restore = async (): Promise<void> => {
      await load.close();
      for (const { key, value } of previousLimits) {
        await env.root.query("update config.system_settings set value = $2::jsonb where key = $1", [
          key,
          JSON.stringify(value),
        ]);
      }
    };
    const url = `${env.gatewayUrl}/graphql`;
    let refreshesSent = VIEWERS;
    const notes: string[] = [];

    const cases: BenchCase[] = [];
    const groups: Array<{ baseline: BurstSeries; cases: BurstSeries[] }> = [];
    for (const { connections, requests } of BURSTS) {
      const viewing: BurstSeries = { name: "currentUser", concurrency: connections, bursts: [] };
      const refreshing: BurstSeries = { name: "refresh", concurrency: connections, bursts: [] };
      groups.push({ baseline: viewing, cases: [refreshing] });
      const viewRequests: BurstRequest[] = Array.from({ length: requests }, (_, i) => {
        const viewer = viewers[i % viewers.length] as (typeof viewers)[number];
        return { body: currentUserBody, authorization: viewer.authorization, expect: viewer.userId };
      });
      const sendViews = (): Promise<BurstResult> =>
        load.burst(url, connections, viewRequests, ["data", "currentUser", "rowId"]);
      let refreshRequests: BurstRequest[] = [];
      const prepareRefreshes = async (): Promise<void> => {
        refreshRequests = (await pool.take(requests)).map((token) => ({
          body: JSON.stringify({ query: REFRESH, variables: { token } }),
        }));
      };
      const sendRefreshes = async (): Promise<BurstResult> => {
        refreshesSent += refreshRequests.length;
        const sent = refreshRequests;
        refreshRequests = [];
        return load.burst(url, connections, sent, ["data", "refreshToken", "result", "refreshToken"]);
      };
      try {
        for (let i = 0; i < PREWARM_BURSTS; i++) {
          await sendViews();
          await prepareRefreshes();
          await sendRefreshes();
        }
      } catch (error) {
        await restore();
        throw error;
      }
      const label = `${connections} connection${connections === 1 ? "" : "s"}`;
      cases.push(
        {
          name: `currentUser, ${label}`,
          description: `A burst of ${requests} \`{ currentUser { rowId } }\` queries over ${label}, each with the access token of one of ${VIEWERS} live sessions; every answer must name that session's account.`,
          transport: `HTTP ×${connections}`,
          async run() {
            viewing.bursts.push(await sendViews());
          },
        },
        {
          name: `refresh, ${label}`,
          description:
            `A burst of ${requests} \`refreshToken\` mutations over ${label}, each presenting an unused token of its own session ` +
            "(taken before the burst, untimed); every answer must carry a new refresh token.",
          transport: `HTTP ×${connections}`,
          beforeEach: prepareRefreshes,
          async run() {
            refreshing.bursts.push(await sendRefreshes());
          },
        },
      );
    }

    return {
      cases,
      notes,
      async verify() {
        /* Every refresh of the run's sessions rotated its token: nothing refused, no reuse, one success per request. */
        const { rows } = await env.root.query<{
          event_type: string;
          outcome: string;
          reason: string | null;
          n: number;
        }>(
          `select event_type, outcome, reason, count(*)::integer as n from audit.events
           where event_type in ('auth.refresh', 'auth.refresh_reuse') and entity_type = 'session' and entity_id = any($1::text[])
           group by 1, 2, 3`,
          [pool.sessionIds],
        );
        const successes = rows.find((r) => r.event_type === "auth.refresh" && r.outcome === "success")?.n ?? 0;
        if (rows.length !== 1 || successes !== refreshesSent) {
          throw new Error(
            `expected ${refreshesSent} successful refreshes and nothing else, the audit trail has ${JSON.stringify(rows)}`,
          );
        }
        const { rows: sizes } = await env.root.query<{ sessions: number; tokens: number; hits: number }>(
          `select (select count(*)::integer from app_private.sessions) as sessions,
                  (select count(*)::integer from app_private.refresh_tokens) as tokens,
                  (select count(*)::integer from app_private.rate_limit_hits) as hits`,
        );
        const size = sizes[0];
        notes.push(
          "Throughput, from the load generator's clock: each case's bursts (the runner's warm-up included) cut into " +
            `${BLOCKS} blocks of consecutive bursts; per block the requests per second (requests ÷ the bursts' summed wall ` +
            "time) and the p50/p99 of its requests' latencies; each cell the median across blocks (min–max). Ratios are " +
            "paired block by block with the currentUser baseline at the same number of connections, which ran interleaved " +
            "with it. req/s ÷ baseline below 1 means fewer refreshes than queries per second.\n\n" +
            `${throughputTable(groups, BLOCKS)}\n`,
          "The `HTTP load` line above describes the harness's own fetch client, which this scenario does not use: every " +
            "request here comes from a separate Node process (autocannon) over keep-alive connections, latency measured there " +
            "from writing the request to the end of its answer. The runner's columns are burst wall times (with the IPC round trip and autocannon's set-up).",
          "A refresh locks its session row, reads the token, checks and records the per-session rate limit, rotates the " +
            "token (a new row, the parent marked used), updates the session's last refresh, writes an audit event, and the " +
            "gateway signs a new access token. Each token is presented once, so the per-session limit counts one hit and " +
            "never refuses; every `rate_limit.*.max` was still raised to its maximum for the scenario (restored afterwards), " +
            `and the audit trail confirms ${refreshesSent} successful refreshes with no refusal or reuse.`,
          `At the end: ${size?.sessions} sessions, ${size?.tokens} refresh tokens, ${size?.hits} rate-limit hits in the ` +
            `database (sessions made ${INITIAL_SESSIONS} at setup, more in blocks of ${TOP_UP} between bursts when needed).`,
          "Two shared vCPUs run the gateway, PostgreSQL and the load generator together, so 8 connections mostly measure " +
            "how the work queues, not parallel speed-up; compare figures only at equal concurrency.",
        );
      },
      teardown: restore,
    };
  },
};
