/**
 * marketing__send, run by the real worker with the real mailer into a folder: a product-news message reaches only the
 * accounts whose latest marketing consent is granted when the job asks, each mail with a one-click unsubscribe link
 * in its body and its RFC 8058 headers; a retried job mails nobody twice.
 */
import { createHash } from "node:crypto";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createUser, type TestUser } from "../../fixtures/users.ts";
import { queueMarketingMail, recordConsentFor } from "../helpers/consent.ts";
import { useTestDatabase } from "../helpers/database.ts";
import { addressFunctions } from "../helpers/reach.ts";
import { Inbox, PUBLIC_BASE_URL, runJobs } from "../helpers/mail.ts";
import { tablesContaining } from "../helpers/secrets.ts";

const db = useTestDatabase();
let inbox: Inbox;

beforeEach(async () => {
  inbox = await Inbox.create();
});
afterEach(async () => {
  await inbox.remove();
});

async function users(n: number): Promise<TestUser[]> {
  const client = await db.current.root.connect();
  try {
    const made: TestUser[] = [];
    for (let i = 0; i < n; i++) made.push(await createUser(client));
    return made;
  } finally {
    client.release();
  }
}

async function consent(user: TestUser, granted: boolean): Promise<void> {
  const client = await db.current.root.connect();
  try {
    await recordConsentFor(client, user.id, "marketing", granted);
  } finally {
    client.release();
  }
}

async function queue(recipients: TestUser[], subject = "What is new"): Promise<string> {
  const client = await db.current.root.connect();
  try {
    return await queueMarketingMail(
      client,
      recipients.map((u) => u.id),
      { subject },
    );
  } finally {
    client.release();
  }
}

async function failedJobs(): Promise<number> {
  const { rows } = await db.current.root.query<{ n: number }>(
    "select count(*)::int as n from graphile_worker.jobs where last_error is not null",
  );
  return rows[0]!.n;
}

describe("marketing__send", () => {
  it("mails only an account that consents when the job runs, with a one-click unsubscribe link and RFC 8058 headers", async () => {
    const [consenting, withdrawn, silent] = await users(3);
    await consent(consenting!, true);
    await consent(withdrawn!, true);
    const messageId = await queue([consenting!, withdrawn!, silent!], "Passkeys are here");
    /* Withdrawn after the message was queued, before the job ran: no mail. */
    await consent(withdrawn!, false);
    await runJobs(db.current.urls.worker, inbox);

    const mails = await inbox.all();
    expect(mails.map((m) => m.to)).toEqual([consenting!.email]);
    const mail = mails[0]!;
    expect(mail.subject).toBe("Passkeys are here");
    expect(mail.text).toContain("Passkeys arrived.");
    const link = /(https:\/\/\S+\/unsubscribe\?token=([A-Za-z0-9_-]+))/.exec(mail.text);
    expect(link?.[1]?.startsWith(`${PUBLIC_BASE_URL}/unsubscribe?token=`)).toBe(true);
    expect(mail.html).toContain(`href="${link![1]}"`);
    expect(mail.headers["List-Unsubscribe"]).toBe(`<${link![1]}>`);
    expect(mail.headers["List-Unsubscribe-Post"]).toBe("List-Unsubscribe=One-Click");

    /* Only the token's hash is kept, with the delivery; the token itself is nowhere in the database. */
    const token = link![2]!;
    const { rows } = await db.current.root.query(
      "select user_id, sent_at is not null as sent from app_private.marketing_deliveries where message_id = $1 and token_hash = $2",
      [messageId, createHash("sha256").update(token).digest()],
    );
    expect(rows).toEqual([{ user_id: consenting!.id, sent: true }]);
    expect(await tablesContaining(db.current.root, token)).toEqual([]);
    const { rows: events } = await db.current.root.query(
      "select details, db_role from audit.events where event_type = 'marketing.send' and entity_id = $1",
      [messageId],
    );
    expect(events).toEqual([{ details: { recipients: 3, sent: 1 }, db_role: null }]);
    expect(await failedJobs()).toBe(0);
  });

  it("mails nobody twice when the same job runs again", async () => {
    const [user] = await users(1);
    await consent(user!, true);
    const messageId = await queue([user!]);
    await runJobs(db.current.urls.worker, inbox);
    await db.current.root.query(
      "select graphile_worker.add_job('marketing__send', json_build_object('message_id', $1::uuid, 'user_ids', array[$2::uuid]))",
      [messageId, user!.id],
    );
    await runJobs(db.current.urls.worker, inbox);
    expect((await inbox.to(user!.email)).length).toBe(1);
    expect(await failedJobs()).toBe(0);
  });

  it("needs none of the worker's own ways to an address: it works with all of them revoked", async () => {
    const [user] = await users(1);
    await consent(user!, true);
    await queue([user!]);
    const own = await addressFunctions(db.current.root, "app_worker");
    expect(own.length).toBeGreaterThan(0);
    const revoke = own.map((f) => `revoke execute on function ${f} from app_worker;`).join("\n");
    const grant = own.map((f) => `grant execute on function ${f} to app_worker;`).join("\n");
    await db.current.root.query(revoke);
    try {
      await runJobs(db.current.urls.worker, inbox);
    } finally {
      await db.current.root.query(grant);
    }
    expect((await inbox.to(user!.email)).length).toBe(1);
    expect(await failedJobs()).toBe(0);
  });

  it("sends nothing for a message deleted before its job ran", async () => {
    const [user] = await users(1);
    await consent(user!, true);
    const messageId = await queue([user!]);
    await db.current.root.query("delete from app_private.marketing_messages where id = $1", [messageId]);
    await runJobs(db.current.urls.worker, inbox);
    expect(await inbox.all()).toEqual([]);
    expect(await failedJobs()).toBe(0);
  });
});
