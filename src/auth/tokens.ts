/**
 * Access tokens: short-lived JWTs naming an account (`sub`), its session (`sid`) and, when it acts in one, the
 * organisation (`tid`). The gateway signs them from what
 * the SQL login returned and checks signature, algorithm, issuer, audience and expiry on every request; whether the
 * session is still live is Postgres's question (app_hidden.current_session_id), asked on every statement.
 */
import { SignJWT, createLocalJWKSet, errors, jwtVerify, type JWK } from "jose";
import { ALGORITHMS, type KeySet } from "./signingKeys.ts";

export interface AccessClaims {
  sub: string;
  sid: string;
  /** The organisation the token acts in; absent for the personal context. */
  tid?: string;
}

export class InvalidTokenError extends Error {
  override name = "InvalidTokenError";
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export interface TokenService {
  sign(claims: AccessClaims & { issuedAt: Date; expiresAt: Date }): Promise<string>;
  verify(token: string, now: Date): Promise<AccessClaims>;
  jwks(): { keys: JWK[] };
}

export function createTokenService(keys: KeySet, options: { issuer: string; audience: string }): TokenService {
  const keyResolver = createLocalJWKSet({ keys: keys.publicJwks });
  return {
    async sign({ sub, sid, tid, issuedAt, expiresAt }) {
      return new SignJWT(tid ? { sid, tid } : { sid })
        .setProtectedHeader({ alg: keys.signing.alg, kid: keys.signing.kid, typ: "JWT" })
        .setSubject(sub)
        .setIssuer(options.issuer)
        .setAudience(options.audience)
        .setIssuedAt(Math.floor(issuedAt.getTime() / 1000))
        .setExpirationTime(Math.floor(expiresAt.getTime() / 1000))
        .sign(keys.signing.privateKey);
    },
    async verify(token, now) {
      try {
        const { payload } = await jwtVerify(token, keyResolver, {
          issuer: options.issuer,
          audience: options.audience,
          algorithms: [...ALGORITHMS],
          typ: "JWT",
          currentDate: now,
          requiredClaims: ["sub", "sid", "iat", "exp"],
        });
        const { sub, sid, tid } = payload;
        if (typeof sub !== "string" || !UUID.test(sub) || typeof sid !== "string" || !UUID.test(sid)) {
          throw new InvalidTokenError("malformed claims");
        }
        if (tid !== undefined && (typeof tid !== "string" || !UUID.test(tid)))
          throw new InvalidTokenError("malformed tid");
        return tid ? { sub, sid, tid } : { sub, sid };
      } catch (error) {
        if (error instanceof InvalidTokenError) throw error;
        if (error instanceof errors.JOSEError) throw new InvalidTokenError(error.code);
        throw error;
      }
    },
    jwks() {
      return { keys: keys.publicJwks };
    },
  };
}
