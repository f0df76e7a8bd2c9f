/**
 * One password operation per request: a document may hold at most one root field that checks or sets a password,
 * however it is written. The list of such fields comes from the catalogue (src/graphql/passwordHashingPlugin.ts):
 * every app_public function that reaches app_private.verify_password or app_private.hash_password.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { passwordHashingFields } from "../../src/graphql/passwordHashingPlugin.ts";
import type { Gateway } from "../../src/server.ts";
import { createTestDatabase, dropTestDatabase, type TestDatabase } from "../helpers/database.ts";
import { GatewayClient, startTestGateway } from "../helpers/gateway.ts";
import { makeSchema } from "postgraphile";
import { makePreset } from "../../src/graphile.config.ts";
import pg from "pg";
import { createLogger } from "../../src/logger.ts";
import { testTokenService } from "../helpers/gateway.ts";
import { randomBytes } from "node:crypto";

let db: TestDatabase;
let gateway: Gateway;
let client: GatewayClient;

const LOGIN = (alias = "") =>
  `${alias}login(input: { identifier: "nobody@example.test", password: "a long passphrase" }) { result { sessionId } }`;
const REGISTER = `register(input: { username: "someone", email: "someone@example.test", password: "a long passphrase" }) { result { email } }`;

beforeAll(async () => {
  db = await createTestDatabase();
  /*
   * A sign-in feature added later: its function reaches verify_password only through a helper in another schema. It
   * must join the rule without anyone listing it.
   */
  await db.root.query(`
    create function app_hidden.check_step_up(user_id uuid, password text) returns boolean
    language sql stable security definer set search_path = pg_catalog, pg_temp as $$
      select app_private.verify_password(password, s.password_hash, s.password_scheme)
      from app_private.user_security s where s.user_id = check_step_up.user_id
    $$;
    create function app_public.step_up(password text) returns boolean
    language sql volatile as $$ select app_hidden.check_step_up(app_hidden.current_user_id(), password) $$;
    grant execute on function app_public.step_up(text) to app_anonymous;
    create function app_public.harmless_mutation(note text) returns boolean
    language sql volatile as $$ select true $$;
    grant execute on function app_public.harmless_mutation(text) to app_anonymous;`);
  gateway = await startTestGateway(db);
  client = new GatewayClient(gateway.url);
});

afterAll(async () => {
  await gateway?.close();
  if (db) await dropTestDatabase(db);
});

describe("the password operations, as derived from the catalogue", () => {
  it("are every mutation whose function reaches a password hash, and no other", async () => {
    const pool = new pg.Pool({ connectionString: db.urls.authenticator, max: 1 });
    try {
      const { schema } = await makeSchema(
        makePreset({
          pool,
          mode: "test",
          maxRequestBytes: 102_400,
          statementTimeoutMs: 10_000,
          log: createLogger("silent"),
          tokens: await testTokenService(),
          privacy: {
            reader: { decryptMany: () => Promise.reject(new Error("nothing to decrypt")) },
            blindIndexKey: randomBytes(32),
          },
        }),
      );
      expect([...passwordHashingFields(schema)].sort()).toEqual([
        "changeEmail",
        "changePassword",
        "changePhone",
        "deleteMyAccount",
        "login",
        "register",
        "resetPassword",
        "restoreAccount",
        "stepUp",
      ]);
    } finally {
      await pool.end();
    }
  });
});

describe("one password operation per request", () => {
  it("runs a document with one password operation", async () => {
    const response = await client.graphql(`mutation { ${LOGIN()} }`);
    expect(response.errors?.[0]?.extensions?.code).toBe("WRONG");
  });

  it("refuses two aliases of login (ONEPW)", async () => {
    const response = await client.graphql(`mutation { a: ${LOGIN()} b: ${LOGIN()} }`);
    expect(response.errors?.[0]?.extensions?.code).toBe("ONEPW");
    expect(response.data).toBeUndefined();
  });

  it("refuses 45 aliases of login before hashing once (ONEPW)", async () => {
    const aliases = Array.from({ length: 45 }, (_, i) => LOGIN(`a${i}: `)).join(" ");
    const { rows: before } = await db.root.query(
      "select count(*)::int as n from audit.events where event_type = 'auth.login'",
    );
    const response = await client.graphql(`mutation { ${aliases} }`);
    expect(response.errors?.[0]?.extensions?.code).toBe("ONEPW");
    const { rows: after } = await db.root.query(
      "select count(*)::int as n from audit.events where event_type = 'auth.login'",
    );
    expect(after[0].n).toBe(before[0].n);
  });

  it("refuses two different password operations (ONEPW)", async () => {
    const response = await client.graphql(`mutation { ${LOGIN()} ${REGISTER} }`);
    expect(response.errors?.[0]?.extensions?.code).toBe("ONEPW");
  });

  it("refuses a password operation spread twice through a fragment (ONEPW)", async () => {
    const response = await client.graphql(
      `mutation { ...SignIn a: harmlessMutation(input: { note: "x" }) { result } ...SignIn }
       fragment SignIn on Mutation { ${LOGIN()} }`,
    );
    expect(response.errors?.[0]?.extensions?.code).toBe("ONEPW");
  });

  it("refuses password operations hidden in nested fragments and inline fragments (ONEPW)", async () => {
    const response = await client.graphql(
      `mutation { ... on Mutation { ...Outer } }
       fragment Outer on Mutation { ...Inner ... on Mutation { ${REGISTER} } }
       fragment Inner on Mutation { ${LOGIN()} }`,
    );
    expect(response.errors?.[0]?.extensions?.code).toBe("ONEPW");
  });

  it("refuses two operations of one document that each hold one (ONEPW)", async () => {
    const response = await client.graphql(`mutation A { ${LOGIN()} } mutation B { ${LOGIN()} }`, {});
    expect(response.errors?.[0]?.extensions?.code).toBe("ONEPW");
    const named = await fetch(`${gateway.url}/graphql`, {
      method: "POST",
      headers: { "content-type": "application/json", accept: "application/graphql-response+json" },
      body: JSON.stringify({ query: `mutation A { ${LOGIN()} } mutation B { ${LOGIN()} }`, operationName: "A" }),
    });
    expect(named.status).toBe(400);
    expect(
      ((await named.json()) as { errors: Array<{ extensions: { code: string } }> }).errors[0]?.extensions.code,
    ).toBe("ONEPW");
  });

  it("counts a sign-in feature added later through its helper functions (ONEPW)", async () => {
    const response = await client.graphql(
      `mutation { a: stepUp(input: { password: "x" }) { result } b: stepUp(input: { password: "y" }) { result } }`,
    );
    expect(response.errors?.[0]?.extensions?.code).toBe("ONEPW");
  });

  it("lets any number of other mutations beside one password operation", async () => {
    const others = Array.from({ length: 5 }, (_, i) => `h${i}: harmlessMutation(input: { note: "x" }) { result }`);
    const response = await client.graphql(`mutation { ${others.join(" ")} ${LOGIN()} }`);
    expect(response.errors?.map((e) => e.extensions?.code)).toEqual(["WRONG"]);
    expect(response.data).toMatchObject({ h0: { result: true }, h4: { result: true } });
  });
});
