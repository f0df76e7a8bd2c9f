/**
 * audit: what the audit trail costs the work it records, as throughput against the same work unrecorded, in the same
 * run and on the same database, the two taking turns burst by burst.
 *
 * - Writes: single-row inserts and a 1,000-row insert into app_public.posts (an exposed table, so it carries the
 *   row-change trigger `_800_audit_insert`) over one pg connection, with the trigger enabled and disabled
 *   (`alter table … disable trigger`, untimed, between bursts; enabled again at the end); as the superuser with no
 *   request, and as a signed-in user with the request context the gateway sets (so the events carry an actor, a
 *   request id and an encrypted personal part).
 * - Login: the GraphQL `login` mutation over HTTP from the separate load generator, with its audit row stored, and
 *   with it dropped just before it is stored.
 *
 * Dropping event rows is a BEFORE INSERT trigger on audit.events that returns null, created for the scenario, enabled
 * only while a case (or a measurement after the rounds) asks for it, and removed at the end. After the rounds, two
 * untimed-by-the-runner measurements split the audit's cost further: EXPLAIN ANALYZE of the bulk insert (trigger
 * time, with and without storing the events) and a loop of record_event calls inside the database.
 */
import { performance } from "node:perf_hooks";
import pg from "pg";
import { createUser, type TestUser } from "../../fixtures/users.ts";
import type { BenchEnvironment } from "../lib/environment.ts";
import { startLoadGenerator, type BurstRequest, type BurstResult, type LoadGenerator } from "../lib/load.ts";
import { median, percentile, spread, type Spread } from "../lib/stats.ts";
import type { BenchCase, Scenario } from "../lib/types.ts";
import { LOGIN } from "./login.ts";

/** Single-row inserts per burst (one timed iteration), each its own transaction. */
const SINGLE_PER_BURST = 20;
/** Rows of the bulk insert: one statement per burst. */
const BULK_ROWS = 1_000;
/** Logins per burst at each concurrency. */
const LOGIN_BURSTS = [
  { connections: 1, requests: 6 },
  { connections: 2, requests: 8 },
] as const;
/** Accounts each login case cycles through, so parallel logins never wait on one account's lockout row. */
const LOGIN_ACCOUNTS = 16;
/** Untimed bursts per case at setup, before the runner's own warm-up. */
const PREWARM_BURSTS = 2;
/** Blocks of consecutive bursts per case in the throughput table. */
const BLOCKS = 5;
/** The record_event measurement after the rounds: calls per statement, and statements each way. */
const RECORD_CALLS = 1_000;
const RECORD_REPEATS = 5;
/** PERF.md: audited writes keep at least this share of their throughput. */
const WRITE_TARGET = 0.7;

/** The posts table's row-change trigger for inserts (a statement trigger with a transition table). */
const ROW_TRIGGER = "_800_audit_insert";
/** Fires last among BEFORE INSERT triggers (by name); audit.events has no other one. */
const DROP_TRIGGER = "zzz_bench_drop_event";
const BENCH_SCHEMA = "bench_audit";

const SINGLE = "insert into app_public.posts (author_id, title) values ($1, $2)";
const BULK = "insert into app_public.posts (author_id, title) select $1, $2 from generate_series(1, $3::integer)";
/* As a signed-in user: the author is the default, app_hidden.current_user_id(), and row-level security checks it. */
const SINGLE_SIGNED_IN = "insert into app_public.posts (title) values ($1)";
const BULK_SIGNED_IN = "insert into app_public.posts (title) select $1 from generate_series(1, $2::integer)";
/* What the gateway sets in each request's transaction (src/graphile.config.ts): role, claims, request context. */
const CONTEXT =
  "select set_config('role', 'app_authenticated', true), set_config('jwt.claims.sub', $1, true), " +
  "set_config('jwt.claims.sid', $2, true), set_config('request.id', $3, true), set_config('request.ip', $4, true), " +
  "set_config('request.user_agent', $5, true)";
const CLIENT_IP = "203.0.113.77";
const USER_AGENT = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36";
const LOGIN_CHECK = ["data", "login", "result", "accessToken"];

/** Which parts of the audit trail are on: the posts table's row trigger, and storing event rows at all. */
interface AuditState {
  rowTrigger: boolean;
  storeEvents: boolean;
}

/** Switches the triggers with DDL on the superuser connection, only when a case asks for another state. */
class AuditSwitches {
  state: AuditState = { rowTrigger: true, storeEvents: true };
  switches = 0;
  readonly #root: pg.Client;

  constructor(root: pg.Client) {
    this.#root = root;
  }

  async set(want: Partial<AuditState>): Promise<void> {
    if (want.rowTrigger !== undefined && want.rowTrigger !== this.state.rowTrigger) {
      await this.#root.query(
        `alter table app_public.posts ${want.rowTrigger ? "enable" : "disable"} trigger ${ROW_TRIGGER}`,
      );
      this.state = { ...this.state, rowTrigger: want.rowTrigger };
      this.switches++;
    }
    if (want.storeEvents !== undefined && want.storeEvents !== this.state.storeEvents) {
      /* On the partitioned table: PostgreSQL applies it to every partition's clone of the trigger. */
      await this.#root.query(
        `alter table audit.events ${want.storeEvents ? "disable" : "enable"} trigger ${DROP_TRIGGER}`,
      );
      this.state = { ...this.state, storeEvents: want.storeEvents };
      this.switches++;
    }
  }
}

/** The bursts of one case, in the order they ran; `units` rows or logins per burst. */
interface Series {
  name: string;
  units: number;
  bursts: BurstResult[];
}

interface Block {
  rate: number;
  p50: number;
  p99: number;
  /** Wall time per row or login, in microseconds. */
  usPerUnit: number;
}

function block(series: Series, bursts: readonly BurstResult[]): Block {
  const latencies = bursts.flatMap((b) => b.latenciesMs).sort((a, b) => a - b);
  const wallMs = bursts.reduce((sum, b) => sum + b.wallMs, 0);
  const units = series.units * bursts.length;
  return {
    rate: (units * 1000) / wallMs,
    p50: percentile(latencies, 0.5),
    p99: percentile(latencies, 0.99),
    usPerUnit: (wallMs * 1000) / units,
  };
}

function blocks(series: Series, count: number): Block[] {
  const { bursts } = series;
  const n = Math.min(count, bursts.length);
  return Array.from({ length: n }, (_, k) =>
    block(series, bursts.slice(Math.floor((k * bursts.length) / n), Math.floor(((k + 1) * bursts.length) / n))),
  );
}

interface Group {
  what: string;
  unit: string;
  baseline: Series;
  cases: Array<{ series: Series; target?: number }>;
}

const fixed = (digits: number) => (x: number) => x.toFixed(digits);
const ms = (x: number): string => (x >= 100 ? x.toFixed(1) : x.toFixed(2));
const signed = (x: number): string => `${x >= 0 ? "+" : "−"}${Math.abs(x).toFixed(0)}`;

function cell(s: Spread, format: (x: number) => string): string {
  return `${format(s.median)} (${format(s.min)}–${format(s.max)})`;
}

function signedCell(s: Spread): string {
  return `${signed(s.median)} (${signed(s.min)} to ${signed(s.max)})`;
}

/**
 * Per group, the baseline and its cases: rows or logins per second, per-statement or per-request latency, and, paired
 * block by block with the baseline (block k of each ran over about the same seconds), the throughput ratio and the
 * extra wall time per row or login. Each cell the median across blocks (min–max).
 */
function throughputTable(groups: readonly Group[]): string {
  const header = [
    "what",
    "case",
    "per second",
    "p50 ms",
    "p99 ms",
    "throughput ÷ baseline",
    "p50 ÷ baseline",
    "extra µs per unit",
    "target",
  ];
  const lines = [`| ${header.join(" | ")} |`, `|${header.map(() => "---").join("|")}|`];
  for (const group of groups) {
    const base = blocks(group.baseline, BLOCKS);
    for (const entry of [{ series: group.baseline, target: undefined }, ...group.cases]) {
      const { series } = entry;
      const mine = blocks(series, BLOCKS);
      const row = [
        group.what,
        series === group.baseline ? `${series.name} (baseline)` : series.name,
        `${cell(spread(mine.map((b) => b.rate)), fixed(0))} ${group.unit}`,
        cell(spread(mine.map((b) => b.p50)), ms),
        cell(spread(mine.map((b) => b.p99)), ms),
      ];
      if (series === group.baseline) {
        row.push("1", "1", "", "");
      } else {
        const paired = mine.slice(0, base.length).map((b, k) => ({ mine: b, base: base[k] as Block }));
        const ratio = spread(paired.map((p) => p.mine.rate / p.base.rate));
        row.push(
          cell(ratio, fixed(3)),
          cell(spread(paired.map((p) => p.mine.p50 / p.base.p50)), fixed(3)),
          signedCell(spread(paired.map((p) => p.mine.usPerUnit - p.base.usPerUnit))),
        );
        row.push(
          entry.target === undefined
            ? ""
            : `≥ ${entry.target}: ${ratio.median >= entry.target ? "met" : "**missed**"} (${ratio.median.toFixed(3)})`,
        );
      }
      lines.push(`| ${row.join(" | ")} |`);
    }
  }
  return lines.join("\n");
}

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

async function triggerStates(root: pg.Client, table: string, trigger: string): Promise<string[]> {
  const { rows } = await root.query<{ state: string }>(
    `select t.tgenabled as state from pg_trigger t
     where t.tgname = $2 and (t.tgrelid = $1::regclass or t.tgrelid in (select inhrelid from pg_inherits where inhparent = $1::regclass))`,
    [table, trigger],
  );
  return rows.map((r) => r.state);
}

/** `EXPLAIN (ANALYZE, BUFFERS)` of one statement, run in a transaction rolled back afterwards. */
async function explainRolledBack(root: pg.Client, sql: string, params: unknown[]): Promise<string> {
  await root.query("begin");
  try {
    const { rows } = await root.query<{ "QUERY PLAN": string }>(`explain (analyze, buffers) ${sql}`, params);
    return rows.map((r) => r["QUERY PLAN"]).join("\n");
  } finally {
    await root.query("rollback");
  }
}

/**
 * Microseconds per `audit.record_event` call for an event like a login's, stored and dropped before its insert: each
 * statement makes RECORD_CALLS calls inside a transaction that is rolled back, alternating the two, RECORD_REPEATS
 * times each way after one untimed statement per switch; the median per call.
 */
async function timeRecordEvent(
  root: pg.Client,
  switches: AuditSwitches,
  subjectId: string,
): Promise<{ stored: number; dropped: number }> {
  const samples = { stored: [] as number[], dropped: [] as number[] };
  const once = async (): Promise<number> => {
    await root.query("begin");
    try {
      await root.query(
        "select set_config('request.id', 'bench-audit-record-event', true), set_config('request.ip', '127.0.0.1', true)",
      );
      const start = performance.now();
      const { rows } = await root.query<{ calls: number; ids: number }>(
        `select count(*)::integer as calls, count(x.id)::integer as ids
         from (select audit.record_event('auth.login', 'success', '{}', subject_id => $1::uuid, entity_type => 'session',
                                         entity_id => gen_random_uuid()::text) as id
               from generate_series(1, $2::integer)) x`,
        [subjectId, RECORD_CALLS],
      );
      const elapsed = performance.now() - start;
      /* A dropped event has no id. */
      const ids = switches.state.storeEvents ? RECORD_CALLS : 0;
      if (rows[0]?.calls !== RECORD_CALLS || rows[0].ids !== ids) {
        throw new Error(
          `expected ${RECORD_CALLS} record_event calls and ${ids} stored events, got ${JSON.stringify(rows[0])}`,
        );
      }
      return elapsed;
    } finally {
      await root.query("rollback");
    }
  };
  for (let i = 0; i < RECORD_REPEATS; i++) {
    for (const stored of [true, false]) {
      await switches.set({ storeEvents: stored });
      await once();
      samples[stored ? "stored" : "dropped"].push(((await once()) * 1000) / RECORD_CALLS);
    }
  }
  return { stored: median(samples.stored), dropped: median(samples.dropped) };
}

export const auditScenario: Scenario = {
  name: "audit",
  title: "audited writes and logins against the same work unaudited",
  description:
    "Throughput of work the audit trail records, beside the same work with the audit switched off, on the same database " +
    "and interleaved burst by burst. **Writes** (one pg connection): " +
    `bursts of ${SINGLE_PER_BURST} single-row \`insert into app_public.posts (author_id, title) values ($1, $2)\` (each its ` +
    `own transaction) and one \`insert … select … from generate_series(1, ${BULK_ROWS})\`, with the row-change trigger ` +
    `\`${ROW_TRIGGER}\` enabled or disabled (\`alter table … disable trigger\`, untimed, between bursts); as the ` +
    "superuser with no request, and **as a user**: each write one transaction that sets the role, claims and request " +
    "context as the gateway does (its events carry an actor, a request id and an encrypted address and user agent). **Login**: the " +
    "GraphQL `login` mutation over HTTP from a separate load-generator process, " +
    LOGIN_BURSTS.map(
      (b) => `${b.requests} per burst over ${b.connections} connection${b.connections === 1 ? "" : "s"}`,
    ).join(" and ") +
    ", with its audit row stored, or dropped by a BEFORE INSERT trigger on audit.events (made for the run). The table " +
    "below gives burst wall times; the throughput table under Notes gives rows or logins per second and the ratio " +
    "audited ÷ unaudited (PERF.md target for writes: ≥ 0.7).",
  async setup(env: BenchEnvironment) {
    const root = env.root;
    if ((await triggerStates(root, "app_public.posts", ROW_TRIGGER)).join() !== "O") {
      throw new Error(`app_public.posts has no enabled ${ROW_TRIGGER} trigger`);
    }
    let previousLimits: Array<{ key: string; value: unknown }> = [];
    const switches = new AuditSwitches(root);
    const writer = new pg.Client({ connectionString: env.urls.rootOnDatabase });
    let load: LoadGenerator | null = null;

    const restore = async (): Promise<void> => {
      await load?.close();
      await writer.end().catch(() => undefined);
      await root.query(`alter table app_public.posts enable trigger ${ROW_TRIGGER}`);
      await root.query(`drop trigger if exists ${DROP_TRIGGER} on audit.events`);
      await root.query(`drop schema if exists ${BENCH_SCHEMA} cascade`);
      for (const { key, value } of previousLimits) {
        await root.query("update config.system_settings set value = $2::jsonb where key = $1", [
          key,
          JSON.stringify(value),
        ]);
      }
      const left = await triggerStates(root, "app_public.posts", ROW_TRIGGER);
      if (left.join() !== "O") throw new Error(`${ROW_TRIGGER} on app_public.posts was left in state ${left.join()}`);
    };

    try {
      previousLimits = await liftRateLimits(root);
      await root.query(`create schema ${BENCH_SCHEMA}`);
      await root.query(
        `create function ${BENCH_SCHEMA}.drop_event() returns trigger language plpgsql as $$ begin return null; end $$`,
      );
      await root.query(
        `create trigger ${DROP_TRIGGER} before insert on audit.events for each row execute function ${BENCH_SCHEMA}.drop_event()`,
      );
      await root.query(`alter table audit.events disable trigger ${DROP_TRIGGER}`);
      await writer.connect();
      load = await startLoadGenerator();
      const generator = load;
      const author = await createUser(root);

      /* What one audited write and one login put in the trail: counted once, for the notes. */
      const eventsSince = async (id: number): Promise<Array<{ event_type: string; bytes: number }>> => {
        const { rows } = await root.query<{ event_type: string; bytes: number }>(
          "select event_type, pg_column_size(e.*) as bytes from audit.events e where id > $1 order by id",
          [id],
        );
        return rows;
      };
      const lastEventId = async (): Promise<number> => {
        const { rows } = await root.query<{ id: string | null }>("select max(id) as id from audit.events");
        return Number(rows[0]?.id ?? 0);
      };
      let mark = await lastEventId();
      await writer.query(SINGLE, [author.id, "bench audit: probe"]);
      const perWrite = await eventsSince(mark);
      const probe = await createUser(root);
      mark = await lastEventId();
      const probeLogin = await env.graphql<{ login: { result: { accessToken: string } | null } | null }>(LOGIN, {
        identifier: probe.email,
        password: probe.password,
      });
      if (!probeLogin.data?.login?.result?.accessToken)
        throw new Error(`probe login failed: ${JSON.stringify(probeLogin.errors ?? probeLogin)}`);
      const perLogin = await eventsSince(mark);
      const { rows: eventIndexes } = await root.query<{ name: string }>(
        "select c.relname as name from pg_index i join pg_class c on c.oid = i.indexrelid where i.indrelid = 'audit.events'::regclass order by 1",
      );

      /* ---------------------------------------------------------------- writes */
      /* Rows written per title, and whether each of them must have its event. */
      const written = new Map<string, { rows: number; audited: boolean }>();
      const writeCases: BenchCase[] = [];
      const writeGroups: Group[] = [];
      /*
       * Two writers: the superuser with no request (no actor, no request id, no personal part: the event's cheapest
       * shape), and the same writes as the gateway makes them for a signed-in user: one transaction that sets the
       * role, the token's claims and the request context (request id, client address, user agent), then the insert,
       * under row-level security. Those events carry an actor and a request id (two more index entries) and an
       * encrypted personal part (the address and user agent, to the author's key).
       */
      const authorSession = (
        await root.query<{ id: string }>("insert into app_private.sessions (user_id) values ($1) returning id", [
          author.id,
        ])
      ).rows[0]!.id;
      let requests = 0;
      const signIn = (): Promise<unknown> =>
        writer.query(CONTEXT, [author.id, authorSession, `bench-audit-${++requests}`, CLIENT_IP, USER_AGENT]);
      const writers = [
        { key: "superuser", label: "", what: "over one pg connection (superuser, no request context)" },
        {
          key: "signed-in",
          label: " as a user",
          what:
            "over one pg connection as the gateway writes for a signed-in user: in one transaction, the role " +
            "`app_authenticated`, the token's claims and the request context (request id, client address, user agent) " +
            "set with `set_config(…, true)`, the insert (row-level security on), commit",
        },
      ] as const;
      /* One untimed write of the case's own kind, rolled back. */
      const warmWriter = async (state: AuditState, as: (typeof writers)[number]["key"]): Promise<void> => {
        await switches.set(state);
        /*
         * A switch invalidates the writer's cached plans and relation entries: one untimed insert, rolled back, reloads
         * them, so the timed burst pays none of it. Done before every burst, switched or not, so all cases alike.
         */
        await writer.query("begin");
        if (as === "signed-in") {
          await signIn();
          await writer.query(SINGLE_SIGNED_IN, ["bench audit: warm-up"]);
        } else {
          await writer.query(SINGLE, [author.id, "bench audit: warm-up"]);
        }
        await writer.query("rollback");
      };
      const variants = [
        { key: "unaudited", label: "trigger disabled", state: { rowTrigger: false, storeEvents: true } },
        { key: "audited", label: "audited", state: { rowTrigger: true, storeEvents: true } },
      ] as const;
      for (const as of writers) {
        for (const kind of ["single", "bulk"] as const) {
          const units = kind === "single" ? SINGLE_PER_BURST : BULK_ROWS;
          const series = variants.map((v) => ({ variant: v, series: { name: v.label, units, bursts: [] } as Series }));
          const [unaudited, audited] = series;
          if (!unaudited || !audited) throw new Error("missing write variants");
          writeGroups.push({
            what:
              (kind === "single" ? "single-row insert" : `insert of ${BULK_ROWS.toLocaleString("en")} rows`) +
              `${as.label}, 1 connection`,
            unit: "rows",
            baseline: unaudited.series,
            cases: [{ series: audited.series, target: WRITE_TARGET }],
          });
          for (const { variant, series: s } of series) {
            const title = `bench audit: ${kind} ${variant.key}${as.key === "signed-in" ? " signed in" : ""}`;
            written.set(title, { rows: 0, audited: variant.state.rowTrigger && variant.state.storeEvents });
            /* One write: a statement for the superuser, a whole transaction for the signed-in user. */
            const write = async (): Promise<number | null> => {
              if (as.key === "superuser") {
                return kind === "single"
                  ? (await writer.query(SINGLE, [author.id, title])).rowCount
                  : (await writer.query(BULK, [author.id, title, BULK_ROWS])).rowCount;
              }
              await writer.query("begin");
              try {
                await signIn();
                const { rowCount } =
                  kind === "single"
                    ? await writer.query(SINGLE_SIGNED_IN, [title])
                    : await writer.query(BULK_SIGNED_IN, [title, BULK_ROWS]);
                await writer.query("commit");
                return rowCount;
              } catch (error) {
                await writer.query("rollback");
                throw error;
              }
            };
            const run = async (): Promise<void> => {
              if (kind === "single") {
                const latenciesMs: number[] = [];
                const start = performance.now();
                for (let i = 0; i < SINGLE_PER_BURST; i++) {
                  const t = performance.now();
                  const rowCount = await write();
                  latenciesMs.push(performance.now() - t);
                  if (rowCount !== 1) throw new Error(`a single-row insert wrote ${rowCount} rows`);
                }
                s.bursts.push({ concurrency: 1, wallMs: performance.now() - start, latenciesMs });
              } else {
                const start = performance.now();
                const rowCount = await write();
                const wallMs = performance.now() - start;
                if (rowCount !== BULK_ROWS) throw new Error(`the bulk insert wrote ${rowCount} rows`);
                s.bursts.push({ concurrency: 1, wallMs, latenciesMs: [wallMs] });
              }
              const tally = written.get(title);
              if (tally) tally.rows += units;
            };
            const what =
              kind === "single"
                ? `${SINGLE_PER_BURST} single-row inserts (each its own transaction)`
                : `one insert of ${BULK_ROWS.toLocaleString("en")} rows`;
            const how = {
              unaudited: `with \`${ROW_TRIGGER}\` disabled`,
              audited: `with \`${ROW_TRIGGER}\` enabled: one \`row.posts.insert\` event per row`,
            }[variant.key];
            writeCases.push({
              name: `${kind === "single" ? "single-row" : "bulk"}${as.label}, ${variant.label}`,
              description: `A burst of ${what} into app_public.posts ${as.what}, ${how}.`,
              transport: "pg",
              beforeEach: () => warmWriter(variant.state, as.key),
              run,
            });
            for (let i = 0; i < PREWARM_BURSTS; i++) {
              await warmWriter(variant.state, as.key);
              await run();
            }
          }
        }
      }

      /* ---------------------------------------------------------------- login */
      const url = `${env.gatewayUrl}/graphql`;
      const loginCases: BenchCase[] = [];
      const loginGroups: Group[] = [];
      const loginAccounts: Array<{ name: string; stored: boolean; accounts: TestUser[]; sent: () => number }> = [];
      for (const { connections, requests } of LOGIN_BURSTS) {
        const label = `${connections} connection${connections === 1 ? "" : "s"}`;
        const pair = [] as Series[];
        for (const stored of [false, true]) {
          const accounts: TestUser[] = [];
          for (let i = 0; i < LOGIN_ACCOUNTS; i++)
            accounts.push(await createUser(root, { password: `correct horse battery ${i} ${stored}` }));
          const asRequests = (count: number): BurstRequest[] =>
            Array.from({ length: count }, (_, i) => {
              const account = accounts[i % accounts.length] as TestUser;
              return {
                body: JSON.stringify({
                  query: LOGIN,
                  variables: { identifier: account.email, password: account.password },
                }),
              };
            });
          const burstRequests = asRequests(requests);
          const warmRequests = asRequests(connections);
          const series: Series = { name: stored ? "audited" : "audit row not stored", units: requests, bursts: [] };
          pair.push(series);
          let sent = 0;
          const name = `login, ${label}, ${stored ? "audited" : "audit row not stored"}`;
          loginAccounts.push({ name, stored, accounts, sent: () => sent });
          const prepare = async (): Promise<void> => {
            await switches.set({ storeEvents: stored });
            /* One untimed login per connection after the (possible) switch, so the gateway's connections replan first. */
            await generator.burst(url, connections, warmRequests, LOGIN_CHECK);
            sent += warmRequests.length;
            /*
             * Every login adds a hit to the client address's bucket and the identifier's; emptied before each burst so
             * the count inside each login stays as small as a real bucket's (at most 100), the same for all cases.
             */
            await root.query("delete from app_private.rate_limit_hits where bucket like 'login:%'");
          };
          const run = async (): Promise<void> => {
            series.bursts.push(await generator.burst(url, connections, burstRequests, LOGIN_CHECK));
            sent += burstRequests.length;
          };
          loginCases.push({
            name,
            description:
              `A burst of ${requests} GraphQL \`login\` mutations over ${label} from the load generator, cycling through ` +
              `${LOGIN_ACCOUNTS} verified accounts with the right password; every answer must carry an access token. ` +
              (stored
                ? "Audit as in production: each login stores its `auth.login` event."
                : "The same, with every event row dropped by the BEFORE INSERT trigger on audit.events (record_event still runs)."),
            transport: `HTTP ×${connections}`,
            beforeEach: prepare,
            run,
          });
          for (let i = 0; i < PREWARM_BURSTS; i++) {
            await prepare();
            await run();
          }
        }
        const [notStored, stored] = pair;
        if (!notStored || !stored) throw new Error("missing login variants");
        loginGroups.push({
          what: `login over HTTP, ${label}`,
          unit: "logins",
          baseline: notStored,
          cases: [{ series: stored }],
        });
      }

      const notes: string[] = [];
      return {
        cases: [...writeCases, ...loginCases],
        notes,
        async verify() {
          /*
           * Writes: every row is there, and exactly the audited ones have their event. Fresh statistics first: the
           * rounds added tens of thousands of posts and events since the last analyze, and with the old estimates the
           * planner joins them by nested loop (minutes at a generated dataset's size).
           */
          await root.query("analyze app_public.posts, audit.events");
          const { rows } = await root.query<{ title: string; posts: number; events: number }>(
            `select p.title, count(*)::integer as posts, count(e.id)::integer as events
             from app_public.posts p
             left join audit.events e on e.event_type = 'row.posts.insert' and e.entity_id = p.id::text
             where p.author_id = $1 and p.title = any($2::text[])
             group by p.title`,
            [author.id, [...written.keys()]],
          );
          for (const [title, { rows: count, audited }] of written) {
            const row = rows.find((r) => r.title === title);
            const expectEvents = audited ? count : 0;
            if (row?.posts !== count || row.events !== expectEvents) {
              throw new Error(
                `${title}: expected ${count} posts and ${expectEvents} events, found ${JSON.stringify(row ?? null)}`,
              );
            }
          }
          /* Logins: one session per login sent; an auth.login success per audited login, none for the others. */
          for (const { name, stored, accounts, sent } of loginAccounts) {
            const ids = accounts.map((a) => a.id);
            const { rows: found } = await root.query<{ sessions: number; events: number }>(
              `select (select count(*)::integer from app_private.sessions where user_id = any($1::uuid[])) as sessions,
                      (select count(*)::integer from audit.events where event_type = 'auth.login' and subject_id = any($1::uuid[])) as events`,
              [ids],
            );
            const expectEvents = stored ? sent() : 0;
            if (found[0]?.sessions !== sent() || found[0]?.events !== expectEvents) {
              throw new Error(
                `${name}: expected ${sent()} sessions and ${expectEvents} login events, found ${JSON.stringify(found[0])}`,
              );
            }
          }

          /* Plans of the bulk insert at the end of the run, with and without the row trigger (rolled back). */
          const explainBulk = async (state: AuditState): Promise<string> => {
            await switches.set(state);
            return explainRolledBack(root, BULK, [author.id, "bench audit: explain", BULK_ROWS]);
          };
          const auditedPlan = await explainBulk({ rowTrigger: true, storeEvents: true });
          const droppedPlan = await explainBulk({ rowTrigger: true, storeEvents: false });
          const unauditedPlan = await explainBulk({ rowTrigger: false, storeEvents: true });
          const summaryLines = (plan: string): string =>
            plan
              .split("\n")
              .filter((line) => line.startsWith("Trigger") || line.startsWith("Execution Time"))
              .join("; ");
          const eventCost = await timeRecordEvent(root, switches, probe.id);
          await switches.set({ rowTrigger: true, storeEvents: true });
          const { rows: sizes } = await root.query<{ posts: number; events: number; events_size: string }>(
            `select (select count(*)::integer from app_public.posts) as posts,
                    (select count(*)::integer from audit.events) as events,
                    pg_size_pretty(coalesce((select sum(pg_total_relation_size(inhrelid)) from pg_inherits where inhparent = 'audit.events'::regclass), 0)::bigint) as events_size`,
          );
          const size = sizes[0];
          const describe = (events: Array<{ event_type: string; bytes: number }>): string =>
            events.length === 0 ? "none" : events.map((e) => `\`${e.event_type}\` (${e.bytes} bytes)`).join(", ");

          notes.push(
            "Throughput, measured in the benchmark process (writes) or the load generator (logins): each case's bursts (the " +
              `runner's warm-up included) cut into ${BLOCKS} blocks of consecutive bursts; per block the rows or logins per ` +
              "second (units ÷ the bursts' summed wall time) and the p50/p99 latency of its statements or requests (a bulk " +
              "insert is one statement); each cell the median across blocks (min–max). Ratios and extra µs per row or login " +
              "are paired block by block with the group's baseline, which ran interleaved with it. " +
              `**throughput ÷ baseline** is the ratio audited ÷ unaudited (PERF.md target for writes: ≥ ${WRITE_TARGET}).\n\n` +
              `${throughputTable([...writeGroups, ...loginGroups])}\n`,
            `What the audit writes here: one audited single-row insert into posts adds ${describe(perWrite)}; one successful ` +
              `login adds ${describe(perLogin)}. A login's own writes (session, refresh token, login_attempts, user_security, ` +
              "known_devices, rate-limit hits) are all in app_private, whose tables carry no row-change trigger, so a login " +
              "records no `row.*` events, only its decision event. audit.events has " +
              `${eventIndexes.length} indexes (${eventIndexes.map((i) => i.name).join(", ")}), partial ones skipped for ` +
              "null columns.",
            "Login baseline: the same HTTP login with its audit row dropped just before it is stored (a BEFORE INSERT " +
              `trigger \`${DROP_TRIGGER}\` on audit.events returning null, enabled only for that case). record_event still ` +
              "runs and reads the request context, so the difference is the event's insert: the partitioned heap, its " +
              "indexes and WAL. The bare SQL call `app_public.login(…)` over pg was not used as the baseline: it differs " +
              "from the HTTP login by everything the gateway does (HTTP, GraphQL, transaction settings, token signing), not " +
              "by the audit, so its ratio would measure the gateway (the `login` scenario gives that split).",
            "Switching: the row trigger and the dropping trigger are switched with `alter table … enable|disable trigger` " +
              `on a separate superuser connection before a burst whose case needs another state (${switches.switches} ` +
              "switches in this run, all untimed). A switch invalidates cached plans, so before every burst, switched or " +
              "not, the writer runs one untimed insert in a rolled-back transaction and the login cases send one untimed " +
              "login per connection. The row trigger was enabled again at the end and its state checked.",
            "Writes without `as a user` run as the superuser with no request (row-level security bypassed; no actor, " +
              "request id or personal part in their events); `as a user` writes set the role `app_authenticated`, the " +
              "claims of a live session and the request context in each transaction, as the gateway does, so their " +
              "events carry an actor and a request id (two more index entries) and the address and user agent encrypted " +
              "to the author's key (one `pgp_pub_encrypt` per transaction; a bulk insert encrypts once for all its rows). " +
              "Synchronous commit and fsync are on, so each single-row insert includes its commit's WAL flush, audited or not. " +
              "All rows go to one author; posts and audit.events grow through the run, alike for every case since they " +
              `take turns. At the end: ${size?.posts} posts, ${size?.events} audit events (${size?.events_size} with indexes).`,
            "Logins: every `rate_limit.*.max` was raised to its maximum for the scenario (restored afterwards) and the " +
              "`login:` rate-limit buckets were emptied before every login burst (untimed), so the limit's count stays as " +
              "small as a real bucket's. Accounts are made at the run's bcrypt cost, so no login rehashes. The audit trail " +
              "confirms one `auth.login` per audited login and none for the others; sessions confirm every login.",
            `EXPLAIN (ANALYZE, BUFFERS) of the ${BULK_ROWS.toLocaleString("en")}-row insert at the end of the run (rolled back), audited:\n\n` +
              `\`\`\`\n${auditedPlan}\n\`\`\``,
            `The same with \`${ROW_TRIGGER}\` disabled:\n\n\`\`\`\n${unauditedPlan}\n\`\`\``,
            `The same audited but with the event rows dropped before they are stored (the trigger's own work: \`to_jsonb\`, ` +
              `redaction, the record_event call, partition routing): ${summaryLines(droppedPlan)}. Single runs, so only ` +
              "indicative; the table above has the timed figures.",
            `One \`auth.login\`-like event (subject, request id and client address set, as a login's) costs ` +
              `${eventCost.stored.toFixed(1)} µs per \`audit.record_event\` call stored against ${eventCost.dropped.toFixed(1)} µs ` +
              `dropped before its insert: the event's insert is about ${(eventCost.stored - eventCost.dropped).toFixed(0)} µs, ` +
              "less the dropping trigger's own call. Measured inside the database: " +
              `${RECORD_CALLS.toLocaleString("en")} calls in one statement, in a transaction rolled back, ${RECORD_REPEATS} times each way, ` +
              "alternating; the median per call.",
            "The `HTTP load` line above describes the harness's own fetch client, used here for one probe login at setup " +
              "only: every timed login comes from a separate Node process (autocannon) over keep-alive connections, its " +
              "latency measured there. The runner's columns are burst wall times (with the IPC round trip and autocannon's set-up for logins).",
            "Two shared vCPUs run PostgreSQL, the gateway and the load generator together (and, during this run, whatever " +
              "else the host runs): compare figures only at equal concurrency, and read the ratios, not the absolute rates. " +
              "Throughput on one connection is the inverse of the mean latency, so a few slow commits (an fsync that waits " +
              "on a busy disk) move it far more than the p50; where the two ratios disagree, the p50 ratio is the steadier.",
          );
        },
        teardown: restore,
      };
    } catch (error) {
      await restore();
      throw error;
    }
  },
};
