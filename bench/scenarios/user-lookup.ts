/**
 * user-lookup: finding an account by email and by username (the way login does, on a generated dataset of 1,000,000
 * accounts by default), beside a primary-key lookup of the same accounts in the same run. The design documents' target:
 * a user by id, email or username in under 5 ms. Each statement's EXPLAIN (ANALYZE, BUFFERS) at the run's size is in
 * the notes, and a sequential scan of a large table is flagged.
 *
 * Sizes from the environment like has-permission: BENCH_USERS (default 1,000,000), BENCH_SEED (1), BENCH_SAMPLES (500).
 */
import pg from "pg";
import { loadSummary } from "../../fixtures/generate/report.ts";
import { benchDataset, sampleLiveUsers } from "../lib/dataset.ts";
import { pgClients } from "../lib/parallel.ts";
import { codeBlock, explainAnalyze, largeSeqScans } from "../lib/plans.ts";
import { positiveInteger } from "../lib/settings.ts";
import type { BenchCase, Scenario } from "../lib/types.ts";

/** The design documents': a user by id, email or username in under 5 ms (checked at p99, one client). */
const DESIGN_TARGET = { kind: "p99-ms", maxMs: 5, label: "design: p99 < 5 ms" } as const;

const BY_ID = "select * from app_public.users where id = $1::uuid";
/* As login looks accounts up: the unique indexes on email and username are partial (deleted_at is null). */
const BY_EMAIL = "select * from app_public.users where email = $1::extensions.citext and deleted_at is null";
const BY_USERNAME = "select * from app_public.users where username = $1::extensions.citext and deleted_at is null";

export const userLookupScenario: Scenario = {
  name: "user-lookup",
  dataset: "accounts",
  title: "an account by email and by username against a primary-key lookup",
  description:
    "On a generated dataset (default 1,000,000 accounts; `BENCH_USERS=20000` for a quick run): " +
    "`select * from app_public.users where email = $1 and deleted_at is null` and the same by username (citext, as login " +
    "asks), beside the baseline `select * from app_public.users where id = $1`, all prepared, over one direct connection, " +
    "cycling through the same sampled accounts (upper-cased identifiers every other call, since both are case-insensitive). " +
    "Design target: under 5 ms.",
  async setup(env) {
    const sampleCount = positiveInteger("BENCH_SAMPLES", 500);
    const load = await benchDataset(env, false);
    const { dataset } = load;
    /* Every other identifier upper-cased: both lookups are case-insensitive. */
    const samples = sampleLiveUsers(dataset, "user-lookup-sample", sampleCount).map((user, k) => {
      const upper = k % 2 === 1;
      return {
        id: user.id,
        email: upper ? user.email.toUpperCase() : user.email,
        username: upper ? user.username.toUpperCase() : user.username,
      };
    });
    const client = new pg.Client({ connectionString: env.urls.rootOnDatabase });
    await client.connect();

    const lookup = (name: string, sql: string, key: "id" | "email" | "username", description: string): BenchCase => {
      let i = 0;
      const call = async (on: pg.Client): Promise<void> => {
        const sample = samples[i++ % samples.length]!;
        const { rows } = await on.query<{ id: string }>({ name, text: sql, values: [sample[key]] });
        if (rows.length !== 1 || rows[0]?.id !== sample.id) throw new Error(`${name} did not find ${sample[key]}`);
      };
      return {
        name,
        description,
        transport: "pg",
        target: DESIGN_TARGET,
        run: () => call(client),
        parallel: pgClients(env.urls.rootOnDatabase, call),
      };
    };

    const first = samples[0]!;
    const plans = [
      ["by id", await explainAnalyze(client, BY_ID, [first.id])],
      ["by email", await explainAnalyze(client, BY_EMAIL, [first.email])],
      ["by username", await explainAnalyze(client, BY_USERNAME, [first.username])],
    ] as const;
    const seqScans = await largeSeqScans(
      client,
      plans.map(([, plan]) => plan),
      10_000,
    );

    return {
      baseline: lookup(
        "by id (pk)",
        BY_ID,
        "id",
        "`select * from app_public.users where id = $1` (prepared): the primary key.",
      ),
      cases: [
        lookup(
          "by email",
          BY_EMAIL,
          "email",
          "By email address, case-insensitive (citext), live accounts: `users_email_key`, unique where deleted_at is null.",
        ),
        lookup(
          "by username",
          BY_USERNAME,
          "username",
          "By username, case-insensitive, live accounts: `users_username_key`, unique where deleted_at is null.",
        ),
      ],
      notes: [
        `Dataset: ${loadSummary(load)}.`,
        seqScans.length === 0
          ? "No sequential scan of a table over 10,000 rows in any plan below."
          : `**Sequential scans of large tables** (a bug by PERF.md's rule): ${seqScans.join(", ")}.`,
        ...plans.map(([what, plan]) => codeBlock(`EXPLAIN (ANALYZE, BUFFERS), ${what}:`, plan)),
      ],
      async teardown() {
        await client.end();
      },
    };
  },
};
