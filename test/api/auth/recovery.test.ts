/**
 * Password reset, email change and security notifications, over HTTP and the worker, reading the mail files.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  CURRENT_USER,
  bearer,
  errorCode,
  login,
  loginTokens,
  registerVerifiedUser,
  setSetting,
} from "../../helpers/auth.ts";
import { useGateway } from "../../helpers/gateway.ts";
import { Inbox, runJobs } from "../../helpers/mail.ts";
import { capturingLogger, tablesContaining } from "../../helpers/secrets.ts";
import { uniqueName } from "../../../fixtures/users.ts";

const REQUEST_RESET = `mutation ($email: String!) { requestPasswordReset(input: { email: $email }) { result { ok } } }`;
const RESET = `mutation ($token: String!, $password: String!) { resetPassword(input: { token: $token, newPassword: $password }) { result { ok } } }`;
const CHANGE_EMAIL = `mutation ($email: String!, $password: String!) { changeEmail(input: { newEmail: $email, password: $password }) { result { ok } } }`;
const CONFIRM_EMAIL = `mutation ($token: String!) { confirmEmailChange(input: { token: $token }) { result { ok } } }`;

const logs = capturingLogger();
const api = useGateway({ log: logs.log });
let inbox: Inbox;
beforeAll(async () => {
  inbox = await Inbox.create();
});
afterAll(() => inbox.remove());

const jobs = () => runJobs(api.db.urls.worker, inbox, logs.log);

async function linkToken(address: string, subject: string, path: string): Promise<string> {
  const mail = (await inbox.to(address)).filter((m) => m.subject === subject).at(-1);
  const match = new RegExp(`${path}\\?token=([A-Za-z0-9_-]+)`).exec(mail?.text ?? "");
  if (!match?.[1]) throw new Error(`no "${subject}" mail to ${address}`);
  return match[1];
}

async function subjects(address: string): Promise<string[]> {
  return (await inbox.to(address)).map((m) => m.subject);
}

describe("password reset", () => {
  it("runs the whole journey by mail: the link works once, every session ends, the owner is told", async () => {
    const user = await registerVerifiedUser(api.client, api.db.urls.worker, inbox);
    const first = await loginTokens(api.client, user.email, user.password);
    const second = await loginTokens(api.client, user.email, user.password);

    const requested = await api.client.graphql(
      REQUEST_RESET,
      { email: user.email },
      { "user-agent": "ResetBrowser/1.0" },
    );
    expect(requested.data).toEqual({ requestPasswordReset: { result: { ok: true } } });
    await jobs();
    const mail = (await inbox.to(user.email)).find((m) => m.subject === "Reset your password")!;
    expect(mail.text).toContain("Device: ResetBrowser/1.0");
    expect(mail.text).toMatch(/From address: (127\.0\.0\.1|::1)/);
    const token = await linkToken(user.email, "Reset your password", "reset-password");

    expect((await api.client.graphql(RESET, { token, password: "my brand new passphrase" })).data).toEqual({
      resetPassword: { result: { ok: true } },
    });
    for (const session of [first, second]) {
      const me = await api.client.graphql<{ currentUser: unknown }>(CURRENT_USER, {}, bearer(session.accessToken));
      expect(me.data?.currentUser).toBeNull();
    }
    expect(errorCode(await login(api.client, user.email, user.password))).toBe("WRONG");
    expect((await login(api.client, user.email, "my brand new passphrase")).errors).toBeUndefined();
    expect(errorCode(await api.client.graphql(RESET, { token, password: "yet another passphrase" }))).toBe("LINKX");

    await jobs();
    expect(await subjects(user.email)).toContain("Your password was reset");
  });

  it("refuses an expired link (clock moved past one hour)", async () => {
    const user = await registerVerifiedUser(api.client, api.db.urls.worker, inbox);
    await api.client.graphql(REQUEST_RESET, { email: user.email });
    await jobs();
    const token = await linkToken(user.email, "Reset your password", "reset-password");
    await api.db.root.query("select config.set_clock_offset(interval '61 minutes')");
    try {
      expect(errorCode(await api.client.graphql(RESET, { token, password: "my brand new passphrase" }))).toBe("LINKX");
    } finally {
      await api.db.root.query("select config.set_clock_offset(interval '0')");
    }
  });

  it("applies the password policy and history, and the link survives a refused password", async () => {
    const user = await registerVerifiedUser(api.client, api.db.urls.worker, inbox);
    await api.client.graphql(REQUEST_RESET, { email: user.email });
    await jobs();
    const token = await linkToken(user.email, "Reset your password", "reset-password");
    expect(errorCode(await api.client.graphql(RESET, { token, password: "short" }))).toBe("WEAKP");
    expect(errorCode(await api.client.graphql(RESET, { token, password: user.password }))).toBe("REUSD");
    expect((await api.client.graphql(RESET, { token, password: "a fresh long passphrase" })).errors).toBeUndefined();
  });

  it("answers an unknown address exactly like a known one, and sends nothing", async () => {
    const nobody = `${uniqueName("nobody")}@example.test`;
    const user = await registerVerifiedUser(api.client, api.db.urls.worker, inbox);
    const forNobody = await api.client.graphql(REQUEST_RESET, { email: nobody });
    const forUser = await api.client.graphql(REQUEST_RESET, { email: user.email });
    expect(forNobody).toEqual({ ...forUser, headers: forNobody.headers });
    await jobs();
    expect(await inbox.to(nobody)).toEqual([]);
  });

  it("allows at most 3 requests per address per hour (LIMIT)", async () => {
    await setSetting(api.db.root, "rate_limit.password_reset_per_email_address.max", 3);
    try {
      const address = `${uniqueName("nobody")}@example.test`;
      for (let i = 0; i < 3; i++)
        expect((await api.client.graphql(REQUEST_RESET, { email: address })).errors).toBeUndefined();
      const limited = await api.client.graphql(REQUEST_RESET, { email: address });
      expect(errorCode(limited)).toBe("LIMIT");
      expect(limited.errors?.[0]?.extensions?.retryAfter).toBeGreaterThan(0);
    } finally {
      await setSetting(api.db.root, "rate_limit.password_reset_per_email_address.max", 100000);
    }
  });

  it("leaves the reset token in no table, job or log line, while a planted one is found", async () => {
    const user = await registerVerifiedUser(api.client, api.db.urls.worker, inbox);
    await api.client.graphql(REQUEST_RESET, { email: user.email });
    await jobs();
    const token = await linkToken(user.email, "Reset your password", "reset-password");
    await api.client.graphql(RESET, { token, password: "a fresh long passphrase" });
    expect(await tablesContaining(api.db.root, token)).toEqual([]);
    expect(logs.lines.filter((line) => line.includes(token))).toEqual([]);

    const planted = "planted_reset_token_Qx7Zeta";
    await api.db.root.query("insert into config.feature_flags (name, description) values ('t.planted_reset', $1)", [
      planted,
    ]);
    expect(await tablesContaining(api.db.root, planted)).toEqual(["config.feature_flags"]);
    logs.log.info({ planted }, "planted");
    expect(logs.lines.filter((line) => line.includes(planted))).toHaveLength(1);
  });
});

describe("changing the email address", () => {
  it("needs the password, changes only when the new address confirms, and tells both addresses", async () => {
    const user = await registerVerifiedUser(api.client, api.db.urls.worker, inbox);
    const session = await loginTokens(api.client, user.email, user.password);
    const newEmail = `${uniqueName("moved")}@example.test`;
    const as = bearer(session.accessToken);

    expect(
      errorCode(await api.client.graphql(CHANGE_EMAIL, { email: newEmail, password: "not my password" }, as)),
    ).toBe("WRONG");
    expect((await api.client.graphql(CHANGE_EMAIL, { email: newEmail, password: user.password }, as)).data).toEqual({
      changeEmail: { result: { ok: true } },
    });
    await jobs();
    expect(await subjects(user.email)).toContain("A change of your email address was requested");
    const token = await linkToken(newEmail, "Confirm your new email address", "confirm-email");

    const before = await api.client.graphql<{ currentUser: { email: string } }>(CURRENT_USER, {}, as);
    expect(before.data?.currentUser.email).toBe(user.email);
    expect(errorCode(await login(api.client, newEmail, user.password))).toBe("WRONG");

    expect((await api.client.graphql(CONFIRM_EMAIL, { token })).data).toEqual({
      confirmEmailChange: { result: { ok: true } },
    });
    const after = await api.client.graphql<{ currentUser: { email: string } }>(CURRENT_USER, {}, as);
    expect(after.data?.currentUser.email).toBe(newEmail);
    expect((await login(api.client, newEmail, user.password)).errors).toBeUndefined();
    expect(errorCode(await api.client.graphql(CONFIRM_EMAIL, { token }))).toBe("LINKX");

    await jobs();
    expect(await subjects(user.email)).toContain("Your email address was changed");
    expect(await subjects(newEmail)).toContain("Your email address was changed");
  });

  it("answers a taken address like a free one, sends it no link, and tells its owner", async () => {
    const user = await registerVerifiedUser(api.client, api.db.urls.worker, inbox);
    const owner = await registerVerifiedUser(api.client, api.db.urls.worker, inbox);
    const session = await loginTokens(api.client, user.email, user.password);
    const response = await api.client.graphql(
      CHANGE_EMAIL,
      { email: owner.email, password: user.password },
      bearer(session.accessToken),
    );
    expect(response.data).toEqual({ changeEmail: { result: { ok: true } } });
    await jobs();
    const ownerMail = await subjects(owner.email);
    expect(ownerMail).toContain("Someone tried to move another account to your email address");
    expect(ownerMail).not.toContain("Confirm your new email address");
  });
});

describe("new sign-in notifications", () => {
  it("mails once per device the account has not used before", async () => {
    const user = await registerVerifiedUser(api.client, api.db.urls.worker, inbox);
    const loginFrom = (agent: string) =>
      api.client.graphql(
        `mutation ($i: String!, $p: String!) { login(input: { identifier: $i, password: $p }) { result { sessionId } } }`,
        { i: user.email, p: user.password },
        { "user-agent": agent },
      );
    await loginFrom("Laptop/1.0");
    await loginFrom("Laptop/1.0");
    await loginFrom("Phone/2.0");
    await loginFrom("Phone/2.0");
    await jobs();
    const mails = (await inbox.to(user.email)).filter((m) => m.subject === "New sign-in to your account");
    expect(mails).toHaveLength(1);
    expect(mails[0]!.text).toContain("Device: Phone/2.0");
  });
});
