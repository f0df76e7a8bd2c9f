import { runOnce } from "graphile-worker";
import { describe, expect, it } from "vitest";
import { createLogger } from "../../src/logger.ts";
import { workerLogger } from "../../src/worker/main.ts";
import login_throttles__purge from "../../src/worker/tasks/login_throttles__purge.ts";
import { useTestDatabase } from "../helpers/database.ts";

const db = useTestDatabase();

describe("login_throttles__purge", () => {
  it("deletes hits older than every window and stale unlocked lockout rows, and keeps the rest", async () => {
    await db.current.root.query(`
      insert into app_private.rate_limit_hits (bucket, hit_at) values
        ('login:ip:old', now() - interval '2 hours'), ('login:ip:recent', now() - interval '5 minutes');
      insert into app_private.login_attempts (key, failed_count, locked_until, last_failure_at) values
        ('identifier:stale', 2, null, now() - interval '2 days'),
        ('identifier:recent', 2, null, now() - interval '1 hour'),
        ('identifier:locked', 0, now() + interval '1 hour', now() - interval '2 days')`);
    await db.current.root.query("select graphile_worker.add_job('login_throttles__purge', '{}'::json)");
    await runOnce({
      connectionString: db.current.urls.worker,
      taskList: { login_throttles__purge },
      logger: workerLogger(createLogger("silent")),
    });
    const { rows: hits } = await db.current.root.query("select bucket from app_private.rate_limit_hits order by bucket");
    expect(hits.map((h) => h.bucket)).toEqual(["login:ip:recent"]);
    const { rows: attempts } = await db.current.root.query("select key from app_private.login_attempts order by key");
    expect(attempts.map((a) => a.key)).toEqual(["identifier:locked", "identifier:recent"]);
    const { rows: failed } = await db.current.root.query("select count(*)::int as n from graphile_worker.jobs where last_error is not null");
    expect(failed[0].n).toBe(0);
  });
});
