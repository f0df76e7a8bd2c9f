/**
 * Adds `accessToken` to LoginResult: the one thing PostgreSQL cannot do for a login, signing a JWT with a key the
 * database never sees. The claims come from the SQL function's result (user, session, organisation, issue and expiry
 * times).
 */
import { lambda } from "postgraphile/grafast";
import { gql, extendSchema } from "postgraphile/utils";
import type { PgSelectSingleStep } from "postgraphile/@dataplan/pg";
import type { TokenService } from "../auth/tokens.ts";

export function makeAccessTokenPlugin(tokens: TokenService): GraphileConfig.Plugin {
  return extendSchema({
    typeDefs: gql`
      extend type LoginResult {
        """
        Send it as \`Authorization: Bearer <token>\`. It names your session, and stops working when the session ends or at accessTokenExpiresAt.
        """
        accessToken: String
      }
    `,
    objects: {
      LoginResult: {
        plans: {
          accessToken($result: PgSelectSingleStep) {
            return lambda(
              [
                $result.get("user_id"),
                $result.get("session_id"),
                $result.get("access_token_issued_at"),
                $result.get("access_token_expires_at"),
                $result.get("organization_id"),
              ],
              async ([sub, sid, issuedAt, expiresAt, tid]) =>
                sub && sid && issuedAt && expiresAt
                  ? tokens.sign({
                      sub: String(sub),
                      sid: String(sid),
                      ...(tid ? { tid: String(tid) } : {}),
                      issuedAt: new Date(String(issuedAt)),
                      expiresAt: new Date(String(expiresAt)),
                    })
                  : null,
            );
          },
        },
      },
    },
  });
}
