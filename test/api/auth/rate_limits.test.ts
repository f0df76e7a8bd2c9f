/**
 * Each rate limit answers with LIMIT and a retry-after, and is checked before any password is hashed.
 * The test template lifts every limit; each test sets the one it checks, in this file's own database.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import {
  REFRESH,
  REGISTER,
  errorCode,
  login,
  loginTokens,
  registerVerifiedUser,
  setSetting,
} from "../../helpers/auth.ts";
import { useGateway, type GraphQLResponse } from "../../helpers/gateway.ts";
import { Inbox } from "../../helpers/mail.ts";
import { uniqueName } from "../../../fixtures/users.ts";

const api = useGateway();
let inbox: Inbox;
beforeAll(async () => {
  inbox = await Inbox.create();
});
afterAll(() => inbox.remove());
afterEach(async () => {
  await api.db.root.query("update config.system_settings set value = '100000' where key like 'rate_limit.%.max'");
  await api.db.root.query("delete from app_private.rate_limit_hits");
  await api.db.root.query("delete from app_private.login_reservations");
});

function expectLimited(response: GraphQLResponse, window: number): void {
  expect(errorCode(response)).toBe("LIMIT");
  const retryAfter = response.errors?.[0]?.extensions?.retryAfter ?? 0;
  expect(retryAfter).toBeGreaterThan(0);
  expect(retryAfter).toBeLessThanOrEqual(window);
}

describe("rate limits", () => {
  it("login per identifier: refused before any password check", async () => {
    const user = await registerVerifiedUser(api.client, api.db.urls.worker, inbox);
    await setSetting(api.db.root, "rate_limit.login_per_identifier.max", 3);
    for (let i = 0; i < 3; i++)
      expect(errorCode(await login(api.client, user.username, "wrong password again"))).toBe("WRONG");
    expectLimited(await login(api.client, user.username, user.password), 15 * 60);
    const { rows } = await api.db.root.query(
      "select a.failed_count from app_private.login_attempts a join app_public.users u on a.key = 'account:' || u.id where u.username = $1",
      [user.username],
    );
    expect(rows[0].failed_count).toBe(3);
  });

  it("login failures per client IP, across identifiers, under parallel load: logins in flight count", async () => {
    await setSetting(api.db.root, "rate_limit.login_failures_per_client_ip.max", 5);
    const replies = await Promise.all(
      Array.from({ length: 12 }, () => login(api.client, uniqueName("nobody"), "any password at all")),
    );
    expect(replies.filter((r) => errorCode(r) === "WRONG")).toHaveLength(5);
    expect(replies.filter((r) => errorCode(r) === "LIMIT")).toHaveLength(7);
  });

  it("registration per client IP", async () => {
    await setSetting(api.db.root, "rate_limit.register_per_client_ip.max", 2);
    const register = () => {
      const username = uniqueName();
      return api.client.graphql(REGISTER, {
        username,
        email: `${username}@example.test`,
        password: "a good long passphrase",
      });
    };
    expect((await register()).errors).toBeUndefined();
    expect((await register()).errors).toBeUndefined();
    expectLimited(await register(), 3600);
  });

  it("refresh per session", async () => {
    const user = await registerVerifiedUser(api.client, api.db.urls.worker, inbox);
    let token = (await loginTokens(api.client, user.username, user.password)).refreshToken;
    await setSetting(api.db.root, "rate_limit.refresh_per_session.max", 2);
    for (let i = 0; i < 2; i++) {
      const response = await api.client.graphql<{ refreshToken: { result: { refreshToken: string } } }>(REFRESH, {
        token,
      });
      token = response.data!.refreshToken.result.refreshToken;
    }
    expectLimited(await api.client.graphql(REFRESH, { token }), 60);
  });

  it("verification resends per email address, the same for addresses without an account", async () => {
    await setSetting(api.db.root, "rate_limit.verification_resend_per_email_address.max", 1);
    const resend = (email: string) =>
      api.client.graphql(
        `mutation ($email: String!) { resendVerification(input: { email: $email }) { result { ok } } }`,
        { email },
      );
    const nobody = `${uniqueName("nobody")}@example.test`;
    expect((await resend(nobody)).errors).toBeUndefined();
    expectLimited(await resend(nobody), 3600);
  });

  it("verification resends and password resets per client IP, whatever the address (LIMIT)", async () => {
    await setSetting(api.db.root, "rate_limit.verification_resend_per_client_ip.max", 2);
    await setSetting(api.db.root, "rate_limit.password_reset_per_client_ip.max", 2);
    const resend = (email: string) =>
      api.client.graphql(
        `mutation ($email: String!) { resendVerification(input: { email: $email }) { result { ok } } }`,
        { email },
      );
    const reset = (email: string) =>
      api.client.graphql(
        `mutation ($email: String!) { requestPasswordReset(input: { email: $email }) { result { ok } } }`,
        { email },
      );
    const address = () => `${uniqueName("nobody")}@example.test`;
    for (const ask of [resend, reset]) {
      expect((await ask(address())).errors).toBeUndefined();
      expect((await ask(address())).errors).toBeUndefined();
      expectLimited(await ask(address()), 3600);
    }
  });

  it("the window slides: a hit older than the window no longer counts (clock moved)", async () => {
    await setSetting(api.db.root, "rate_limit.login_per_identifier.max", 1);
    const nobody = uniqueName("nobody");
    expect(errorCode(await login(api.client, nobody, "password number one"))).toBe("WRONG");
    expect(errorCode(await login(api.client, nobody, "password number two"))).toBe("LIMIT");
    await api.db.root.query("select config.set_clock_offset(interval '15 minutes 1 second')");
    try {
      expect(errorCode(await login(api.client, nobody, "password number three"))).toBe("WRONG");
    } finally {
      await api.db.root.query("select config.set_clock_offset(interval '0')");
    }
  });
});
