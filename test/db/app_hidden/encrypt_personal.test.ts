/**
 * app_hidden.encrypt_personal: personal data encrypted to the key of the person it is about, and the same ciphertext
 * given again for the same value to the same key within one transaction (a login's session origin and its audit
 * event), never across transactions, never to another person, never taken from a setting that does not hold a
 * message to that key; erasing the person shreds the shared ciphertext like any other.
 */
import { describe, expect, it } from "vitest";
import { ROLES } from "../../../src/db/roles.ts";
import { createUser } from "../../../fixtures/users.ts";
import { openTestPrivacyKeys } from "../../helpers/privacy.ts";
import { createLoggedInUser } from "../../helpers/users.ts";
import { asAnonymous, asRoot, setRole, useTestDatabase, withRollback } from "../../helpers/database.ts";

const db = useTestDatabase();

const ORIGIN = JSON.stringify({ ip: "198.51.100.23", user_agent: "EncryptPersonal/1.0" });

async function encrypt(
  client: { query: (sql: string, values: unknown[]) => Promise<{ rows: Array<{ c: Buffer }> }> },
  owner: string | null,
  value: string,
): Promise<Buffer> {
  const { rows } = await client.query("select app_hidden.encrypt_personal($1, $2) as c", [owner, value]);
  return rows[0]!.c;
}

async function keyIdOf(client: { query: (sql: string, values: unknown[]) => Promise<{ rows: unknown[] }> }, c: Buffer) {
  const { rows } = await client.query("select extensions.pgp_key_id($1) as id", [c]);
  return (rows[0] as { id: string }).id;
}

describe("app_hidden.encrypt_personal", () => {
  it("gives the same ciphertext for the same value to the same person within a transaction, and only then", async () => {
    await withRollback(db.current, async (client) => {
      const a = await createUser(client);
      const b = await createUser(client);
      const first = await encrypt(client, a.id, ORIGIN);
      expect(await encrypt(client, a.id, ORIGIN)).toEqual(first);
      /* Another person, or another value: a message of its own. */
      const toB = await encrypt(client, b.id, ORIGIN);
      expect(toB.equals(first)).toBe(false);
      expect(await keyIdOf(client, toB)).not.toBe(await keyIdOf(client, first));
      const other = await encrypt(client, a.id, JSON.stringify({ ip: "198.51.100.24" }));
      expect(other.equals(first)).toBe(false);
      const privacy = await openTestPrivacyKeys(db.current.urls.authenticator);
      try {
        expect(await privacy.reader.decryptMany([first, toB, other])).toEqual([
          ORIGIN,
          ORIGIN,
          JSON.stringify({ ip: "198.51.100.24" }),
        ]);
      } finally {
        await privacy.close();
      }
    });
    /* Separate transactions never share one (two statements outside a transaction block, to the system key). */
    const one = await encrypt(db.current.root, null, ORIGIN);
    const two = await encrypt(db.current.root, null, ORIGIN);
    expect(await keyIdOf(db.current.root, two)).toBe(await keyIdOf(db.current.root, one));
    expect(one.equals(two)).toBe(false);
  });

  it("shares one ciphertext between a login's session origin and its audit event", async () => {
    await withRollback(db.current, async (client) => {
      const user = await createUser(client);
      await asAnonymous(client, { ip: "198.51.100.23", userAgent: "EncryptPersonal/1.0" });
      const { rows } = await client.query<{ session_id: string }>("select session_id from app_public.login($1, $2)", [
        user.email,
        user.password,
      ]);
      await asRoot(client);
      const { rows: stored } = await client.query<{ session: Buffer; event: Buffer }>(
        `select s.personal as session, e.personal as event
         from app_private.sessions s
         join audit.events e on e.event_type = 'auth.login' and e.outcome = 'success' and e.entity_id = s.id::text
         where s.id = $1`,
        [rows[0]!.session_id],
      );
      expect(stored).toHaveLength(1);
      expect(stored[0]!.event).toEqual(stored[0]!.session);
      const privacy = await openTestPrivacyKeys(db.current.urls.authenticator);
      try {
        expect(JSON.parse((await privacy.reader.decrypt(stored[0]!.event)) ?? "null")).toEqual(JSON.parse(ORIGIN));
      } finally {
        await privacy.close();
      }
    });
  });

  it("never gives back a ciphertext from the setting that is not a message to the person's key", async () => {
    await withRollback(db.current, async (client) => {
      const a = await createUser(client);
      const b = await createUser(client);
      const toB = await encrypt(client, b.id, ORIGIN);
      const { rows: keys } = await client.query<{ id: string }>(
        "select pgp_key_id as id from app_private.encryption_keys where user_id = $1",
        [a.id],
      );
      /* Any SQL of the transaction may write the setting: one naming a's key but holding b's message is ignored. */
      await client.query("select set_config('gatehouse.last_personal_ciphertext', $1, true)", [
        JSON.stringify({
          key: keys[0]!.id,
          digest: (await client.query("select encode(sha256(convert_to($1, 'UTF8')), 'hex') as d", [ORIGIN])).rows[0].d,
          ciphertext: toB.toString("base64"),
        }),
      ]);
      const toA = await encrypt(client, a.id, ORIGIN);
      expect(toA.equals(toB)).toBe(false);
      expect(await keyIdOf(client, toA)).toBe(keys[0]!.id);
    });
  });

  it("records one ciphertext for the decision and row-change events of a request about one person", async () => {
    await withRollback(db.current, async (client) => {
      const user = await createLoggedInUser(client);
      await setRole(client, ROLES.authenticated, {
        userId: user.id,
        sessionId: user.sessionId,
        requestId: "req-encrypt-personal",
        ip: "198.51.100.23",
        userAgent: "EncryptPersonal/1.0",
      });
      await client.query("insert into app_public.posts (title) values ('One request')");
      await client.query("select app_public.publish_post(id) from app_public.posts where title = 'One request'");
      await asRoot(client);
      const { rows } = await client.query<{ event_type: string; personal: Buffer }>(
        "select event_type, personal from audit.events where request_id = 'req-encrypt-personal' order by id",
      );
      expect(rows.length).toBeGreaterThanOrEqual(3);
      expect(rows.every((r) => r.personal.equals(rows[0]!.personal))).toBe(true);
    });
  });

  it("shares the fate of the key: erasing the person leaves the shared ciphertext unreadable", async () => {
    const privacy = await openTestPrivacyKeys(db.current.urls.authenticator);
    let keyId: string | undefined;
    try {
      await withRollback(db.current, async (client) => {
        const user = await createUser(client);
        const first = await encrypt(client, user.id, ORIGIN);
        const again = await encrypt(client, user.id, ORIGIN);
        expect(again).toEqual(first);
        expect(await privacy.reader.decrypt(again)).toBe(ORIGIN);
        const { rows } = await client.query<{ key_id: string }>(
          "select key_id from app_private.encryption_keys where user_id = $1",
          [user.id],
        );
        keyId = rows[0]!.key_id;
        /* What users__erase does to the key store (docs/privacy.md, "Erasure"). */
        expect(await privacy.keystore.destroy([keyId])).toBe(1);
        privacy.reader.forget();
        expect(await privacy.reader.decryptMany([first, again])).toEqual([null, null]);
      });
    } finally {
      /* The key is gone from the key store: keep later tests of this file from taking it as a spare. */
      if (keyId)
        await db.current.root.query("update app_private.encryption_keys set destroyed_at = now() where key_id = $1", [
          keyId,
        ]);
      await privacy.close();
    }
  });
});
