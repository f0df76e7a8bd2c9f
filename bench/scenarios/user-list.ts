/**
 * user-list: the administrator's paginated account list through GraphQL over HTTP, on a generated dataset (default
 * 1,000,000 accounts): filtered by status and sorted newest first (first page, a page further on by cursor, a rare
 * status), and filtered by a month of creation sorted oldest first, each a page of 50, as an account holding users:read
 * globally (user_manager). Baseline: one account by primary key through the same API as the same administrator. The
 * design documents' target: a paginated list in under 15 ms. The notes carry the EXPLAIN (ANALYZE, BUFFERS) of the SQL
 * each page amounts to, as the administrator under row-level security, and flag any sequential scan of a large table.
 */
import { randomBytes } from "node:crypto";
import type pg from "pg";
import { loadSummary } from "../../fixtures/generate/report.ts";
import { benchDataset, sampleLiveUsers } from "../lib/dataset.ts";
import { accountWithToken } from "../lib/accounts.ts";
import { graphqlCase, type GraphQLCaseSpec } from "../lib/graphqlCase.ts";
import { codeBlock, distinctPlans, explainNested, largeSeqScans } from "../lib/plans.ts";
import type { BenchCase, Scenario, Target } from "../lib/types.ts";

const PAGE = 50;
const FIELDS = "rowId username email status createdAt";
const BY_KEY = `query ($id: UUID!) { user(rowId: $id) { ${FIELDS} } }`;
const BY_STATUS = `query ($status: String!, $after: Cursor) {
  users(condition: { status: $status }, orderBy: [CREATED_AT_DESC], first: ${PAGE}, after: $after) {
    nodes { ${FIELDS} } pageInfo { hasNextPage endCursor }
  }
}`;
const BY_MONTH = `query ($from: Datetime!, $to: Datetime!) {
  users(filter: { createdAt: { greaterThanOrEqualTo: $from, lessThan: $to } }, orderBy: [CREATED_AT_ASC], first: ${PAGE}) {
    nodes { ${FIELDS} } pageInfo { hasNextPage endCursor }
  }
}`;
/*
 * The statements the pages amount to, for their plans, as PostGraphile writes them: the primary key added in the
 * same direction to make the order total, and a cursor as a row comparison.
 */
const SQL_BY_STATUS = "select * from app_public.users where status = $1 order by created_at desc, id desc limit 51";
const SQL_BY_STATUS_AFTER =
  "select * from app_public.users where status = $1 and (created_at, id) < ($2::timestamptz, $3::uuid) order by created_at desc, id desc limit 51";
const SQL_BY_MONTH =
  "select * from app_public.users where created_at >= $1 and created_at < $2 order by created_at, id limit 51";
const CLAIMS =
  "select set_config('role', 'app_authenticated', true), set_config('jwt.claims.sub', $1, true), set_config('jwt.claims.sid', $2, true)";

/** The design documents' target for a paginated list, at p99 and one client. */
const DESIGN_TARGET: Target = { kind: "p99-ms", maxMs: 15, label: "design: p99 < 15 ms" };
/** How far the cursor case pages: pages 2 to 1 + CURSOR_PAGES. */
const CURSOR_PAGES = 20;

interface Page {
  users: {
    nodes: Array<{ rowId: string; status: string; createdAt: string }>;
    pageInfo: { hasNextPage: boolean; endCursor: string | null };
  };
}

export const userListScenario: Scenario = {
  name: "user-list",
  dataset: "accounts",
  title: "the administrator's paginated, filtered, sorted account list over GraphQL against a primary-key lookup",
  description:
    "On a generated dataset (default 1,000,000 accounts; `--users 20000` for a quick run), as an account holding users:read " +
    `globally: \`users(condition: { status }, orderBy: CREATED_AT_DESC, first: ${PAGE})\` (active accounts: the first page, and pages ` +
    `2–${CURSOR_PAGES + 1} by cursor; suspended accounts, about 1%), and \`users(filter: { createdAt: a month }, orderBy: CREATED_AT_ASC, first: ${PAGE})\`, ` +
    "each answer checked, beside the baseline `user(rowId:)` through the same API. Design target: a paginated list under 15 ms.",
  async setup(env) {
    const load = await benchDataset(env, false);
    const { dataset } = load;
    const admin = await accountWithToken(env, "bench_list_admin", randomBytes(4).toString("hex"), "user_manager");

    const sampleIds = sampleLiveUsers(dataset, "user-list-sample", 200).map((u) => u.id);
    const { rows: months } = await env.root.query<{ from: Date; to: Date }>(
      `select m as "from", m + interval '1 month' as to
       from generate_series(date_trunc('month', (select min(created_at) from app_public.users)) + interval '1 month',
                            date_trunc('month', now()) - interval '1 month', interval '1 month') m`,
    );
    if (months.length === 0) throw new Error("the generated accounts span no whole month");

    /* The cursors of pages 2 … CURSOR_PAGES + 1 of the active accounts, as a client paging on would hold them. */
    const cursors: string[] = [];
    let after: string | null = null;
    for (let page = 0; page < CURSOR_PAGES; page++) {
      const answer: Awaited<ReturnType<typeof env.graphql<Page>>> = await env.graphql<Page>(
        BY_STATUS,
        { status: "active", after },
        admin.authorization,
      );
      const next = answer.data?.users.pageInfo.endCursor;
      if (!next)
        throw new Error(`paging the active accounts stopped at page ${page + 1}: ${JSON.stringify(answer.errors)}`);
      cursors.push(next);
      after = next;
    }

    const asAdminCase = (spec: GraphQLCaseSpec): BenchCase => graphqlCase(env, admin.authorization, spec);
    const fullPage =
      (status: string | null) =>
      (data: unknown): string | null => {
        const nodes = (data as Page | null)?.users.nodes ?? [];
        if (nodes.length !== PAGE) return `expected a page of ${PAGE}, got ${nodes.length}`;
        if (status && nodes.some((n) => n.status !== status)) return `an account of another status than ${status}`;
        return null;
      };
    const newestFirst = (data: unknown): string | null => {
      const nodes = (data as Page | null)?.users.nodes ?? [];
      for (let k = 1; k < nodes.length; k++)
        if (nodes[k - 1]!.createdAt < nodes[k]!.createdAt) return "not newest first";
      return null;
    };
    const firstNode = ["data", "users", "nodes", "0", "rowId"];

    /* Plans of the statements the pages amount to, as the administrator (claims set as the gateway sets them). */
    const lastCursorRow = await env.root.query<{ created_at: Date; id: string }>(
      "select created_at, id from app_public.users where status = 'active' order by created_at desc, id desc offset $1 limit 1",
      [PAGE * CURSOR_PAGES - 1],
    );
    const month = months[Math.floor(months.length / 2)]!;
    const asAdmin =
      (sql: string, values: unknown[]) =>
      async (client: pg.Client): Promise<void> => {
        await client.query("begin");
        await client.query(CLAIMS, [admin.userId, admin.sessionId]);
        await client.query(sql, values);
        await client.query("commit");
      };
    const planned: Array<[string, string[]]> = [
      ["active, first page", await explainNested(env.urls.rootOnDatabase, asAdmin(SQL_BY_STATUS, ["active"]))],
      [
        `active, page ${CURSOR_PAGES + 1} (keyset after the cursor)`,
        await explainNested(
          env.urls.rootOnDatabase,
          asAdmin(SQL_BY_STATUS_AFTER, ["active", lastCursorRow.rows[0]!.created_at, lastCursorRow.rows[0]!.id]),
        ),
      ],
      ["suspended, first page", await explainNested(env.urls.rootOnDatabase, asAdmin(SQL_BY_STATUS, ["suspended"]))],
      [
        "one month, oldest first",
        await explainNested(env.urls.rootOnDatabase, asAdmin(SQL_BY_MONTH, [month.from, month.to])),
      ],
    ];
    const plans = planned.map(([what, found]) => [what, distinctPlans(found).join("\n\n")] as const);
    const seqScans = await largeSeqScans(
      env.root,
      plans.map(([, plan]) => plan),
      10_000,
    );

    return {
      baseline: asAdminCase({
        name: "user by primary key",
        description: "`user(rowId: $id) { … }` for sampled accounts, as the administrator.",
        request: (k) => ({ query: BY_KEY, variables: { id: sampleIds[k % sampleIds.length] } }),
        check: (data, k) =>
          (data as { user?: { rowId?: string } } | null)?.user?.rowId === sampleIds[k % sampleIds.length]
            ? null
            : "not the account asked for",
        loadCheck: ["data", "user", "rowId"],
      }),
      cases: [
        asAdminCase({
          name: "active, newest first, first page",
          description: `\`users(condition: { status: "active" }, orderBy: [CREATED_AT_DESC], first: ${PAGE})\`: about 95% of the accounts match.`,
          request: () => ({ query: BY_STATUS, variables: { status: "active", after: null } }),
          check: (data) => fullPage("active")(data) ?? newestFirst(data),
          loadCheck: firstNode,
          target: DESIGN_TARGET,
        }),
        asAdminCase({
          name: `active, newest first, pages 2–${CURSOR_PAGES + 1} by cursor`,
          description: `The same list after the \`endCursor\` of pages 1 to ${CURSOR_PAGES} in turn: keyset pagination, each page as cheap as the first.`,
          request: (k) => ({ query: BY_STATUS, variables: { status: "active", after: cursors[k % cursors.length] } }),
          check: (data) => fullPage("active")(data) ?? newestFirst(data),
          loadCheck: firstNode,
          target: DESIGN_TARGET,
        }),
        asAdminCase({
          name: "suspended, newest first, first page",
          description: `\`users(condition: { status: "suspended" }, orderBy: [CREATED_AT_DESC], first: ${PAGE})\`: a rare status (about 1%).`,
          request: () => ({ query: BY_STATUS, variables: { status: "suspended", after: null } }),
          check: (data) => fullPage("suspended")(data) ?? newestFirst(data),
          loadCheck: firstNode,
          target: DESIGN_TARGET,
        }),
        asAdminCase({
          name: "created in a month, oldest first",
          description: `\`users(filter: { createdAt: { greaterThanOrEqualTo, lessThan } }, orderBy: [CREATED_AT_ASC], first: ${PAGE})\` over one of ${months.length} whole months in turn.`,
          request: (k) => {
            const m = months[k % months.length]!;
            return { query: BY_MONTH, variables: { from: m.from.toISOString(), to: m.to.toISOString() } };
          },
          check: fullPage(null),
          loadCheck: firstNode,
          target: DESIGN_TARGET,
        }),
      ],
      notes: [
        `Dataset: ${loadSummary(load)}.`,
        "The administrator holds the system role user_manager globally (users:read everywhere), so row-level security lets " +
          "every account through; its policies are still evaluated for every row read (`can_read_account`).",
        "Each timed call is one GraphQL request over HTTP with fetch from the benchmark process (one in flight): the " +
          "gateway's token check, the transaction with the claims, the query and the JSON answer.",
        seqScans.length === 0
          ? "No sequential scan of a table over 10,000 rows in the plans below."
          : `**Sequential scans of large tables**: ${seqScans.join(", ")}.`,
        ...plans.map(([what, plan]) =>
          codeBlock(
            `EXPLAIN (ANALYZE, BUFFERS) of the SQL the page "${what}" amounts to, as the administrator (auto_explain, nested statements included):`,
            plan,
          ),
        ),
      ],
    };
  },
};
