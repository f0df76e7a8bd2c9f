/**
 * Accounts and sessions made directly in SQL (as the superuser), for tests of what follows a login. Flows that
 * create them for real (register, verify, login) are tested through the gateway in test/api.
 */
import { randomBytes } from "node:crypto";
import type pg from "pg";

export interface TestUser {
  id: string;
  username: string;
  email: string;
  password: string;
}

export interface TestSession {
  userId: string;
  sessionId: string;
}

export function uniqueName(prefix = "user"): string {
  return `${prefix}_${randomBytes(5).toString("hex")}`;
}

export async function createUser(
  client: pg.ClientBase,
  overrides: { username?: string; email?: string; password?: string; verified?: boolean; status?: string } = {},
): Promise<TestUser> {
  const username = overrides.username ?? uniqueName();
  const email = overrides.email ?? `${username}@example.test`;
  const password = overrides.password ?? `correct horse ${randomBytes(6).toString("hex")}`;
  const verified = overrides.verified ?? true;
  const { rows } = await client.query<{ id: string }>(
    `insert into app_public.users (username, email, email_verified, email_verified_at, status)
     values ($1, $2, $3, case when $3 then now() end, $4) returning id`,
    [username, email, verified, overrides.status ?? "active"],
  );
  const id = rows[0]!.id;
  await client.query(
    "insert into app_private.user_security (user_id, password_hash, password_scheme) values ($1, app_private.hash_password($2), 'bcrypt-sha384')",
    [id, password],
  );
  return { id, username, email, password };
}

export async function createSession(client: pg.ClientBase, userId: string): Promise<TestSession> {
  const { rows } = await client.query<{ id: string }>("insert into app_private.sessions (user_id) values ($1) returning id", [userId]);
  return { userId, sessionId: rows[0]!.id };
}

/** An account with a live session. */
export async function createLoggedInUser(client: pg.ClientBase, overrides: Parameters<typeof createUser>[1] = {}): Promise<TestUser & TestSession> {
  const user = await createUser(client, overrides);
  return { ...user, ...(await createSession(client, user.id)) };
}

/** Gives a user a system role, globally (organizationId null) or in an organisation. */
export async function grantSystemRole(client: pg.ClientBase, userId: string, role: string, organizationId: string | null = null): Promise<void> {
  await client.query(
    `insert into app_public.user_roles (user_id, role_id, organization_id)
     select $1, r.id, $3 from app_public.roles r where r.name = $2 and r.is_system`,
    [userId, role, organizationId],
  );
}
