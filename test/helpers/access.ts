/**
 * Organisations, roles and members made for tests of the access model, and the permission check as a member asks it.
 * Each leaves the transaction as the superuser.
 */
import type { PoolClient } from "pg";
import { expect } from "vitest";
import { asRoot, asUser } from "./database.ts";
import { createLoggedInUser, type TestSession } from "./users.ts";

export async function organization(client: PoolClient, admin: TestSession): Promise<string> {
  await asUser(client, admin);
  const { rows } = await client.query("select * from app_public.create_organization('Acme', $1)", [
    `acme-${Math.random().toString(36).slice(2, 8)}`,
  ]);
  await asRoot(client);
  expect(rows[0].refusal_code).toBeNull();
  return rows[0].organization_id;
}

export async function role(
  client: PoolClient,
  org: string | null,
  name: string,
  permissions: string[] = [],
): Promise<string> {
  const { rows } = await client.query(
    "insert into app_public.roles (organization_id, name) values ($1, $2) returning id",
    [org, name],
  );
  for (const p of permissions)
    await client.query("insert into app_public.role_permissions values ($1, $2)", [rows[0].id, p]);
  return rows[0].id;
}

export async function member(client: PoolClient, org: string): Promise<TestSession & { id: string }> {
  const user = await createLoggedInUser(client);
  await client.query("insert into app_public.memberships (organization_id, user_id) values ($1, $2)", [org, user.id]);
  return user;
}

export async function hasPermission(
  client: PoolClient,
  who: TestSession,
  permission: string,
  org: string | null,
): Promise<boolean> {
  await asUser(client, who);
  const { rows } = await client.query("select app_public.has_permission($1, $2) as ok", [permission, org]);
  await asRoot(client);
  return rows[0].ok;
}
