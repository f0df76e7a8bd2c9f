/**
 * audit.record_event: the one way an event is written, with the request's context taken from the transaction.
 */
import { describe, expect, it } from "vitest";
import { ROLES } from "../../../src/db/roles.ts";
import { openTestPrivacyKeys } from "../../helpers/privacy.ts";
import { createLoggedInUser } from "../../helpers/users.ts";
import { asRoot, setRole, tryStatement, useTestDatabase, withRollback } from "../../helpers/database.ts";

const db = useTestDatabase();

describe("audit.record_event", () => {
  it("records the request context itself: actor, request id, role, and the client address and user agent encrypted", async () => {
    await withRollback(db.current, async (client) => {
      const user = await createLoggedInUser(client);
      /* The worker may call it directly; request functions reach it through their own security definer functions. */
      await setRole(client, ROLES.worker, {
        userId: user.id,
        sessionId: user.sessionId,
        requestId: "req-12345678",
        ip: "203.0.113.9",
        userAgent: "vitest/1",
      });
      const { rows } = await client.query(
        "select audit.record_event('test.context', 'refused', reason => 'PERMS') as id",
      );
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
        expect(JSON.parse((await privacy.reader.decrypt(personal)) ?? "null")).toEqual({
          ip: "203.0.113.9",
          user_agent: "vitest/1",
        });
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
