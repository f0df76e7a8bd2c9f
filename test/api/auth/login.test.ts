import bcrypt from "bcrypt";
import { createRemoteJWKSet, decodeJwt, decodeProtectedHeader, jwtVerify } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  CURRENT_USER,
  bearer,
  errorCode,
  login,
  loginTokens,
  registerVerifiedUser,
  REGISTER,
} from "../../helpers/auth.ts";
import { TEST_JWT, useGateway } from "../../helpers/gateway.ts";
import { loginRefusalReasons } from "../../helpers/privacy.ts";
import { Inbox, runJobs } from "../../helpers/mail.ts";
import { createUser, uniqueName } from "../../../fixtures/users.ts";

const api = useGateway();
let inbox: Inbox;
beforeAll(async () => {
  inbox = await Inbox.create();
});
afterAll(() => inbox.remove());

/** The submitted identifier is kept only in the event's encrypted part: found by decrypting, as an auditor would. */
async function loginRefusals(identifier: string): Promise<Array<{ reason: string }>> {
  return (await loginRefusalReasons(api.db.root, api.db.urls.authenticator, identifier)).map((reason) => ({ reason }));
}

describe("login", () => {
  it("returns an access token, a refresh token, its expiry and the user", async () => {
    const user = await registerVerifiedUser(api.client, api.db.urls.worker, inbox);
    const tokens = await loginTokens(api.client, user.email, user.password);
    expect(tokens.user).toMatchObject({ username: user.username, email: user.email });
    expect(tokens.refreshToken).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const claims = decodeJwt(tokens.accessToken);
    expect(claims).toMatchObject({
      sub: tokens.user.rowId,
      sid: tokens.sessionId,
      iss: TEST_JWT.issuer,
      aud: TEST_JWT.audience,
    });
    expect(claims.exp! - claims.iat!).toBe(15 * 60);
    expect(new Date(tokens.accessTokenExpiresAt).getTime()).toBe(claims.exp! * 1000);

    const me = await api.client.graphql<{ currentUser: { username: string } }>(
      CURRENT_USER,
      {},
      bearer(tokens.accessToken),
    );
    expect(me.data?.currentUser.username).toBe(user.username);
  });

  it("accepts the username as well as the address, in any case", async () => {
    const user = await registerVerifiedUser(api.client, api.db.urls.worker, inbox);
    expect((await login(api.client, user.username.toUpperCase(), user.password)).errors).toBeUndefined();
  });

  it("starts a new session at every login (ASVS 7.2.4)", async () => {
    const user = await registerVerifiedUser(api.client, api.db.urls.worker, inbox);
    const first = await loginTokens(api.client, user.email, user.password);
    const second = await loginTokens(api.client, user.email, user.password);
    expect(second.sessionId).not.toBe(first.sessionId);
    expect(second.refreshToken).not.toBe(first.refreshToken);
  });

  it("stores refresh tokens only as SHA-256 (ASVS 7.2.3)", async () => {
    const user = await registerVerifiedUser(api.client, api.db.urls.worker, inbox);
    const tokens = await loginTokens(api.client, user.email, user.password);
    const { rows } = await api.db.root.query(
      "select count(*)::int as n from app_private.refresh_tokens where token_hash = sha256(convert_to($1, 'UTF8'))",
      [tokens.refreshToken],
    );
    expect(rows[0].n).toBe(1);
    const { rows: plain } = await api.db.root.query(
      "select count(*)::int as n from app_private.refresh_tokens where encode(token_hash, 'escape') like '%' || $1 || '%'",
      [tokens.refreshToken],
    );
    expect(plain[0].n).toBe(0);
  });

  it("gives one code and one message for every refusal, and audits the real reason (ASVS 6.3.8)", async () => {
    const verified = await registerVerifiedUser(api.client, api.db.urls.worker, inbox);
    const unverified = { username: uniqueName(), password: "a long passphrase unverified" };
    await api.client.graphql(REGISTER, { ...unverified, email: `${unverified.username}@example.test` });
    const suspended = await registerVerifiedUser(api.client, api.db.urls.worker, inbox);
    await api.db.root.query("update app_public.users set status = 'suspended' where username = $1", [
      suspended.username,
    ]);
    const locked = await registerVerifiedUser(api.client, api.db.urls.worker, inbox);
    await api.db.root.query(
      "insert into app_private.login_attempts (key, locked_until) select 'account:' || id, now() + interval '1 hour' from app_public.users where username = $1",
      [locked.username],
    );
    const unknown = uniqueName("nobody");

    const attempts: Array<[string, string, string]> = [
      [unknown, "any password at all", "unknown_identifier"],
      [verified.username, "not the right password", "wrong_password"],
      [unverified.username, unverified.password, "email_unverified"],
      [suspended.username, suspended.password, "suspended"],
      [locked.username, locked.password, "locked"],
    ];
    const messages = new Set<string>();
    for (const [identifier, password, reason] of attempts) {
      const response = await login(api.client, identifier, password);
      expect(errorCode(response)).toBe("WRONG");
      expect(response.data?.login).toBeNull();
      messages.add(response.errors![0]!.message);
      expect(await loginRefusals(identifier)).toEqual([{ reason }]);
    }
    expect([...messages]).toEqual(["The username, email address or password is not correct."]);
  });

  it("counts failed attempts per account, whichever identifier was typed, and resets on success", async () => {
    const user = await registerVerifiedUser(api.client, api.db.urls.worker, inbox);
    await login(api.client, user.username, "wrong password number one");
    await login(api.client, user.email, "wrong password number two");
    const attempts = () =>
      api.db.root.query(
        "select a.failed_count from app_private.login_attempts a join app_public.users u on a.key = 'account:' || u.id where u.username = $1",
        [user.username],
      );
    expect((await attempts()).rows[0].failed_count).toBe(2);
    await loginTokens(api.client, user.username, user.password);
    expect((await attempts()).rows[0].failed_count).toBe(0);
    const { rows } = await api.db.root.query(
      "select s.last_login_at is not null as stamped from app_private.user_security s join app_public.users u on u.id = s.user_id where u.username = $1",
      [user.username],
    );
    expect(rows[0].stamped).toBe(true);
  });
});

describe("passwords at login", () => {
  it("uses every character: a 100-character password and the same with its last character changed differ (ASVS 6.2.8)", async () => {
    const password = `${"long passphrase ".repeat(6)}abcd`;
    expect(password).toHaveLength(100);
    const user = await registerVerifiedUser(api.client, api.db.urls.worker, inbox, { password });
    expect((await login(api.client, user.username, password)).errors).toBeUndefined();
    expect(errorCode(await login(api.client, user.username, `${password.slice(0, 99)}e`))).toBe("WRONG");
  });

  it("normalises Unicode (NFKC): a password typed in another form of the same characters works", async () => {
    const composed = "caf\u00e9 au lait with cream";
    const decomposed = "cafe\u0301 au lait with cream";
    const user = await registerVerifiedUser(api.client, api.db.urls.worker, inbox, { password: composed });
    expect((await login(api.client, user.username, decomposed)).errors).toBeUndefined();
  });

  it.each(["$2b$", "$2y$", "$2a$"])(
    "verifies a legacy %s hash made by the bcrypt npm package, then upgrades it",
    async (prefix) => {
      const { rows } = await api.db.root.query("select 1");
      expect(rows).toHaveLength(1);
      const client = await api.db.root.connect();
      try {
        const password = "legacy system password";
        const user = await createUser(client, { password: "placeholder password x" });
        const legacy = bcrypt.hashSync(password, 4).replace(/^\$2b\$/, prefix);
        await client.query(
          "update app_private.user_security set password_hash = $2, password_scheme = 'bcrypt' where user_id = $1",
          [user.id, legacy],
        );
        expect(errorCode(await login(api.client, user.username, "legacy system passwore"))).toBe("WRONG");
        expect((await login(api.client, user.username, password)).errors).toBeUndefined();
        const { rows: upgraded } = await client.query(
          "select password_scheme, password_hash like '$2a$04$%' as current_cost from app_private.user_security where user_id = $1",
          [user.id],
        );
        expect(upgraded[0]).toEqual({ password_scheme: "bcrypt-sha384", current_cost: true });
        expect((await login(api.client, user.username, password)).errors).toBeUndefined();
      } finally {
        client.release();
      }
    },
  );

  it("re-hashes at the configured cost after a successful login when the cost changed (ASVS 11.4.2)", async () => {
    const user = await registerVerifiedUser(api.client, api.db.urls.worker, inbox);
    await api.db.root.query("update config.system_settings set value = '5' where key = 'auth.bcrypt_cost'");
    try {
      await loginTokens(api.client, user.username, user.password);
      const { rows } = await api.db.root.query(
        "select substr(s.password_hash, 1, 7) as prefix from app_private.user_security s join app_public.users u on u.id = s.user_id where u.username = $1",
        [user.username],
      );
      expect(rows[0].prefix).toBe("$2a$05$");
    } finally {
      await api.db.root.query("update config.system_settings set value = '4' where key = 'auth.bcrypt_cost'");
    }
  });
});

describe("access tokens", () => {
  it("verify with a standard library against /.well-known/jwks.json", async () => {
    const user = await registerVerifiedUser(api.client, api.db.urls.worker, inbox);
    const tokens = await loginTokens(api.client, user.email, user.password);
    const jwks = createRemoteJWKSet(new URL(`${api.gateway.url}/.well-known/jwks.json`));
    const { payload, protectedHeader } = await jwtVerify(tokens.accessToken, jwks, TEST_JWT);
    expect(payload.sub).toBe(tokens.user.rowId);
    expect(protectedHeader.alg).toBe("EdDSA");
    expect(protectedHeader.kid).toBeTruthy();
  });

  it.each([
    ["not a JWT", "Bearer not-a-jwt"],
    ["a tampered signature", "TAMPER"],
    ["an unsigned (alg none) token", "NONE"],
    ["a token for another audience", "AUDIENCE"],
  ])("refuse %s with HTTP 401 and TOKEN", async (_label, kind) => {
    const user = await registerVerifiedUser(api.client, api.db.urls.worker, inbox);
    const tokens = await loginTokens(api.client, user.email, user.password);
    const [h, p, s] = tokens.accessToken.split(".") as [string, string, string];
    const b64 = (o: object) => Buffer.from(JSON.stringify(o)).toString("base64url");
    const header =
      kind === "TAMPER"
        ? `Bearer ${h}.${p}.${s.slice(0, -2)}${s.endsWith("AA") ? "BB" : "AA"}`
        : kind === "NONE"
          ? `Bearer ${b64({ alg: "none", typ: "JWT" })}.${p}.`
          : kind === "AUDIENCE"
            ? `Bearer ${h}.${b64({ ...decodeJwt(tokens.accessToken), aud: "someone-else" })}.${s}`
            : kind;
    const response = await api.client.graphql(CURRENT_USER, {}, { authorization: header });
    expect(response.status).toBe(401);
    expect(errorCode(response)).toBe("TOKEN");
    expect(decodeProtectedHeader(tokens.accessToken).alg).toBe("EdDSA");
  });

  it("expire with the clock: an expired token is refused with 401 (clock moved, not slept)", async () => {
    const user = await registerVerifiedUser(api.client, api.db.urls.worker, inbox);
    const tokens = await loginTokens(api.client, user.email, user.password);
    await api.db.root.query("select config.set_clock_offset(interval '16 minutes')");
    try {
      const response = await api.client.graphql(CURRENT_USER, {}, bearer(tokens.accessToken));
      expect(response.status).toBe(401);
      expect(errorCode(response)).toBe("TOKEN");
    } finally {
      await api.db.root.query("select config.set_clock_offset(interval '0')");
    }
  });
});

describe("registration mail", () => {
  it("is sent by the worker", async () => {
    const before = (await inbox.all()).length;
    await registerVerifiedUser(api.client, api.db.urls.worker, inbox);
    await runJobs(api.db.urls.worker, inbox);
    expect((await inbox.all()).length).toBe(before + 1);
  });
});
