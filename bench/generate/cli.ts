/**
 * `npm run seed -- [--users N] [--seed S] [options]` (also `npm run bench:generate`): generates a dataset
 * (bench/generate/), by default with its history (sessions, audit events sealed into the chain), and prints its
 * row counts and the time of every load step. Into the database at BENCH_DATABASE_URL (a superuser or the owner
 * on a migrated Gatehouse database) when that is set; otherwise into a throw-away embedded PostgreSQL, migrated like the
 * benchmarks' (committed migrations plus migrations/current.sql), which is removed afterwards.
 */
import { parseArgs } from "node:util";
import pg from "pg";
import { runCli } from "../../src/cli/fatal.ts";
import { withMigratedDatabase } from "../../scripts/lib/temporaryDatabase.ts";
import { throwAwayPrivacyKeys } from "../lib/environment.ts";
import { DEFAULT_DATASET, type DatasetOptions } from "./dataset.ts";
import { DEFAULT_HISTORY } from "./history.ts";
import { generateDataset } from "./load.ts";
import { renderLoadReport } from "./report.ts";

const USAGE = `usage: npm run seed -- [options]

  --users N           accounts (default ${DEFAULT_DATASET.users.toLocaleString("en")})
  --seed S            any integer; the same seed and sizes give the same rows (default ${DEFAULT_DATASET.seed})
  --organizations N   default: users / 1000
  --roles N           generated roles (default ${DEFAULT_DATASET.roles})
  --permissions N     generated permissions (default ${DEFAULT_DATASET.permissions})
  --depth N           longest chain of role parents (default ${DEFAULT_DATASET.maxDepth})
  --keep-indexes      keep the secondary indexes during the COPYs (default: drop them, build them after)
  --no-history        accounts, organisations, roles and grants only: no sessions, no audit history
  --events-per-user N audit events per account over the history (default ${DEFAULT_HISTORY.eventsPerUser})
  --months N          months of audit history, one partition each (default ${DEFAULT_HISTORY.months})
  --help, -h          this text

Target: BENCH_DATABASE_URL (superuser or owner on a migrated Gatehouse database); unset: a throw-away embedded
PostgreSQL, removed at the end.
`;

function integer(value: string | undefined, name: string): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value.replaceAll("_", ""));
  if (!Number.isSafeInteger(n)) throw new Error(`--${name} must be an integer, not ${JSON.stringify(value)}`);
  return n;
}

runCli("seed", async () => {
  const { values } = parseArgs({
    options: {
      users: { type: "string" },
      seed: { type: "string" },
      organizations: { type: "string" },
      roles: { type: "string" },
      permissions: { type: "string" },
      depth: { type: "string" },
      "keep-indexes": { type: "boolean", default: false },
      "no-history": { type: "boolean", default: false },
      "events-per-user": { type: "string" },
      months: { type: "string" },
      help: { type: "boolean", short: "h", default: false },
    },
  });
  if (values.help) {
    process.stdout.write(USAGE);
    return;
  }
  const options: Partial<DatasetOptions> = {};
  const set = (key: keyof DatasetOptions, value: number | undefined): void => {
    if (value !== undefined) options[key] = value;
  };
  set("users", integer(values.users, "users"));
  set("seed", integer(values.seed, "seed"));
  set("organizations", integer(values.organizations, "organizations"));
  set("roles", integer(values.roles, "roles"));
  set("permissions", integer(values.permissions, "permissions"));
  set("maxDepth", integer(values.depth, "depth"));
  const progress = (line: string): void => {
    process.stderr.write(`${line}\n`);
  };

  const generateInto = async (url: string): Promise<void> => {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      const history = values["no-history"]
        ? null
        : {
            ...DEFAULT_HISTORY,
            eventsPerUser: integer(values["events-per-user"], "events-per-user") ?? DEFAULT_HISTORY.eventsPerUser,
            months: integer(values.months, "months") ?? DEFAULT_HISTORY.months,
          };
      const report = await generateDataset(client, options, { rebuildIndexes: !values["keep-indexes"], progress, history });
      process.stdout.write(renderLoadReport(report));
    } finally {
      await client.end();
    }
  };

  const url = process.env.BENCH_DATABASE_URL;
  if (url) {
    await generateInto(url);
    return;
  }
  progress("seed: BENCH_DATABASE_URL is not set; generating into a throw-away embedded PostgreSQL");
  await withMigratedDatabase(undefined, { includeCurrent: true }, async (urls) => {
    /* Its key store and system key, as a started Gatehouse would have made them: personal parts are encrypted to it. */
    const privacy = await throwAwayPrivacyKeys(urls.root, urls.database, urls.worker);
    try {
      await generateInto(urls.rootOnDatabase);
    } finally {
      await privacy.close();
    }
  });
});
