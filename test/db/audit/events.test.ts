import type pg from "pg";
import { describe, expect, it } from "vitest";
import { ROLES } from "../../../src/db/roles.ts";
import { openTestPrivacyKeys } from "../../helpers/privacy.ts";
import { createLoggedInUser } from "../../helpers/users.ts";
import { asRoot, setRole, tryStatement, useTestDatabase, withRollback, type ClientRole } from "../../helpers/database.ts";

const db = useTestDatabase();

async function recordOne(client: pg.ClientBase): Promise<string> {
  const { rows } = await client.query<{ id: string }>(
    "select audit.record_event('test.something_happened', 'success', '{\"k\": 1}') as id",
  );
  return rows[0]!.id;
}

describe("audit.record_event", () => {
  it("records the request context itself: actor, request id, role, and the client address and user agent encrypted", async () => {
    await withRollback(db.current, async (client) => {
      const user = await createLoggedInUser(client);
      /* The worker may call it directly; request functions reach it through their own security definer functions. */
      await setRole(client, ROLES.worker, { userId: user.id, sessionId: user.sessionId, requestId: "req-12345678", ip: "203.0.113.9", userAgent: "vitest/1" });
      const { rows } = await client.query("select audit.record_event('test.context', 'refused', reason => 'PERMS') as id");
      await asRoot(client);
      const { rows: events } = await client.query("select * from audit.events where id = $1", [rows[0].id]);
      expect(events[0]).toMatchObject({
        event_type: "test.context",
        outcome: "refused",
        reason: "PERMS",
        actor_id: user.id,
        request_id: "req-12345678",
        client_ip: null,
        user_agent: null,
        db_role: "app_worker",
      });
      /* Only ciphertext is stored, to the actor's own key (the event has no other subject), and it opens to both. */
      const personal = events[0].personal as Buffer;
      expect(personal.toString("latin1")).not.toContain("203.0.113.9");
      const { rows: keys } = await client.query(
        "select extensions.pgp_key_id($1) = k.pgp_key_id as own_key from app_private.encryption_keys k where k.user_id = $2",
        [personal, user.id],
      );
      expect(keys[0]?.own_key).toBe(true);
      const privacy = await openTestPrivacyKeys(db.current.urls.authenticator);
      try {
        expect(JSON.parse((await privacy.reader.decrypt(personal)) ?? "null")).toEqual({ ip: "203.0.113.9", user_agent: "vitest/1" });
      } finally {
        await privacy.close();
      }
    });
  });

  it("refuses an event type that is not dotted lower-case", async () => {
    await withRollback(db.current, async (client) => {
      expect(await tryStatement(client, "select audit.record_event('Bad Type')")).toBe("23514");
    });
  });

  it("cannot be called by client roles directly", async () => {
    await withRollback(db.current, async (client) => {
      const user = await createLoggedInUser(client);
      await setRole(client, ROLES.authenticated, { userId: user.id, sessionId: user.sessionId });
      expect(await tryStatement(client, "select audit.record_event('test.forged')")).toBe("42501");
    });
  });
});

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
