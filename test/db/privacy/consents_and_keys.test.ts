/**
 * Consents keep their whole history (grants and withdrawals, append-only); system keys are renewed when they age; an
 * account created while the spare key pool is empty waits for a key, and its events meanwhile use the system key.
 */
import { describe, expect, it } from "vitest";
import { asRoot, asUser, tryStatement, useTestDatabase, withRollback } from "../../helpers/database.ts";
import { createLoggedInUser } from "../../helpers/users.ts";

const db = useTestDatabase();

describe("consents", () => {
  it("records grants and withdrawals as a history, newest first, that cannot be edited", async () => {
    await withRollback(db.current, async (client) => {
      const user = await createLoggedInUser(client);
      await asUser(client, user, { ip: "192.0.2.44" });
      await client.query("select app_public.record_consent('marketing', '2026-01', true)");
      await client.query("select app_public.record_consent('marketing', '2026-01', false)");
      await client.query("select app_public.record_consent('terms', 'v2', true)");
      const { rows } = await client.query("select purpose, version, granted from app_public.my_consents()");
      expect(rows).toEqual([
        { purpose: "terms", version: "v2", granted: true },
        { purpose: "marketing", version: "2026-01", granted: false },
        { purpose: "marketing", version: "2026-01", granted: true },
      ]);
      expect(await tryStatement(client, "select app_public.record_consent('newsletter', 'v1', true)")).toBe("INVAL");
      await asRoot(client);
      /* The address is kept, encrypted; the history is append-only, even for the owner. */
      const { rows: stored } = await client.query("select ip from app_private.consents where user_id = $1", [user.id]);
      expect(stored.every((r) => r.ip instanceof Buffer && !r.ip.toString("latin1").includes("192.0.2.44"))).toBe(true);
      expect(await tryStatement(client, "update app_private.consents set granted = true where user_id = $1", [user.id])).toBe("RDONL");
      const { rows: events } = await client.query(
        "select event_type from audit.events where subject_id = $1 and event_type like 'consent.%' order by id",
        [user.id],
      );
      expect(events.map((e) => e.event_type)).toEqual(["consent.grant", "consent.withdraw", "consent.grant"]);
    });
  });
});

describe("keys", () => {
  it("asks for a new system key once the current one is older than keys.system_key_lifetime", async () => {
    await withRollback(db.current, async (client) => {
      const demand = async () => (await client.query("select system_key_needed from app_hidden.encryption_key_demand(0)")).rows[0].system_key_needed;
      expect(await demand()).toBe(false);
      await client.query("select config.set_clock_offset(interval '31 days')");
      expect(await demand()).toBe(true);
    });
  });

  it("queues an account made while the spare pool is empty, and encrypts its events to the system key meanwhile", async () => {
    await withRollback(db.current, async (client) => {
      await client.query("update app_private.encryption_keys set destroyed_at = now() where purpose = 'user' and user_id is null");
      const user = await createLoggedInUser(client);
      const { rows: waiting } = await client.query("select 1 from app_private.users_awaiting_key where user_id = $1", [user.id]);
      expect(waiting).toHaveLength(1);
      const { rows: jobs } = await client.query("select 1 from graphile_worker.jobs where key = 'keys__replenish'");
      expect(jobs).toHaveLength(1);
      const { rows } = await client.query(
        `select extensions.pgp_key_id(e.personal) = (select k.pgp_key_id from app_private.encryption_keys k
                 where k.purpose = 'system' and k.destroyed_at is null order by k.created_at desc limit 1) as system_key
         from audit.events e where e.subject_id = $1 and e.personal is not null`,
        [user.id],
      );
      expect(rows.length).toBeGreaterThan(0);
      expect(rows.every((r) => r.system_key)).toBe(true);
      const { rows: demand } = await client.query("select users_without_key from app_hidden.encryption_key_demand(10)");
      expect(demand[0].users_without_key).toContain(user.id);
    });
  });
});
