/**
 * Requests the GraphQL endpoint refuses before anything runs (src/http/graphqlEdge.ts): each answered with a coded
 * GraphQL error, HTTP 4xx for clients that accept application/graphql-response+json and 200 for those that accept only
 * application/json (the GraphQL-over-HTTP specification), never a 5xx; every answer `Cache-Control: no-store`.
 * Introspection and the IDE are off in production unless switched on.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getIntrospectionQuery } from "postgraphile/graphql";
import { REQUEST_LIMITS } from "../../src/http/graphqlEdge.ts";
import type { Gateway } from "../../src/server.ts";
import { GatewayClient, startTestGateway, useGateway, type GraphQLResponse } from "../helpers/gateway.ts";

const api = useGateway();

const GRAPHQL_RESPONSE = "application/graphql-response+json";
const JSON_ONLY = "application/json";

/** A body and headers sent as is, once per Accept header. */
async function bothWays(
  body: string | Uint8Array,
  contentType: string | null = "application/json",
): Promise<{ modern: GraphQLResponse & { text: string }; legacy: GraphQLResponse & { text: string } }> {
  const headers = (accept: string): Record<string, string> => ({
    accept,
    ...(contentType === null ? {} : { "content-type": contentType }),
  });
  const [modern, legacy] = await Promise.all([
    api.client.post(body, headers(GRAPHQL_RESPONSE)),
    api.client.post(body, headers(JSON_ONLY)),
  ]);
  return { modern, legacy };
}

function expectRefused(
  { modern, legacy }: Awaited<ReturnType<typeof bothWays>>,
  code: string,
  status: number,
  message?: RegExp,
): void {
  expect(modern.status).toBe(status);
  expect(legacy.status).toBe(200);
  for (const response of [modern, legacy]) {
    expect(response.data).toBeUndefined();
    expect(response.errors?.[0]?.extensions?.code).toBe(code);
    if (message) expect(response.errors?.[0]?.message).toMatch(message);
    expect(response.headers.get("cache-control")).toBe("no-store");
  }
  expect(modern.headers.get("content-type")).toMatch(/^application\/graphql-response\+json/);
  expect(legacy.headers.get("content-type")).toMatch(/^application\/json/);
}

const SET_SETTING =
  'mutation ($v: JSON!) { setSystemSetting(input: { key: \\"x\\", value: $v }) { clientMutationId } }';
const op = (query: string, variables: Record<string, unknown> = {}) => JSON.stringify({ query, variables });

describe("requests refused before anything runs", () => {
  it("refuses a body that is not JSON (REQST)", async () => {
    expectRefused(await bothWays('{ "query": "{ serverTime }"'), "REQST", 400, /not valid JSON/);
  });

  it("refuses a body that is not UTF-8 (REQST)", async () => {
    const latin1 = Buffer.concat([
      Buffer.from('{ "query": "{ serverTime }", "x": "'),
      Buffer.from([0xe9]),
      Buffer.from('" }'),
    ]);
    expectRefused(await bothWays(latin1), "REQST", 400, /UTF-8/);
  });

  it("refuses another content type (REQST)", async () => {
    expectRefused(await bothWays(op("{ serverTime }"), "text/plain"), "REQST", 415);
    expectRefused(await bothWays("query=%7B+serverTime+%7D", "application/x-www-form-urlencoded"), "REQST", 415);
    expectRefused(await bothWays("{ serverTime }", "application/graphql"), "REQST", 415);
    expectRefused(await bothWays(op("{ serverTime }"), null), "REQST", 415);
    expectRefused(await bothWays(op("{ serverTime }"), "application/json; charset=latin1"), "REQST", 415);
  });

  it("accepts application/json with a UTF-8 charset", async () => {
    const { modern } = await bothWays(op("{ serverTime }"), "application/json; charset=UTF-8");
    expect(modern.status).toBe(200);
    expect(modern.errors).toBeUndefined();
  });

  it("refuses a body without a query string, or with variables of the wrong shape (REQST)", async () => {
    expectRefused(await bothWays("{}"), "REQST", 400, /"query"/);
    expectRefused(await bothWays('{ "query": 42 }'), "REQST", 400, /"query"/);
    expectRefused(await bothWays('"{ serverTime }"'), "REQST", 400);
    expectRefused(await bothWays("null"), "REQST", 400);
    expectRefused(await bothWays('{ "query": "{ serverTime }", "variables": [1] }'), "REQST", 400, /"variables"/);
    expectRefused(await bothWays('{ "query": "{ serverTime }", "operationName": 7 }'), "REQST", 400, /"operationName"/);
  });

  it("refuses a batch of operations (ONEOP)", async () => {
    const batch = JSON.stringify([{ query: "{ serverTime }" }, { query: "{ serverTime }" }]);
    expectRefused(await bothWays(batch), "ONEOP", 400, /one GraphQL operation per request/);
    expectRefused(await bothWays(JSON.stringify([{ query: "{ serverTime }" }])), "ONEOP", 400);
  });

  it("refuses a body over MAX_REQUEST_BYTES (LARGE)", async () => {
    const body = op(`{ serverTime } # ${"x".repeat(200_000)}`);
    const result = await bothWays(body);
    expectRefused(result, "LARGE", 413, /102400 bytes/);
    expect(result.modern.errors?.[0]?.extensions).toMatchObject({ limit: "bytes", max: 102_400 });
  });

  it("refuses variables nested 10,000 deep (LARGE)", async () => {
    const deep = `${"[".repeat(10_000)}1${"]".repeat(10_000)}`;
    const body = `{ "query": "${SET_SETTING}", "variables": { "v": ${deep} } }`;
    const result = await bothWays(body);
    expectRefused(result, "LARGE", 400, /nests arrays and objects deeper than the limit of 32/);
    expect(result.modern.errors?.[0]?.extensions).toMatchObject({
      limit: "jsonNesting",
      max: REQUEST_LIMITS.jsonNesting,
    });
  });

  it("refuses a document that does not parse (QUERY)", async () => {
    const result = await bothWays(op("{ serverTime"));
    expectRefused(result, "QUERY", 400, /Syntax Error/);
    expect(result.modern.errors?.[0]).toHaveProperty("locations");
  });

  it("refuses a document that asks for an unknown field (QUERY)", async () => {
    expectRefused(await bothWays(op("{ noSuchField }")), "QUERY", 400, /noSuchField/);
  });

  it("refuses a variable of the wrong type (QUERY)", async () => {
    expectRefused(
      await bothWays(op("query ($n: Int!) { posts(first: $n) { totalCount } }", { n: "many" })),
      "QUERY",
      400,
      /\$n/,
    );
  });

  it("answers another method with 405 and Allow: POST (REQST)", async () => {
    for (const accept of [GRAPHQL_RESPONSE, JSON_ONLY]) {
      const response = await api.client.post("", { accept }, "GET");
      expect(response.status).toBe(405);
      expect(response.headers.get("allow")).toBe("POST");
      expect(response.errors?.[0]?.extensions?.code).toBe("REQST");
    }
  });

  it("answers 406 to a client that accepts neither GraphQL response type (REQST)", async () => {
    const response = await api.client.post(op("{ serverTime }"), {
      accept: "text/html",
      "content-type": "application/json",
    });
    expect(response.status).toBe(406);
    expect(response.errors?.[0]?.extensions?.code).toBe("REQST");
  });

  it("answers in application/graphql-response+json to */* and to no Accept header", async () => {
    for (const headers of [{ accept: "*/*" }, {}] as Array<Record<string, string>>) {
      const response = await api.client.post(op("{ nope }"), { ...headers, "content-type": "application/json" });
      expect(response.status).toBe(400);
      expect(response.headers.get("content-type")).toMatch(/^application\/graphql-response\+json/);
    }
  });
});

describe("text PostgreSQL cannot hold", () => {
  const SEARCH = "query ($q: String!) { searchUsers(query: $q) { totalCount } }";

  it("refuses a NUL character in a variable, naming it (INVAL)", async () => {
    const response = await api.client.graphql(SEARCH, { q: "a\u0000b" });
    expect(response.errors?.[0]?.extensions?.code).toBe("INVAL");
    expect(response.errors?.[0]?.message).toMatch(/\$q .*NUL/);
  });

  it("refuses a lone surrogate in a nested variable (INVAL)", async () => {
    const body = `{ "query": "${SET_SETTING}", "variables": { "v": { "list": ["ok", "\\ud800"] } } }`;
    const { modern, legacy } = await bothWays(body);
    expect(modern.status).toBe(400);
    expect(legacy.status).toBe(200);
    expect(modern.errors?.[0]?.extensions?.code).toBe("INVAL");
    expect(modern.errors?.[0]?.message).toContain("$v.list[1]");
  });

  it("refuses a NUL character in a string of the document (INVAL)", async () => {
    const response = await api.client.graphql(
      'mutation { register(input: { username: "a\\u0000b", email: "x@example.test", password: "a long passphrase" }) { result { email } } }',
    );
    expect(response.errors?.[0]?.extensions?.code).toBe("INVAL");
    expect(response.errors?.[0]?.message).toMatch(/NUL/);
  });

  it("refuses an over-long string where the database bounds it (INVAL)", async () => {
    const response = await api.client.graphql(
      'mutation ($name: String!) { register(input: { username: $name, email: "y@example.test", password: "a long passphrase" }) { result { email } } }',
      { name: "n".repeat(60_000) },
    );
    expect(response.status).toBe(200);
    expect(response.errors?.[0]?.extensions?.code).toBe("INVAL");
  });
});

describe("Cache-Control: no-store on every /graphql response", () => {
  it("marks an answer with data", async () => {
    const response = await api.client.graphql("{ serverTime }");
    expect(response.errors).toBeUndefined();
    expect(response.headers.get("cache-control")).toBe("no-store");
  });

  it("marks an answer with an error from SQL", async () => {
    const response = await api.client.graphql(
      'mutation { login(input: { identifier: "nobody@example.test", password: "wrong" }) { result { sessionId } } }',
    );
    expect(response.errors?.[0]?.extensions?.code).toBe("WRONG");
    expect(response.headers.get("cache-control")).toBe("no-store");
  });

  it("marks the refusal of a bad access token (TOKEN)", async () => {
    const response = await api.client.graphql("{ serverTime }", {}, { authorization: "Bearer a.b.c" });
    expect(response.status).toBe(401);
    expect(response.errors?.[0]?.extensions?.code).toBe("TOKEN");
    expect(response.headers.get("cache-control")).toBe("no-store");
  });
});

describe("introspection and the IDE in production", () => {
  let production: Gateway;
  let switchedOn: Gateway;

  beforeAll(async () => {
    production = await startTestGateway(api.db, { mode: "production" });
    switchedOn = await startTestGateway(api.db, { mode: "production", introspection: true });
  });

  afterAll(async () => {
    await production?.close();
    await switchedOn?.close();
  });

  it("refuses introspection by default (QUERY)", async () => {
    const client = new GatewayClient(production.url);
    for (const query of [
      "{ __schema { queryType { name } } }",
      '{ __type(name: "User") { name } }',
      getIntrospectionQuery(),
    ]) {
      const response = await client.graphql(query);
      expect(response.errors?.[0]?.extensions?.code).toBe("QUERY");
      expect(response.errors?.[0]?.message).toMatch(/introspection has been disabled/);
      expect(response.data).toBeUndefined();
    }
  });

  it("still answers __typename and ordinary queries", async () => {
    const response = await new GatewayClient(production.url).graphql("{ __typename serverTime }");
    expect(response.errors).toBeUndefined();
    expect(response.data).toMatchObject({ __typename: "Query" });
  });

  it("suggests no field names when introspection is off (QUERY)", async () => {
    const response = await new GatewayClient(production.url).graphql("{ currentUse { rowId } }");
    expect(response.errors?.[0]?.extensions?.code).toBe("QUERY");
    expect(response.errors?.[0]?.message).not.toMatch(/Did you mean|currentUser/);
    const open = await api.client.graphql("{ currentUse { rowId } }");
    expect(open.errors?.[0]?.message).toMatch(/Did you mean "currentUser"/);
  });

  it("serves no GraphQL IDE", async () => {
    const response = await fetch(`${production.url}/`, { headers: { accept: "text/html" } });
    expect(response.status).toBe(404);
  });

  it("answers introspection when GRAPHQL_INTROSPECTION switches it on", async () => {
    const response = await new GatewayClient(switchedOn.url).graphql<{ __schema: { queryType: { name: string } } }>(
      getIntrospectionQuery(),
    );
    expect(response.errors).toBeUndefined();
    expect(response.data?.__schema.queryType.name).toBe("Query");
  });
});
