/**
 * Query plans in benchmark results: `EXPLAIN (ANALYZE, BUFFERS)` of a statement as a scenario runs it, and the rule of
 * PERF.md that a sequential scan of a large table on a hot path is a bug, flagged in the result.
 */
import type pg from "pg";

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
  return `${title}\n\n  \`\`\`\n${text.split("\n").map((line) => `  ${line}`).join("\n")}\n  \`\`\``;
}
