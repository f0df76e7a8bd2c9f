import fs from "node:fs/promises";
import path from "node:path";
import type pg from "pg";
import { describe, expect, it } from "vitest";
import { PROJECT_ROOT } from "../../src/config.ts";
import { mermaidType, renderErd } from "../../scripts/lib/erd.ts";
import { useTestDatabase, withRollback } from "../helpers/database.ts";

const db = useTestDatabase();

async function renderOnPool(pool: pg.Pool): Promise<string> {
  const client = await pool.connect();
  try {
    return await renderErd(client);
  } finally {
    client.release();
  }
}

describe("docs/erd.md", () => {
  it("is the diagram of the schema the migrations build", async () => {
    const rendered = await renderOnPool(db.current.root);
    const committed = await fs.readFile(path.join(PROJECT_ROOT, "docs/erd.md"), "utf8").catch(() => "(missing)");
    expect(committed, "docs/erd.md is out of date: run `npm run docs:erd` and commit the result").toBe(rendered);
  });
});

describe("renderErd", () => {
  it("draws foreign keys with cardinality from nullability, uniqueness and the primary key", async () => {
    const erd = await withRollback(db.current, async (client) => {
      await client.query(`
        create table app_private.erd_parent (id uuid primary key, parent_id uuid references app_private.erd_parent);
        create table app_private.erd_child (
          id uuid primary key,
          required_id uuid not null references app_private.erd_parent,
          optional_id uuid references app_private.erd_parent,
          only_id uuid not null unique references app_private.erd_parent
        );
        create table app_private.erd_detail (
          parent_id uuid references app_private.erd_parent,
          line integer,
          amount numeric(10,2),
          primary key (parent_id, line)
        );
        create table app_private.erd_extension (parent_id uuid primary key references app_private.erd_parent);
        create table app_private.erd_log (
          at timestamptz not null,
          parent_id uuid not null references app_private.erd_parent
        ) partition by range (at);
        create table app_private.erd_log_2000 partition of app_private.erd_log
          for values from ('2000-01-01') to ('2001-01-01');
      `);
      return renderErd(client);
    });
    const relationships = erd
      .split("\n")
      .filter((line) => line.includes('"app_private.erd_parent" ') && line.includes(" : "));
    /* Sorted by child, then by constraint name (erd_child_only_id_fkey before erd_child_optional_id_fkey). */
    expect(relationships).toEqual([
      '    "app_private.erd_parent" ||..o| "app_private.erd_child" : "only_id"',
      '    "app_private.erd_parent" |o..o{ "app_private.erd_child" : "optional_id"',
      '    "app_private.erd_parent" ||..o{ "app_private.erd_child" : "required_id"',
      '    "app_private.erd_parent" ||--o{ "app_private.erd_detail" : "parent_id"',
      '    "app_private.erd_parent" ||--o| "app_private.erd_extension" : "parent_id"',
      '    "app_private.erd_parent" ||..o{ "app_private.erd_log" : "parent_id"',
      '    "app_private.erd_parent" |o..o{ "app_private.erd_parent" : "parent_id"',
    ]);
    expect(erd).toContain("        uuid only_id FK, UK\n");
    expect(erd).toContain("        uuid parent_id PK, FK\n");
    expect(erd).toContain('        numeric(10_2) amount "nullable"\n');
    expect(erd).not.toContain("erd_log_2000");
  });

  it("spells every type as one Mermaid word", () => {
    expect(mermaidType("timestamp with time zone")).toBe("timestamptz");
    expect(mermaidType("timestamp(3) without time zone[]")).toBe("timestamp(3)[]");
    expect(mermaidType("character varying(100)")).toBe("varchar(100)");
    expect(mermaidType("character(1)")).toBe("char(1)");
    expect(mermaidType("double precision")).toBe("float8");
    expect(mermaidType("interval day to second")).toBe("interval_day_to_second");
  });
});
