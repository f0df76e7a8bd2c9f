import { describe, expect, it } from "vitest";
import audit__seal from "../../src/worker/tasks/audit__seal.ts";
import { useTestDatabase } from "../helpers/database.ts";
import { runTasksOnce } from "../helpers/worker.ts";

const db = useTestDatabase();

describe("audit__seal", () => {
  it("seals every committed event, including one committed after a later one, and is idempotent", async () => {
    const early = await db.current.root.connect();
    try {
      await early.query("begin");
      await early.query("select audit.record_event('test.late_commit')");
      await db.current.root.query("select audit.record_event('test.early_commit')");
      await db.current.root.query("select graphile_worker.add_job('audit__seal', '{}'::json)");
      await runTasksOnce(db.current.urls.worker, { audit__seal });
      await early.query("commit");
    } finally {
      early.release();
    }
    await db.current.root.query("select graphile_worker.add_job('audit__seal', '{}'::json)");
    await runTasksOnce(db.current.urls.worker, { audit__seal });
    await db.current.root.query("select graphile_worker.add_job('audit__seal', '{}'::json)");
    await runTasksOnce(db.current.urls.worker, { audit__seal });
    const { rows } = await db.current.root.query(
      `select count(*)::int as unsealed from audit.events e
       where not exists (select 1 from audit.seals s where s.event_id = e.id and s.event_occurred_at = e.occurred_at)`,
    );
    expect(rows[0].unsealed).toBe(0);
    const { rows: order } = await db.current.root.query(
      "select e.event_type from audit.seals s join audit.events e on e.id = s.event_id where e.event_type like 'test.%' order by s.seq",
    );
    expect(order.map((r) => r.event_type)).toEqual(["test.early_commit", "test.late_commit"]);
    expect((await db.current.root.query("select * from audit.verify_chain()")).rows).toEqual([]);
  });
});
