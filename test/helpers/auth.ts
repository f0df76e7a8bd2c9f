import { randomBytes } from "node:crypto";
/**
 * The GraphQL operations of the authentication flows, as a client sends them.
 */
import type { GatewayClient, GraphQLResponse } from "./gateway.ts";
import { runJobs, type Inbox } from "./mail.ts";
import { uniqueName } from "../../fixtures/users.ts";

export const REGISTER = `mutation ($username: String!, $email: String!, $password: String!) {
  register(input: { username: $username, email: $email, password: $password }) { result { email verificationRequired } }
}`;
export const LOGIN = `mutation ($identifier: String!, $password: String!) {
  login(input: { identifier: $identifier, password: $password }) {
    result { accessToken refreshToken accessTokenExpiresAt sessionId user { rowId username email } }
  }
}`;
export const VERIFY_EMAIL = `mutation ($token: String!) { verifyEmail(input: { token: $token }) { result { ok } } }`;
export const CURRENT_USER = `{ currentUser { rowId username email emailVerified } }`;
export const LOGOUT = `mutation { logout(input: {}) { result { ok } } }`;
export const LOGOUT_ALL = `mutation { logoutAllSessions(input: {}) { result { ok } } }`;
export const CHANGE_PASSWORD = `mutation ($current: String!, $new: String!) {
  changePassword(input: { currentPassword: $current, newPassword: $new }) { result { ok } }
}`;

export interface LoginTokens {
  accessToken: string;
  refreshToken: string;
  accessTokenExpiresAt: string;
  sessionId: string;
  user: { rowId: string; username: string; email: string };
}

export function bearer(token: string): Record<string, string> {
  return { authorization: `Bearer ${token}` };
}

export async function login(
  client: GatewayClient,
  identifier: string,
  password: string,
): Promise<GraphQLResponse<{ login: { result: LoginTokens } | null }>> {
  return client.graphql(LOGIN, { identifier, password });
}

export function errorCode(response: GraphQLResponse): string | undefined {
  return response.errors?.[0]?.extensions?.code;
}

export interface RegisteredUser {
  username: string;
  email: string;
  password: string;
}

/** Registers through the API, runs the worker, and follows the link in the mail: a verified account. */
export async function registerVerifiedUser(
  client: GatewayClient,
  workerUrl: string,
  inbox: Inbox,
  overrides: { password?: string } = {},
): Promise<RegisteredUser> {
  const username = uniqueName();
  const user = {
    username,
    email: `${username}@example.test`,
    password: overrides.password ?? `a long passphrase ${randomBytes(4).toString("hex")}`,
  };
  const registered = await client.graphql(REGISTER, user);
  if (registered.errors) throw new Error(JSON.stringify(registered.errors));
  await runJobs(workerUrl, inbox);
  const verified = await client.graphql(VERIFY_EMAIL, { token: await inbox.verificationToken(user.email) });
  if (verified.errors) throw new Error(JSON.stringify(verified.errors));
  return user;
}

export async function loginTokens(client: GatewayClient, identifier: string, password: string): Promise<LoginTokens> {
  const response = await login(client, identifier, password);
  const result = response.data?.login?.result;
  if (!result) throw new Error(`login failed: ${JSON.stringify(response.errors)}`);
  return result;
}

export const REFRESH = `mutation ($token: String!) {
  refreshToken(input: { refreshToken: $token }) { result { accessToken refreshToken accessTokenExpiresAt sessionId } }
}`;

export async function setSetting(
  db: { query: (sql: string, values: unknown[]) => Promise<unknown> },
  key: string,
  value: unknown,
): Promise<void> {
  await db.query("update config.system_settings set value = $2::jsonb where key = $1", [key, JSON.stringify(value)]);
}
