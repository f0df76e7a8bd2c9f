/**
 * The one place the API is shaped: presets, the database service, the per-request settings handed to Postgres, and
 * error masking. Row-level security and grants decide what each role may see; nothing here adds business rules.
 */
import { PgAggregatesPreset } from "@graphile/pg-aggregates";
import { PgSimplifyInflectionPreset } from "@graphile/simplify-inflection";
import "graphile-config";
import { makePgService } from "postgraphile/adaptors/pg";
import { PostGraphileAmberPreset } from "postgraphile/presets/amber";
import { PostGraphileConnectionFilterPreset } from "postgraphile-plugin-connection-filter";
import type { Pool } from "pg";
import { SafeError } from "postgraphile/grafast";
import type { Clock } from "./auth/clock.ts";
import { InvalidTokenError, type TokenService } from "./auth/tokens.ts";
import { makeAccessTokenPlugin } from "./graphql/accessTokenPlugin.ts";
import type { Mode } from "./config.ts";
import { makeMaskError } from "./graphql/maskError.ts";
import { RefusalPlugin } from "./graphql/refusalPlugin.ts";
import { requestContextSettings } from "./http/requestContext.ts";
import type { Logger } from "./logger.ts";
import { ROLES } from "./db/roles.ts";

export interface PresetOptions {
  /** The gateway's pool, connected as the authenticator role. */
  pool: Pool;
  mode: Mode;
  maxRequestBytes: number;
  log: Logger;
  tokens: TokenService;
  clock: Clock;
}

const BEARER = /^Bearer ([A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+)$/;

/** A request's token is bad: HTTP 401 with code TOKEN, before any SQL runs. */
function invalidToken(): SafeError {
  return Object.assign(
    new SafeError("Your access token is not valid or has expired: refresh it or log in again.", { code: "TOKEN" }),
    { statusCode: 401 },
  );
}

/** Who is calling: anonymous without an Authorization header; the token's account and session with a valid one. */
async function identitySettings(authorization: string | undefined, options: PresetOptions): Promise<Record<string, string>> {
  if (!authorization) return { role: ROLES.anonymous };
  const match = BEARER.exec(authorization);
  if (!match?.[1]) throw invalidToken();
  try {
    const claims = await options.tokens.verify(match[1], await options.clock());
    return { role: ROLES.authenticated, "jwt.claims.sub": claims.sub, "jwt.claims.sid": claims.sid };
  } catch (error) {
    if (error instanceof InvalidTokenError) throw invalidToken();
    throw error;
  }
}

export function makePreset(options: PresetOptions): GraphileConfig.Preset {
  return {
    extends: [PostGraphileAmberPreset, PgSimplifyInflectionPreset, PostGraphileConnectionFilterPreset, PgAggregatesPreset],
    plugins: [RefusalPlugin, makeAccessTokenPlugin(options.tokens)],
    pgServices: [makePgService({ pool: options.pool, schemas: ["app_public"], pubsub: false })],
    schema: {
      /* Aggregates only where a table opts in with `@behavior +aggregates`, never on every table. */
      defaultBehavior: "-aggregates -groupedAggregates -relatedAggregates",
      pgForbidSetofFunctionsToReturnNull: true,
    },
    grafast: {
      explain: false,
      async context(requestContext) {
        const req = requestContext.expressv4?.req;
        if (!req) throw new Error("Gatehouse serves GraphQL through Express only.");
        return {
          pgSettings: {
            ...(await identitySettings(req.get("authorization"), options)),
            ...requestContextSettings(req),
          },
        };
      },
    },
    grafserv: {
      graphqlPath: "/graphql",
      graphiql: options.mode === "development",
      graphiqlPath: "/",
      graphiqlOnGraphQLGET: false,
      graphqlOverGET: false,
      websockets: false,
      maxRequestLength: options.maxRequestBytes,
      maskError: makeMaskError(options.log.child({ component: "graphql" })),
    },
  };
}
