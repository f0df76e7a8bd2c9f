import fs from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { PROJECT_ROOT } from "../../src/config.ts";

async function filesIn(dir: string): Promise<string[]> {
  const entries = await fs.readdir(path.join(PROJECT_ROOT, dir), { recursive: true, withFileTypes: true });
  return entries.filter((e) => e.isFile()).map((e) => path.join(e.parentPath, e.name));
}

/** Every literal event type passed to audit.record_event, the refusal helpers or a gate, or declared as v_event. */
async function eventTypesRecorded(): Promise<Set<string>> {
  const found = new Set<string>();
  const patterns = [
    /record_event\('([a-z_.]+)'/g,
    /v_event constant text := '([a-z_.]+)'/g,
    /(?:refuse|record_refusal|require_\w+)\([^;]*?'([a-z_]+\.[a-z_.]+)'/g,
  ];
  for (const file of [...(await filesIn("sql/functions")), ...(await filesIn("src/worker"))]) {
    const text = await fs.readFile(file, "utf8");
    for (const pattern of patterns) for (const m of text.matchAll(pattern)) found.add(m[1]!);
  }
  return found;
}

describe("docs/audit-events.md", () => {
  it("lists every event type that SQL and the worker record", async () => {
    const doc = await fs.readFile(path.join(PROJECT_ROOT, "docs/audit-events.md"), "utf8");
    const listed = new Set([...doc.matchAll(/`([a-z_]+\.[a-z_.]+)`/g)].map((m) => m[1]!));
    const recorded = await eventTypesRecorded();
    expect(recorded.size).toBeGreaterThan(30);
    expect([...recorded].filter((t) => !listed.has(t)).sort()).toEqual([]);
  });
});
