/**
 * app_private.queue_marketing_mail: an operator (the owner) stores a message and queues one marketing__send job per
 * 100 accounts, in the same transaction, audited. Nobody is filtered at this point: consent is decided at sending.
 */
import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { queueMarketingMail } from "../../helpers/consent.ts";
import { tryStatement, useTestDatabase, withRollback } from "../../helpers/database.ts";

const db = useTestDatabase();

describe("app_private.queue_marketing_mail", () => {
  it("queues one job per 100 distinct accounts and audits the message", async () => {
    await withRollback(db.current, async (client) => {
      const ids = Array.from({ length: 250 }, () => randomUUID());
      const messageId = await queueMarketingMail(client, [...ids, ids[0]!, ids[1]!]);
      const { rows: jobs } = await client.query<{ payload: { message_id: string; user_ids: string[] } }>(
        `select j.payload from graphile_worker._private_jobs j
         join graphile_worker._private_tasks t on t.id = j.task_id
         where t.identifier = 'marketing__send' order by j.id`,
      );
      expect(jobs.map((j) => j.payload.user_ids.length)).toEqual([100, 100, 50]);
      expect(jobs.every((j) => j.payload.message_id === messageId)).toBe(true);
      expect(new Set(jobs.flatMap((j) => j.payload.user_ids))).toEqual(new Set(ids));
      const { rows: events } = await client.query(
        "select details from audit.events where event_type = 'marketing.queue' and entity_id = $1",
        [messageId],
      );
      expect(events).toEqual([{ details: { recipients: 250, jobs: 3 } }]);
    });
  });

  it("refuses a message without recipients, a subject over one line, or an empty body (INVAL)", async () => {
    await withRollback(db.current, async (client) => {
      const call = "select app_private.queue_marketing_mail($1, $2, $3)";
      expect(await tryStatement(client, call, ["News", "Body", []])).toBe("INVAL");
      expect(await tryStatement(client, call, ["News\r\nBcc: everyone@example.test", "Body", [randomUUID()]])).toBe(
        "INVAL",
      );
      expect(await tryStatement(client, call, ["News", "", [randomUUID()]])).toBe("INVAL");
    });
  });

  it("is executable by no role but its owner", async () => {
    const { rows } = await db.current.root.query(
      `select r.rolname from pg_roles r
       where r.rolname in ('authenticator', 'app_anonymous', 'app_authenticated', 'app_worker', 'app_marketing', 'app_analytics')
         and has_function_privilege(r.oid, 'app_private.queue_marketing_mail(text, text, uuid[])', 'EXECUTE')`,
    );
    expect(rows).toEqual([]);
  });
});
