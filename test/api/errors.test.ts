/**
 * What clients see when SQL fails: documented codes pass with their message and hint; a statement cancelled by the
 * gateway's statement timeout is SLOWQ; anything else is masked. Functions are added to this file's own database
 * before its gateways start, to fail on purpose.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Gateway } from "../../src/server.ts";
import { createTestDatabase, dropTestDatabase, type TestDatabase } from "../helpers/database.ts";
import { GatewayClient, startTestGateway } from "../helpers/gateway.ts";

let db: TestDatabase;
let gateway: Gateway;
let client: GatewayClient;
/** The same database behind a gateway that gives each request's statements 200 ms. */
let impatient: Gateway;

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
    create function app_public.take_a_while() returns int language sql stable as $$ select 1 from pg_sleep(2) $$;
    create function app_public.statement_timeout() returns text language sql stable as $$
      select current_setting('statement_timeout')
    $$;
    grant execute on function app_public.fail_with_internals(), app_public.fail_with_code(), app_public.take_a_while(),
      app_public.statement_timeout() to app_anonymous;`);
  gateway = await startTestGateway(db);
  client = new GatewayClient(gateway.url);
  impatient = await startTestGateway(db, { statementTimeoutMs: 200 });
});

afterAll(async () => {
  await gateway?.close();
  await impatient?.close();
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

  it("run every request's statements under the gateway's statement timeout (10 s by default)", async () => {
    const response = await client.graphql<{ statementTimeout: string }>("{ statementTimeout }");
    expect(response.data?.statementTimeout).toBe("10s");
  });

  it("cancel a statement that outlasts the statement timeout (SLOWQ)", async () => {
    const impatientClient = new GatewayClient(impatient.url);
    expect((await impatientClient.graphql<{ statementTimeout: string }>("{ statementTimeout }")).data).toEqual({
      statementTimeout: "200ms",
    });
    const response = await impatientClient.graphql("{ takeAWhile }");
    expect(response.status).toBe(200);
    expect(response.errors?.[0]).toMatchObject({
      message: "The request took longer than the database allows and was cancelled; nothing was changed.",
      extensions: { code: "SLOWQ" },
    });
    expect(JSON.stringify(response)).not.toMatch(/statement timeout|canceling/);
  });
});
