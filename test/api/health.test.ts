import { describe, expect, it } from "vitest";
import { useGateway } from "../helpers/gateway.ts";

const api = useGateway();

describe("health and readiness", () => {
  it("/healthz answers while the process is up", async () => {
    const response = await fetch(`${api.gateway.url}/healthz`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: "ok" });
  });

  it("/readyz answers 200 when the database is reachable and migrated", async () => {
    const response = await fetch(`${api.gateway.url}/readyz`);
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ status: "ready" });
  });

  it("/readyz answers 503 when the database lacks the code's latest migration", async () => {
    const { rows } = await api.db.root.query(
      "select hash, filename from graphile_migrate.migrations order by date desc limit 1",
    );
    /* A migration the code does not know yet, as after a rollback of the code without one of the database. */
    await api.db.root.query(
      "insert into graphile_migrate.migrations (hash, previous_hash, filename, date) values ('sha1:future', $1, '999999.sql', now() + interval '1 minute')",
      [rows[0]?.hash],
    );
    try {
      const response = await fetch(`${api.gateway.url}/readyz`);
      expect(response.status).toBe(503);
      expect(await response.json()).toMatchObject({
        status: "migrations pending",
        applied: "999999.sql",
        expected: rows[0]?.filename,
      });
    } finally {
      await api.db.root.query("delete from graphile_migrate.migrations where filename = '999999.sql'");
    }
  });
});

describe("HTTP hardening", () => {
  it("sends security headers on every response", async () => {
    const response = await fetch(`${api.gateway.url}/healthz`);
    expect(response.headers.get("x-content-type-options")).toBe("nosniff");
    expect(response.headers.get("x-frame-options")).toBe("SAMEORIGIN");
    expect(response.headers.get("content-security-policy")).toContain("default-src 'self'");
    expect(response.headers.get("x-powered-by")).toBeNull();
  });

  it("allows cross-origin calls only from configured origins", async () => {
    const preflight = (origin: string) =>
      fetch(`${api.gateway.url}/graphql`, {
        method: "OPTIONS",
        headers: {
          origin,
          "access-control-request-method": "POST",
          "access-control-request-headers": "content-type,authorization",
        },
      });
    const allowed = await preflight("https://app.example.test");
    expect(allowed.headers.get("access-control-allow-origin")).toBe("https://app.example.test");
    const refused = await preflight("https://evil.example.test");
    expect(refused.headers.get("access-control-allow-origin")).toBeNull();
  });
});

describe("the GraphQL endpoint", () => {
  it("serves no GraphQL IDE outside development mode", async () => {
    const response = await fetch(`${api.gateway.url}/`, { headers: { accept: "text/html" } });
    expect(response.status).toBe(404);
  });

  it("answers an introspection query", async () => {
    const response = await api.client.graphql<{ __schema: { queryType: { name: string } } }>(
      "{ __schema { queryType { name } } }",
    );
    expect(response.status).toBe(200);
    expect(response.data?.__schema.queryType.name).toBe("Query");
  });

  it("echoes a well-formed X-Request-Id and makes one up otherwise", async () => {
    const echoed = await api.client.graphql("{ serverTime }", {}, { "x-request-id": "client-request-0001" });
    expect(echoed.headers.get("x-request-id")).toBe("client-request-0001");
    const replaced = await api.client.graphql("{ serverTime }", {}, { "x-request-id": "bad id with spaces" });
    expect(replaced.headers.get("x-request-id")).toMatch(/^[0-9a-f-]{36}$/);
  });

  it("refuses a request body over the size limit", async () => {
    const response = await fetch(`${api.gateway.url}/graphql`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ query: `{ serverTime } # ${"x".repeat(200_000)}` }),
    });
    expect(response.status).toBe(413);
  });

  it("answers a query that does not validate with GraphQL's own message and no data", async () => {
    const response = await api.client.graphql("{ noSuchField }");
    expect(response.data).toBeUndefined();
    expect(response.errors?.[0]?.message).toMatch(/noSuchField/);
  });

  it("refuses a query nested too deeply (LARGE)", async () => {
    const deep = `{ ${"query { ".repeat(80)}serverTime${" }".repeat(80)} }`;
    const response = await api.client.graphql(deep);
    expect(response.errors?.[0]?.extensions).toMatchObject({ code: "LARGE", limit: "nesting", max: 40 });
    const shallow = `{ ${"query { ".repeat(5)}serverTime${" }".repeat(5)} }`;
    expect((await api.client.graphql(shallow)).errors).toBeUndefined();
  });

  it("reports a variable of the wrong type as QUERY", async () => {
    const response = await api.client.graphql(
      "mutation ($key: String!, $value: JSON!) { setSystemSetting(input: { key: $key, value: $value }) { clientMutationId } }",
      { key: 42 },
    );
    expect(response.errors?.[0]?.extensions?.code).toBe("QUERY");
    expect(response.errors?.[0]?.message).toMatch(/\$key/);
  });
});
