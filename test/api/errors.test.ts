/**
 * What clients see when SQL fails: documented codes pass with their message and hint; anything else is masked.
 * Two functions are added to this file's own database before its gateway starts, to fail on purpose.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Gateway } from "../../src/server.ts";
import { createTestDatabase, dropTestDatabase, type TestDatabase } from "../helpers/database.ts";
import { GatewayClient, startTestGateway } from "../helpers/gateway.ts";

let db: TestDatabase;
let gateway: Gateway;
let client: GatewayClient;

beforeAll(async () => {
  db = await createTestDatabase();
  await db.root.query(`
    create function app_public.fail_with_internals() returns int language plpgsql stable as $$
    begin
      raise exception 'relation app_private.secret_table: password hash $2a$12$abcdefghijklmnopqrstuv leaked';
    end $$;
    create function app_public.fail_with_code() returns int language plpgsql stable as $$
    begin
      raise exception 'That value is not allowed.' using errcode = 'INVAL', hint = 'Use a smaller one.';
    end $$;
    grant execute on function app_public.fail_with_internals(), app_public.fail_with_code() to app_anonymous;`);
  gateway = await startTestGateway(db);
  client = new GatewayClient(gateway.url);
});

afterAll(async () => {
  await gateway?.close();
  if (db) await dropTestDatabase(db);
});

describe("errors over GraphQL", () => {
  it("pass a documented code with its message and hint", async () => {
    const response = await client.graphql("{ failWithCode }");
    expect(response.errors?.[0]).toMatchObject({
      message: "That value is not allowed.",
      extensions: { code: "INVAL", hint: "Use a smaller one." },
    });
  });

  it("mask everything else as INTRN, hiding SQL, names and hashes", async () => {
    const response = await client.graphql("{ failWithInternals }");
    const error = response.errors?.[0];
    expect(error?.extensions?.code).toBe("INTRN");
    expect(error?.extensions?.errorId).toMatch(/^[0-9a-f-]{36}$/);
    const text = JSON.stringify(response);
    for (const secret of ["app_private", "secret_table", "$2a$", "password", "plpgsql", "stack"]) {
      expect(text).not.toContain(secret);
    }
  });
});
