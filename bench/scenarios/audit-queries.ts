/**
 * audit-queries: the auditor's queries on a generated dataset with its history (BENCH_USERS accounts, default
 * 1,000,000, three events each over 24 months), as app_authenticated with the claims of a global auditor's session, one
 * page of 50 newest first, as GraphQL asks for a page: by user, by type within a month, by time range (one day), by
 * request id. Baseline: one event by its primary key. The design documents' target: audit queries under 20 ms. Each
 * query's EXPLAIN (ANALYZE, BUFFERS) is in the notes, a sequential scan of a large table flagged.
 */
import pg from "pg";
import { loadSummary } from "../../fixtures/generate/report.ts";
import { benchDataset } from "../lib/dataset.ts";
import { pgClients } from "../lib/parallel.ts";
import { codeBlock, distinctPlans, explainNested, largeSeqScans } from "../lib/plans.ts";
import type { BenchCase, Scenario, Target } from "../lib/types.ts";

const CLAIMS =
  "select set_config('role', 'app_authenticated', true), set_config('jwt.claims.sub', $1, true), set_config('jwt.claims.sid', $2, true)";
const BY_KEY = "select * from audit.events where id = $1 and occurred_at = $2::timestamptz";
const PAGE = "limit 50";
/** The design documents' target for audit queries, at p99 and one client. */
const DESIGN_TARGET: Target = { kind: "p99-ms", maxMs: 20, label: "design: p99 < 20 ms" };
const QUERIES = {
  "by user": `select * from app_public.audit_events(user_id => $1::uuid) ${PAGE}`,
  "by type, one month": `select * from app_public.audit_events(event_type => $1, since => $2::timestamptz, until => $2::timestamptz + interval '1 month') ${PAGE}`,
  "by time, one day": `select * from app_public.audit_events(since => $1::timestamptz, until => $1::timestamptz + interval '1 day') ${PAGE}`,
  "by request id": `select * from app_public.audit_events(request_id => $1) ${PAGE}`,
} as const;

export const auditQueriesScenario: Scenario = {
  name: "audit-queries",
  dataset: "history",
  title: "the auditor's audit-trail queries on generated history against a primary-key lookup",
  description:
    "On a generated dataset with history (default 1,000,000 accounts and 3,000,000 events over 24 monthly partitions; " +
    "`BENCH_USERS=100000` for a quicker run): `app_public.audit_events(…)` as app_authenticated with a global auditor's " +
    "claims, a page of 50 newest first, by user, by type within one month, by a one-day time range and by request id, " +
    "beside the baseline of one event by primary key. Design target: audit queries under 20 ms.",
  async setup(env) {
    const load = await benchDataset(env, true);
    /* A global auditor with a live session; samples spread over the history. */
    const { rows: auditor } = await env.root.query<{ user_id: string; session_id: string }>(
      `with u as (insert into app_public.users (username, email, email_verified, email_verified_at)
                  values ('bench_auditor', 'bench_auditor@example.test', true, now()) returning id),
            g as (insert into app_public.user_roles (user_id, role_id)
                  select u.id, r.id from u, app_public.roles r where r.name = 'auditor' and r.is_system and r.organization_id is null),
            s as (insert into app_private.sessions (user_id) select id from u returning id, user_id)
       select user_id, id as session_id from s`,
    );
    const claims = [auditor[0]!.user_id, auditor[0]!.session_id];
    const { rows: samples } = await env.root.query<{
      id: string;
      occurred_at: string;
      subject_id: string;
      event_type: string;
      request_id: string;
      month: Date;
      day: Date;
    }>(
      /* occurred_at as text: a JavaScript Date would drop its microseconds, and the key would match nothing. */
      `select id::text, occurred_at::text, subject_id, event_type, request_id, date_trunc('month', occurred_at) as month, date_trunc('day', occurred_at) as day
       from audit.events tablesample system (1) where request_id like 'gen-%' limit 200`,
    );
    if (samples.length < 50) throw new Error(`only ${samples.length} sample events`);
    const client = new pg.Client({ connectionString: env.urls.authenticator });
    await client.connect();
    const direct = new pg.Client({ connectionString: env.urls.rootOnDatabase });
    await direct.connect();
    const argsOf = (what: keyof typeof QUERIES, s: (typeof samples)[number]): unknown[] =>
      what === "by user"
        ? [s.subject_id]
        : what === "by type, one month"
          ? [s.event_type, s.month]
          : what === "by time, one day"
            ? [s.day]
            : [s.request_id];

    /* The plan of the statement audit_events builds, inside it (auto_explain), as the timed call runs it. */
    const plans: string[] = [];
    for (const what of Object.keys(QUERIES) as Array<keyof typeof QUERIES>) {
      const found = await explainNested(env.urls.rootOnDatabase, async (c) => {
        await c.query("begin");
        await c.query(CLAIMS, claims);
        await c.query(QUERIES[what], argsOf(what, samples[0]!));
        await c.query("commit");
      });
      plans.push(
        codeBlock(
          `EXPLAIN (ANALYZE, BUFFERS), ${what}: the statement audit_events runs (auto_explain):`,
          distinctPlans(found)
            .filter((p) => p.includes("from audit.events e"))
            .join("\n\n"),
        ),
      );
    }
    const seqScans = await largeSeqScans(direct, plans, 10_000);

    let k = 0;
    /* One call: the whole transaction the gateway would run (claims, query, commit), on the connection given. */
    const query = (what: keyof typeof QUERIES): BenchCase => {
      let i = 0;
      const call = async (on: pg.Client): Promise<void> => {
        const sample = samples[i++ % samples.length]!;
        await on.query("begin");
        try {
          await on.query({ name: "claims", text: CLAIMS, values: claims });
          const { rows } = await on.query({ name: what, text: QUERIES[what], values: argsOf(what, sample) });
          if (rows.length === 0) throw new Error(`${what} found nothing for ${JSON.stringify(argsOf(what, sample))}`);
        } finally {
          await on.query("commit");
        }
      };
      return {
        name: what,
        description: `\`${QUERIES[what]}\` as the auditor.`,
        transport: "pg",
        target: DESIGN_TARGET,
        run: () => call(client),
        parallel: pgClients(env.urls.authenticator, call),
      };
    };
    const byKey = async (on: pg.Client): Promise<void> => {
      const sample = samples[k++ % samples.length]!;
      const { rows } = await on.query({ name: "by-key", text: BY_KEY, values: [sample.id, sample.occurred_at] });
      if (rows.length !== 1) throw new Error(`no event ${sample.id}`);
    };
    return {
      baseline: {
        name: "event by primary key",
        description: "`select * from audit.events where id = $1 and occurred_at = $2` as the superuser.",
        transport: "pg",
        run: () => byKey(direct),
        parallel: pgClients(env.urls.rootOnDatabase, byKey),
      },
      cases: (Object.keys(QUERIES) as Array<keyof typeof QUERIES>).map(query),
      notes: [
        `Dataset: ${loadSummary(load)}.`,
        "Each timed call is the whole transaction the gateway would run: set the claims, the query, commit.",
        "`audit_events` builds its statement from the filters given and runs it with `return query execute`, newest " +
          "first and at most 1,000 events (migration 000020); the page's LIMIT applies to what the function returns.",
        seqScans.length === 0
          ? "No sequential scan of a table over 10,000 rows in the plans."
          : `**Sequential scans of large tables**: ${seqScans.join(", ")}.`,
        ...plans,
      ],
      async teardown() {
        await client.end();
        await direct.end();
      },
    };
  },
};
