/**
 * Accounts that scenarios call the API as: made directly in SQL as the superuser (verified, active), with a live
 * session whose first refresh token the gateway exchanges for an access token, as a client after login would hold.
 * No password is hashed, so making them costs nothing that a scenario times.
 */
import type { BenchEnvironment } from "./environment.ts";

const REFRESH = `mutation ($token: String!) { refreshToken(input: { refreshToken: $token }) { result { accessToken } } }`;

export interface BenchAccount {
  userId: string;
  sessionId: string;
  /** The whole Authorization header: `Bearer <access token>`. */
  authorization: string;
}

/** A new account named `<prefix>_<tag>`, holding the system role `systemRole` globally when given. */
export async function accountWithToken(
  env: BenchEnvironment,
  prefix: string,
  tag: string,
  systemRole?: string,
): Promise<BenchAccount> {
  const { rows } = await env.root.query<{ user_id: string; session_id: string; token: string }>(
    `with u as (insert into app_public.users (username, email, email_verified, email_verified_at)
                values ($1::text, $1::text || '@example.test', true, now()) returning id),
          g as (insert into app_public.user_roles (user_id, role_id)
                select u.id, r.id from u, app_public.roles r where r.name = $2::text and r.is_system and r.organization_id is null),
          s as (insert into app_private.sessions (user_id) select id from u returning id, user_id)
     select s.user_id, s.id as session_id, app_private.issue_refresh_token(s.id, null) as token from s`,
    [`${prefix}_${tag}`, systemRole ?? null],
  );
  const made = rows[0];
  if (!made) throw new Error(`could not make the account ${prefix}_${tag}`);
  const refreshed = await env.graphql<{ refreshToken: { result: { accessToken: string } | null } | null }>(REFRESH, {
    token: made.token,
  });
  const accessToken = refreshed.data?.refreshToken?.result?.accessToken;
  if (!accessToken)
    throw new Error(`could not get an access token for ${prefix}_${tag}: ${JSON.stringify(refreshed.errors)}`);
  return { userId: made.user_id, sessionId: made.session_id, authorization: `Bearer ${accessToken}` };
}
