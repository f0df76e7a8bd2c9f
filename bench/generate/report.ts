/** A load report (load.ts) as Markdown: what was generated, row counts, the time of every step and phase, the checks. */
import type { LoadPhase, LoadReport } from "./load.ts";

const seconds = (ms: number): string => (ms / 1000).toFixed(1);

const PHASES: Record<LoadPhase, string> = {
  accounts: "accounts, organisations, roles, grants",
  keys: "accounts queued for keys",
  history: "history (sessions, audit events)",
  resources: "example resources (rows and the events of their creation)",
  chain: "audit chain sealed and verified",
  checks: "checks",
};

export function loadSummary(report: LoadReport): string {
  const o = report.dataset.options;
  const r = report.resources;
  return (
    `seed ${o.seed}: ${o.users.toLocaleString("en")} users, ${o.organizations.toLocaleString("en")} organisations, ${o.permissions} permissions, ` +
    `${o.roles.toLocaleString("en")} roles (role DAG depth ${o.maxDepth})` +
    (r ? `, ${r.projects.length.toLocaleString("en")} projects and ${r.posts.length.toLocaleString("en")} posts` : "") +
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
    `- Example resources: ${
      report.resources
        ? "COPY with their user triggers off, then the audit events a normal creation of each leaves, at its time (bench/generate/resourceLoad.ts)"
        : "none"
    }`,
    "",
    "| phase | step | rows | seconds | rows/s |",
    "|---|---|---|---|---|",
  ];
  for (const s of report.steps) {
    const rate = s.rows !== undefined && s.step.startsWith("copy ") && s.ms > 0 ? Math.round((s.rows / s.ms) * 1000).toLocaleString("en") : "";
    lines.push(`| ${s.phase} | ${s.step} | ${s.rows?.toLocaleString("en") ?? ""} | ${seconds(s.ms)} | ${rate} |`);
  }
  for (const p of report.phases) lines.push(`| **${p.phase}** | **${PHASES[p.phase]}** (the phase's steps) | | ${seconds(p.ms)} | |`);
  lines.push(`| | **total** (the phases above plus queries between them) | | ${seconds(report.totalMs)} | |`, "");
  if (report.checks.length > 0) {
    lines.push("Checks after the load (what the bypassed triggers would have left):", "", "| check | result | seconds |", "|---|---|---|");
    for (const c of report.checks) lines.push(`| ${c.check} | ${c.result.replaceAll("|", "\\|").replaceAll("\n", " ")} | ${seconds(c.ms)} |`);
    lines.push("");
  }
  return `${lines.join("\n")}\n`;
}
