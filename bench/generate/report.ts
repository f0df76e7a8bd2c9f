/** A load report (load.ts) as Markdown: what was generated, row counts and the time of every step. */
import type { LoadReport } from "./load.ts";

const seconds = (ms: number): string => (ms / 1000).toFixed(1);

export function loadSummary(report: LoadReport): string {
  const o = report.dataset.options;
  return (
    `seed ${o.seed}: ${o.users.toLocaleString("en")} users, ${o.organizations.toLocaleString("en")} organisations, ${o.permissions} permissions, ` +
    `${o.roles.toLocaleString("en")} roles (role DAG depth ${o.maxDepth})` +
    (report.reused ? "; loaded earlier in this run" : `; loaded in ${seconds(report.totalMs)} s`)
  );
}

export function renderLoadReport(report: LoadReport): string {
  const lines = [
    `## Generated dataset: ${loadSummary(report)}`,
    "",
    `- Reference time (timestamps are relative to it): ${report.dataset.referenceTime.toISOString()}`,
    `- Bulk tables: ${report.mode}`,
    `- Secondary indexes of the bulk tables: ${report.rebuildIndexes ? "dropped before the COPYs, built after them" : "kept during the COPYs"}`,
    "",
    "| step | rows | seconds | rows/s |",
    "|---|---|---|---|",
  ];
  for (const s of report.steps) {
    const rate = s.rows !== undefined && s.step.startsWith("copy ") && s.ms > 0 ? Math.round((s.rows / s.ms) * 1000).toLocaleString("en") : "";
    lines.push(`| ${s.step} | ${s.rows?.toLocaleString("en") ?? ""} | ${seconds(s.ms)} | ${rate} |`);
  }
  lines.push(`| **accounts, organisations, roles, grants** (all steps not marked history) | | ${seconds(report.accountsMs)} | |`);
  if (report.historyMs !== null) lines.push(`| **history** (the steps marked history) | | ${seconds(report.historyMs)} | |`);
  lines.push(`| **total** (the steps above plus queries between them) | | ${seconds(report.totalMs)} | |`, "");
  return `${lines.join("\n")}\n`;
}
