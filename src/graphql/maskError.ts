/**
 * What a client sees when something goes wrong. Errors carrying a documented code keep their message, code and hint;
 * GraphQL's own validation errors pass as QUERY; everything else (SQL, stack traces, internal names) is replaced by a
 * generic INTRN error whose id is logged beside the real cause.
 */
import { randomUUID } from "node:crypto";
import { GraphQLError } from "postgraphile/graphql";
import type { Logger } from "../logger.ts";
import { isErrorCode } from "./errorCodes.ts";

interface CodedCause {
  code?: unknown;
  hint?: unknown;
  extensions?: { code?: unknown; hint?: unknown; retryAfter?: unknown } | null;
}

/*
 * PostgreSQL's own refusals of a write through the generated CRUD mutations (row-level security, a constraint) carry
 * standard SQLSTATEs and messages naming internal objects: they reach clients as the matching Gatehouse code with a
 * plain message instead.
 */
const STANDARD_REFUSALS: Record<string, { code: string; message: string }> = {
  "42501": { code: "PERMS", message: "You do not have permission to do that." },
  "23505": { code: "TAKEN", message: "That already exists." },
  "23503": { code: "NTFND", message: "Something this refers to does not exist, or you cannot see it." },
  "23514": { code: "INVAL", message: "A value is not allowed here." },
  "23502": { code: "INVAL", message: "A required value is missing." },
  "22001": { code: "INVAL", message: "A value is too long." },
  "22P02": { code: "INVAL", message: "A value is not in the expected format." },
};

function rebuild(error: GraphQLError, message: string, extensions: Record<string, unknown>): GraphQLError {
  return new GraphQLError(message, {
    nodes: error.nodes,
    source: error.source,
    positions: error.positions,
    path: error.path,
    extensions,
  });
}

export function makeMaskError(log: Logger) {
  return function maskError(error: GraphQLError): GraphQLError {
    const cause = error.originalError as (Error & CodedCause) | undefined;
    if (!cause || cause instanceof GraphQLError) {
      /* Errors GraphQL itself found in the request (a variable of the wrong type, say): safe to show as they are. */
      return rebuild(error, error.message, { code: "QUERY" });
    }
    const code = cause.extensions?.code ?? cause.code;
    if (isErrorCode(code) && code !== "INTRN") {
      const hint = cause.extensions?.hint ?? cause.hint;
      const retryAfter = cause.extensions?.retryAfter;
      return rebuild(error, cause.message, {
        code,
        ...(typeof hint === "string" ? { hint } : {}),
        ...(typeof retryAfter === "number" ? { retryAfter } : {}),
      });
    }
    /* Grafast refuses a query nested beyond grafast.maxPlanningDepth while planning it. */
    if (/Query is too complex, Grafast refuses/.test(cause.message)) {
      return rebuild(error, "This query is nested too deeply: ask for fewer levels at once.", { code: "QUERY" });
    }
    const standard = typeof code === "string" ? STANDARD_REFUSALS[code] : undefined;
    if (standard) return rebuild(error, standard.message, { code: standard.code });
    const errorId = randomUUID();
    log.error({ errorId, err: cause, path: error.path }, "masked GraphQL error");
    return rebuild(error, `Something went wrong on our side. Quote error id ${errorId} if you contact support.`, {
      code: "INTRN",
      errorId,
    });
  };
}
