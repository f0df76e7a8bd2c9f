/**
 * has-permission: the permission check on a generated dataset (fixtures/generate/; 1,000,000 users, 2,000 roles in a DAG
 * of depth 8, 500 permissions by default), beside a primary-key lookup of a user in the same run. PERF.md's target:
 * under 2x the primary-key lookup.
 *
 * Sizes come from the environment, since `npm run bench` has no per-scenario options: BENCH_USERS (default 1,000,000;
 * 20000 for a quick run), BENCH_SEED (the random seed, default 1), BENCH_SAMPLES (checks to cycle through, default
 * 500).
 */
import { performance } from "node:perf_hooks";
import pg from "pg";
import { datasetOptions, type Dataset } from "../../fixtures/generate/dataset.ts";
import { generateDataset, type LoadReport } from "../../fixtures/generate/load.ts";
import { rngFor } from "../../fixtures/generate/random.ts";
import { loadSummary } from "../../fixtures/generate/report.ts";
import type { BenchEnvironment } from "../lib/environment.ts";
import { pgClients } from "../lib/parallel.ts";
import { codeBlock, explainNested, largeSeqScans } from "../lib/plans.ts";
import { positiveInteger } from "../lib/settings.ts";
import type { Scenario } from "../lib/types.ts";

export interface HasPermissionOptions {
  users?: number;
  randomSeed?: number;
  /** Distinct checks (user, permission, organisation) the timed calls cycle through. */
  samples?: number;
}

type SampleKind = "held in the organisation" | "random in the organisation" | "global";

interface Sample {
  kind: SampleKind;
  /** The user's generated grants (expired ones and those of ended memberships included). */
  grants: number;
  userId: string;
  sessionId: string;
  permission: string;
  organizationId: string | null;
  expected: boolean;
}

const PK_LOOKUP = "select * from app_public.users where id = $1::uuid";
const HAS_PERMISSION = "select app_public.has_permission($1::text, $2::uuid) as allowed";
const USER_HAS_PERMISSION = "select app_hidden.user_has_permission($1::uuid, $2::text, $3::uuid) as allowed";
const CLAIMS =
  "select set_config('role', 'app_authenticated', true), set_config('jwt.claims.sub', $1, true), set_config('jwt.claims.sid', $2, true)";

/*
 * The expected answer, from the grants and the hierarchy itself: a recursive walk up role_parents, neither the
 * closure table nor the functions under test. A timed call whose answer differs stops the run.
 */
const ORACLE = `
with recursive held (role_id) as (
  select ur.role_id from app_public.user_roles ur
  where ur.user_id = $1::uuid
    and (ur.expires_at is null or ur.expires_at > app_hidden.clock_now())
    and (ur.organization_id is null
         or (ur.organization_id = $3::uuid
             and exists (select 1 from app_public.memberships m
                         where m.user_id = $1::uuid and m.organization_id = $3::uuid and m.status = 'active')))
  union
  select p.parent_id from app_public.role_parents p join held h on h.role_id = p.role_id
)
select exists (select 1 from held h join app_public.role_permissions rp on rp.role_id = h.role_id and rp.permission = $2) as allowed`;

function say(line: string): void {
  process.stderr.write(`${line}\n`);
}

/** Picks `count` checks: active accounts with an active membership, a third each of the three kinds. */
async function pickSamples(
  root: pg.Client,
  dataset: Dataset,
  count: number,
): Promise<Omit<Sample, "sessionId" | "expected">[]> {
  const { randomSeed, users } = dataset.options;
  const samples: Omit<Sample, "sessionId" | "expected">[] = [];
  const used = new Set<number>();
  for (let k = 0; samples.length < count && k < count * 50; k++) {
    const rng = rngFor(randomSeed, "has-permission-sample", k);
    const index = rng.int(users);
    if (used.has(index) || dataset.user(index).status !== "active") continue;
    const orgs = dataset.memberships(index).filter((m) => m.active);
    if (orgs.length === 0) continue;
    used.add(index);
    const userId = dataset.userId(index);
    const kind: SampleKind = (["held in the organisation", "random in the organisation", "global"] as const)[
      samples.length % 3
    ] as SampleKind;
    const organizationId =
      kind === "global" ? null : (dataset.organizations[rng.pick(orgs).organization]?.id as string);
    let permission = rng.pick(dataset.permissions);
    if (kind !== "random in the organisation") {
      const { rows } = await root.query<{ p: string }>(
        "select p from app_hidden.user_permissions($1, $2) p order by p",
        [userId, organizationId],
      );
      if (rows.length > 0) permission = rng.pick(rows).p;
    }
    samples.push({ kind, grants: dataset.grants(index).length, userId, permission, organizationId });
  }
  if (samples.length < count) throw new Error(`found only ${samples.length} of ${count} sample users`);
  return samples;
}

/**
 * EXPLAIN (ANALYZE, BUFFERS) of one check, nested statements included (the SQL functions' own queries), through
 * auto_explain at NOTICE level on a separate superuser connection: what each statement ran, as it ran.
 */
async function explainCheck(env: BenchEnvironment, sample: Sample, asAuthenticated: boolean): Promise<string[]> {
  return explainNested(env.urls.rootOnDatabase, async (client) => {
    if (asAuthenticated) {
      await client.query("begin");
      await client.query(CLAIMS, [sample.userId, sample.sessionId]);
      await client.query(HAS_PERMISSION, [sample.permission, sample.organizationId]);
      await client.query("commit");
    } else {
      await client.query(USER_HAS_PERMISSION, [sample.userId, sample.permission, sample.organizationId]);
    }
  });
}

export function makeHasPermissionScenario(defaults: HasPermissionOptions = {}): Scenario {
  return {
    name: "has-permission",
    dataset: "accounts",
    title: "permission check on generated data against a primary-key lookup",
    description:
      "On a generated dataset (default 1,000,000 users, 1,000 organisations, 2,000 roles in a DAG of depth 8, 500 " +
      "permissions; `BENCH_USERS=20000` for a quick run): `select app_public.has_permission($1, $2)` as app_authenticated " +
      "with the claims of a live session, and `app_hidden.user_has_permission(user, permission, org)` called directly as " +
      "the superuser, beside the baseline `select * from app_public.users where id = $1`. The calls cycle through the same " +
      "sampled checks (one user each). Target (PERF.md): under 2x the primary-key lookup.",
    async setup(env) {
      const options = datasetOptions({
        users: defaults.users ?? positiveInteger("BENCH_USERS", 1_000_000),
        randomSeed: defaults.randomSeed ?? positiveInteger("BENCH_SEED", 1),
      });
      const sampleCount = defaults.samples ?? positiveInteger("BENCH_SAMPLES", 500);
      say(
        `has-permission: generating ${options.users.toLocaleString("en")} users (random seed ${options.randomSeed}) into the benchmark database`,
      );
      const load: LoadReport = await generateDataset(env.root, options, { progress: say });
      const { dataset } = load;

      const started = performance.now();
      const picked = await pickSamples(env.root, dataset, sampleCount);
      const sessions = await env.root.query<{ id: string; user_id: string }>(
        "insert into app_private.sessions (user_id) select u from unnest($1::uuid[]) u returning id, user_id",
        [picked.map((s) => s.userId)],
      );
      const sessionOf = new Map(sessions.rows.map((r) => [r.user_id, r.id]));
      const samples: Sample[] = [];
      for (const s of picked) {
        const { rows } = await env.root.query<{ allowed: boolean }>(ORACLE, [s.userId, s.permission, s.organizationId]);
        samples.push({ ...s, sessionId: sessionOf.get(s.userId) as string, expected: rows[0]?.allowed === true });
      }
      const kinds = (["held in the organisation", "random in the organisation", "global"] as const).map((kind) => {
        const of = samples.filter((s) => s.kind === kind);
        return `${kind}: ${of.length} (${of.filter((s) => s.expected).length} allowed)`;
      });
      say(
        `has-permission: ${samples.length} checks sampled, sessions made and answers computed in ${((performance.now() - started) / 1000).toFixed(1)} s`,
      );

      const direct = new pg.Client({ connectionString: env.urls.rootOnDatabase });
      const authenticated = new pg.Client({ connectionString: env.urls.authenticator });
      await direct.connect();
      await authenticated.connect();

      /* Each case walks the samples in the same order: with the default interleaving, call i of every case checks sample i. */
      const cursor = (): (() => Sample) => {
        let i = 0;
        return () => samples[i++ % samples.length] as Sample;
      };
      const check = (sample: Sample, allowed: boolean | undefined, label: string): void => {
        if (allowed !== sample.expected) {
          throw new Error(
            `${label} answered ${allowed} for ${sample.permission} in ${sample.organizationId ?? "(global)"} for user ${sample.userId}, expected ${sample.expected}`,
          );
        }
      };
      const answered = { has: 0, user: 0 };

      const nextBaseline = cursor();
      const nextUser = cursor();
      const nextHas = cursor();
      let hasSample: Sample | null = null;
      let inTransaction = false;

      /*
       * EXPLAIN of one allowed and one refused check, after warming every sample once: the direct call's nested plans
       * (the check's query, is_member), the session lookup that has_permission adds, and the clock read once.
       */
      for (const s of samples)
        await direct.query({
          name: "user-has-permission",
          text: USER_HAS_PERMISSION,
          values: [s.userId, s.permission, s.organizationId],
        });
      const explained: string[] = [];
      const allPlans: string[] = [];
      const isClock = (plan: string): boolean => plan.includes("config.clock");
      const isSession = (plan: string): boolean => plan.includes("app_private.sessions");
      /* The refused check of the user with the most grants: a refusal reads all of them, the costliest common case. */
      const refused = samples
        .filter((s) => !s.expected && s.organizationId !== null)
        .sort((a, b) => b.grants - a.grants)[0];
      for (const sample of [samples.find((s) => s.expected), refused]) {
        if (!sample) continue;
        const what = `${sample.expected ? "an allowed" : "a refused"} check (${sample.kind}: ${sample.permission}; the user has ${sample.grants} grants)`;
        const plain = await explainCheck(env, sample, false);
        const viaClaims = await explainCheck(env, sample, true);
        allPlans.push(...plain, ...viaClaims);
        explained.push(
          codeBlock(
            `EXPLAIN (ANALYZE, BUFFERS) of \`user_has_permission\` for ${what}, nested statements included (auto_explain):`,
            plain.filter((p) => !isClock(p)).join("\n\n"),
          ),
        );
        explained.push(
          codeBlock(
            `The same check through \`has_permission\` as app_authenticated: the session lookup it adds, and the whole statement:`,
            viaClaims.filter((p) => isSession(p) || p.includes("app_public.has_permission")).join("\n\n"),
          ),
        );
      }
      const clock = allPlans.find(isClock);
      if (clock) explained.push(codeBlock("The clock both read (app_hidden.clock_now: two one-row tables):", clock));
      const seqScans = await largeSeqScans(env.root, allPlans, 10_000);

      const pkLookup = async (client: pg.Client): Promise<void> => {
        const sample = nextBaseline();
        const { rows } = await client.query<{ id: string }>({
          name: "pk-lookup",
          text: PK_LOOKUP,
          values: [sample.userId],
        });
        if (rows[0]?.id !== sample.userId) throw new Error(`no user ${sample.userId}`);
      };
      /* `counted`: a one-client call, which verify() counts; the calls at several clients are checked but not counted. */
      const userHasPermission = async (client: pg.Client, counted: boolean): Promise<void> => {
        const sample = nextUser();
        const { rows } = await client.query<{ allowed: boolean }>({
          name: "user-has-permission",
          text: USER_HAS_PERMISSION,
          values: [sample.userId, sample.permission, sample.organizationId],
        });
        check(sample, rows[0]?.allowed, "user_has_permission");
        if (counted) answered.user++;
      };

      return {
        baseline: {
          name: "pk lookup",
          description:
            "`select * from app_public.users where id = $1` (prepared) over a direct connection as the superuser, for the sampled users.",
          transport: "pg",
          run: () => pkLookup(direct),
          parallel: pgClients(env.urls.rootOnDatabase, pkLookup),
        },
        cases: [
          {
            name: "has_permission (claims)",
            description:
              "`select app_public.has_permission($1, $2)` (prepared) over a connection as authenticator, inside a transaction that " +
              "set `role` app_authenticated and the claims `jwt.claims.sub`/`jwt.claims.sid` of the user's live session with " +
              "`set_config(…, true)` (untimed, like the commit of the previous call): the statement the gateway would run. It " +
              "includes the session check (current_user_id).",
            transport: "pg",
            target: { kind: "ratio-p50", min: 0, max: 2, label: "÷ < 2" },
            async beforeEach() {
              if (inTransaction) await authenticated.query("commit");
              hasSample = nextHas();
              await authenticated.query("begin");
              inTransaction = true;
              await authenticated.query({
                name: "claims",
                text: CLAIMS,
                values: [hasSample.userId, hasSample.sessionId],
              });
            },
            async run() {
              const sample = hasSample as Sample;
              const { rows } = await authenticated.query<{ allowed: boolean }>({
                name: "has-permission",
                text: HAS_PERMISSION,
                values: [sample.permission, sample.organizationId],
              });
              check(sample, rows[0]?.allowed, "has_permission");
              answered.has++;
            },
          },
          {
            name: "user_has_permission (direct)",
            description:
              "`select app_hidden.user_has_permission($1, $2, $3)` (prepared) over the baseline's connection as the superuser: the check alone, without the session lookup.",
            transport: "pg",
            target: { kind: "ratio-p50", min: 0, max: 2, label: "÷ < 2" },
            run: () => userHasPermission(direct, true),
            parallel: pgClients(env.urls.rootOnDatabase, (client) => userHasPermission(client, false)),
          },
        ],
        notes: [
          `Dataset: ${loadSummary(load)}. Rows: ${Object.entries(load.rows)
            .map(([t, n]) => `${t} ${n.toLocaleString("en")}`)
            .join(", ")}.`,
          ...(load.reused
            ? []
            : [
                `Load steps (s): ${load.steps.map((s) => `${s.step} ${(s.ms / 1000).toFixed(1)}`).join("; ")}. Bulk tables: ${load.mode}.`,
              ]),
          `${samples.length} sampled checks, one active user each, with an active membership and a live session: ${kinds.join("; ")}. ` +
            "The expected answer of every check comes from a recursive walk of role_parents (not the closure table); every timed answer is compared with it.",
          seqScans.length === 0
            ? "No sequential scan over a table of more than 10,000 rows in the plans below."
            : `**Sequential scans over large tables in the plans below: ${seqScans.join(", ")}** (a bug by PERF.md's rule; see the plans).`,
          ...explained,
        ],
        async verify(iterations) {
          if (answered.has !== iterations || answered.user !== iterations)
            throw new Error(
              `expected ${iterations} checked answers per case, got ${answered.has} and ${answered.user}`,
            );
          const used = samples.slice(0, Math.min(iterations, samples.length));
          if (!used.some((s) => s.expected) || !used.some((s) => !s.expected))
            throw new Error("the timed checks were all allowed or all refused");
          const { rows } = await env.root.query<{ n: number }>(
            "select count(*)::integer as n from app_private.sessions where id = any($1::uuid[]) and revoked_at is null and absolute_expires_at > app_hidden.clock_now()",
            [samples.map((s) => s.sessionId)],
          );
          if (rows[0]?.n !== samples.length)
            throw new Error(`only ${rows[0]?.n} of ${samples.length} sample sessions are still live`);
        },
        async teardown() {
          if (inTransaction) await authenticated.query("commit").catch(() => undefined);
          await authenticated.end();
          await direct.end();
        },
      };
    },
  };
}

/** The registered scenario: sizes from BENCH_USERS, BENCH_SEED and BENCH_SAMPLES (defaults 1,000,000, 1, 500). */
export const hasPermissionScenario: Scenario = makeHasPermissionScenario();
