/**
 * The GraphQL edge: everything a POST to /graphql must pass before grafserv and Grafast see it, in an order where each
 * step is cheap and bounded by the steps before it. No single request can hold the event loop for long, and every
 * refusal is a GraphQL response with a documented code (docs/error_codes.md), never an HTTP 500.
 *
 *  1. media types: the response type the client accepts (application/graphql-response+json or application/json),
 *     POST only, a JSON body in UTF-8;
 *  2. the body: at most MAX_REQUEST_BYTES, valid JSON nested at most REQUEST_LIMITS.jsonNesting deep, one operation
 *     (a JSON array of operations is refused: ONEOP), `query` a string, `variables` an object;
 *  3. text in variables: no NUL character and no lone surrogate, which PostgreSQL text cannot hold (INVAL);
 *  4. the document, before graphql-js validates it (src/graphql/documentLimits.ts): tokens and brackets while lexing,
 *     then depth, selections, aliases and fragments with each fragment measured once, fragment cycles, at most one
 *     root field that hashes passwords (the fields come from the catalogue: src/graphql/passwordHashingPlugin.ts),
 *     and the selections sharing one response path;
 *  5. validation against the schema (introspection refused too when it is switched off), cached per document and
 *     handed to grafserv, which would otherwise parse and validate the document a second time.
 *
 * The limits and the status of every refusal: docs/graphql-limits.md.
 *
 * Status codes follow the GraphQL-over-HTTP specification: a client that accepts application/graphql-response+json
 * gets a 4xx for a refused request, one that accepts only application/json gets 200 (except 405 for another method,
 * and 406 when it accepts neither). Every response of /graphql is `Cache-Control: no-store`.
 */
import { createHash } from "node:crypto";
import type { NextFunction, Request, Response } from "express";
import { isPromiseLike } from "postgraphile/grafast";
import type { ExecutionConfig } from "postgraphile/grafserv";
import {
  NoSchemaIntrospectionCustomRule,
  getLocation,
  specifiedRules,
  validate,
  visit,
  type DocumentNode,
  type GraphQLError,
  type GraphQLSchema,
  type ValidationRule,
} from "postgraphile/graphql";
import { checkDocumentCost, parseWithinLimits, type DocumentRefusal } from "../graphql/documentLimits.ts";
import type { ErrorCode } from "../graphql/errorCodes.ts";
import { passwordHashingFields } from "../graphql/passwordHashingPlugin.ts";

/** Limits on the request itself; the document's own are DOCUMENT_LIMITS. */
export const REQUEST_LIMITS = {
  /** Arrays and objects open at once anywhere in the JSON body (variables included). */
  jsonNesting: 32,
} as const;

export const GRAPHQL_RESPONSE_JSON = "application/graphql-response+json";
export const APPLICATION_JSON = "application/json";

/** Checked documents remembered per schema, like grafserv's own parse-and-validate cache. */
const CACHE_SIZE = 500;

export interface GraphqlEdgeOptions {
  maxRequestBytes: number;
  /** Whether the schema may be introspected (`__schema`, `__type`); off, validation refuses them. */
  introspection: boolean;
  /** The current schema (PostGraphile's `getSchema()`). */
  schema: () => PromiseLike<GraphQLSchema> | GraphQLSchema;
}

interface EdgeError {
  message: string;
  locations?: ReadonlyArray<{ line: number; column: number }>;
  extensions: { code: ErrorCode; limit?: string; max?: number };
}

/** A refusal: the HTTP status for clients that accept application/graphql-response+json, and the errors. */
class Refusal {
  readonly status: number;
  readonly errors: EdgeError[];
  constructor(status: number, errors: EdgeError[]) {
    this.status = status;
    this.errors = errors;
  }
}

function refusal(status: number, code: ErrorCode, message: string, extra: Partial<EdgeError> = {}): Refusal {
  return new Refusal(status, [{ message, ...extra, extensions: { code, ...extra.extensions } }]);
}

function fromDocumentRefusal(refused: DocumentRefusal): Refusal {
  const locations = refused.cause?.locations;
  return refusal(400, refused.code, refused.message, {
    ...(locations ? { locations } : {}),
    extensions: {
      code: refused.code,
      ...(refused.limit ? { limit: refused.limit, max: refused.max } : {}),
    },
  });
}

/** `Did you mean "x"?` names fields a client has not asked for: kept only when the schema may be introspected. */
function withoutSuggestions(message: string): string {
  return message.replace(/ Did you mean .*\?$/, "");
}

/* ---------------------------------------------------------------- the body */

function readBody(req: Request, maxBytes: number): Promise<Buffer | Refusal> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let length = 0;
    const onData = (chunk: Buffer) => {
      length += chunk.length;
      if (length > maxBytes) {
        /* Stop keeping the body; the stream stays flowing, so the rest is read and dropped. */
        cleanup();
        resolve(bodyTooLarge(maxBytes));
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = () => {
      cleanup();
      resolve(Buffer.concat(chunks, length));
    };
    const onError = (error: Error) => {
      cleanup();
      reject(error);
    };
    const cleanup = () => {
      req.off("data", onData);
      req.off("end", onEnd);
      req.off("error", onError);
    };
    req.on("data", onData);
    req.on("end", onEnd);
    req.on("error", onError);
  });
}

function bodyTooLarge(maxBytes: number): Refusal {
  return refusal(413, "LARGE", `The request body exceeds the limit of ${maxBytes} bytes (limit "bytes").`, {
    extensions: { code: "LARGE", limit: "bytes", max: maxBytes },
  });
}

const utf8 = new TextDecoder("utf-8", { fatal: true });

interface GraphQLBody {
  query: string;
  variables: Record<string, unknown> | undefined;
  operationName: string | undefined;
  extensions: Record<string, unknown> | undefined;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Deepest nesting of arrays and objects, walked without recursion (a hostile body may be nested 100,000 deep). */
function jsonNesting(value: unknown, max: number): number {
  let deepest = 0;
  const stack: Array<[unknown, number]> = [[value, 0]];
  while (stack.length > 0) {
    const [item, depth] = stack.pop()!;
    if (typeof item !== "object" || item === null) continue;
    if (depth + 1 > deepest) {
      deepest = depth + 1;
      if (deepest > max) return deepest;
    }
    for (const child of Array.isArray(item) ? item : Object.values(item)) {
      if (typeof child === "object" && child !== null) stack.push([child, depth + 1]);
    }
  }
  return deepest;
}

function parseBody(buffer: Buffer): GraphQLBody | Refusal {
  let text: string;
  try {
    text = utf8.decode(buffer);
  } catch {
    return refusal(400, "REQST", "The request body is not valid UTF-8.");
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return refusal(400, "REQST", "The request body is not valid JSON.");
  }
  if (Array.isArray(json)) {
    return refusal(400, "ONEOP", "Send one GraphQL operation per request: a JSON array of operations is not accepted.");
  }
  if (jsonNesting(json, REQUEST_LIMITS.jsonNesting) > REQUEST_LIMITS.jsonNesting) {
    return refusal(
      400,
      "LARGE",
      `The request body nests arrays and objects deeper than the limit of ${REQUEST_LIMITS.jsonNesting} (limit "jsonNesting").`,
      { extensions: { code: "LARGE", limit: "jsonNesting", max: REQUEST_LIMITS.jsonNesting } },
    );
  }
  if (!isPlainObject(json)) {
    return refusal(400, "REQST", 'The request body must be a JSON object with a "query".');
  }
  const { query, variables, operationName, extensions } = json;
  if (typeof query !== "string")
    return refusal(400, "REQST", 'The request needs "query": a GraphQL document as a string.');
  if (variables != null && !isPlainObject(variables)) {
    return refusal(400, "REQST", '"variables", when given, must be a JSON object.');
  }
  if (operationName != null && typeof operationName !== "string") {
    return refusal(400, "REQST", '"operationName", when given, must be a string.');
  }
  if (extensions != null && !isPlainObject(extensions)) {
    return refusal(400, "REQST", '"extensions", when given, must be a JSON object.');
  }
  return {
    query,
    variables: variables ?? undefined,
    operationName: operationName ?? undefined,
    extensions: extensions ?? undefined,
  };
}

/* ---------------------------------------------------------------- text PostgreSQL cannot hold */

const NUL = "\u0000";

/** Why a string cannot be stored as text, or null. */
function textProblem(value: string): string | null {
  if (value.includes(NUL)) return "contains the NUL character (U+0000), which text may not hold";
  if (!value.isWellFormed()) return "contains a lone surrogate (half of a UTF-16 pair), which is not valid Unicode";
  return null;
}

/** The first string in the variables that text cannot hold, with its path (`$input.email`). */
function badVariableText(variables: Record<string, unknown>): Refusal | null {
  const stack: Array<[unknown, string]> = Object.entries(variables).map(([name, value]) => [value, `$${name}`]);
  while (stack.length > 0) {
    const [value, path] = stack.pop()!;
    if (typeof value === "string") {
      const problem = textProblem(value);
      if (problem) return refusal(400, "INVAL", `The variable ${path} ${problem}.`);
    } else if (Array.isArray(value)) {
      value.forEach((item, i) => stack.push([item, `${path}[${i}]`]));
    } else if (isPlainObject(value)) {
      for (const [key, item] of Object.entries(value)) stack.push([item, `${path}.${key}`]);
    }
  }
  return null;
}

/** The first string literal in the document that text cannot hold. */
function badLiteralText(document: DocumentNode): Refusal | null {
  let found: Refusal | null = null;
  visit(document, {
    StringValue(node) {
      const problem = found ? null : textProblem(node.value);
      if (problem) {
        found = refusal(400, "INVAL", `A string in the document ${problem}.`, {
          ...(node.loc ? { locations: [getLocation(node.loc.source, node.loc.start)] } : {}),
        });
      }
    },
  });
  return found;
}

/* ---------------------------------------------------------------- the document */

/** A small least-recently-used map. */
class Lru<V> {
  private readonly map = new Map<string, V>();
  private readonly size: number;
  constructor(size: number) {
    this.size = size;
  }
  get(key: string): V | undefined {
    const value = this.map.get(key);
    if (value !== undefined) {
      this.map.delete(key);
      this.map.set(key, value);
    }
    return value;
  }
  set(key: string, value: V): void {
    this.map.delete(key);
    this.map.set(key, value);
    if (this.map.size > this.size) this.map.delete(this.map.keys().next().value!);
  }
}

interface SchemaState {
  hashingFields: Set<string>;
  rules: ValidationRule[];
  checked: Lru<DocumentNode | Refusal>;
}

function cacheKey(query: string): string {
  return query.length > 500 ? createHash("sha256").update(query).digest("base64") : query;
}

function checkDocument(state: SchemaState, schema: GraphQLSchema, query: string, introspection: boolean) {
  const parsed = parseWithinLimits(query);
  if (!("kind" in parsed)) return fromDocumentRefusal(parsed);
  const costly = checkDocumentCost(parsed, state.hashingFields);
  if (costly) return fromDocumentRefusal(costly);
  const errors = validate(schema, parsed, state.rules);
  if (errors.length > 0) {
    return new Refusal(
      400,
      errors.map((error: GraphQLError) => ({
        message: introspection ? error.message : withoutSuggestions(error.message),
        ...(error.locations ? { locations: error.locations } : {}),
        extensions: { code: "QUERY" as const },
      })),
    );
  }
  return badLiteralText(parsed) ?? parsed;
}

/* ---------------------------------------------------------------- the middleware */

export interface GraphqlEdge {
  /** The Express middleware, mounted at /graphql before grafserv. */
  handler: (req: Request, res: Response, next: NextFunction) => Promise<void>;
  /**
   * A grafserv plugin that hands grafserv the document the edge already parsed and validated, so no document is
   * validated twice; a document the edge has not seen is parsed and validated by grafserv as usual.
   */
  plugin: GraphileConfig.Plugin;
}

export function graphqlEdge(options: GraphqlEdgeOptions): GraphqlEdge {
  const states = new WeakMap<GraphQLSchema, SchemaState>();
  const stateFor = (schema: GraphQLSchema): SchemaState => {
    let state = states.get(schema);
    if (!state) {
      state = {
        hashingFields: passwordHashingFields(schema),
        rules: options.introspection ? [...specifiedRules] : [...specifiedRules, NoSchemaIntrospectionCustomRule],
        checked: new Lru(CACHE_SIZE),
      };
      states.set(schema, state);
    }
    return state;
  };

  const answer = (res: Response, type: string, refused: Refusal): void => {
    const status = type === APPLICATION_JSON && refused.status !== 405 ? 200 : refused.status;
    res.status(status);
    res.setHeader("content-type", `${type}; charset=utf-8`);
    res.end(JSON.stringify({ errors: refused.errors }));
  };

  const handler = async (req: Request, res: Response, next: NextFunction): Promise<void> => {
    /* Mounted at /graphql: only the endpoint itself, not paths below it. */
    if (req.path !== "/") return next();
    res.setHeader("cache-control", "no-store");
    const type = req.accepts([GRAPHQL_RESPONSE_JSON, APPLICATION_JSON]);
    if (!type) {
      res.status(406);
      res.setHeader("content-type", `${APPLICATION_JSON}; charset=utf-8`);
      res.end(
        JSON.stringify({
          errors: [
            {
              message: `Accept ${GRAPHQL_RESPONSE_JSON} or ${APPLICATION_JSON}: GraphQL answers in no other type.`,
              extensions: { code: "REQST" },
            },
          ],
        }),
      );
      return;
    }
    /* grafserv answers in the type chosen here, so both halves of the gateway agree on the status code. */
    req.headers.accept = type;
    if (req.method !== "POST") {
      res.setHeader("allow", "POST");
      return answer(res, type, refusal(405, "REQST", "Send GraphQL requests with POST."));
    }
    try {
      const body = await checkedBody(req, options);
      if (body instanceof Refusal) return answer(res, type, body);
      const schema = await options.schema();
      const state = stateFor(schema);
      const key = cacheKey(body.query);
      let checked = state.checked.get(key);
      if (!checked) {
        checked = checkDocument(state, schema, body.query, options.introspection);
        state.checked.set(key, checked);
      }
      if (checked instanceof Refusal) return answer(res, type, checked);
      req.body = body;
      next();
    } catch (error) {
      next(error);
    }
  };

  /** The document the edge accepted for this schema and query, if it still remembers it. */
  const accepted = (schema: GraphQLSchema, query: string): DocumentNode | null => {
    const checked = states.get(schema)?.checked.get(cacheKey(query));
    return checked && !(checked instanceof Refusal) ? checked : null;
  };

  const plugin: GraphileConfig.Plugin = {
    name: "GraphqlEdgeDocumentsPlugin",
    description: "Hands grafserv the documents the GraphQL edge already parsed and validated.",
    version: "1.0.0",
    grafserv: {
      middleware: {
        setPreset(next, event) {
          const execution = event.getExecutionConfig;
          const withEdge = (config: ExecutionConfig): ExecutionConfig => ({
            ...config,
            parseAndValidate: (query) => {
              const document = accepted(config.schema, query);
              return document ? { document } : config.parseAndValidate(query);
            },
          });
          event.getExecutionConfig = function (ctx) {
            const config = execution.call(this, ctx);
            return isPromiseLike(config) ? Promise.resolve(config).then(withEdge) : withEdge(config);
          };
          return next();
        },
      },
    },
  };

  return { handler, plugin };
}

/** The request's body, read and checked up to the document (which is checked per schema, and cached). */
async function checkedBody(req: Request, options: GraphqlEdgeOptions): Promise<GraphQLBody | Refusal> {
  const contentType = req.get("content-type");
  const mediaType = contentType?.split(";")[0]?.trim().toLowerCase();
  const charset = /;\s*charset\s*=\s*"?([^";\s]+)/i.exec(contentType ?? "")?.[1]?.toLowerCase();
  if (mediaType !== APPLICATION_JSON || (charset !== undefined && charset !== "utf-8" && charset !== "utf8")) {
    return refusal(415, "REQST", `Send the request body as ${APPLICATION_JSON} (UTF-8).`);
  }
  const encoding = req.get("content-encoding");
  if (encoding && encoding.toLowerCase() !== "identity") {
    return refusal(415, "REQST", "Send the request body without a Content-Encoding.");
  }
  const declared = Number(req.get("content-length"));
  if (Number.isFinite(declared) && declared > options.maxRequestBytes) return bodyTooLarge(options.maxRequestBytes);
  const buffer = await readBody(req, options.maxRequestBytes);
  if (buffer instanceof Refusal) return buffer;
  const body = parseBody(buffer);
  if (body instanceof Refusal) return body;
  return (body.variables && badVariableText(body.variables)) || body;
}
