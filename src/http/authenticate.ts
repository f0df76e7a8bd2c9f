/**
 * Checks the access token of a request before GraphQL sees it. No Authorization header: anonymous. A valid token:
 * its account and session go on the request for the GraphQL context. Anything else is answered here with HTTP 401 and
 * code TOKEN, in the GraphQL response shape, and nothing runs. Whether the session is still live is left to Postgres.
 */
import type { NextFunction, Request, Response } from "express";
import type { Clock } from "../auth/clock.ts";
import { InvalidTokenError, type AccessClaims, type TokenService } from "../auth/tokens.ts";

declare module "express-serve-static-core" {
  interface Request {
    /** The verified access token's claims; null for anonymous requests. */
    identity: AccessClaims | null;
  }
}

const BEARER = /^Bearer ([A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*)$/;

export const INVALID_TOKEN_MESSAGE = "Your access token is not valid or has expired: refresh it or log in again.";

export function authenticate(tokens: TokenService, clock: Clock) {
  return async (req: Request, res: Response, next: NextFunction): Promise<void> => {
    req.identity = null;
    const authorization = req.get("authorization");
    if (!authorization) return next();
    try {
      const match = BEARER.exec(authorization);
      if (!match?.[1]) throw new InvalidTokenError("malformed header");
      req.identity = await tokens.verify(match[1], await clock());
      next();
    } catch (error) {
      if (!(error instanceof InvalidTokenError)) return next(error);
      res
        .status(401)
        .set("www-authenticate", 'Bearer error="invalid_token"')
        .json({ errors: [{ message: INVALID_TOKEN_MESSAGE, extensions: { code: "TOKEN" } }] });
    }
  };
}
