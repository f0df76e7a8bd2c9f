/**
 * `npm run schema:graphql`: writes schema.graphql from a throw-away database migrated like the tests' (committed
 * migrations plus current.sql). test/api/schema.test.ts fails when the file is out of date.
 */
import fs from "node:fs/promises";
import path from "node:path";
import pg from "pg";
import { runCli } from "../src/cli/fatal.ts";
import { PROJECT_ROOT } from "../src/config.ts";
import { printGraphqlSchema } from "./lib/printSchema.ts";
import { withMigratedDatabase } from "./lib/temporaryDatabase.ts";

runCli("schema:graphql", async () => {
  const sdl = await withMigratedDatabase(undefined, { includeCurrent: true }, async (urls) => {
    const pool = new pg.Pool({ connectionString: urls.authenticator });
    try {
      return await printGraphqlSchema(pool);
    } finally {
      await pool.end();
    }
  });
  await fs.writeFile(path.join(PROJECT_ROOT, "schema.graphql"), sdl);
  process.stdout.write("wrote schema.graphql\n");
});
