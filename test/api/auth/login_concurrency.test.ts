/**
 * Login in two transactions (docs/login.md), over HTTP with committed data: logins of different accounts from one
 * client IP hash at the same time, waiting on no lock; the client IP limit counts failures and logins in flight, not
 * successes, so an office behind one address is never shut out while a spraying address is, after exactly the
 * configured number of failures.
 */
import { afterEach, describe, expect, it } from "vitest";
import { createUser, uniqueName, type TestUser } from "../../../fixtures/users.ts";
import { errorCode, login, setSetting } from "../../helpers/auth.ts";
import { useGateway } from "../../helpers/gateway.ts";

const api = useGateway();

afterEach(async () => {
  await api.db.root.query(`
    update config.system_settings set value = '100000' where key like 'rate_limit.%.max';
    update config.system_settings set value = '4' where key = 'auth.bcrypt_cost';
    delete from app_private.rate_limit_hits;
    delete from app_private.login_reservations;`);
});

/** Runs `work` over `items`, at most `limit` at a time. */
async function inBatches<T, R>(items: T[], limit: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: limit }, async () => {
      while (next < items.length) {
        const index = next++;
        results[index] = await work(items[index]!);
      }
    }),
  );
  return results;
}

describe("login in two transactions", () => {
  it("two logins to different accounts from one client IP hash at the same time, and neither waits on a lock (cost 12)", async () => {
    await setSetting(api.db.root, "auth.bcrypt_cost", 12);
    const users = [await createUser(api.db.root), await createUser(api.db.root)];
    let running = true;
    let mostAtOnce = 0;
    const lockWaits: string[] = [];
    const watcher = (async () => {
      while (running) {
        const { rows } = await api.db.root.query<{ state: string; wait_event_type: string | null; query: string }>(
          `select state, wait_event_type, query from pg_stat_activity
            where datname = current_database() and pid <> pg_backend_pid() and query like '%login%'`,
        );
        const active = rows.filter((r) => r.state === "active");
        mostAtOnce = Math.max(mostAtOnce, active.length);
        for (const r of active) if (r.wait_event_type === "Lock") lockWaits.push(r.query);
      }
    })();
    try {
      const replies = await Promise.all(users.map((u: TestUser) => login(api.client, u.email, u.password)));
      for (const reply of replies) expect(reply.errors).toBeUndefined();
    } finally {
      running = false;
      await watcher;
    }
    expect(lockWaits).toEqual([]);
    expect(mostAtOnce).toBe(2);
  });

  it("300 successful logins from one client IP (4 at a time, 1 in 10 after a typo) are never refused (ASVS 6.3.1)", async () => {
    await setSetting(api.db.root, "rate_limit.login_failures_per_client_ip.max", 100);
    await setSetting(api.db.root, "rate_limit.login_per_identifier.max", 20);
    const users: TestUser[] = [];
    for (let i = 0; i < 300; i++) users.push(await createUser(api.db.root));
    const outcomes = await inBatches(users, 4, async (user) => {
      const codes: Array<string | undefined> = [];
      if (users.indexOf(user) % 10 === 0) codes.push(errorCode(await login(api.client, user.email, "a typo in it")));
      codes.push(errorCode(await login(api.client, user.email, user.password)));
      return codes;
    });
    const typos = outcomes.filter((codes) => codes.length === 2);
    expect(typos).toHaveLength(30);
    for (const codes of typos) expect(codes[0]).toBe("WRONG");
    expect(outcomes.map((codes) => codes.at(-1)).filter((code) => code !== undefined)).toEqual([]);
  });

  it("a spraying client IP is refused after exactly the configured number of failures (LIMIT), before any hash", async () => {
    await setSetting(api.db.root, "rate_limit.login_failures_per_client_ip.max", 25);
    const codes = await inBatches(
      Array.from({ length: 40 }, () => uniqueName("sprayed")),
      4,
      async (identifier) => errorCode(await login(api.client, identifier, "Summer2026!")),
    );
    expect(codes.filter((c) => c === "WRONG")).toHaveLength(25);
    expect(codes.filter((c) => c === "LIMIT")).toHaveLength(15);
    const { rows } = await api.db.root.query<{ reason: string; n: number }>(
      `select reason, count(*)::int as n from audit.events
        where event_type = 'auth.login' and outcome = 'refused' and reason in ('unknown_identifier', 'client_ip_limit')
        group by reason order by reason`,
    );
    expect(rows).toEqual([
      { reason: "client_ip_limit", n: 15 },
      { reason: "unknown_identifier", n: 25 },
    ]);
  });

  it("a successful login leaves no failure and no reservation behind for its client IP", async () => {
    await setSetting(api.db.root, "rate_limit.login_failures_per_client_ip.max", 1);
    const user = await createUser(api.db.root);
    for (let i = 0; i < 3; i++) expect((await login(api.client, user.email, user.password)).errors).toBeUndefined();
    const { rows } = await api.db.root.query(
      `select (select count(*)::int from app_private.rate_limit_hits
                where bucket = app_private.bucket_hash('login_failure:client_ip:127.0.0.1/32')) as failures,
              (select count(*)::int from app_private.login_reservations) as reservations`,
    );
    expect(rows[0]).toEqual({ failures: 0, reservations: 0 });
  });
});
