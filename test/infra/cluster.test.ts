import { describe, expect, it } from "vitest";
import { useTestDatabase } from "../helpers/database.ts";

const db = useTestDatabase();

describe("the database cluster", () => {
  it("is UTF8 encoded", async () => {
    const { rows } = await db.current.root.query(
      "select current_setting('server_encoding') as encoding, pg_encoding_to_char(encoding) as db_encoding from pg_database where datname = current_database()",
    );
    expect(rows[0]).toEqual({ encoding: "UTF8", db_encoding: "UTF8" });
  });

  it("is PostgreSQL 15 or newer", async () => {
    const { rows } = await db.current.root.query<{ v: string }>("select current_setting('server_version_num') as v");
    expect(Number(rows[0]?.v)).toBeGreaterThanOrEqual(150000);
  });

  it("keeps extensions in their own schema", async () => {
    const { rows } = await db.current.root.query(
      "select e.extname, n.nspname from pg_extension e join pg_namespace n on n.oid = e.extnamespace where e.extname in ('pgcrypto', 'citext') order by 1",
    );
    expect(rows).toEqual([
      { extname: "citext", nspname: "extensions" },
      { extname: "pgcrypto", nspname: "extensions" },
    ]);
  });

  it("records the mode the database was created in", async () => {
    const { rows } = await db.current.root.query("select config.instance_mode() as mode");
    expect(rows[0]?.mode).toBe("test");
  });
});
