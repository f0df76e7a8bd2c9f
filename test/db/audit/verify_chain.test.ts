/**
 * The audit hash chain: sealing in batches, verifying, and detecting an edited or deleted sealed event. Tampering needs
 * a superuser who switches triggers off (session_replication_role = replica): exactly what the chain is for.
 */
import type pg from "pg";
import { describe, expect, it } from "vitest";
import { useTestDatabase, withRollback } from "../../helpers/database.ts";

const db = useTestDatabase();

async function record(client: pg.ClientBase, n: number): Promise<void> {
  for (let i = 0; i < n; i++)
    await client.query("select audit.record_event('test.chain', 'success', jsonb_build_object('i', $1::int))", [i]);
}

async function verify(client: pg.ClientBase): Promise<Array<{ seq: string; problem: string }>> {
  return (await client.query("select seq, problem from audit.verify_chain()")).rows;
}

describe("the audit hash chain", () => {
  it("seals every event once, in batches, and verifies", async () => {
    await withRollback(db.current, async (client) => {
      await record(client, 7);
      expect((await client.query("select audit.seal_events(3) as n")).rows[0].n).toBe(3);
      expect((await client.query("select audit.seal_events(100) as n")).rows[0].n).toBeGreaterThanOrEqual(4);
      expect((await client.query("select audit.seal_events() as n")).rows[0].n).toBe(0);
      const { rows } = await client.query(
        "select count(*)::int as n from audit.events e where not exists (select 1 from audit.seals s where s.event_id = e.id)",
      );
      expect(rows[0].n).toBe(0);
      expect(await verify(client)).toEqual([]);
    });
  });

  it("gives the same bytes whatever the session's time zone and date style", async () => {
    await withRollback(db.current, async (client) => {
      await record(client, 1);
      const bytes = async () =>
        (await client.query("select audit.event_bytes(e) as b from audit.events e order by id desc limit 1")).rows[0].b;
      const utc = await bytes();
      await client.query("set local timezone = 'Asia/Kolkata'; set local datestyle = 'SQL, DMY'");
      expect(await bytes()).toEqual(utc);
    });
  });

  it("finds an event changed after sealing", async () => {
    await withRollback(db.current, async (client) => {
      await record(client, 4);
      await client.query("select audit.seal_events()");
      const { rows } = await client.query(
        "select s.seq, s.event_id from audit.seals s order by s.seq desc offset 1 limit 1",
      );
      await client.query("set local session_replication_role = replica");
      await client.query("update audit.events set reason = 'rewritten' where id = $1", [rows[0].event_id]);
      await client.query("set local session_replication_role = origin");
      expect(await verify(client)).toEqual([
        { seq: rows[0].seq, problem: "the event or the chain before it was changed" },
      ]);
    });
  });

  it("finds an event deleted after sealing", async () => {
    await withRollback(db.current, async (client) => {
      await record(client, 4);
      await client.query("select audit.seal_events()");
      const { rows } = await client.query(
        "select s.seq, s.event_id from audit.seals s order by s.seq desc offset 2 limit 1",
      );
      await client.query("set local session_replication_role = replica");
      await client.query("delete from audit.events where id = $1", [rows[0].event_id]);
      await client.query("set local session_replication_role = origin");
      expect(await verify(client)).toEqual([{ seq: rows[0].seq, problem: "the sealed event is missing" }]);
    });
  });

  it("refuses to change or remove a seal, even for the owner (RDONL)", async () => {
    await withRollback(db.current, async (client) => {
      await record(client, 1);
      await client.query("select audit.seal_events()");
      await client.query("set local role app_owner");
      await expect(client.query("delete from audit.seals")).rejects.toMatchObject({ code: "RDONL" });
    });
  });
});
