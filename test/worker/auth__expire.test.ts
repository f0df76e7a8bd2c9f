import { describe, expect, it } from "vitest";
import auth__expire from "../../src/worker/tasks/auth__expire.ts";
import { useTestDatabase } from "../helpers/database.ts";
import { createUser } from "../../fixtures/users.ts";
import { deliveredWithToken, queueMarketingMail } from "../helpers/consent.ts";
import { runTasksOnce } from "../helpers/worker.ts";

const db = useTestDatabase();

async function sessionIds(): Promise<string[]> {
  return (await db.current.root.query<{ id: string }>("select id from app_private.sessions order by id")).rows.map(
    (r) => r.id,
  );
}

async function runExpiry(): Promise<void> {
  await db.current.root.query("select graphile_worker.add_job('auth__expire', '{}'::json)");
  await runTasksOnce(db.current.urls.worker, { auth__expire });
}

describe("auth__expire", () => {
  it("deletes what stopped working a week ago, keeps the rest, skips a row in use and takes it on the next run", async () => {
    const client = await db.current.root.connect();
    const user = await createUser(client).finally(() => client.release());
    const insertSession = async (revokedDaysAgo: number | null): Promise<string> => {
      const { rows } = await db.current.root.query<{ id: string }>(
        "insert into app_private.sessions (user_id) values ($1) returning id",
        [user.id],
      );
      const id = rows[0]!.id;
      if (revokedDaysAgo !== null) {
        await db.current.root.query(
          "update app_private.sessions set revoked_at = now() - make_interval(days => $2), revoked_reason = 'logout' where id = $1",
          [id, revokedDaysAgo],
        );
      }
      return id;
    };
    const live = await insertSession(null);
    const recent = await insertSession(2);
    const old = await insertSession(8);
    const oldLocked = await insertSession(9);
    await db.current.root.query(
      "insert into app_private.email_verifications (user_id, email, created_at) values ($1, $2, now() - interval '10 days'), ($1, $2, now())",
      [user.id, user.email],
    );

    const holder = await db.current.root.connect();
    try {
      await holder.query("begin");
      await holder.query("select 1 from app_private.sessions where id = $1 for update", [oldLocked]);
      await runExpiry();
      expect(await sessionIds()).toEqual([live, recent, oldLocked].sort());
      await holder.query("commit");
    } finally {
      holder.release();
    }
    await runExpiry();
    expect(await sessionIds()).toEqual([live, recent].sort());
    expect(await sessionIds()).not.toContain(old);
    const { rows } = await db.current.root.query(
      "select count(*)::int as n from app_private.email_verifications where user_id = $1",
      [user.id],
    );
    expect(rows[0].n).toBe(1);
    const { rows: events } = await db.current.root.query(
      "select details from audit.events where event_type = 'maintenance.auth_expiry' order by id",
    );
    expect(events.map((e) => e.details.deleted)).toEqual([2, 1]);
  });

  it("finishes on the next run after a run that stopped half-way, without loss or duplication", async () => {
    const client = await db.current.root.connect();
    const user = await createUser(client).finally(() => client.release());
    await db.current.root.query("insert into app_private.sessions (user_id) select $1 from generate_series(1, 5)", [
      user.id,
    ]);
    await db.current.root.query(
      "update app_private.sessions set revoked_at = now() - interval '30 days', revoked_reason = 'logout' where user_id = $1",
      [user.id],
    );
    /* One batch of two, as if the worker had been killed after it. */
    expect((await db.current.root.query("select app_hidden.expire_auth_records(2) as n")).rows[0].n).toBe(2);
    await runExpiry();
    const { rows } = await db.current.root.query(
      "select count(*)::int as n from app_private.sessions where user_id = $1",
      [user.id],
    );
    expect(rows[0].n).toBe(0);
  });

  it("deletes a marketing delivery and its unsubscribe token hash a week after the link stopped working", async () => {
    const client = await db.current.root.connect();
    try {
      const [expired, live] = [await createUser(client), await createUser(client)];
      const messageId = await queueMarketingMail(client, [expired.id, live.id]);
      await deliveredWithToken(client, messageId, expired.id, "an-expired-unsubscribe-token-0001");
      await deliveredWithToken(client, messageId, live.id, "a-live-unsubscribe-token-00000001");
      await client.query(
        "update app_private.marketing_deliveries set token_expires_at = now() - interval '8 days' where user_id = $1",
        [expired.id],
      );
      await runExpiry();
      const { rows } = await client.query<{ user_id: string }>(
        "select user_id from app_private.marketing_deliveries where message_id = $1",
        [messageId],
      );
      expect(rows).toEqual([{ user_id: live.id }]);
    } finally {
      client.release();
    }
  });
});
