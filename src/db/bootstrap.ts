/**
 * Superuser steps that migrations cannot take: cluster-wide roles, the database itself, and the worker's schema.
 * Every step is idempotent, so `npm start` runs it on each start.
 */
import type pg from "pg";
import { withClient } from "./client.ts";
import { ROLES, databaseName, passwordOf, withDatabase, type DatabaseUrls } from "./roles.ts";

async function ensureRole(client: pg.Client, role: string, attributes: string, password?: string): Promise<void> {
  const { rowCount } = await client.query("select 1 from pg_roles where rolname = $1", [role]);
  const verb = rowCount ? "alter" : "create";
  const pw = password === undefined ? "" : ` password ${client.escapeLiteral(password)}`;
  await client.query(`${verb} role ${client.escapeIdentifier(role)} with ${attributes}${pw}`);
}

/** Creates (or updates the passwords of) the roles, creates the database, and prepares the worker's schema. */
export async function bootstrapDatabase(urls: DatabaseUrls & { root: string; owner: string }): Promise<void> {
  const database = databaseName(urls.owner);
  await withClient(urls.root, async (client) => {
    await ensureRole(client, ROLES.owner, "login nosuperuser nocreatedb nocreaterole", passwordOf(urls.owner));
    await ensureRole(
      client,
      ROLES.authenticator,
      "login noinherit nosuperuser nocreatedb nocreaterole",
      passwordOf(urls.authenticator),
    );
    await ensureRole(
      client,
      ROLES.worker,
      "login noinherit nosuperuser nocreatedb nocreaterole",
      passwordOf(urls.worker),
    );
    await ensureRole(client, ROLES.anonymous, "nologin");
    await ensureRole(client, ROLES.authenticated, "nologin");
    await ensureRole(client, ROLES.marketing, "nologin");
    await ensureRole(client, ROLES.analytics, "nologin");
    await client.query(`grant ${ROLES.anonymous} to ${ROLES.authenticated}`);
    await client.query(`grant ${ROLES.anonymous}, ${ROLES.authenticated} to ${ROLES.authenticator}`);
    /*
     * A marketing job runs as app_marketing (SET LOCAL ROLE), which reaches an address only through the consent check
     * (docs/consent.md). The worker may switch to it but does not inherit it: without the switch it cannot call the
     * marketing functions, and after it, none of its own. PostgreSQL 16+ records that on the grant itself; 15 takes it
     * from app_worker's NOINHERIT, set above before the grant.
     */
    const { rows: version } = await client.query<{ v: string }>("select current_setting('server_version_num') as v");
    const noInherit = Number(version[0]?.v) >= 160000 ? " with inherit false" : "";
    await client.query(`grant ${ROLES.marketing} to ${ROLES.worker}${noInherit}`);
    /*
     * graphile-worker's tables belong to app_worker and have row-level security with no policies, so only their owner
     * may queue jobs. The owner's functions queue jobs (graphile_worker.add_job in the same transaction as the data),
     * so app_owner is a member of app_worker and counts as their owner. app_owner is already the most privileged role.
     */
    await client.query(`grant ${ROLES.worker} to ${ROLES.owner}`);

    const { rowCount } = await client.query("select 1 from pg_database where datname = $1", [database]);
    if (!rowCount) {
      await client.query(
        `create database ${client.escapeIdentifier(database)} with owner ${ROLES.owner} ` +
          `encoding 'UTF8' locale 'C.UTF-8' template template0`,
      );
    }
  });

  await withClient(withDatabase(urls.root, database), async (client) => {
    const db = client.escapeIdentifier(database);
    await client.query(`revoke all on database ${db} from public`);
    await client.query(
      `grant connect on database ${db} to ${ROLES.owner}, ${ROLES.authenticator}, ${ROLES.worker}, ${ROLES.analytics}`,
    );
    await client.query(`grant create, temporary on database ${db} to ${ROLES.owner}`);
    /*
     * graphile-worker runs `create schema if not exists graphile_worker` at every start, and Postgres checks the CREATE
     * right before it looks for the schema: the worker keeps that right, and owns the schema it works in.
     */
    await client.query(`grant create on database ${db} to ${ROLES.worker}`);
    await client.query(`create schema if not exists graphile_worker authorization ${ROLES.worker}`);
  });
}
