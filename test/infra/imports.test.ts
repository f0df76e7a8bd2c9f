/*
 * The import rules of .dependency-cruiser.js (no cycles, type-only imports included; the product never imports
 * benchmarks, tests or scripts; fixtures/ imports only src/; only tests import tests), checked with dependency-cruiser's
 * own API over every TypeScript file of src/, fixtures/, bench/, scripts/ and test/. `npm run lint` runs the same check
 * from the command line.
 */
import path from "node:path";
import { cruise, type ICruiseResult, type IViolation } from "dependency-cruiser";
import extractDepcruiseOptions from "dependency-cruiser/config-utl/extract-depcruise-options";
import { describe, expect, it } from "vitest";
import { PROJECT_ROOT } from "../../src/config.ts";

const FOLDERS = ["src", "fixtures", "bench", "scripts", "test"];

async function cruiseProject(): Promise<ICruiseResult> {
  const options = await extractDepcruiseOptions(path.join(PROJECT_ROOT, ".dependency-cruiser.js"));
  const { output } = await cruise(FOLDERS, { ...options, baseDir: PROJECT_ROOT });
  if (typeof output === "string") throw new Error("dependency-cruiser returned text, not a result");
  return output;
}

/** One line per violation: the rule, then the import (or the whole cycle), as a reviewer reads it. */
function describeViolation(v: IViolation): string {
  const chain = v.cycle?.length ? [v.from, ...v.cycle.map((step) => step.name)].join(" → ") : `${v.from} → ${v.to}`;
  return `${v.rule.name}: ${chain}`;
}

describe("imports", () => {
  it("break none of the rules in .dependency-cruiser.js", { timeout: 120_000 }, async () => {
    const result = await cruiseProject();

    /* The check sees what it must: every folder, imports with their .ts extension resolved, and type-only imports. */
    const sources = new Set(result.modules.map((m) => m.source));
    for (const folder of FOLDERS)
      expect(
        [...sources].some((s) => s.startsWith(`${folder}/`)),
        folder,
      ).toBe(true);
    const report = result.modules.find((m) => m.source === "fixtures/generate/report.ts");
    expect(report?.dependencies.find((d) => d.resolved === "fixtures/generate/load.ts")?.dependencyTypes).toContain(
      "type-only",
    );

    expect(result.summary.violations.map(describeViolation)).toEqual([]);
  });
});
