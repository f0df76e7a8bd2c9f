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
 */
import { performance } from "node:perf_hooks";
import type pg from "pg";
import { copyRows, type CopyValue } from "./copy.ts";
import { createDataset, datasetOptions, GENERATED_PASSWORD, SYSTEM_ROLES, type Dataset, type DatasetOptions, type GrantedRole, type SystemRole } from "./dataset.ts";
import { loadHistory, type HistoryOptions } from "./history.ts";
import { counted, progressBar } from "./progress.ts";
import { rngFor } from "./random.ts";

export interface LoadOptions {
  /** Drop the bulk tables' secondary indexes before the COPYs and build them after. Default true (faster; see bench/README.md). */
  rebuildIndexes?: boolean;
  /** Progress lines (stderr in the CLI and the benchmarks). */
  progress?: (line: string) => void;
  /** Also load sessions and audit history (history.ts), timed apart; default: none. */
  history?: HistoryOptions | null;
}

export interface LoadStep {
  step: string;
  ms: number;
  rows?: number;
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
  /** Time of the accounts, organisations, roles and grants (the seed's "under 2 minutes" figure), history aside. */
  accountsMs: number;
  /** Time of the history (sessions, audit events, sealing, checks), when loaded. */
  historyMs: number | null;
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
  if (earlier) return { ...(await earlier), reused: true };
  const loading = loadDataset(client, options, load);
  loaded.set(key, loading);
  loading.catch(() => loaded.delete(key));
  return loading;
}

async function loadDataset(client: pg.Client, options: Partial<DatasetOptions>, load: LoadOptions): Promise<LoadReport> {
  const progress = load.progress ?? (() => undefined);
  const rebuildIndexes = load.rebuildIndexes ?? true;
  const steps: LoadStep[] = [];
  const rowsLoaded: Record<string, number> = {};
  const began = performance.now();
  const timed = async <T>(step: string, fn: () => Promise<T>, rowsOf?: (result: T) => number): Promise<T> => {
    const start = performance.now();
    const result = await fn();
    const ms = performance.now() - start;
    const count = rowsOf?.(result);
    steps.push({ step, ms, ...(count === undefined ? {} : { rows: count }) });
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

    let indexes: Array<{ name: string; def: string }> = [];
    if (rebuildIndexes) {
      indexes = await timed("drop secondary indexes of the bulk tables", async () => {
        const r = await client.query<{ name: string; def: string }>(
          `select i.indexrelid::regclass::text as name, pg_get_indexdef(i.indexrelid) as def
           from pg_index i
           where i.indrelid = any($1::regclass[]) and not i.indisprimary
             and not exists (select 1 from pg_constraint c where c.conindid = i.indexrelid)
           order by 1`,
          [BULK_TABLES],
        );
        for (const index of r.rows) await client.query(`drop index ${index.name}`);
        return r.rows;
      }, (r) => r.length);
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
  let historyMs: number | null = null;
  if (load.history) {
    const historyBegan = performance.now();
    Object.assign(rowsLoaded, await loadHistory(client, dataset, load.history, timed));
    historyMs = performance.now() - historyBegan;
    progress(`  generate: history done in ${(historyMs / 1000).toFixed(1)} s`);
  }
  const totalMs = performance.now() - began;
  return { dataset, reused: false, mode, rebuildIndexes, rows: rowsLoaded, steps, totalMs, accountsMs, historyMs };
}
