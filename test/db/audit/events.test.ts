/**
 * audit.events (with its partitions) is append-only: client roles lack the privilege, the owner meets its trigger.
 */
import type pg from "pg";
import { describe, expect, it } from "vitest";
import { ROLES } from "../../../src/db/roles.ts";
import { setRole, tryStatement, useTestDatabase, withRollback, type ClientRole } from "../../helpers/database.ts";

const db = useTestDatabase();

async function recordOne(client: pg.ClientBase): Promise<string> {
  const { rows } = await client.query<{ id: string }>(
    "select audit.record_event('test.something_happened', 'success', '{\"k\": 1}') as id",
  );
  return rows[0]!.id;
}

describe("audit.events is append-only", () => {
  const APP_ROLES: ClientRole[] = [ROLES.anonymous, ROLES.authenticated, ROLES.worker, ROLES.analytics];

  it.each(APP_ROLES)("refuses UPDATE, DELETE and TRUNCATE for %s", async (role) => {
    await withRollback(db.current, async (client) => {
      await recordOne(client);
      await setRole(client, role);
      expect(await tryStatement(client, "update audit.events set reason = 'x'")).toBe("42501");
      expect(await tryStatement(client, "delete from audit.events")).toBe("42501");
      expect(await tryStatement(client, "truncate audit.events")).toBe("42501");
    });
  });

  it("refuses UPDATE, DELETE and TRUNCATE for the owner, through its trigger (RDONL)", async () => {
    await withRollback(db.current, async (client) => {
      const id = await recordOne(client);
      await client.query("set local role app_owner");
      expect(await tryStatement(client, "update audit.events set reason = 'x' where id = $1", [id])).toBe("RDONL");
      expect(await tryStatement(client, "delete from audit.events where id = $1", [id])).toBe("RDONL");
      expect(await tryStatement(client, "truncate audit.events")).toBe("RDONL");
      const { rows } = await client.query<{ partition: string }>(
        "select tableoid::regclass::text as partition from audit.events where id = $1",
        [id],
      );
      expect(rows[0]?.partition).toMatch(/^audit\.events_y\d{4}m\d{2}$/);
      expect(await tryStatement(client, `truncate ${rows[0]!.partition}`)).toBe("RDONL");
      expect(await tryStatement(client, "truncate audit.events_default")).toBe("RDONL");
    });
  });
});
