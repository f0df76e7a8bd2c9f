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
import type { AccessClaims, TokenService } from "./auth/tokens.ts";
import { makeAccessTokenPlugin } from "./graphql/accessTokenPlugin.ts";
import { makeExportDecryptionPlugin, makePersonalDataPlugin } from "./graphql/personalDataPlugin.ts";
import { phoneLookupsSetting } from "./privacy/blindIndex.ts";
import type { BlindIndexKey } from "./privacy/blindIndex.ts";
import type { PersonalDataReader } from "./privacy/personalData.ts";
import { visit, type DocumentNode } from "postgraphile/graphql";
import type { Mode } from "./config.ts";
import { ConnectionBoundsPlugin } from "./graphql/connectionBoundsPlugin.ts";
import { PLANNING_TIMEOUT_MS } from "./graphql/documentLimits.ts";
import { makeMaskError } from "./graphql/maskError.ts";
import { makeLoginReservationPlugin } from "./graphql/loginReservationPlugin.ts";
import { PasswordHashingPlugin } from "./graphql/passwordHashingPlugin.ts";
import { RefusalPlugin } from "./graphql/refusalPlugin.ts";
import { requestContextSettings } from "./http/requestContext.ts";
import type { Logger } from "./logger.ts";
import { ROLES } from "./db/roles.ts";

export interface PresetOptions {
  /** The gateway's pool, connected as the authenticator role. */
  pool: Pool;
  mode: Mode;
  maxRequestBytes: number;
  /** statement_timeout of each request's transaction, in milliseconds: the database's backstop. */
  statementTimeoutMs: number;
  /** grafast.timeouts.planning in milliseconds; PLANNING_TIMEOUT_MS unless a test needs another. */
  planningTimeoutMs?: number;
  /** The GraphQL edge's grafserv plugin (src/http/graphqlEdge.ts), when the preset serves requests. */
  edgePlugin?: GraphileConfig.Plugin;
  log: Logger;
  tokens: TokenService;
  /** What the API needs of the keys: decrypting personal fields, and indexing phone numbers for lookups. */
  privacy: { reader: Pick<PersonalDataReader, "decryptMany">; blindIndexKey: BlindIndexKey };
}

export const MAX_PLANNING_DEPTH = 60;

/** Who is calling, as the authenticate middleware found it: the role and the claims Postgres needs. */
function identitySettings(identity: AccessClaims | null): Record<string, string> {
  if (!identity) return { role: ROLES.anonymous };
  return {
    role: ROLES.authenticated,
    "jwt.claims.sub": identity.sub,
    "jwt.claims.sid": identity.sid,
    ...(identity.tid ? { "jwt.claims.tid": identity.tid } : {}),
  };
}

/** Every string literal in a GraphQL document (arguments written inline rather than as variables). */
function stringLiterals(document: DocumentNode | undefined): string[] {
  const found: string[] = [];
  if (document) visit(document, { StringValue: (node) => void found.push(node.value) });
  return found;
}

export function makePreset(options: PresetOptions): GraphileConfig.Preset {
  const planningTimeoutMs = options.planningTimeoutMs ?? PLANNING_TIMEOUT_MS;
  return {
    extends: [
      PostGraphileAmberPreset,
      PgSimplifyInflectionPreset,
      PostGraphileConnectionFilterPreset,
      PgAggregatesPreset,
    ],
    plugins: [
      makeLoginReservationPlugin(options.pool),
      PasswordHashingPlugin,
      ConnectionBoundsPlugin,
      RefusalPlugin,
      makeAccessTokenPlugin(options.tokens),
      makePersonalDataPlugin(options.privacy.reader),
      makeExportDecryptionPlugin(options.privacy.reader),
      ...(options.edgePlugin ? [options.edgePlugin] : []),
    ],
    pgServices: [makePgService({ pool: options.pool, schemas: ["app_public"], pubsub: false })],
    schema: {
      /* Aggregates only where a table opts in with `@behavior +aggregates`, never on every table. */
      defaultBehavior: "-aggregates -aggregates:filterBy -aggregates:orderBy -groupedAggregates -relatedAggregates",
      pgForbidSetofFunctionsToReturnNull: true,
    },
    grafast: {
      explain: false,
      /* Bounds how deep a query may nest (several planning layers per level): deeper queries get QUERY. */
      maxPlanningDepth: MAX_PLANNING_DEPTH,
      timeouts: { planning: planningTimeoutMs },
      context(requestContext, args) {
        const req = requestContext.expressv4?.req;
        if (!req) throw new Error("Gatehouse serves GraphQL through Express only.");
        /* Blind indexes of the phone numbers in this request: SQL looks numbers up without ever holding the key. */
        const phoneLookups = phoneLookupsSetting(
          options.privacy.blindIndexKey,
          args.variableValues,
          stringLiterals(args.document),
        );
        return {
          pgSettings: {
            /* Transaction-local, like every setting here: see docs/security-model.md, "Statement timeout". */
            statement_timeout: String(options.statementTimeoutMs),
            ...identitySettings(req.identity ?? null),
            ...requestContextSettings(req),
            ...(phoneLookups ? { "gatehouse.phone_lookups": phoneLookups } : {}),
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
      /* The edge (src/http/graphqlEdge.ts) has already read and checked the JSON body. */
      allowedRequestContentTypes: ["application/json"],
      websockets: false,
      maxRequestLength: options.maxRequestBytes,
      maskError: makeMaskError(options.log.child({ component: "graphql" }), planningTimeoutMs),
    },
  };
}
