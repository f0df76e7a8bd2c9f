import { parseCrontab } from "graphile-worker";
import { describe, expect, it } from "vitest";
import { crontab } from "../../src/worker/taskList.ts";
import audit__maintain_partitions from "../../src/worker/tasks/audit__maintain_partitions.ts";
import { useTestDatabase } from "../helpers/database.ts";
import { runTasksOnce } from "../helpers/worker.ts";

const db = useTestDatabase();

async function runQueuedJobs(): Promise<void> {
  await runTasksOnce(db.current.urls.worker, { audit__maintain_partitions });
}

async function partitionNames(): Promise<string[]> {
  const { rows } = await db.current.root.query<{ name: string }>(
    "select c.relname as name from pg_inherits i join pg_class c on c.oid = i.inhrelid where i.inhparent = 'audit.events'::regclass",
  );
  return rows.map((r) => r.name);
}

describe("audit__maintain_partitions", () => {
  it("creates the partitions ahead of the clock the job sees, moved or not", async () => {
    await db.current.root.query("select config.set_clock_offset(interval '800 days')");
    try {
      const { rows } = await db.current.root.query<{ month: string }>(
        `select to_char(date_trunc('month', app_hidden.clock_now() at time zone 'UTC') + interval '3 months', '"events_y"YYYY"m"MM') as month`,
      );
      const wanted = rows[0]!.month;
      expect(await partitionNames()).not.toContain(wanted);

      await db.current.root.query("select graphile_worker.add_job('audit__maintain_partitions', '{}'::json)");
      await runQueuedJobs();
      expect(await partitionNames()).toContain(wanted);

      /* Idempotent: a second run succeeds and changes nothing. */
      const before = (await partitionNames()).sort();
      await db.current.root.query("select graphile_worker.add_job('audit__maintain_partitions', '{}'::json)");
      await runQueuedJobs();
      expect((await partitionNames()).sort()).toEqual(before);
      const { rows: failed } = await db.current.root.query(
        "select count(*)::int as n from graphile_worker.jobs where last_error is not null",
      );
      expect(failed[0].n).toBe(0);
    } finally {
      await db.current.root.query("select config.set_clock_offset(interval '0')");
    }
  });

  it("raises a critical event when events sit in the default partition", async () => {
    await db.current.root.query("select config.set_clock_offset(interval '20 years')");
    try {
      await db.current.root.query("select audit.record_event('test.straggler')");
      await db.current.root.query("select graphile_worker.add_job('audit__maintain_partitions', '{}'::json)");
      await runQueuedJobs();
      const { rows } = await db.current.root.query(
        "select severity, outcome, details from audit.events where event_type = 'audit.default_partition_used'",
      );
      expect(rows).toEqual([{ severity: "critical", outcome: "failure", details: { events: 1 } }]);
    } finally {
      await db.current.root.query("select config.set_clock_offset(interval '0')");
    }
  });

  it("is scheduled by a crontab line that graphile-worker accepts", () => {
    const item = parseCrontab(crontab).find((i) => i.task === "audit__maintain_partitions");
    expect(item).toBeDefined();
    expect(item?.options.backfillPeriod).toBeGreaterThan(0);
  });
});
