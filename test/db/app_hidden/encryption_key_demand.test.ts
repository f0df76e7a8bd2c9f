/**
 * What the key worker is asked to make (app_hidden.encryption_key_demand): system keys are renewed when they age; an
 * account created while the spare key pool is empty waits for a key, and its events meanwhile use the system key.
 */
import { describe, expect, it } from "vitest";
import { useTestDatabase, withRollback } from "../../helpers/database.ts";
import { createLoggedInUser } from "../../helpers/users.ts";

const db = useTestDatabase();

describe("keys", () => {
  it("asks for a new system key once the current one is older than keys.system_key_lifetime", async () => {
    await withRollback(db.current, async (client) => {
      const demand = async () =>
        (await client.query("select system_key_needed from app_hidden.encryption_key_demand(0)")).rows[0]
          .system_key_needed;
      expect(await demand()).toBe(false);
      await client.query("select config.set_clock_offset(interval '31 days')");
      expect(await demand()).toBe(true);
    });
  });

  it("queues an account made while the spare pool is empty, and encrypts its events to the system key meanwhile", async () => {
    await withRollback(db.current, async (client) => {
      await client.query(
        "update app_private.encryption_keys set destroyed_at = now() where purpose = 'user' and user_id is null",
      );
      const user = await createLoggedInUser(client);
      const { rows: waiting } = await client.query("select 1 from app_private.users_awaiting_key where user_id = $1", [
        user.id,
      ]);
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
