import fs from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { PROJECT_ROOT } from "../../src/config.ts";
import { ERROR_CODES } from "../../src/graphql/errorCodes.ts";

async function documentedCodes(): Promise<string[]> {
  const doc = await fs.readFile(path.join(PROJECT_ROOT, "docs/error_codes.md"), "utf8");
  return [...doc.matchAll(/^\| `([0-9A-Z]{5})` \|/gm)].map((m) => m[1]!);
}

async function codesUsedInSql(): Promise<Set<string>> {
  const used = new Set<string>();
  for (const dir of ["sql/functions", "sql/policies"]) {
    for (const file of await fs.readdir(path.join(PROJECT_ROOT, dir))) {
      const text = await fs.readFile(path.join(PROJECT_ROOT, dir, file), "utf8");
      for (const m of text.matchAll(/errcode\s*=\s*'([^']+)'/g)) used.add(m[1]!);
      /* Refusals: the code passed to app_private.refuse, and the coded rows set_password returns. */
      for (const m of text.matchAll(/app_private\.refuse\([^;]*?'([0-9A-Z]{5})'/g)) used.add(m[1]!);
      for (const m of text.matchAll(/row\([^;]*?'([0-9A-Z]{5})',\s*'/g)) used.add(m[1]!);
    }
  }
  return used;
}

describe("docs/error_codes.md", () => {
  it("lists exactly the codes the gateway lets through", async () => {
    expect(await documentedCodes()).toEqual([...ERROR_CODES]);
  });

  it("lists every code raised or returned in sql/", async () => {
    const used = await codesUsedInSql();
    expect(used.size).toBeGreaterThan(0);
    const documented = new Set(await documentedCodes());
    expect([...used].filter((code) => !documented.has(code))).toEqual([]);
  });

  it("uses only five-character codes outside PostgreSQL's standard classes", async () => {
    /* PostgreSQL's own classes start with a digit or A-H (SQL standard), or are F0, HV, P0 and XX. */
    for (const code of await documentedCodes()) {
      expect(code).toMatch(/^[I-Z][0-9A-Z]{4}$/);
      expect(code.slice(0, 2)).not.toMatch(/^(P0|XX)$/);
    }
  });
});
