/**
 * Renders a scenario's report as Markdown (stdout and bench/results/<stamp>-<name>.md) and stores it as JSON
 * (bench/results/<stamp>-<name>.json). The Markdown is made from the JSON alone, so a stored result can be re-rendered.
 */
import { existsSync } from "node:fs";
import fs from "node:fs/promises";
import path from "node:path";
import type { LoadReport } from "./parallel.ts";
import type { CaseReport, ScenarioReport } from "./runner.ts";
import type { Spread } from "./stats.ts";

function ms(x: number): string {
  return Math.abs(x) >= 100 ? x.toFixed(1) : x.toFixed(2);
}

function signedMs(x: number): string {
  return `${x >= 0 ? "+" : "−"}${ms(Math.abs(x))}`;
}

function ratio(x: number): string {
  return x.toFixed(3);
}

function cell(s: Spread, format: (x: number) => string): string {
  return `${format(s.median)} (${format(s.min)}–${format(s.max)})`;
}

function signedCell(s: Spread): string {
  return `${signedMs(s.median)} (${signedMs(s.min)} to ${signedMs(s.max)})`;
}

function targetCell(c: CaseReport): string {
  return c.targets
    .map(({ target, value, met }) => {
      const shown =
        target.kind === "delta-p50" || target.kind === "delta-p99"
          ? `${signedMs(value)} ms`
          : target.kind === "p99-ms"
            ? `${ms(value)} ms`
            : ratio(value);
      return `${target.label}: ${met ? "met" : "**missed**"} (${shown})`;
    })
    .join("; ");
}

function perSecond(x: number): string {
  return x >= 100 ? x.toFixed(0) : x.toFixed(1);
}

/** The runs at several clients: one table row per case and number of clients. */
function clientsTable(loads: readonly LoadReport[]): string[] {
  const header = [
    "clients",
    "case",
    "via",
    "calls/s",
    "p50 ms",
    "p95 ms",
    "p99 ms",
    "calls/s ÷ baseline",
    "p99 ÷ baseline",
  ];
  const lines = [`| ${header.join(" | ")} |`, `|${header.map(() => "---").join("|")}|`];
  for (const load of loads) {
    for (const c of load.cases) {
      lines.push(
        `| ${[
          String(load.clients),
          c.baseline ? `${c.name} (baseline)` : c.name,
          c.transport,
          cell(c.summary.opsPerSecond, perSecond),
          cell(c.summary.p50, ms),
          cell(c.summary.p95, ms),
          cell(c.summary.p99, ms),
          c.baseline ? "1" : c.vsBaseline ? cell(c.vsBaseline.opsPerSecond, ratio) : "",
          c.baseline ? "1" : c.vsBaseline ? cell(c.vsBaseline.p99, ratio) : "",
        ].join(" | ")} |`,
      );
    }
  }
  return lines;
}

function caseName(c: CaseReport): string {
  return c.baseline ? `${c.name} (baseline)` : c.name;
}

export function renderMarkdown(report: ScenarioReport): string {
  const env = report.environment;
  const { settings } = report;
  const hasBaseline = report.cases.some((c) => c.baseline);
  const hasTargets = report.cases.some((c) => c.targets.length > 0);
  const git = env.git ? `, git ${env.git.commit.slice(0, 10)}${env.git.dirty ? " (uncommitted changes)" : ""}` : "";
  const lines: string[] = [
    `## ${report.scenario}: ${report.title}`,
    "",
    report.description,
    "",
    `- Run: ${report.startedAt.replace("T", " ").slice(0, 16)} UTC${git}`,
    `- Settings: ${settings.rounds} rounds × ${settings.iterations} timed iterations per case, after ${settings.warmup} ` +
      `warm-up iteration${settings.warmup === 1 ? "" : "s"} per case, interleaved by ${settings.interleave}, the order rotating each round; bcrypt cost ${env.bcryptCost}${env.bcryptCost === env.bcryptCostDefault ? " (the setting's default)" : ` (lowered from the default ${env.bcryptCostDefault})`}`,
    `- Environment: Node ${env.node}, PostgreSQL ${env.postgres.version}, ${env.cpus} CPUs (${env.cpuModel}), ${env.memoryGiB} GiB, ${env.os}`,
    `- Gateway: mode ${env.gateway.mode}, GRAPHILE_ENV=${env.gateway.graphileEnv}, log level ${env.gateway.logLevel}; ${env.database}`,
    `- HTTP load: ${settings.load}`,
  ];
  const overrides = Object.entries(env.settingOverrides ?? {});
  if (overrides.length > 0)
    lines.push(
      `- Settings changed for the run: ${overrides.map(([k, v]) => `${k} = ${JSON.stringify(v)}`).join(", ")}`,
    );
  lines.push("");
  const header = ["case", "via", "calls/s", "p50 ms", "p95 ms", "p99 ms", "mean ms"];
  if (hasBaseline) header.push("p50 ÷ baseline", "Δ p50 ms", "Δ p99 ms");
  if (hasTargets) header.push("target");
  lines.push(`| ${header.join(" | ")} |`, `|${header.map(() => "---").join("|")}|`);
  for (const c of report.cases) {
    const row = [
      caseName(c),
      c.transport,
      cell(c.opsPerSecond, perSecond),
      cell(c.summary.p50, ms),
      cell(c.summary.p95, ms),
      cell(c.summary.p99, ms),
      cell(c.summary.mean, ms),
    ];
    if (hasBaseline) {
      row.push(
        c.vsBaseline ? cell(c.vsBaseline.ratioP50, ratio) : "1",
        c.vsBaseline ? signedCell(c.vsBaseline.deltaP50Ms) : "",
        c.vsBaseline ? signedCell(c.vsBaseline.deltaP99Ms) : "",
      );
    }
    if (hasTargets) row.push(targetCell(c));
    lines.push(`| ${row.join(" | ")} |`);
  }
  lines.push(
    "",
    `Each figure is the median across the ${settings.rounds} rounds, with the smallest and largest round in brackets.` +
      (hasBaseline
        ? " Ratios and differences are paired: each round's case against the baseline of the same round, then their median."
        : "") +
      ` p99 of ${settings.iterations} samples is close to the round's slowest request.`,
  );
  lines.push("calls/s at one client is 1000 ÷ the round's mean latency (one call in flight).");
  if (hasTargets) lines.push("Targets are checked against the median and reported, never asserted.");
  if (report.atClients.length > 0) {
    const d = report.atClients[0]!.durationSeconds;
    lines.push(
      "",
      `At several clients: each case kept busy by that many clients at once (each sends its next call when its previous answer is in), ` +
        `${d} s per case and round, ${settings.rounds} rounds, the order rotating; SQL cases over a connection per client, HTTP cases from the separate ` +
        "load-generator process over a keep-alive connection per client. Ratios are paired round by round with the baseline at the same number of clients.",
      "",
      ...clientsTable(report.atClients),
    );
  }
  lines.push("", "Cases:", "");
  for (const c of report.cases) lines.push(`- **${caseName(c)}**: ${c.description}`);
  if (report.notes.length > 0) {
    lines.push("", "Notes:", "");
    for (const note of report.notes) lines.push(`- ${note}`);
  }
  return `${lines.join("\n")}\n`;
}

/** `2025-11-23T1612Z`: the run's start, sortable and safe in a file name. */
export function fileStamp(date: Date): string {
  const iso = date.toISOString();
  return `${iso.slice(0, 10)}T${iso.slice(11, 13)}${iso.slice(14, 16)}Z`;
}

async function writeAtomically(file: string, content: string): Promise<void> {
  const tmp = `${file}.tmp`;
  await fs.writeFile(tmp, content);
  await fs.rename(tmp, file);
}

/** A base name whose .md and .json do not exist yet: two runs started in the same minute never overwrite each other. */
function freeBase(dir: string, name: string): string {
  for (let n = 1; ; n++) {
    const base = path.join(dir, n === 1 ? name : `${name}-${n}`);
    if (!existsSync(`${base}.md`) && !existsSync(`${base}.json`)) return base;
  }
}

/** Writes <dir>/<stamp>-<name>.md (with -2, -3 … when taken); returns its path. */
export async function writeMarkdown(markdown: string, dir: string, stamp: string, name: string): Promise<string> {
  await fs.mkdir(dir, { recursive: true });
  const base = freeBase(dir, `${stamp}-${name}`);
  await writeAtomically(`${base}.md`, markdown);
  return `${base}.md`;
}

/** Writes <dir>/<stamp>-<scenario><suffix>.md and .json (with -2, -3 … when taken); returns both paths. */
export async function writeResults(
  report: ScenarioReport,
  dir: string,
  stamp: string,
  suffix: string,
): Promise<string[]> {
  await fs.mkdir(dir, { recursive: true });
  const base = freeBase(dir, `${stamp}-${report.scenario}${suffix}`);
  await writeAtomically(`${base}.md`, renderMarkdown(report));
  await writeAtomically(`${base}.json`, `${JSON.stringify(report, null, 2)}\n`);
  return [`${base}.md`, `${base}.json`];
}
