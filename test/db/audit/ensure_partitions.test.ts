import type pg from "pg";
import { describe, expect, it } from "vitest";
import { useTestDatabase, withRollback } from "../../helpers/database.ts";

const db = useTestDatabase();

async function partitions(client: pg.ClientBase): Promise<string[]> {
  const { rows } = await client.query<{ name: string }>(
    "select c.relname as name from pg_inherits i join pg_class c on c.oid = i.inhrelid where i.inhparent = 'audit.events'::regclass order by 1",
  );
  return rows.map((r) => r.name);
}

function monthName(date: Date, add: number): string {
  const d = new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + add, 1));
  return `events_y${d.getUTCFullYear()}m${String(d.getUTCMonth() + 1).padStart(2, "0")}`;
}

describe("audit.ensure_partitions", () => {
  it("keeps the current month and the configured months ahead, plus the default partition", async () => {
    await withRollback(db.current, async (client) => {
      const { rows } = await client.query<{ now: Date }>("select app_hidden.clock_now() as now");
      const now = rows[0]!.now;
      const expected = [0, 1, 2, 3].map((m) => monthName(now, m));
      expect(await partitions(client)).toEqual(expect.arrayContaining([...expected, "events_default"]));
    });
  });

  it("is idempotent: a second run creates nothing", async () => {
    await withRollback(db.current, async (client) => {
      const { rows } = await client.query("select audit.ensure_partitions() as created");
      expect(rows[0].created).toBe(0);
    });
  });

  it("follows the setting and the clock", async () => {
    await withRollback(db.current, async (client) => {
      await client.query("update config.system_settings set value = '6' where key = 'audit.partition_months_ahead'");
      await client.query("select config.set_clock_offset(interval '400 days')");
      const { rows } = await client.query<{ created: number; now: Date }>(
        "select audit.ensure_partitions() as created, app_hidden.clock_now() as now",
      );
      expect(rows[0]!.created).toBeGreaterThanOrEqual(7 - 1);
      expect(await partitions(client)).toContain(monthName(rows[0]!.now, 6));
    });
  });

  it("skips a month whose events already fell into the default partition", async () => {
    await withRollback(db.current, async (client) => {
      await client.query("select config.set_clock_offset(interval '3650 days')");
      await client.query("select audit.record_event('test.straggler')");
      const { rows } = await client.query<{ part: string; now: Date }>(
        "select tableoid::regclass::text as part, occurred_at as now from audit.events where event_type = 'test.straggler'",
      );
      expect(rows[0]!.part).toBe("audit.events_default");
      await client.query("select audit.ensure_partitions(1)");
      const names = await partitions(client);
      expect(names).not.toContain(monthName(rows[0]!.now, 0));
      expect(names).toContain(monthName(rows[0]!.now, 1));
    });
  });

  it("reaches back for history when asked, each past month its own partition", async () => {
    await withRollback(db.current, async (client) => {
      const { rows } = await client.query<{ created: number; now: Date }>(
        "select audit.ensure_partitions(0, 24) as created, app_hidden.clock_now() as now",
      );
      expect(rows[0]!.created).toBe(24);
      const names = await partitions(client);
      for (const back of [-24, -12, -1]) expect(names).toContain(monthName(rows[0]!.now, back));
      await expect(client.query("select audit.ensure_partitions(0, 500)")).rejects.toMatchObject({ code: "INVAL" });
    });
  });

  it("refuses a silly horizon (INVAL)", async () => {
    await withRollback(db.current, async (client) => {
      await expect(client.query("select audit.ensure_partitions(500)")).rejects.toMatchObject({ code: "INVAL" });
    });
  });
});
