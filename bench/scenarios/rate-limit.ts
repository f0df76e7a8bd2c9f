/**
 * rate-limit: what one `app_private.rate_limit_hit(bucket, max, window)` costs, called directly over pg, against a
 * primary-key lookup on the same connection, with the hits table prefilled to a realistic volume so that the index on
 * (bucket, hit_at) is what makes the check fast. The count query's plan is recorded with the results.
 */
import { randomBytes } from "node:crypto";
import pg from "pg";
import type { BenchEnvironment } from "../lib/environment.ts";
import type { Scenario } from "../lib/types.ts";

/**
 * Prefilled hits: HITS rows over BUCKETS buckets, 10 each, 6 minutes apart and spread over the last hour (the longest
 * default window), each bucket's series shifted by a fraction of those 6 minutes: 2 or 3 hits per bucket in 15 minutes.
 */
const HITS = 100_000;
const BUCKETS = 10_000;
/** Accounts for the primary-key lookup, so the baseline reads a table of some size too. */
const ACCOUNTS = 10_000;

/** The allowed case: the client IP login limit defaults; about a quarter of a bucket's 10 hits fall in the window. */
const ALLOWED = { max: 100, window: "15 minutes" };
/** The refused case: all of a bucket's hits fall in the window, and there are more than `max`. */
const REFUSED = { max: 3, window: "1 hour" };

const HIT = "select app_private.rate_limit_hit($1, $2::integer, $3::interval) as retry";
const PK_LOOKUP = "select * from app_public.users where id = $1";
/** The count inside rate_limit_hit as PL/pgSQL runs it: bucket, clock and window are parameters. */
const COUNT_QUERY =
  "select count(*), min(h.hit_at) from app_private.rate_limit_hits h where h.bucket = $1 and h.hit_at > $2 - $3";

function bucketName(n: number): string {
  return `login_failure:client_ip:10.${(n >> 16) & 255}.${(n >> 8) & 255}.${n & 255}`;
}

async function explain(root: pg.Client, generic: boolean, bucket: string, window: string): Promise<string> {
  await root.query(`set plan_cache_mode = ${generic ? "force_generic_plan" : "force_custom_plan"}`);
  try {
    await root.query(`prepare bench_rate_limit_count(text, timestamptz, interval) as ${COUNT_QUERY}`);
    /* Utility statements take no bind parameters: the (generated) values are quoted into the text. */
    const { rows } = await root.query<{ "QUERY PLAN": string }>(
      `explain (analyze, buffers) execute bench_rate_limit_count(encode(extensions.digest(${root.escapeLiteral(bucket)}, 'sha256'), 'hex'), app_hidden.clock_now(), ${root.escapeLiteral(window)})`,
    );
    return rows.map((r) => r["QUERY PLAN"]).join("\n");
  } finally {
    await root.query("deallocate bench_rate_limit_count");
    await root.query("reset plan_cache_mode");
  }
}

export const rateLimitScenario: Scenario = {
  name: "rate-limit",
  title: "rate_limit_hit over pg against a primary-key select",
  description:
    "`app_private.rate_limit_hit(bucket, max, window)` called directly over one pg connection (superuser) against " +
    `\`${PK_LOOKUP}\` on the same connection, with app_private.rate_limit_hits prefilled with ${HITS.toLocaleString("en")} ` +
    `hits over ${BUCKETS.toLocaleString("en")} buckets (and ${ACCOUNTS.toLocaleString("en")} accounts to look up). Each call ` +
    "takes the next bucket in turn and runs inside a transaction rolled back after it (untimed), so the table keeps its size.",
  async setup(env: BenchEnvironment) {
    const tag = randomBytes(4).toString("hex");
    const { rows: accounts } = await env.root.query<{ id: string }>(
      `insert into app_public.users (username, email, email_verified, email_verified_at, status)
       select 'bench_rl_' || $1 || '_' || g, 'bench_rl_' || $1 || '_' || g || '@example.test', true, now(), 'active'
       from generate_series(1, $2::integer) g
       returning id`,
      [tag, ACCOUNTS],
    );
    const buckets = Array.from({ length: BUCKETS }, (_, n) => bucketName(n));
    /* The log keeps only the SHA-256 of a bucket's name (a pseudonym: bucket names are addresses and identifiers). */
    await env.root.query(
      `insert into app_private.rate_limit_hits (bucket, hit_at)
       select encode(extensions.digest(($1::text[])[1 + g % $2::integer], 'sha256'), 'hex'), app_hidden.clock_now() - (g / $2::integer + (g % $2::integer)::float8 / $2::integer) * interval '6 minutes'
       from generate_series(0, $3::integer - 1) g`,
      [buckets, BUCKETS, HITS],
    );
    /* As autovacuum would have by now: the planner needs the table's statistics. */
    await env.root.query("vacuum analyze app_private.rate_limit_hits, app_public.users");
    const { rows: sizes } = await env.root.query<{ hits: number; buckets: number; users: number; size: string }>(
      `select (select count(*)::integer from app_private.rate_limit_hits) as hits,
              (select count(distinct bucket)::integer from app_private.rate_limit_hits) as buckets,
              (select count(*)::integer from app_public.users) as users,
              pg_size_pretty(pg_total_relation_size('app_private.rate_limit_hits')) as size`,
    );
    const size = sizes[0];
    const plans = [
      `custom plan (PL/pgSQL's first five calls on a connection):\n${await explain(env.root, false, bucketName(42), ALLOWED.window)}`,
      `generic plan (what PL/pgSQL may keep after those):\n${await explain(env.root, true, bucketName(42), ALLOWED.window)}`,
    ];

    const direct = new pg.Client({ connectionString: env.urls.rootOnDatabase });
    await direct.connect();
    let inTransaction = false;
    const settle = async (): Promise<void> => {
      if (inTransaction) await direct.query("rollback");
      inTransaction = false;
    };
    const begin = async (): Promise<void> => {
      await settle();
      await direct.query("begin");
      inTransaction = true;
    };
    let nextAccount = 0;
    let nextBucket = 0;
    const hit = (limit: { max: number; window: string }, allowed: boolean) => async (): Promise<void> => {
      const bucket = buckets[nextBucket++ % buckets.length] as string;
      const { rows } = await direct.query<{ retry: number | null }>(HIT, [bucket, limit.max, limit.window]);
      const retry = rows[0]?.retry;
      if (allowed ? retry !== null : !(typeof retry === "number" && retry > 0)) {
        throw new Error(
          `rate_limit_hit on ${bucket} returned ${retry}, expected ${allowed ? "null (allowed)" : "seconds to wait (refused)"}`,
        );
      }
    };

    return {
      baseline: {
        name: "pk lookup",
        description: `\`${PK_LOOKUP}\`, a different account each call, autocommit (after rolling back the previous case's transaction, untimed).`,
        transport: "pg",
        beforeEach: settle,
        async run() {
          const id = accounts[nextAccount++ % accounts.length]?.id;
          const { rows } = await direct.query<{ id: string }>(PK_LOOKUP, [id]);
          if (rows[0]?.id !== id) throw new Error(`no account ${id}`);
        },
      },
      cases: [
        {
          name: "rate_limit_hit, allowed",
          description:
            `max ${ALLOWED.max} per ${ALLOWED.window} (the login-per-address default) on a bucket with 2 or 3 hits in the ` +
            "window: takes the advisory lock, counts, inserts the hit, returns null. In a transaction begun before the call " +
            "and rolled back after it, both untimed.",
          transport: "pg",
          beforeEach: begin,
          run: hit(ALLOWED, true),
        },
        {
          name: "rate_limit_hit, refused",
          description:
            `max ${REFUSED.max} per ${REFUSED.window} on a bucket with 10 hits in the window: takes the advisory lock, counts, ` +
            "returns the seconds to wait, inserts nothing. Same transaction handling.",
          transport: "pg",
          beforeEach: begin,
          run: hit(REFUSED, false),
        },
      ],
      notes: [
        `Hits table at setup: ${size?.hits} rows over ${size?.buckets} buckets (${size?.size} with its indexes): the ` +
          `${HITS.toLocaleString("en")} prefilled, 6 minutes apart over the last hour, plus what earlier scenarios of the run ` +
          `left; then \`vacuum analyze\`. ${size?.users} accounts. Buckets are taken in turn, so ` +
          "consecutive calls touch different index pages, as different clients would.",
        "Each timed call is one round trip inside an open transaction; the commit that a real login or refresh pays once for " +
          "all its writes is left out, as is the advisory lock's wait when another request of the same bucket holds it " +
          "(requests of one bucket run one after another; docs/sessions.md).",
        "No target was set for this figure; PERF.md expects such checks to sit within a small factor of a primary-key lookup.",
        ...plans.map(
          (plan) =>
            `EXPLAIN (ANALYZE, BUFFERS) of the count in rate_limit_hit, ${plan.split("\n")[0]}\n\n\`\`\`\n${plan.split("\n").slice(1).join("\n")}\n\`\`\``,
        ),
      ],
      async teardown() {
        await settle();
        await direct.end();
      },
    };
  },
};
