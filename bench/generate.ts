/**
 * `npm run generate -- [--users N] [--random-seed S] [options]`: generates a dataset with the data generator
 * (fixtures/generate/), by default with its history (sessions, audit events) and example resources (projects, members,
 * tasks, posts, comments), seals the audit chain, checks what the bulk loads left, and prints its row counts, the time
 * of every load step and the checks (exit status 1 when a check fails). Into the database at BENCH_DATABASE_URL (a
 * superuser or the owner on a migrated Gatehouse database) when that is set; otherwise into a throw-away embedded
 * PostgreSQL, migrated like the benchmarks' (committed migrations plus migrations/current/), which is removed
 * afterwards. (The development seed is something else: `npm run db:reset` loads it, src/db/developmentSeed.ts.)
 */
import { parseArgs } from "node:util";
import pg from "pg";
import { runCli } from "../src/cli/fatal.ts";
import { withMigratedDatabase } from "../scripts/lib/temporaryDatabase.ts";
import { throwAwayPrivacyKeys } from "./lib/environment.ts";
import { DEFAULT_DATASET, type DatasetOptions } from "../fixtures/generate/dataset.ts";
import { DEFAULT_HISTORY } from "../fixtures/generate/history.ts";
import { generateDataset, LoadCheckError } from "../fixtures/generate/load.ts";
import type { Decrypt } from "../fixtures/generate/resourceLoad.ts";
import {
  DEFAULT_RESOURCES,
  POSTS_PER_1000_USERS,
  PROJECTS_PER_1000_USERS,
  type ResourceOptions,
} from "../fixtures/generate/resources.ts";
import { renderLoadReport } from "../fixtures/generate/report.ts";

const USAGE = `usage: npm run generate -- [options]

  --users N           accounts (default ${DEFAULT_DATASET.users.toLocaleString("en")})
  --random-seed S     any integer; the same random seed and sizes give the same rows (default ${DEFAULT_DATASET.randomSeed})
  --organizations N   default: users / 1000
  --roles N           generated roles (default ${DEFAULT_DATASET.roles})
  --permissions N     generated permissions (default ${DEFAULT_DATASET.permissions})
  --depth N           longest chain of role parents (default ${DEFAULT_DATASET.maxDepth})
  --keep-indexes      keep the secondary indexes during the COPYs (default: drop them, build them after)
  --no-history        no sessions and no audit history (example resources are still made unless --no-resources)
  --events-per-user N audit events per account over the history (default ${DEFAULT_HISTORY.eventsPerUser})
  --months N          months of audit history, one partition each; the example resources are made over the same
                      months (default ${DEFAULT_HISTORY.months})
  --no-resources      no example resources (projects, members, tasks, posts, comments)
  --projects N        projects in all (default ${PROJECTS_PER_1000_USERS} per 1,000 users), each in an organisation, created by a member
                      holding projects:write; uniform over organisations for half, by size for the other half
  --members-per-project N  average members besides the creator (default ${DEFAULT_RESOURCES.membersPerProject})
  --tasks-per-project N    average tasks per project (default ${DEFAULT_RESOURCES.tasksPerProject})
  --posts N           posts in all (default ${POSTS_PER_1000_USERS} per 1,000 users), three quarters of them published
  --comments-per-post N    average comments per published post (default ${DEFAULT_RESOURCES.commentsPerPost})
  --help, -h          this text

At 1,000,000 users the defaults make about 10,000 projects, 39,000 project members, 95,000 tasks, 50,000 posts and
58,000 comments (about 250,000 rows), and 370,000 audit events of their creation.

Target: BENCH_DATABASE_URL (superuser or owner on a migrated Gatehouse database); unset: a throw-away embedded
PostgreSQL, removed at the end.
`;

function integer(value: string | undefined, name: string): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value.replaceAll("_", ""));
  if (!Number.isSafeInteger(n)) throw new Error(`--${name} must be an integer, not ${JSON.stringify(value)}`);
  return n;
}

function number(value: string | undefined, name: string): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value.replaceAll("_", ""));
  if (!Number.isFinite(n) || n < 0)
    throw new Error(`--${name} must be a number of at least 0, not ${JSON.stringify(value)}`);
  return n;
}

runCli("generate", async () => {
  const { values } = parseArgs({
    options: {
      users: { type: "string" },
      "random-seed": { type: "string" },
      organizations: { type: "string" },
      roles: { type: "string" },
      permissions: { type: "string" },
      depth: { type: "string" },
      "keep-indexes": { type: "boolean", default: false },
      "no-history": { type: "boolean", default: false },
      "events-per-user": { type: "string" },
      months: { type: "string" },
      "no-resources": { type: "boolean", default: false },
      projects: { type: "string" },
      "members-per-project": { type: "string" },
      "tasks-per-project": { type: "string" },
      posts: { type: "string" },
      "comments-per-post": { type: "string" },
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
  set("randomSeed", integer(values["random-seed"], "random-seed"));
  set("organizations", integer(values.organizations, "organizations"));
  set("roles", integer(values.roles, "roles"));
  set("permissions", integer(values.permissions, "permissions"));
  set("maxDepth", integer(values.depth, "depth"));
  const progress = (line: string): void => {
    process.stderr.write(`${line}\n`);
  };

  const months = integer(values.months, "months") ?? DEFAULT_HISTORY.months;
  const history = values["no-history"]
    ? null
    : {
        ...DEFAULT_HISTORY,
        eventsPerUser: integer(values["events-per-user"], "events-per-user") ?? DEFAULT_HISTORY.eventsPerUser,
        months,
      };
  const resources: Partial<ResourceOptions> | null = values["no-resources"]
    ? null
    : {
        months,
        projects: integer(values.projects, "projects") ?? null,
        posts: integer(values.posts, "posts") ?? null,
        membersPerProject:
          number(values["members-per-project"], "members-per-project") ?? DEFAULT_RESOURCES.membersPerProject,
        tasksPerProject: number(values["tasks-per-project"], "tasks-per-project") ?? DEFAULT_RESOURCES.tasksPerProject,
        commentsPerPost: number(values["comments-per-post"], "comments-per-post") ?? DEFAULT_RESOURCES.commentsPerPost,
      };

  const generateInto = async (url: string, decrypt?: Decrypt): Promise<void> => {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      const report = await generateDataset(client, options, {
        rebuildIndexes: !values["keep-indexes"],
        progress,
        history,
        resources,
        ...(decrypt ? { decrypt } : {}),
      });
      process.stdout.write(renderLoadReport(report));
    } catch (error) {
      /* A failed check: print what was loaded and checked up to it, then fail. */
      if (error instanceof LoadCheckError) process.stdout.write(renderLoadReport(error.report));
      throw error;
    } finally {
      await client.end();
    }
  };

  const url = process.env.BENCH_DATABASE_URL;
  if (url) {
    await generateInto(url);
    return;
  }
  progress("generate: BENCH_DATABASE_URL is not set; generating into a throw-away embedded PostgreSQL");
  await withMigratedDatabase(undefined, { includeCurrent: true }, async (urls) => {
    /* Its key store and system key, as a started Gatehouse would have made them: personal parts are encrypted to it. */
    const privacy = await throwAwayPrivacyKeys(urls.root, urls.database, urls.worker);
    try {
      /* The generator holds this key store, so the checks decrypt a sample of what it encrypted. */
      await generateInto(urls.rootOnDatabase, (values) => privacy.reader.decryptMany(values));
    } finally {
      await privacy.close();
    }
  });
});
