/**
 * What one GraphQL document may cost (src/graphql/documentLimits.ts), checked before validation: every limit accepts
 * a document at its value and refuses one a step over it with LARGE naming the limit, fragments counted each time
 * they are spread but never expanded, and fragment cycles refused. GraphQL's standard introspection query passes.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getIntrospectionQuery } from "postgraphile/graphql";
import { doublingFragments, LIMIT_DOCUMENTS } from "../../fixtures/graphqlDocuments.ts";
import { DOCUMENT_LIMITS } from "../../src/graphql/documentLimits.ts";
import type { Gateway } from "../../src/server.ts";
import { GatewayClient, startTestGateway, useGateway } from "../helpers/gateway.ts";

const api = useGateway();

describe("documents at each limit", () => {
  for (const shape of LIMIT_DOCUMENTS) {
    it(`accepts ${shape.name} at the ${shape.limit} limit`, async () => {
      const response = await api.client.graphql(shape.accepted);
      /* Accepted means run: a mutation may still be refused by SQL (anonymous), never by the edge. */
      for (const error of response.errors ?? []) expect(error.extensions?.code).toMatch(/^(LOGIN|PERMS)$/);
      expect(response.data).toBeDefined();
    });

    it(`refuses ${shape.name} one step over the ${shape.limit} limit (LARGE)`, async () => {
      const response = await api.client.graphql(shape.refused);
      expect(response.data).toBeUndefined();
      const max = DOCUMENT_LIMITS[shape.limit];
      expect(response.errors?.[0]?.extensions).toEqual({ code: "LARGE", limit: shape.limit, max });
      expect(response.errors?.[0]?.message).toContain(`limit of ${max} `);
      expect(response.errors?.[0]?.message).toContain(`"${shape.limit}"`);
    });
  }
});

describe("fragments", () => {
  it("counts a fragment each time it is spread, through other fragments (LARGE)", async () => {
    const fragment = `fragment Three on Query { a: serverTime b: serverTime c: serverTime }`;
    const spreads = (n: number) => `{ ${Array.from({ length: n }, (_, i) => `s${i}: query { ...Three }`).join(" ")} }`;
    const within = await api.client.graphql(`${spreads(7)} ${fragment}`);
    expect(within.errors).toBeUndefined();
    /* 8 spreads × 3 aliases + 8 aliased fields = 32 aliases, over 30, though only 11 aliases are written. */
    const over = await api.client.graphql(`${spreads(8)} ${fragment}`);
    expect(over.errors?.[0]?.extensions).toMatchObject({ code: "LARGE", limit: "aliases" });
  });

  it("measures fragments that double 40 times without expanding them (LARGE)", async () => {
    /* 2^40 fields if expanded: the answer would never come. */
    const response = await api.client.graphql(doublingFragments(40));
    expect(response.errors?.[0]?.extensions).toMatchObject({ code: "LARGE", limit: "fields" });
  });

  it("counts depth through fragments (LARGE)", async () => {
    const levels = DOCUMENT_LIMITS.depth;
    const chain = Array.from(
      { length: levels },
      (_, i) => `fragment L${i} on Query { query { ${i === levels - 1 ? "serverTime" : `...L${i + 1}`} } }`,
    ).join(" ");
    const response = await api.client.graphql(`{ ...L0 } ${chain}`);
    expect(response.errors?.[0]?.extensions).toMatchObject({ code: "LARGE", limit: "depth" });
  });

  it("counts selections sharing one response path across fragments (LARGE)", async () => {
    const half = (name: string, n: number) => `fragment ${name} on Query { query { ${"serverTime ".repeat(n)}} }`;
    const within = await api.client.graphql(`{ ...A ...B } ${half("A", 12)} ${half("B", 13)}`);
    expect(within.errors).toBeUndefined();
    /* query.serverTime: 13 + 13 = 26 selections, though neither fragment has more than 13. */
    const over = await api.client.graphql(`{ ...A ...B } ${half("A", 13)} ${half("B", 13)}`);
    expect(over.errors?.[0]?.extensions).toMatchObject({ code: "LARGE", limit: "duplicates", max: 25 });
  });

  it("refuses a fragment that spreads itself through another (QUERY)", async () => {
    const response = await api.client.graphql(
      `{ ...A } fragment A on Query { serverTime ...B } fragment B on Query { query { ...A } }`,
    );
    expect(response.errors?.[0]?.extensions?.code).toBe("QUERY");
    expect(response.errors?.[0]?.message).toMatch(/"A" spreads itself/);
  });

  it("refuses a fragment that spreads itself directly (QUERY)", async () => {
    const response = await api.client.graphql(`{ ...A } fragment A on Query { ...A }`);
    expect(response.errors?.[0]?.extensions?.code).toBe("QUERY");
  });

  it("counts a fragment no operation spreads (LARGE)", async () => {
    const response = await api.client.graphql(`{ serverTime } ${doublingFragments(20).replace("{ ...F0 }", "")}`);
    expect(response.errors?.[0]?.extensions).toMatchObject({ code: "LARGE", limit: "fields" });
  });
});

describe("documents every client needs", () => {
  it("accepts GraphQL's standard introspection query, with every option", async () => {
    for (const options of [
      {},
      {
        descriptions: true,
        specifiedByUrl: true,
        directiveIsRepeatable: true,
        schemaDescription: true,
        inputValueDeprecation: true,
        oneOf: true,
      },
    ]) {
      const response = await api.client.graphql<{ __schema: { types: unknown[] } }>(getIntrospectionQuery(options));
      expect(response.errors).toBeUndefined();
      expect(response.data?.__schema.types.length).toBeGreaterThan(100);
    }
  });

  it("accepts a document with several operations and names the one to run", async () => {
    const response = await fetch(`${api.gateway.url}/graphql`, {
      method: "POST",
      headers: { "content-type": "application/json", accept: "application/json" },
      body: JSON.stringify({ query: "query A { serverTime } query B { __typename }", operationName: "B" }),
    });
    expect(await response.json()).toEqual({ data: { __typename: "Query" } });
  });
});

describe("the planning backstop", () => {
  let hasty: Gateway;

  beforeAll(async () => {
    hasty = await startTestGateway(api.db, { planningTimeoutMs: 1 });
  });

  afterAll(async () => {
    await hasty?.close();
  });

  it("refuses an operation that takes longer to plan than grafast.timeouts.planning (LARGE)", async () => {
    const widest = LIMIT_DOCUMENTS.find((shape) => shape.limit === "fields")!;
    const response = await new GatewayClient(hasty.url).graphql(widest.accepted);
    expect(response.errors?.[0]?.extensions).toEqual({ code: "LARGE", limit: "planningTime", max: 1 });
    expect(response.errors?.[0]?.message).toMatch(/longer to plan than the limit of 1 ms/);
  });
});
