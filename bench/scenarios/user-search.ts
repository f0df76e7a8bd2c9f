/**
 * user-search: full-text search over accounts (`searchUsers`, app_public.search_users) through GraphQL over HTTP, on a
 * generated dataset (default 1,000,000 accounts), as an account holding users:read globally: by full name, by a first
 * name alone (the most matches: one in fifty accounts shares it), by a name with the surname being typed, by username
 * and by email address. Baseline: one account by primary key through the same API as the same administrator. The design
 * documents' target: full-text search in under 50 ms. The notes carry the EXPLAIN (ANALYZE, BUFFERS) of the search's
 * own statement (nested, inside the function) and flag any sequential scan of a large table.
 */
import { randomBytes } from "node:crypto";
import type pg from "pg";
import type { GeneratedUser } from "../../fixtures/generate/dataset.ts";
import { loadSummary } from "../../fixtures/generate/report.ts";
import { benchDataset, sampleLiveUsers } from "../lib/dataset.ts";
import { accountWithToken } from "../lib/accounts.ts";
import { graphqlCase, type GraphQLCaseSpec } from "../lib/graphqlCase.ts";
import { codeBlock, distinctPlans, explainNested, largeSeqScans } from "../lib/plans.ts";
import type { BenchCase, Scenario, Target } from "../lib/types.ts";

const RESULTS = 20;
const SEARCH = `query ($query: String!) { searchUsers(query: $query, first: ${RESULTS}) { nodes { rowId username firstName lastName } } }`;
const BY_KEY = "query ($id: UUID!) { user(rowId: $id) { rowId username firstName lastName } }";
const SQL_SEARCH = `select * from app_public.search_users($1) limit ${RESULTS + 1}`;
const CLAIMS =
  "select set_config('role', 'app_authenticated', true), set_config('jwt.claims.sub', $1, true), set_config('jwt.claims.sid', $2, true)";

/** The design documents' target for full-text search, at p99 and one client. */
const DESIGN_TARGET: Target = { kind: "p99-ms", maxMs: 50, label: "design: p99 < 50 ms" };

interface Found {
  searchUsers: { nodes: Array<{ rowId: string; username: string; firstName: string | null; lastName: string | null }> };
}

/** What one kind of search types for a sampled account, and what the answer must show. */
interface SearchKind {
  name: string;
  description: string;
  query(user: GeneratedUser): string;
  /** null when the answer is right. */
  check(found: Found["searchUsers"]["nodes"], user: GeneratedUser): string | null;
}

const hasName =
  (first: string, last?: string) =>
  (nodes: Found["searchUsers"]["nodes"]): string | null => {
    if (nodes.length === 0) return "nothing found";
    const wrong = nodes.find((n) => n.firstName !== first || (last !== undefined && n.lastName !== last));
    return wrong ? `found ${wrong.firstName} ${wrong.lastName} for ${first} ${last ?? ""}` : null;
  };
const firstIs = (nodes: Found["searchUsers"]["nodes"], user: GeneratedUser): string | null =>
  nodes[0]?.rowId === user.id ? null : `expected ${user.username} first, found ${nodes[0]?.username ?? "nothing"}`;

const KINDS: SearchKind[] = [
  {
    name: "full name",
    description: "First and last name (`Ada Abara`): about one account in 2,500 matches.",
    query: (u) => `${u.firstName} ${u.lastName}`,
    check: (nodes, u) => hasName(u.firstName, u.lastName)(nodes),
  },
  {
    name: "first name only",
    description:
      "A first name alone (`Ada`): one account in fifty matches (20,000 at 1M); the first 100 found come back.",
    query: (u) => u.firstName,
    check: (nodes, u) => hasName(u.firstName)(nodes),
  },
  {
    name: "while typing the surname",
    description: "The first name and the surname's first three letters (`Ada Aba`), as search-as-you-type sends them.",
    query: (u) => `${u.firstName} ${u.lastName.slice(0, 3)}`,
    check: (nodes, u) =>
      nodes.length === 0
        ? "nothing found"
        : nodes.some((n) => n.firstName !== u.firstName)
          ? "another first name"
          : null,
  },
  {
    name: "username",
    description: "An account's username (`ada_abara123`): that account comes first.",
    query: (u) => u.username,
    check: firstIs,
  },
  {
    name: "email address",
    description: "An account's whole email address: that account comes first.",
    query: (u) => u.email,
    check: firstIs,
  },
];

export const userSearchScenario: Scenario = {
  name: "user-search",
  dataset: "accounts",
  title: "full-text search over accounts over GraphQL against a primary-key lookup",
  description:
    "On a generated dataset (default 1,000,000 accounts; `--users 20000` for a quick run), as an account holding users:read " +
    `globally: \`searchUsers(query:, first: ${RESULTS})\` (the GIN index users_search_idx; an exact username or email first, then up to 99 others unsorted) by full name, by a first ` +
    "name alone, by a name with the surname half typed, by username and by email address, for sampled accounts, each " +
    "answer checked, beside the baseline `user(rowId:)` through the same API. Design target: full-text search under 50 ms.",
  async setup(env) {
    const load = await benchDataset(env, false);
    const { dataset } = load;
    const admin = await accountWithToken(env, "bench_search_admin", randomBytes(4).toString("hex"), "user_manager");

    const samples = sampleLiveUsers(dataset, "user-search-sample", 200);
    const asAdminCase = (spec: GraphQLCaseSpec): BenchCase => graphqlCase(env, admin.authorization, spec);
    const searchCase = (kind: SearchKind): BenchCase =>
      asAdminCase({
        name: kind.name,
        description: kind.description,
        request: (i) => ({ query: SEARCH, variables: { query: kind.query(samples[i % samples.length]!) } }),
        check: (data, i) => kind.check((data as Found | null)?.searchUsers.nodes ?? [], samples[i % samples.length]!),
        loadCheck: ["data", "searchUsers", "nodes", "0", "rowId"],
        target: DESIGN_TARGET,
      });

    /* The plan of the search's own statement, inside the function, for one sample of each kind. */
    const first = samples[0]!;
    const planned: Array<[string, string]> = [];
    const matches: string[] = [];
    for (const kind of KINDS) {
      const text = kind.query(first);
      const found = await explainNested(env.urls.rootOnDatabase, async (client: pg.Client) => {
        await client.query("begin");
        await client.query(CLAIMS, [admin.userId, admin.sessionId]);
        await client.query(SQL_SEARCH, [text]);
        await client.query("commit");
      });
      planned.push([
        `${kind.name} (\`${text}\`)`,
        distinctPlans(found)
          .filter((p) => p.includes("user_search_document"))
          .join("\n\n"),
      ]);
      const { rows } = await env.root.query<{ n: number }>(
        `select count(*)::integer as n from app_public.users u
         where app_hidden.user_search_document(u.username, u.email, u.first_name, u.last_name, u.display_name) @@ app_hidden.user_search_query($1)`,
        [text],
      );
      matches.push(`${kind.name} \`${text}\`: ${rows[0]!.n.toLocaleString("en")}`);
    }
    const seqScans = await largeSeqScans(
      env.root,
      planned.map(([, plan]) => plan),
      10_000,
    );

    return {
      baseline: asAdminCase({
        name: "user by primary key",
        description: "`user(rowId: $id) { … }` for the sampled accounts, as the administrator.",
        request: (i) => ({ query: BY_KEY, variables: { id: samples[i % samples.length]!.id } }),
        check: (data, i) =>
          (data as { user?: { rowId?: string } } | null)?.user?.rowId === samples[i % samples.length]!.id
            ? null
            : "not the account asked for",
        loadCheck: ["data", "user", "rowId"],
      }),
      cases: KINDS.map(searchCase),
      notes: [
        `Dataset: ${loadSummary(load)}.`,
        `Matches, for the first sample (the function returns the first 100 the index finds; GraphQL takes ${RESULTS}): ${matches.join("; ")}.`,
        "The administrator holds the system role user_manager globally, so the function checks users:read once and no match " +
          "needs the per-row check (`can_read_account`) that an organisation's reader pays.",
        "Each timed call is one GraphQL request over HTTP with fetch from the benchmark process (one in flight).",
        seqScans.length === 0
          ? "No sequential scan of a table over 10,000 rows in the plans below."
          : `**Sequential scans of large tables**: ${seqScans.join(", ")}.`,
        ...planned.map(([what, plan]) =>
          codeBlock(
            `EXPLAIN (ANALYZE, BUFFERS) of the search's statement inside \`search_users\`, ${what} (auto_explain):`,
            plan,
          ),
        ),
      ],
    };
  },
};
