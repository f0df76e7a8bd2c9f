/**
 * One-click unsubscribe through the real gateway (RFC 8058): the link of a real marketing mail, sent by the real
 * worker, withdraws the marketing consent without signing in; the withdrawal is in the person's consent history and
 * in the audit trail with its request, and the next marketing mail is not sent. A GET shows a button and changes
 * nothing (mail scanners follow links); the token works once and never reaches a log line.
 */
import { afterAll, describe, expect, it } from "vitest";
import { bearer, loginTokens, registerVerifiedUser } from "../../helpers/auth.ts";
import { queueMarketingMail } from "../../helpers/consent.ts";
import { useGateway } from "../../helpers/gateway.ts";
import { Inbox, PUBLIC_BASE_URL, runJobs } from "../../helpers/mail.ts";
import { withPersonal } from "../../helpers/privacy.ts";
import { capturingLogger } from "../../helpers/secrets.ts";

const { log, lines } = capturingLogger();
const api = useGateway({ log });
const inbox = await Inbox.create();
afterAll(() => inbox.remove());

const RECORD_CONSENT = `mutation ($purpose: String!, $granted: Boolean!) {
  recordConsent(input: { purpose: $purpose, version: "2026-05", granted: $granted }) { result { rowId } }
}`;
const MY_CONSENTS = `{ myConsents(first: 1) { nodes { purpose version granted } } }`;

async function queue(userId: string, subject: string): Promise<string> {
  const client = await api.db.root.connect();
  try {
    return await queueMarketingMail(client, [userId], { subject });
  } finally {
    client.release();
  }
}

describe("one-click unsubscribe", () => {
  it("withdraws the marketing consent without signing in, is audited with its request, and stops the next mail", async () => {
    const person = await registerVerifiedUser(api.client, api.db.urls.worker, inbox);
    const tokens = await loginTokens(api.client, person.email, person.password);
    const auth = bearer(tokens.accessToken);
    expect(
      (await api.client.graphql(RECORD_CONSENT, { purpose: "marketing", granted: true }, auth)).errors,
    ).toBeUndefined();

    await queue(tokens.user.rowId, "First news");
    await runJobs(api.db.urls.worker, inbox);
    const [mail] = (await inbox.to(person.email)).filter((m) => m.subject === "First news");
    const header = /^<(.+)>$/.exec(mail?.headers["List-Unsubscribe"] ?? "")?.[1];
    expect(header?.startsWith(`${PUBLIC_BASE_URL}/unsubscribe?token=`)).toBe(true);
    const token = new URL(header!).searchParams.get("token")!;
    const link = header!.replace(PUBLIC_BASE_URL, api.gateway.url);

    /* Opening the link shows a button and changes nothing. */
    const page = await fetch(link);
    expect(page.status).toBe(200);
    expect(page.headers.get("cache-control")).toBe("no-store");
    const html = await page.text();
    expect(html).toContain('<form method="post" action="/unsubscribe?token=');
    const before = await api.client.graphql<{ myConsents: { nodes: unknown[] } }>(MY_CONSENTS, {}, auth);
    expect(before.data?.myConsents.nodes).toEqual([{ purpose: "marketing", version: "2026-05", granted: true }]);

    /* The mail client's one-click POST: no session, no cookie, just the link. */
    const requestId = `unsubscribe-${Date.now()}`;
    const response = await fetch(link, {
      method: "POST",
      headers: {
        "content-type": "application/x-www-form-urlencoded",
        "x-request-id": requestId,
        "user-agent": "MailClient/1",
      },
      body: "List-Unsubscribe=One-Click",
    });
    expect(response.status).toBe(200);
    expect(await response.text()).toContain("You are unsubscribed");

    const after = await api.client.graphql<{ myConsents: { nodes: unknown[] } }>(MY_CONSENTS, {}, auth);
    expect(after.data?.myConsents.nodes).toEqual([{ purpose: "marketing", version: "2026-05", granted: false }]);
    const events = await withPersonal(
      api.db.root,
      api.db.urls.worker,
      `select outcome, actor_id, subject_id, db_role, details, personal from audit.events
       where event_type = 'consent.withdraw' and request_id = $1`,
      [requestId],
    );
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      outcome: "success",
      actor_id: null,
      subject_id: tokens.user.rowId,
      db_role: "app_anonymous",
      details: { purpose: "marketing", via: "unsubscribe_link" },
      decrypted: { ip: "127.0.0.1", user_agent: "MailClient/1" },
    });

    /* Once only. */
    const again = await fetch(link, { method: "POST", body: "List-Unsubscribe=One-Click" });
    expect(again.status).toBe(400);
    expect(await again.text()).toContain("not valid");

    /* The next message reaches everyone who consents, but not this person. */
    await queue(tokens.user.rowId, "Second news");
    await runJobs(api.db.urls.worker, inbox);
    expect((await inbox.to(person.email)).filter((m) => m.subject === "Second news")).toEqual([]);

    /* The token never reached a log line, though each request was logged. */
    expect(lines.some((l) => l.includes("/unsubscribe"))).toBe(true);
    expect(lines.filter((l) => l.includes(token))).toEqual([]);
  });

  it("answers a link that is not valid with 400 and audits the refusal (LINKX)", async () => {
    const requestId = `unsubscribe-bad-${Date.now()}`;
    const response = await fetch(`${api.gateway.url}/unsubscribe?token=${"x".repeat(43)}`, {
      method: "POST",
      headers: { "x-request-id": requestId },
      body: "List-Unsubscribe=One-Click",
    });
    expect(response.status).toBe(400);
    const { rows } = await api.db.root.query(
      "select outcome, reason from audit.events where event_type = 'consent.withdraw' and request_id = $1",
      [requestId],
    );
    expect(rows).toEqual([{ outcome: "refused", reason: "LINKX" }]);
  });
});
