import fs from "node:fs/promises";
import path from "node:path";
import pg from "pg";
import { describe, expect, it } from "vitest";
import { PROJECT_ROOT } from "../../src/config.ts";
import { printGraphqlSchema } from "../../scripts/lib/printSchema.ts";
import { useTestDatabase } from "../helpers/database.ts";

const db = useTestDatabase();

describe("schema.graphql", () => {
  it("is what the gateway serves (run `npm run schema:graphql` after changing the API)", async () => {
    const pool = new pg.Pool({ connectionString: db.current.urls.authenticator });
    try {
      const live = await printGraphqlSchema(pool);
      const committed = await fs.readFile(path.join(PROJECT_ROOT, "schema.graphql"), "utf8").catch(() => "");
      expect(committed, "schema.graphql is out of date: run `npm run schema:graphql`").toBe(live);
    } finally {
      await pool.end();
    }
  });
});

describe("aggregates", () => {
  it("appear only on a table that opts in with @behavior +aggregates", async () => {
    await db.current.root.query(`
      create table app_public.aggregate_probes (id int primary key, amount int not null);
      comment on table app_public.aggregate_probes is '@behavior +aggregates';
      grant select on app_public.aggregate_probes to app_authenticated;`);
    const pool = new pg.Pool({ connectionString: db.current.urls.authenticator });
    try {
      const sdl = await printGraphqlSchema(pool);
      expect(sdl).toMatch(/type AggregateProbeAggregates \{/);
      expect(sdl).not.toMatch(/type UserAggregates \{/);
    } finally {
      await pool.end();
      await db.current.root.query("drop table app_public.aggregate_probes");
    }
  });
});
