/**
 * Sessions and roles for accounts made in SQL (fixtures/users.ts: createUser, uniqueName), for tests of what follows
 * a login. Flows that create them for real (register, verify, login) are tested through the gateway in test/api.
 */
import type pg from "pg";
import { createUser, type TestUser } from "../../fixtures/users.ts";

export interface TestSession {
  userId: string;
  sessionId: string;
}

export async function createSession(client: pg.ClientBase, userId: string): Promise<TestSession> {
  const { rows } = await client.query<{ id: string }>(
    "insert into app_private.sessions (user_id) values ($1) returning id",
    [userId],
  );
  return { userId, sessionId: rows[0]!.id };
}

/** An account with a live session. */
export async function createLoggedInUser(
  client: pg.ClientBase,
  overrides: Parameters<typeof createUser>[1] = {},
): Promise<TestUser & TestSession> {
  const user = await createUser(client, overrides);
  return { ...user, ...(await createSession(client, user.id)) };
}

/** Gives a user a system role, globally (organizationId null) or in an organisation. */
export async function grantSystemRole(
  client: pg.ClientBase,
  userId: string,
  role: string,
  organizationId: string | null = null,
): Promise<void> {
  await client.query(
    `insert into app_public.user_roles (user_id, role_id, organization_id)
     select $1, r.id, $3 from app_public.roles r where r.name = $2 and r.is_system`,
    [userId, role, organizationId],
  );
}
