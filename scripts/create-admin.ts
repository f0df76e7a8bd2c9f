/**
 * `npm run create-admin -- --email someone@example.com`: makes an existing, verified account a global super_admin.
 * The only way the first administrator comes to be: never through the API. Connects as the owner (the embedded
 * database, or DATABASE_OWNER_URL) and records the grant in the audit trail.
 */
import { parseArgs } from "node:util";
import { runCli } from "../src/cli/fatal.ts";
import { parseConfig } from "../src/config.ts";
import { withClient } from "../src/db/client.ts";
import { openDatabaseEnvironment } from "../src/db/environment.ts";
import { createLogger } from "../src/logger.ts";

runCli("create-admin", async () => {
  const { values } = parseArgs({ options: { email: { type: "string" } } });
  if (!values.email) throw new Error("usage: npm run create-admin -- --email <address of an existing account>");
  const config = parseConfig();
  const env = await openDatabaseEnvironment(config, createLogger("warn"));
  try {
    if (!env.urls.owner) throw new Error("create-admin needs DATABASE_OWNER_URL");
    const granted = await withClient(env.urls.owner, (client) =>
      client.query<{ user_id: string }>("select app_private.make_super_admin($1) as user_id", [values.email]),
    );
    process.stdout.write(`${values.email} (${granted.rows[0]?.user_id}) is now a super_admin\n`);
  } finally {
    await env.stop();
  }
});
