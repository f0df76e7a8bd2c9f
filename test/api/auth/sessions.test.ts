import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  CHANGE_PASSWORD,
  CURRENT_USER,
  LOGOUT,
  LOGOUT_ALL,
  bearer,
  errorCode,
  login,
  loginTokens,
  registerVerifiedUser,
} from "../../helpers/auth.ts";
import { useGateway } from "../../helpers/gateway.ts";
import { Inbox, runJobs } from "../../helpers/mail.ts";

const api = useGateway();
let inbox: Inbox;
beforeAll(async () => {
  inbox = await Inbox.create();
});
afterAll(() => inbox.remove());

async function me(token: string): Promise<unknown> {
  const response = await api.client.graphql<{ currentUser: unknown }>(CURRENT_USER, {}, bearer(token));
  expect(response.errors).toBeUndefined();
  return response.data?.currentUser;
}

async function freshUser() {
  const user = await registerVerifiedUser(api.client, api.db.urls.worker, inbox);
  return { ...user, tokens: await loginTokens(api.client, user.email, user.password) };
}

describe("currentUser", () => {
  it("is null for an anonymous caller", async () => {
    const response = await api.client.graphql(CURRENT_USER);
    expect(response.errors).toBeUndefined();
    expect(response.data).toEqual({ currentUser: null });
  });
});

describe("ending sessions", () => {
  it("logout ends this session: its unexpired access token is useless on the next request (ASVS 7.4.1)", async () => {
    const user = await freshUser();
    expect(await me(user.tokens.accessToken)).not.toBeNull();
    const out = await api.client.graphql(LOGOUT, {}, bearer(user.tokens.accessToken));
    expect(out.data).toEqual({ logout: { result: { ok: true } } });
    expect(await me(user.tokens.accessToken)).toBeNull();
    expect(errorCode(await api.client.graphql(LOGOUT, {}, bearer(user.tokens.accessToken)))).toBe("LOGIN");
    expect(
      errorCode(
        await api.client.graphql(
          CHANGE_PASSWORD,
          { current: user.password, new: "another fine passphrase" },
          bearer(user.tokens.accessToken),
        ),
      ),
    ).toBe("LOGIN");
  });

  it("logoutAllSessions ends every session of the account", async () => {
    const user = await freshUser();
    const other = await loginTokens(api.client, user.email, user.password);
    await api.client.graphql(LOGOUT_ALL, {}, bearer(user.tokens.accessToken));
    expect(await me(user.tokens.accessToken)).toBeNull();
    expect(await me(other.accessToken)).toBeNull();
  });

  it("a session revoked in the database is refused on the next request (ASVS 8.3.2)", async () => {
    const user = await freshUser();
    await api.db.root.query(
      "update app_private.sessions set revoked_at = now(), revoked_reason = 'admin' where id = $1",
      [user.tokens.sessionId],
    );
    expect(await me(user.tokens.accessToken)).toBeNull();
  });

  it("suspending an account ends all its sessions at once (ASVS 7.4.2)", async () => {
    const user = await freshUser();
    await api.db.root.query("update app_public.users set status = 'suspended' where id = $1", [user.tokens.user.rowId]);
    expect(await me(user.tokens.accessToken)).toBeNull();
    await api.db.root.query("update app_public.users set status = 'active' where id = $1", [user.tokens.user.rowId]);
  });

  it("a session past its absolute lifetime is over, whatever the token says (ASVS 7.3.2)", async () => {
    const user = await freshUser();
    await api.db.root.query(
      "update app_private.sessions set absolute_expires_at = now() - interval '1 second' where id = $1",
      [user.tokens.sessionId],
    );
    expect(await me(user.tokens.accessToken)).toBeNull();
  });

  it("logout without a session is refused with LOGIN and audited", async () => {
    const response = await api.client.graphql(LOGOUT, {}, { "x-request-id": "logout-anonymous-1" });
    expect(errorCode(response)).toBe("LOGIN");
    const { rows } = await api.db.root.query(
      "select outcome, reason from audit.events where request_id = 'logout-anonymous-1'",
    );
    expect(rows).toEqual([{ outcome: "refused", reason: "LOGIN" }]);
  });
});

describe("changePassword", () => {
  it("needs the current password (ASVS 6.2.3): a wrong one is refused with WRONG and audited", async () => {
    const user = await freshUser();
    const response = await api.client.graphql(
      CHANGE_PASSWORD,
      { current: "not my password", new: "another fine passphrase" },
      bearer(user.tokens.accessToken),
    );
    expect(errorCode(response)).toBe("WRONG");
    expect((await login(api.client, user.username, user.password)).errors).toBeUndefined();
  });

  it("applies the password policy (WEAKP)", async () => {
    const user = await freshUser();
    const response = await api.client.graphql(
      CHANGE_PASSWORD,
      { current: user.password, new: "short" },
      bearer(user.tokens.accessToken),
    );
    expect(errorCode(response)).toBe("WEAKP");
  });

  it("changes the password, keeps this session, ends the others and mails the owner (ASVS 7.4.3, 6.3.6)", async () => {
    const user = await freshUser();
    const other = await loginTokens(api.client, user.email, user.password);
    const response = await api.client.graphql(
      CHANGE_PASSWORD,
      { current: user.password, new: "a brand new passphrase" },
      bearer(user.tokens.accessToken),
    );
    expect(response.data).toEqual({ changePassword: { result: { ok: true } } });
    expect(await me(user.tokens.accessToken)).not.toBeNull();
    expect(await me(other.accessToken)).toBeNull();
    expect(errorCode(await login(api.client, user.username, user.password))).toBe("WRONG");
    expect((await login(api.client, user.username, "a brand new passphrase")).errors).toBeUndefined();
    await runJobs(api.db.urls.worker, inbox);
    expect((await inbox.to(user.email)).map((m) => m.subject)).toContain("Your password was changed");
  });

  it("refuses any of the last 5 passwords (REUSD), and allows the sixth-oldest", async () => {
    const user = await freshUser();
    const passwords = [user.password, ...[1, 2, 3, 4, 5].map((n) => `rotation passphrase number ${n}`)];
    for (let i = 1; i < passwords.length; i++) {
      const changed = await api.client.graphql(
        CHANGE_PASSWORD,
        { current: passwords[i - 1], new: passwords[i] },
        bearer(user.tokens.accessToken),
      );
      expect(changed.errors).toBeUndefined();
    }
    const current = passwords[5]!;
    for (const recent of passwords.slice(1, 6)) {
      const reused = await api.client.graphql(
        CHANGE_PASSWORD,
        { current, new: recent },
        bearer(user.tokens.accessToken),
      );
      expect(errorCode(reused)).toBe("REUSD");
    }
    const oldest = await api.client.graphql(
      CHANGE_PASSWORD,
      { current, new: passwords[0] },
      bearer(user.tokens.accessToken),
    );
    expect(oldest.errors).toBeUndefined();
  });
});

describe("currentUserSecurity", () => {
  it("shows the account's own security state, which no client role can read directly", async () => {
    const user = await freshUser();
    const response = await api.client.graphql<{
      currentUserSecurity: { lastLoginAt: string; liveSessions: number; passwordChangedAt: string };
    }>(
      "{ currentUserSecurity { lastLoginAt lastLoginIp liveSessions passwordChangedAt } }",
      {},
      bearer(user.tokens.accessToken),
    );
    expect(response.data?.currentUserSecurity.liveSessions).toBe(1);
    expect(response.data?.currentUserSecurity.lastLoginAt).toBeTruthy();
  });
});

describe("profiles", () => {
  it("a user edits their own profile fields, and cannot change their status or address", async () => {
    const user = await freshUser();
    const edit = await api.client.graphql(
      `mutation ($id: UUID!) { updateUser(input: { rowId: $id, patch: { displayName: "New Name", bio: "Hello" } }) { user { displayName bio } } }`,
      { id: user.tokens.user.rowId },
      bearer(user.tokens.accessToken),
    );
    expect(edit.data).toEqual({ updateUser: { user: { displayName: "New Name", bio: "Hello" } } });
    const status = await api.client.graphql(
      `mutation ($id: UUID!) { updateUser(input: { rowId: $id, patch: { status: "active" } }) { user { status } } }`,
      { id: user.tokens.user.rowId },
      bearer(user.tokens.accessToken),
    );
    expect(status.errors?.[0]?.message).toMatch(/status/);
  });

  it("other users see only the public profile", async () => {
    const a = await freshUser();
    const b = await freshUser();
    const asA = (query: string) => api.client.graphql(query, { id: b.tokens.user.rowId }, bearer(a.tokens.accessToken));
    const full = await asA(`query ($id: UUID!) { user(rowId: $id) { email } }`);
    expect(full.data).toEqual({ user: null });
    const profile = await asA(`query ($id: UUID!) { userProfile(rowId: $id) { username displayName } }`);
    expect(profile.data).toEqual({ userProfile: { username: b.username, displayName: b.username } });
    const publicFields = await api.client.graphql<{ __type: { fields: Array<{ name: string }> } }>(
      `{ __type(name: "UserProfile") { fields { name } } }`,
    );
    expect(publicFields.data?.__type.fields.map((f) => f.name).sort()).toEqual([
      "avatarUrl",
      "displayName",
      "id",
      "rowId",
      "username",
    ]);
  });
});
