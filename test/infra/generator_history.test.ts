/*
 * The data generator's history (npm run generate; fixtures/generate/history.ts), at a small size in a database of this
 * file's own: sessions with refresh tokens, audit events in their past monthly partitions (none in the default one),
 * personal parts encrypted (to the system key: generated accounts wait for keys of their own), a sealed chain that
 * verifies, and the same rows for the same random seed.
 */
import pg from "pg";
import { describe, expect, it } from "vitest";
import { generateDataset } from "../../fixtures/generate/load.ts";
import { useTestDatabase } from "../helpers/database.ts";

const db = useTestDatabase();

describe("generated history", () => {
  it("loads sessions and sealed, encrypted audit events over past months", { timeout: 120_000 }, async () => {
    const client = new pg.Client({ connectionString: db.current.urls.root });
    await client.connect();
    try {
      const report = await generateDataset(
        client,
        { users: 300, randomSeed: 11, organizations: 3, roles: 30, permissions: 20, maxDepth: 3 },
        {
          history: { eventsPerUser: 2, months: 3, sessionShare: 0.5 },
        },
      );
      expect(report.historyMs).not.toBeNull();
      expect(report.rows["audit.events"]).toBe(600);
    } finally {
      await client.end();
    }
    const { rows } = await db.current.root.query(`
      select (select count(*)::int from app_private.sessions) as sessions,
             (select count(*)::int from app_private.refresh_tokens) as tokens,
             (select count(*)::int from app_private.sessions where personal is null) as clear_sessions,
             (select count(*)::int from audit.events where request_id like 'gen-%') as events,
             (select count(*)::int from audit.events where request_id like 'gen-%' and personal is null) as clear_events,
             (select count(*)::int from audit.events_default) as in_default,
             (select count(distinct tableoid)::int from audit.events where request_id like 'gen-%') as partitions,
             (select count(*)::int from audit.events e where not exists (select 1 from audit.seals s where s.event_id = e.id)) as unsealed,
             (select count(*)::int from app_private.users_awaiting_key) as awaiting`);
    expect(rows[0]).toMatchObject({
      clear_sessions: 0,
      events: 600,
      clear_events: 0,
      in_default: 0,
      partitions: 3,
      unsealed: 0,
    });
    expect(rows[0].sessions).toBeGreaterThan(100);
    expect(rows[0].tokens).toBe(rows[0].sessions);
    expect(rows[0].awaiting).toBeGreaterThan(250);
    const { rows: keys } = await db.current.root.query(
      `select count(*)::int as n from audit.events e
       where e.request_id like 'gen-%' and extensions.pgp_key_id(e.personal) <>
             (select k.pgp_key_id from app_private.encryption_keys k where k.purpose = 'system' and k.destroyed_at is null order by k.created_at desc limit 1)`,
    );
    expect(keys[0].n).toBe(0);
    expect((await db.current.root.query("select * from audit.verify_chain()")).rows).toEqual([]);
    /* Deterministic: the request ids are a function of the random seed and the event's index alone. */
    const { rows: ids } = await db.current.root.query(
      "select md5('11:request:' || 0) as first, min(request_id) filter (where request_id = 'gen-' || md5('11:request:0')) as found from audit.events",
    );
    expect(ids[0].found).toBe(`gen-${ids[0].first}`);
  });
});
