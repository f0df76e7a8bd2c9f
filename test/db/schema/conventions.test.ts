/**
 * The house rules of sql/README.md that a reviewer would otherwise have to remember: one living file per function and
 * per table, a `Definer:` line in every security definer function, grants in their policy file.
 */
import fs from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { PROJECT_ROOT } from "../../../src/config.ts";
import { useTestDatabase } from "../../helpers/database.ts";

const db = useTestDatabase();
const PROJECT_SCHEMAS = ["app_public", "app_hidden", "app_private", "audit", "config", "analytics"];
const SQL_DIR = path.join(PROJECT_ROOT, "sql");

async function sqlFiles(folder: "functions" | "policies"): Promise<Map<string, string>> {
  const dir = path.join(SQL_DIR, folder);
  const names = (await fs.readdir(dir)).filter((name) => name.endsWith(".sql"));
  return new Map(
    await Promise.all(
      names.map(async (name) => [name.slice(0, -4), await fs.readFile(path.join(dir, name), "utf8")] as const),
    ),
  );
}

/** The leading comment of a function file: everything before `create or replace function`. */
function header(text: string): string {
  const start = text.search(/^create or replace function/im);
  return start < 0 ? "" : text.slice(0, start);
}

describe("sql/ follows sql/README.md", () => {
  it("every function in the project's schemas has its file sql/functions/<schema>.<name>.sql, and every file a function", async () => {
    const { rows } = await db.current.root.query<{ name: string }>(
      `select distinct n.nspname || '.' || p.proname as name
       from pg_proc p join pg_namespace n on n.oid = p.pronamespace
       where n.nspname = any($1)`,
      [PROJECT_SCHEMAS],
    );
    const inDatabase = new Set(rows.map((r) => r.name));
    const files = new Set((await sqlFiles("functions")).keys());
    expect([...inDatabase].filter((name) => !files.has(name)).sort(), "functions without a file").toEqual([]);
    expect([...files].filter((name) => !inDatabase.has(name)).sort(), "files of functions that do not exist").toEqual(
      [],
    );
  });

  it("every security definer function says why in a `Definer:` line of its header", async () => {
    const { rows } = await db.current.root.query<{ name: string }>(
      `select distinct n.nspname || '.' || p.proname as name
       from pg_proc p join pg_namespace n on n.oid = p.pronamespace
       where n.nspname = any($1) and p.prosecdef`,
      [PROJECT_SCHEMAS],
    );
    expect(rows.length).toBeGreaterThan(50);
    const files = await sqlFiles("functions");
    const missing = rows
      .map((r) => r.name)
      .filter((name) => !/^\s*(\/\*|\*)?\s*Definer: \S/m.test(header(files.get(name) ?? "")));
    expect(missing.sort()).toEqual([]);
  });

  it("no security invoker function carries a `Definer:` line", async () => {
    const { rows } = await db.current.root.query<{ name: string }>(
      `select distinct n.nspname || '.' || p.proname as name
       from pg_proc p join pg_namespace n on n.oid = p.pronamespace
       where n.nspname = any($1) and not p.prosecdef`,
      [PROJECT_SCHEMAS],
    );
    const files = await sqlFiles("functions");
    expect(
      rows
        .map((r) => r.name)
        .filter((name) => /Definer:/.test(header(files.get(name) ?? "")))
        .sort(),
    ).toEqual([]);
  });

  it("every table and view in the project's schemas has its policy file sql/policies/<schema>.<table>.sql", async () => {
    const { rows } = await db.current.root.query<{ name: string }>(
      `select n.nspname || '.' || c.relname as name
       from pg_class c join pg_namespace n on n.oid = c.relnamespace
       where n.nspname = any($1) and c.relkind in ('r', 'p', 'v', 'm') and not c.relispartition`,
      [PROJECT_SCHEMAS],
    );
    const files = await sqlFiles("policies");
    expect(
      rows
        .map((r) => r.name)
        .filter((name) => !files.has(name))
        .sort(),
    ).toEqual([]);
  });

  it("every table-level privilege a role holds on a table, view or sequence is granted in that table's policy file", async () => {
    const { rows } = await db.current.root.query<{
      name: string;
      owner_table: string;
      grantee: string;
      privilege: string;
    }>(
      `select n.nspname || '.' || c.relname as name,
              coalesce((select tn.nspname || '.' || t.relname from pg_depend d
                        join pg_class t on t.oid = d.refobjid join pg_namespace tn on tn.oid = t.relnamespace
                        where d.classid = 'pg_class'::regclass and d.objid = c.oid and d.deptype in ('a', 'i')
                          and d.refclassid = 'pg_class'::regclass limit 1),
                       n.nspname || '.' || c.relname) as owner_table,
              g.grantee::regrole::text as grantee, g.privilege_type as privilege
       from pg_class c join pg_namespace n on n.oid = c.relnamespace,
            aclexplode(c.relacl) g
       where n.nspname = any($1) and c.relkind in ('r', 'p', 'v', 'm', 'S') and not c.relispartition
         and g.grantee <> c.relowner`,
      [PROJECT_SCHEMAS],
    );
    expect(rows.length).toBeGreaterThan(10);
    const files = await sqlFiles("policies");
    const unstated = rows.filter(({ owner_table, grantee, privilege }) => {
      const text = files.get(owner_table) ?? "";
      const grants = [...text.matchAll(/^grant\s+([^;]+?)\s+on\s+(?:table\s+|sequence\s+)?[\w.]+\s+to\s+([^;]+);/gim)];
      return !grants.some(
        ([, what, to]) => new RegExp(`\\b${grantee}\\b`).test(to!) && new RegExp(`\\b${privilege}\\b`, "i").test(what!),
      );
    });
    expect(unstated).toEqual([]);
  });
});
