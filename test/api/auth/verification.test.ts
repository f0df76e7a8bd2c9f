import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { REGISTER, VERIFY_EMAIL, errorCode, login } from "../../helpers/auth.ts";
import { useGateway } from "../../helpers/gateway.ts";
import { Inbox, runJobs } from "../../helpers/mail.ts";
import { capturingLogger, tablesContaining } from "../../helpers/secrets.ts";
import { uniqueName } from "../../../fixtures/users.ts";

const RESEND = `mutation ($email: String!) { resendVerification(input: { email: $email }) { result { ok } } }`;

const logs = capturingLogger();
const api = useGateway({ log: logs.log });
let inbox: Inbox;
beforeAll(async () => {
  inbox = await Inbox.create();
});
afterAll(() => inbox.remove());

async function register() {
  const username = uniqueName();
  const user = { username, email: `${username}@example.test`, password: "verification journey passphrase" };
  expect((await api.client.graphql(REGISTER, user)).errors).toBeUndefined();
  await runJobs(api.db.urls.worker, inbox, logs.log);
  return user;
}

describe("email verification", () => {
  it("works once: the link from the mail verifies the address and lets the account log in", async () => {
    const user = await register();
    const token = await inbox.verificationToken(user.email);
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(errorCode(await login(api.client, user.email, user.password))).toBe("WRONG");

    expect((await api.client.graphql(VERIFY_EMAIL, { token })).data).toEqual({ verifyEmail: { result: { ok: true } } });
    expect((await login(api.client, user.email, user.password)).errors).toBeUndefined();

    expect(errorCode(await api.client.graphql(VERIFY_EMAIL, { token }))).toBe("LINKX");
  });

  it("refuses an expired token (clock moved past 24 hours, not slept)", async () => {
    const user = await register();
    const token = await inbox.verificationToken(user.email);
    await api.db.root.query("select config.set_clock_offset(interval '24 hours 1 minute')");
    try {
      expect(errorCode(await api.client.graphql(VERIFY_EMAIL, { token }))).toBe("LINKX");
    } finally {
      await api.db.root.query("select config.set_clock_offset(interval '0')");
    }
    expect((await api.client.graphql(VERIFY_EMAIL, { token })).errors).toBeUndefined();
  });

  it("refuses a made-up token (LINKX) and audits the refusal", async () => {
    const response = await api.client.graphql(
      VERIFY_EMAIL,
      { token: "A".repeat(43) },
      { "x-request-id": "verify-made-up-1" },
    );
    expect(errorCode(response)).toBe("LINKX");
    const { rows } = await api.db.root.query(
      "select outcome, reason from audit.events where request_id = 'verify-made-up-1'",
    );
    expect(rows).toEqual([{ outcome: "refused", reason: "LINKX" }]);
  });

  it("resendVerification answers the same for any address, and mails only unverified accounts, throttled", async () => {
    const user = await register();
    const before = (await inbox.to(user.email)).length;
    const forUser = await api.client.graphql(RESEND, { email: user.email });
    const forNobody = await api.client.graphql(RESEND, { email: `${uniqueName("nobody")}@example.test` });
    expect(forUser.data).toEqual(forNobody.data);
    await runJobs(api.db.urls.worker, inbox, logs.log);
    expect((await inbox.to(user.email)).length).toBe(before);

    await api.db.root.query("select config.set_clock_offset(interval '2 minutes')");
    try {
      await api.client.graphql(RESEND, { email: user.email });
      await runJobs(api.db.urls.worker, inbox, logs.log);
      expect((await inbox.to(user.email)).length).toBe(before + 1);
    } finally {
      await api.db.root.query("select config.set_clock_offset(interval '0')");
    }
  });

  it("leaves no plaintext token in any table, job or log line, and the search finds a planted one", async () => {
    const user = await register();
    const token = await inbox.verificationToken(user.email);
    await api.client.graphql(VERIFY_EMAIL, { token });
    expect(await tablesContaining(api.db.root, token)).toEqual([]);
    expect(logs.lines.length).toBeGreaterThan(0);
    expect(logs.lines.filter((line) => line.includes(token))).toEqual([]);

    const planted = "planted_token_zz9PluralZAlpha";
    await api.db.root.query(
      "select graphile_worker.add_job('no_such_task', json_build_object('t', $1::text), run_at => now() + interval '1 day')",
      [planted],
    );
    await api.db.root.query("insert into config.feature_flags (name, description) values ('t.planted', $1)", [planted]);
    expect(await tablesContaining(api.db.root, planted)).toEqual([
      "config.feature_flags",
      "graphile_worker._private_jobs",
    ]);
    logs.log.info({ planted }, "planted");
    expect(logs.lines.filter((line) => line.includes(planted))).toHaveLength(1);
  });
});
