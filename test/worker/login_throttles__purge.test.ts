import { describe, expect, it } from "vitest";
import login_throttles__purge from "../../src/worker/tasks/login_throttles__purge.ts";
import { useTestDatabase } from "../helpers/database.ts";
import { runTasksOnce } from "../helpers/worker.ts";

const db = useTestDatabase();

describe("login_throttles__purge", () => {
  it("deletes hits older than every window and stale unlocked lockout rows, and keeps the rest", async () => {
    await db.current.root.query(`
      insert into app_private.rate_limit_hits (bucket, hit_at) values
        ('login_failure:client_ip:old', now() - interval '2 hours'), ('login_failure:client_ip:recent', now() - interval '5 minutes');
      insert into app_private.login_attempts (key, failed_count, locked_until, last_failure_at) values
        ('identifier:stale', 2, null, now() - interval '2 days'),
        ('identifier:recent', 2, null, now() - interval '1 hour'),
        ('identifier:locked', 0, now() + interval '1 hour', now() - interval '2 days')`);
    await db.current.root.query("select graphile_worker.add_job('login_throttles__purge', '{}'::json)");
    await runTasksOnce(db.current.urls.worker, { login_throttles__purge });
    const { rows: hits } = await db.current.root.query(
      "select bucket from app_private.rate_limit_hits order by bucket",
    );
    expect(hits.map((h) => h.bucket)).toEqual(["login_failure:client_ip:recent"]);
    const { rows: attempts } = await db.current.root.query("select key from app_private.login_attempts order by key");
    expect(attempts.map((a) => a.key)).toEqual(["identifier:locked", "identifier:recent"]);
    const { rows: failed } = await db.current.root.query(
      "select count(*)::int as n from graphile_worker.jobs where last_error is not null",
    );
    expect(failed[0].n).toBe(0);
  });

  it("deletes login reservations never taken over once they are older than every window, and keeps recent ones", async () => {
    await db.current.root.query(`
      insert into app_private.login_reservations (attempt_id, client_ip_bucket, attempt_key, created_at, expires_at) values
        (gen_random_uuid(), 'old', 'identifier:x', now() - interval '2 hours', now() - interval '2 hours' + interval '30 seconds'),
        (gen_random_uuid(), 'recent', 'identifier:x', now() - interval '1 minute', now() - interval '30 seconds')`);
    await db.current.root.query("select graphile_worker.add_job('login_throttles__purge', '{}'::json)");
    await runTasksOnce(db.current.urls.worker, { login_throttles__purge });
    const { rows } = await db.current.root.query("select client_ip_bucket from app_private.login_reservations");
    expect(rows.map((r) => r.client_ip_bucket)).toEqual(["recent"]);
  });
});
