import { withPersonal } from "../../helpers/privacy.ts";
import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { REGISTER, errorCode, login, registerVerifiedUser } from "../../helpers/auth.ts";
import { useGateway } from "../../helpers/gateway.ts";
import { Inbox, runJobs } from "../../helpers/mail.ts";
import { uniqueName } from "../../../fixtures/users.ts";

const api = useGateway();
let inbox: Inbox;
beforeAll(async () => {
  inbox = await Inbox.create();
});
afterAll(() => inbox.remove());

function newUser(overrides: Partial<{ username: string; email: string; password: string }> = {}) {
  const username = uniqueName();
  return {
    username,
    email: `${username}@example.test`,
    password: `a long passphrase ${randomBytes(4).toString("hex")}`,
    ...overrides,
  };
}

/** user.register events for a username (kept in the event's encrypted part: decrypted, as an auditor would). */
async function registerEvents(username: string): Promise<Array<{ outcome: string; reason: string }>> {
  const events = await withPersonal<{ outcome: string; reason: string; personal: Buffer | null }>(
    api.db.root,
    api.db.urls.authenticator,
    "select outcome, reason, personal from audit.events where event_type = 'user.register' order by id",
  );
  return events
    .filter((e) => (e.decrypted.values as { username?: string } | undefined)?.username === username)
    .map(({ outcome, reason }) => ({ outcome, reason }));
}

describe("register", () => {
  it("creates an account and mails a verification link; login waits for verification", async () => {
    const user = newUser();
    const response = await api.client.graphql(REGISTER, user);
    expect(response.errors).toBeUndefined();
    expect(response.data).toEqual({ register: { result: { email: user.email, verificationRequired: true } } });

    await runJobs(api.db.urls.worker, inbox);
    const mails = await inbox.to(user.email);
    expect(mails.map((m) => m.subject)).toEqual(["Confirm your email address"]);
    expect(mails[0]!.text).toContain("https://gatehouse.example.test/verify-email?token=");
    expect(mails[0]!.html).toContain("verify-email?token=");

    expect(errorCode(await login(api.client, user.username, user.password))).toBe("WRONG");
  });

  it("answers an already registered address exactly like a new one, and tells its owner by mail (ASVS 6.3.8)", async () => {
    const owner = await registerVerifiedUser(api.client, api.db.urls.worker, inbox);
    const attempt = newUser({ email: owner.email.toUpperCase() });
    const fresh = newUser();
    const forExisting = await api.client.graphql(REGISTER, attempt);
    const forNew = await api.client.graphql(REGISTER, fresh);
    expect(forExisting.errors).toBeUndefined();
    expect(forExisting.data).toEqual({ register: { result: { email: attempt.email, verificationRequired: true } } });
    expect(Object.keys(forExisting.data!)).toEqual(Object.keys(forNew.data!));

    await runJobs(api.db.urls.worker, inbox);
    const mails = await inbox.to(owner.email);
    expect(mails.map((m) => m.subject)).toContain("Someone tried to register with your email address");
    const { rows } = await api.db.root.query("select count(*)::int as n from app_public.users where email = $1", [
      owner.email,
    ]);
    expect(rows[0].n).toBe(1);
    expect(await registerEvents(attempt.username)).toEqual([{ outcome: "refused", reason: "email_in_use" }]);
  });

  it("reports a taken username, since usernames are public (TAKEN)", async () => {
    const first = newUser();
    await api.client.graphql(REGISTER, first);
    const second = await api.client.graphql(REGISTER, newUser({ username: first.username.toUpperCase() }));
    expect(errorCode(second)).toBe("TAKEN");
    expect(second.errors?.[0]?.message).toBe("That username is taken: choose another.");
  });

  it.each([
    ["shorter than 12 characters (ASVS 6.2.1)", "short pw 1"],
    ["on the common-password list (ASVS 6.2.4)", "password1234"],
    ["containing the username", "USERNAME-and-more-words"],
  ])("refuses a password %s (WEAKP) and creates nothing", async (_label, password) => {
    const user = newUser();
    const response = await api.client.graphql(REGISTER, {
      ...user,
      password: password.replace("USERNAME", user.username),
    });
    expect(errorCode(response)).toBe("WEAKP");
    const { rows } = await api.db.root.query("select count(*)::int as n from app_public.users where username = $1", [
      user.username,
    ]);
    expect(rows[0].n).toBe(0);
    expect((await registerEvents(user.username)).map(({ reason }) => ({ reason }))).toEqual([{ reason: "WEAKP" }]);
  });

  it("needs no composition by default, and enforces it when switched on (ASVS 6.2.5)", async () => {
    const lower = newUser({ password: "only lower case words here" });
    expect((await api.client.graphql(REGISTER, lower)).errors).toBeUndefined();
    await api.db.root.query(
      "update config.system_settings set value = 'true' where key = 'auth.password_require_composition'",
    );
    try {
      expect(errorCode(await api.client.graphql(REGISTER, newUser({ password: "only lower case words here" })))).toBe(
        "WEAKP",
      );
      expect((await api.client.graphql(REGISTER, newUser({ password: "Mixed Case 4 words!" }))).errors).toBeUndefined();
    } finally {
      await api.db.root.query(
        "update config.system_settings set value = 'false' where key = 'auth.password_require_composition'",
      );
    }
  });

  it("accepts a 128-character password (ASVS 6.2.9)", async () => {
    const user = newUser({ password: "x1".repeat(64) });
    expect((await api.client.graphql(REGISTER, user)).errors).toBeUndefined();
  });

  it("refuses a malformed username or address (INVAL)", async () => {
    expect(errorCode(await api.client.graphql(REGISTER, newUser({ username: "no spaces please" })))).toBe("INVAL");
    expect(errorCode(await api.client.graphql(REGISTER, newUser({ email: "not-an-address" })))).toBe("INVAL");
  });
});
