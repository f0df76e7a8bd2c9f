/**
 * Every check of a password outside login shares login's failure count and lockout (app_private.require_password),
 * over HTTP with committed data: guessing through a re-authenticating mutation, even in parallel, checks at most
 * auth.lockout_threshold passwords, then the account is locked for that mutation and for login alike.
 */
import { describe, expect, it } from "vitest";
import { createUser } from "../../../fixtures/users.ts";
import { bearer, CHANGE_PASSWORD, errorCode, login, loginTokens } from "../../helpers/auth.ts";
import { useGateway, type GraphQLResponse } from "../../helpers/gateway.ts";

const api = useGateway();

/** Each re-authenticating mutation, sent with a wrong password. */
const GUESSES: Record<string, (token: string, guess: string) => Promise<GraphQLResponse>> = {
  changePassword: (token, guess) =>
    api.client.graphql(CHANGE_PASSWORD, { current: guess, new: "a brand new passphrase 1" }, bearer(token)),
  changeEmail: (token, guess) =>
    api.client.graphql(
      `mutation ($password: String!) { changeEmail(input: { newEmail: "elsewhere@example.test", password: $password }) { result { ok } } }`,
      { password: guess },
      bearer(token),
    ),
  changePhone: (token, guess) =>
    api.client.graphql(
      `mutation ($password: String!) { changePhone(input: { newPhone: "+14155550100", password: $password }) { result { ok } } }`,
      { password: guess },
      bearer(token),
    ),
  deleteMyAccount: (token, guess) =>
    api.client.graphql(
      `mutation ($password: String!) { deleteMyAccount(input: { password: $password }) { result { ok } } }`,
      { password: guess },
      bearer(token),
    ),
};

describe("re-authentication shares the login lockout", () => {
  for (const [mutation, guess] of Object.entries(GUESSES)) {
    it(`${mutation}: 10 parallel wrong passwords check 5 (WRONG), the rest are refused before a hash (LIMIT), and login is locked too`, async () => {
      const user = await createUser(api.db.root);
      const { accessToken } = await loginTokens(api.client, user.email, user.password);
      const replies = await Promise.all(Array.from({ length: 10 }, (_, i) => guess(accessToken, `wrong guess ${i}`)));
      const codes = replies.map(errorCode);
      expect(codes.filter((c) => c === "WRONG")).toHaveLength(5);
      expect(codes.filter((c) => c === "LIMIT")).toHaveLength(5);
      for (const reply of replies.filter((r) => errorCode(r) === "LIMIT"))
        expect(reply.errors?.[0]?.extensions?.retryAfter).toBeGreaterThan(0);

      expect(errorCode(await guess(accessToken, user.password))).toBe("LIMIT");
      expect(errorCode(await login(api.client, user.email, user.password))).toBe("WRONG");
      const { rows } = await api.db.root.query(
        "select count(*)::int as n from audit.events where event_type = 'auth.lockout' and subject_id = $1",
        [user.id],
      );
      expect(rows[0].n).toBe(1);
    });
  }

  it("a right password resets the count, as a successful login does", async () => {
    const user = await createUser(api.db.root);
    const { accessToken } = await loginTokens(api.client, user.email, user.password);
    for (let i = 0; i < 4; i++) expect(errorCode(await GUESSES.changeEmail!(accessToken, `wrong ${i}`))).toBe("WRONG");
    expect((await GUESSES.changeEmail!(accessToken, user.password)).errors).toBeUndefined();
    const { rows } = await api.db.root.query(
      "select failed_count from app_private.login_attempts where key = 'account:' || $1",
      [user.id],
    );
    expect(rows[0].failed_count).toBe(0);
  });
});
