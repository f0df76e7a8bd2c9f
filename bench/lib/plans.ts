/**
 * Query plans in benchmark results: `EXPLAIN (ANALYZE, BUFFERS)` of a statement as a scenario runs it, and the rule of
 * PERF.md that a sequential scan of a large table on a hot path is a bug, flagged in the result.
 */
import pg from "pg";

/** `EXPLAIN (ANALYZE, BUFFERS)` of one statement with its parameters, as text (run once before, so the plan is warm). */
export async function explainAnalyze(client: pg.ClientBase, sql: string, values: unknown[]): Promise<string> {
  await client.query(sql, values);
  const { rows } = await client.query<{ "QUERY PLAN": string }>(`explain (analyze, buffers) ${sql}`, values);
  return rows.map((r) => r["QUERY PLAN"]).join("\n");
}

/** Sequential scans in the plans over tables with more than `minRows` rows (estimated): a bug by PERF.md's rule. */
export async function largeSeqScans(root: pg.ClientBase, plans: string[], minRows: number): Promise<string[]> {
  const tables = new Set<string>();
  for (const plan of plans) for (const m of plan.matchAll(/Seq Scan on (\S+)/g)) if (m[1]) tables.add(m[1]);
  const found: string[] = [];
  for (const table of tables) {
    const { rows } = await root.query<{ name: string; n: number }>(
      "select c.oid::regclass::text as name, c.reltuples::bigint::integer as n from pg_class c where c.relname = $1 and c.relkind in ('r', 'p')",
      [table],
    );
    for (const r of rows) if (r.n > minRows) found.push(`${r.name} (~${r.n.toLocaleString("en")} rows)`);
  }
  return found;
}

export function codeBlock(title: string, text: string): string {
  return `${title}\n\n  \`\`\`\n${text
    .split("\n")
    .map((line) => `  ${line}`)
    .join("\n")}\n  \`\`\``;
}

/**
 * `EXPLAIN (ANALYZE, BUFFERS)` of every statement `work` runs on a fresh superuser connection, nested statements
 * included (the queries inside functions): auto_explain at NOTICE level on that connection only. `work` runs twice and
 * the plans of the second run are returned, as a timed round would see them; transaction control and set_config
 * statements are left out.
 */
export async function explainNested(url: string, work: (client: pg.Client) => Promise<void>): Promise<string[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const plans: string[] = [];
  client.on("notice", (notice) => {
    if (notice.message) plans.push(notice.message);
  });
  try {
    await client.query("load 'auto_explain'");
    for (const setting of [
      "log_min_duration = 0",
      "log_analyze = on",
      "log_buffers = on",
      "log_timing = on",
      "log_nested_statements = on",
      "log_level = notice",
    ]) {
      await client.query(`set auto_explain.${setting}`);
    }
    await work(client);
    plans.length = 0;
    await work(client);
  } finally {
    await client.end();
  }
  return plans.filter((p) => !/set_config|^Query Text: (begin|commit)/m.test(p));
}

/** The first plan of each distinct statement text: a function called per row logs its nested plans once per call. */
export function distinctPlans(plans: readonly string[]): string[] {
  const seen = new Set<string>();
  return plans.filter((plan) => {
    /* The statement: from "Query Text:" to its parameters or the first plan node. */
    const text = /Query Text:([\s\S]*?)(?:\nQuery Parameters:|\n\S.*\(cost=)/.exec(plan)?.[1] ?? plan;
    if (seen.has(text)) return false;
    seen.add(text);
    return true;
  });
}
