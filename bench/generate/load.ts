/**
 * Loads a generated dataset (dataset.ts) into a migrated Gatehouse database with COPY, in one transaction, and
 * reports the rows and the time of every step.
 *
 * - The bulk tables (users, user_security, organizations, memberships, user_roles) are loaded with their user
 *   triggers off: the timestamps trigger would stamp a million accounts with the same created_at, and row-level
 *   triggers added later (audit) have no business recording a seed. As a superuser the load also sets
 *   session_replication_role = replica, which skips the foreign-key checks too (the rows are consistent by
 *   construction); as the database owner it disables the user triggers per table instead, and foreign keys are checked.
 * - The role hierarchy goes through its real triggers: roles one COPY (each new role becomes its own ancestor),
 *   role_parents one COPY, so the closure table app_private.role_ancestors is rebuilt once, by the statement trigger,
 *   not once per edge. The closure's size is then checked against the generated DAG.
 * - Optionally (`rebuildIndexes`) the bulk tables' secondary indexes (not primary keys or unique constraints) are
 *   dropped before the COPYs and built again after them.
 * - After the commit, VACUUM (ANALYZE) of the loaded tables sets hint bits and the visibility map and gives the planner
 *   statistics, so the first benchmark queries neither pay for that nor plan against empty-table estimates.
 *
 * Then, each timed apart from the accounts (the report's phases): every account without a key of its own is queued
 * for one, as registering with an empty spare pool leaves it (keys); optionally the history (history.ts) and the
 * example resources (resourceLoad.ts); the audit trail sealed and verified (chain.ts, after everything that writes
 * events); and the checks that what the bypassed triggers would have left is there (checks.ts), which throw on failure.
 */
import { performance } from "node:perf_hooks";
import type pg from "pg";
import { sealAndVerify } from "./chain.ts";
import { LoadCheckError, runChecks, type CheckResult } from "./checks.ts";
import { copyRows, type CopyValue } from "./copy.ts";
import { createDataset, datasetOptions, GENERATED_PASSWORD, SYSTEM_ROLES, type Dataset, type DatasetOptions, type GrantedRole, type SystemRole } from "./dataset.ts";
import { loadHistory, type HistoryOptions } from "./history.ts";
import { dropSecondaryIndexes, type SecondaryIndex } from "./indexes.ts";
import { counted, progressBar } from "./progress.ts";
import { rngFor } from "./random.ts";
import { loadResources, type Decrypt, type ResourceLoadResult } from "./resourceLoad.ts";
import type { ResourceOptions, Resources } from "./resources.ts";

export interface LoadOptions {
  /** Drop the bulk tables' secondary indexes before the COPYs and build them after. Default true (faster; see bench/README.md). */
  rebuildIndexes?: boolean;
  /** Progress lines (stderr in the CLI and the benchmarks). */
  progress?: (line: string) => void;
  /** Also load sessions and audit history (history.ts), timed apart; default: none. */
  history?: HistoryOptions | null;
  /** Also load example resources (resources.ts: projects, members, tasks, posts, comments), timed apart; default: none. */
  resources?: Partial<ResourceOptions> | null;
  /** Decrypts personal parts (the key store's reader), for the check that decrypts a sample; without it that check is skipped. */
  decrypt?: Decrypt;
}

/** The parts of a load the report times apart. */
export type LoadPhase = "accounts" | "keys" | "history" | "resources" | "chain" | "checks";

export interface LoadStep {
  step: string;
  ms: number;
  rows?: number;
  phase: LoadPhase;
}

export interface LoadReport {
  dataset: Dataset;
  /** True when this process had loaded the same dataset into the same database already, and nothing was loaded now. */
  reused: boolean;
  /** How the bulk tables were loaded (triggers and foreign-key checks). */
  mode: string;
  rebuildIndexes: boolean;
  rows: Record<string, number>;
  steps: LoadStep[];
  totalMs: number;
  /** Time of the accounts, organisations, roles and grants (the seed's "under 2 minutes" figure), everything else aside. */
  accountsMs: number;
  /** Time of the history (sessions, audit events), when loaded. */
  historyMs: number | null;
  /** Time of the example resources (rows and the events of their creation), when loaded. */
  resourcesMs: number | null;
  /** Time of each phase (accounts, keys, history, resources, chain, checks) that ran, in order. */
  phases: Array<{ phase: LoadPhase; ms: number }>;
  /** The checks after the load, each with its result and time. */
  checks: CheckResult[];
  /** The example resources' description, when loaded. */
  resources: Resources | null;
}

const BULK_TABLES = ["app_public.users", "app_private.user_security", "app_public.organizations", "app_public.memberships", "app_public.user_roles"];
const ROLE_TABLES = ["app_public.permissions", "app_public.roles", "app_public.role_parents", "app_public.role_permissions", "app_private.role_ancestors"];

/** How generated roles' descriptions begin (followed by the level): how a database with a generated dataset is recognised. */
const GENERATED_ROLE_DESCRIPTION = "Generated role at level ";

/** Datasets loaded by this process, per database and options: scenarios of one run share a database. */
const loaded = new Map<string, Promise<LoadReport>>();

function* range(n: number): Generator<number> {
  for (let i = 0; i < n; i++) yield i;
}

/** Every generated role's ancestors (itself included), from the generated parent lists. */
export function generatedClosure(dataset: Dataset): number[][] {
  const memo = new Map<number, Set<number>>();
  const ancestors = (r: number): Set<number> => {
    const known = memo.get(r);
    if (known) return known;
    const set = new Set<number>([r]);
    for (const p of dataset.roles[r]?.parents ?? []) for (const a of ancestors(p)) set.add(a);
    memo.set(r, set);
    return set;
  };
  return dataset.roles.map((r) => [...ancestors(r.index)]);
}

/**
 * Generates the dataset described by `options` into the database `client` is connected to (the owner or a superuser
 * on a migrated Gatehouse database) and reports rows and timings. A second call in the same process for the same
 * database and options returns the first report (`reused`); a database that already holds generated accounts from
 * elsewhere is refused.
 */
export async function generateDataset(client: pg.Client, options: Partial<DatasetOptions> = {}, load: LoadOptions = {}): Promise<LoadReport> {
  const { rows } = await client.query<{ identity: string }>(
    "select (select system_identifier from pg_control_system())::text || '/' || current_database() || ':' || coalesce(inet_server_port(), 0) as identity",
  );
  const key = `${rows[0]?.identity}|${JSON.stringify(datasetOptions(options))}`;
  const earlier = loaded.get(key);
  if (earlier) {
    const report = await earlier;
    /* A dataset loaded without its history cannot serve a caller that reads it: say so rather than measure nothing. */
    if (load.history && report.historyMs === null) {
      throw new Error("this run's dataset was generated without its history; generate it with the history first (npm run bench does when a scenario of the run needs it)");
    }
    return { ...report, reused: true };
  }
  const loading = loadDataset(client, options, load);
  loaded.set(key, loading);
  loading.catch(() => loaded.delete(key));
  return loading;
}

async function loadDataset(client: pg.Client, options: Partial<DatasetOptions>, load: LoadOptions): Promise<LoadReport> {
  const progress = load.progress ?? (() => undefined);
  const rebuildIndexes = load.rebuildIndexes ?? true;
  const steps: LoadStep[] = [];
  const checks: CheckResult[] = [];
  const rowsLoaded: Record<string, number> = {};
  const began = performance.now();
  let phase: LoadPhase = "accounts";
  const timed = async <T>(step: string, fn: () => Promise<T>, rowsOf?: (result: T) => number): Promise<T> => {
    const start = performance.now();
    const result = await fn();
    const ms = performance.now() - start;
    const count = rowsOf?.(result);
    steps.push({ step, ms, phase, ...(count === undefined ? {} : { rows: count }) });
    progress(`  generate: ${step}${count === undefined ? "" : ` (${count.toLocaleString("en")} rows)`} ${(ms / 1000).toFixed(1)} s`);
    return result;
  };
  const copy = (table: string, columns: readonly string[], rows: Iterable<readonly CopyValue[]>, expected?: number): Promise<number> =>
    timed(`copy ${table}`, async () => {
      const bar = expected === undefined ? null : progressBar(table, expected);
      try {
        const n = await copyRows(client, table, columns, bar ? counted(rows, bar) : rows);
        rowsLoaded[table] = (rowsLoaded[table] ?? 0) + n;
        return n;
      } finally {
        bar?.stop();
      }
    }, (n) => n);

  const facts = await client.query<{ now: Date; superuser: boolean }>(
    "select date_trunc('second', app_hidden.clock_now()) as now, current_setting('is_superuser') = 'on' as superuser",
  );
  const fact = facts.rows[0];
  if (!fact) throw new Error("could not read the database's clock");
  const dataset = createDataset(options, fact.now);
  const { users: userCount } = dataset.options;
  progress(
    `  generate: seed ${dataset.options.seed}, ${userCount.toLocaleString("en")} users, ${dataset.organizations.length} organisations, ` +
      `${dataset.permissions.length} permissions, ${dataset.roles.length} roles (depth ${dataset.options.maxDepth})`,
  );

  /* One generated dataset per database: another seed's usernames and slugs could collide with this one's. */
  const clash = await client.query(
    `select 1 from app_public.users where id = any($1::uuid[])
     union all select 1 from app_public.roles where description like $2`,
    [[dataset.userId(0), dataset.userId(userCount - 1)], `${GENERATED_ROLE_DESCRIPTION}%`],
  );
  if (clash.rowCount) throw new Error("the database already holds a generated dataset: generate into a fresh database");

  const hash = await timed("one bcrypt hash for every account", async () => {
    const r = await client.query<{ hash: string }>("select app_private.hash_password($1) as hash", [GENERATED_PASSWORD]);
    return r.rows[0]?.hash as string;
  });
  const systemRows = await client.query<{ name: SystemRole; id: string }>("select name::text as name, id from app_public.roles where is_system and organization_id is null");
  const systemIds = new Map(systemRows.rows.map((r) => [r.name, r.id]));
  for (const name of SYSTEM_ROLES) if (!systemIds.has(name)) throw new Error(`the seeded system role ${name} is missing`);
  const roleId = (role: GrantedRole): string =>
    "generated" in role ? (dataset.roles[role.generated]?.id as string) : (systemIds.get(role.system) as string);
  const orgId = (j: number | null): string | null => (j === null ? null : (dataset.organizations[j]?.id as string));

  const mode = fact.superuser
    ? "superuser: session_replication_role = replica for the bulk tables (user triggers and foreign-key checks off); the role tables with all their triggers"
    : "owner: user triggers disabled on the bulk tables (foreign keys checked); the role tables with all their triggers";
  progress(`  generate: ${mode}`);

  await client.query("begin");
  try {
    await client.query("set local maintenance_work_mem = '512MB'");
    const bulkMode = async (on: boolean): Promise<void> => {
      if (fact.superuser) await client.query(`set local session_replication_role = ${on ? "replica" : "origin"}`);
      else for (const table of BULK_TABLES) await client.query(`alter table ${table} ${on ? "disable" : "enable"} trigger user`);
    };

    let indexes: SecondaryIndex[] = [];
    if (rebuildIndexes) {
      indexes = await timed("drop secondary indexes of the bulk tables", () => dropSecondaryIndexes(client, BULK_TABLES), (r) => r.length);
    }

    await bulkMode(true);
    await copy(
      "app_public.users",
      ["id", "username", "email", "first_name", "last_name", "display_name", "timezone", "language", "tier", "status",
        "email_verified", "email_verified_at", "deleted_at", "created_at", "updated_at"],
      (function* () {
        for (const i of range(userCount)) {
          const u = dataset.user(i);
          yield [u.id, u.username, u.email, u.firstName, u.lastName, `${u.firstName} ${u.lastName}`, u.timezone, u.language, u.tier,
            u.status, u.emailVerifiedAt !== null, u.emailVerifiedAt, u.deletedAt, u.createdAt, u.updatedAt];
        }
      })(),
      userCount,
    );
    await copy(
      "app_private.user_security",
      ["user_id", "password_hash", "password_scheme", "password_changed_at", "last_login_at"],
      (function* () {
        const now = dataset.referenceTime.getTime();
        for (const i of range(userCount)) {
          const u = dataset.user(i);
          const rng = rngFor(dataset.options.seed, "user-security", i);
          const lastLogin = u.status === "active" && rng.chance(0.7) ? new Date(u.createdAt.getTime() + rng.next() * (now - u.createdAt.getTime())) : null;
          yield [u.id, hash, "bcrypt-sha384", u.createdAt, lastLogin];
        }
      })(),
      userCount,
    );
    await copy(
      "app_public.organizations",
      ["id", "name", "slug", "created_by", "created_at", "updated_at"],
      dataset.organizations.map((o) => [o.id, o.name, o.slug, dataset.userId(o.creator), o.createdAt, o.createdAt]),
    );
    await copy(
      "app_public.memberships",
      ["id", "organization_id", "user_id", "status", "joined_at", "ended_at"],
      (function* () {
        for (const i of range(userCount)) {
          const id = dataset.userId(i);
          for (const m of dataset.memberships(i)) yield [m.id, orgId(m.organization), id, m.active ? "active" : "left", m.joinedAt, m.endedAt];
        }
      })(),
    );

    await bulkMode(false);
    await copy(
      "app_public.permissions",
      ["name", "description"],
      dataset.permissions.map((p) => [p, `Generated permission: ${p.replace(":", " ")}.`]),
    );
    await copy(
      "app_public.roles",
      ["id", "organization_id", "name", "description", "created_at"],
      dataset.roles.map((r) => [r.id, orgId(r.organization), r.name, `${GENERATED_ROLE_DESCRIPTION}${r.level}.`,
        r.organization === null ? dataset.referenceTime : (dataset.organizations[r.organization]?.createdAt as Date)]),
    );
    await copy(
      "app_public.role_parents",
      ["role_id", "parent_id"],
      dataset.roles.flatMap((r) => r.parents.map((p) => [r.id, dataset.roles[p]?.id as string])),
    );
    await copy(
      "app_public.role_permissions",
      ["role_id", "permission"],
      dataset.roles.flatMap((r) => r.permissions.map((p) => [r.id, p])),
    );
    const closureBegan = performance.now();
    await timed("check the closure table against the generated DAG", async () => {
      const expected = generatedClosure(dataset).reduce((sum, a) => sum + a.length, 0);
      const r = await client.query<{ n: number }>(
        "select count(*)::integer as n from app_private.role_ancestors where role_id = any($1::uuid[])",
        [dataset.roles.map((role) => role.id)],
      );
      if (r.rows[0]?.n !== expected) throw new Error(`app_private.role_ancestors holds ${r.rows[0]?.n} rows for the generated roles, the DAG has ${expected}`);
      rowsLoaded["app_private.role_ancestors"] = expected;
      return expected;
    }, (n) => n);
    checks.push({
      check: "role closure",
      result: `app_private.role_ancestors holds the ${(rowsLoaded["app_private.role_ancestors"] ?? 0).toLocaleString("en")} rows of the generated DAG's closure`,
      ms: performance.now() - closureBegan,
    });

    await bulkMode(true);
    await copy(
      "app_public.user_roles",
      ["id", "user_id", "role_id", "organization_id", "assigned_at", "expires_at"],
      (function* () {
        for (const i of range(userCount)) {
          const id = dataset.userId(i);
          for (const g of dataset.grants(i)) yield [g.id, id, roleId(g.role), orgId(g.organization), g.assignedAt, g.expiresAt];
        }
      })(),
    );
    await bulkMode(false);

    for (const index of indexes) await timed(`build index ${index.name}`, () => client.query(index.def));
    await timed("commit", () => client.query("commit"));
  } catch (error) {
    await client.query("rollback").catch(() => undefined);
    throw error;
  }
  await timed("vacuum (analyze) the loaded tables", async () => {
    for (const table of [...BULK_TABLES, ...ROLE_TABLES]) await client.query(`vacuum (analyze) ${table}`);
  });
  const accountsMs = performance.now() - began;
  progress(`  generate: accounts, organisations, roles and grants done in ${(accountsMs / 1000).toFixed(1)} s`);
  const phases: Array<{ phase: LoadPhase; ms: number }> = [{ phase: "accounts", ms: accountsMs }];
  const inPhase = async <T>(name: LoadPhase, fn: () => Promise<T>): Promise<T> => {
    phase = name;
    const start = performance.now();
    try {
      return await fn();
    } finally {
      const ms = performance.now() - start;
      phases.push({ phase: name, ms });
      progress(`  generate: ${name} done in ${(ms / 1000).toFixed(1)} s`);
    }
  };

  /* As registration leaves an account when the spare pool is empty (tg_users__assign_key): the bulk COPY skipped it. */
  rowsLoaded["app_private.users_awaiting_key"] = await inPhase("keys", async () => {
    const n = await timed("keys: queue every account without a key of its own for one", async () => {
      const r = await client.query(
        `insert into app_private.users_awaiting_key (user_id, since)
         select u.id, u.created_at from app_public.users u
         where u.erased_at is null and not exists (select 1 from app_private.encryption_keys k where k.user_id = u.id)
         on conflict do nothing`,
      );
      return r.rowCount ?? 0;
    }, (count) => count);
    await timed("keys: vacuum (analyze) the queue", () => client.query("vacuum (analyze) app_private.users_awaiting_key"));
    return n;
  });

  let historyMs: number | null = null;
  if (load.history) {
    const history = load.history;
    const historyBegan = performance.now();
    Object.assign(rowsLoaded, await inPhase("history", () => loadHistory(client, dataset, history, timed)));
    historyMs = performance.now() - historyBegan;
  }
  let resources: ResourceLoadResult | null = null;
  let resourcesMs: number | null = null;
  if (load.resources) {
    const options = { months: load.history?.months, ...load.resources };
    const resourcesBegan = performance.now();
    resources = await inPhase("resources", () =>
      loadResources(client, dataset, options, { timed, copy, superuser: fact.superuser, rebuildIndexes }));
    rowsLoaded["audit.events"] = (rowsLoaded["audit.events"] ?? 0) + resources.events;
    resourcesMs = performance.now() - resourcesBegan;
  }
  const chain = await inPhase("chain", () => sealAndVerify(client, timed));
  rowsLoaded["audit.seals"] = (rowsLoaded["audit.seals"] ?? 0) + chain.sealed;
  const finish = (): LoadReport => ({
    dataset, reused: false, mode, rebuildIndexes, rows: rowsLoaded, steps, totalMs: performance.now() - began, accountsMs, historyMs, resourcesMs,
    phases, checks, resources: resources?.resources ?? null,
  });
  try {
    await inPhase("checks", () =>
      runChecks(client, { dataset, superuser: fact.superuser, chain, resources, ...(load.decrypt ? { decrypt: load.decrypt } : {}) }, (c) => {
        checks.push(c);
        progress(`  generate: check ${c.check}: ${c.result} (${(c.ms / 1000).toFixed(1)} s)`);
      }));
  } catch (error) {
    if (error instanceof LoadCheckError) error.report = finish();
    throw error;
  }
  return finish();
}