/**
 * What a client sees when something goes wrong. Errors carrying a documented code keep their message, code and hint;
 * GraphQL's own validation errors pass as QUERY; everything else (SQL, stack traces, internal names) is replaced by a
 * generic INTRN error whose id is logged beside the real cause.
 */
import { randomUUID } from "node:crypto";
import { isSafeError } from "postgraphile/grafast";
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
  "22003": { code: "INVAL", message: "A number is out of range." },
  "22021": { code: "INVAL", message: "A text value holds a character text may not hold." },
  "22P05": { code: "INVAL", message: "A value holds a character that cannot be stored." },
  "54000": { code: "INVAL", message: "A value is too large." },
  /* statement_timeout (src/graphile.config.ts) cancelled the request's statement; its transaction was rolled back. */
  "57014": {
    code: "SLOWQ",
    message: "The request took longer than the database allows and was cancelled; nothing was changed.",
  },
};

/** Any other data exception (SQLSTATE class 22) is a value the client sent that the database cannot take. */
const DATA_EXCEPTION = { code: "INVAL", message: "A value is not valid here." };

function rebuild(error: GraphQLError, message: string, extensions: Record<string, unknown>): GraphQLError {
  return new GraphQLError(message, {
    nodes: error.nodes,
    source: error.source,
    positions: error.positions,
    path: error.path,
    extensions,
  });
}

/** `planningTimeoutMs`: grafast.timeouts.planning, named in the refusal of an operation that took longer to plan. */
export function makeMaskError(log: Logger, planningTimeoutMs: number) {
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
    /* The backstop behind the document limits: grafast.timeouts.planning. */
    if (/took too long to plan/.test(cause.message)) {
      return rebuild(
        error,
        `The operation took longer to plan than the limit of ${planningTimeoutMs} ms (limit "planningTime"): ask for less in one request.`,
        { code: "LARGE", limit: "planningTime", max: planningTimeoutMs },
      );
    }
    const standard =
      typeof code === "string"
        ? (STANDARD_REFUSALS[code] ?? (code.startsWith("22") ? DATA_EXCEPTION : undefined))
        : undefined;
    if (standard) return rebuild(error, standard.message, { code: standard.code });
    /* Grafast's and PostGraphile's own refusals of a value (an unreadable cursor): their message is meant for clients. */
    if (isSafeError(cause) && code === undefined) return rebuild(error, cause.message, { code: "INVAL" });
    const errorId = randomUUID();
    log.error({ errorId, err: cause, path: error.path }, "masked GraphQL error");
    return rebuild(error, `Something went wrong on our side. Quote error id ${errorId} if you contact support.`, {
      code: "INTRN",
      errorId,
    });
  };
}
