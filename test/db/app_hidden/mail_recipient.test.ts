/**
 * app_hidden.mail_recipient: the account's address for its own notices (one argument, app_worker), and for mail that
 * needs consent (with a purpose, app_marketing): the latter only while the newest consent for the purpose is granted,
 * decided in the query itself.
 */
import type pg from "pg";
import { describe, expect, it } from "vitest";
import { createUser } from "../../../fixtures/users.ts";
import { ROLES } from "../../../src/db/roles.ts";
import { recordConsentFor } from "../../helpers/consent.ts";
import { asRoot, asUser, setRole, tryStatement, useTestDatabase, withRollback } from "../../helpers/database.ts";
import { createSession } from "../../helpers/users.ts";

const db = useTestDatabase();

/** As a marketing job asks: switched from app_worker to app_marketing. */
async function marketingAddress(client: pg.ClientBase, userId: string): Promise<string | null> {
  await setRole(client, ROLES.worker);
  await client.query(`set local role ${ROLES.marketing}`);
  const { rows } = await client.query<{ email: string }>(
    "select email from app_hidden.mail_recipient($1, 'marketing')",
    [userId],
  );
  await asRoot(client);
  return rows[0]?.email ?? null;
}

describe("app_hidden.mail_recipient(user_id)", () => {
  it("gives the worker the address of an account for its notices, until the account is deleted", async () => {
    await withRollback(db.current, async (client) => {
      const user = await createUser(client);
      await setRole(client, ROLES.worker);
      const read = async () =>
        (await client.query("select email, username from app_hidden.mail_recipient($1)", [user.id])).rows;
      expect(await read()).toEqual([{ email: user.email, username: user.username }]);
      await asRoot(client);
      await client.query("update app_public.users set deleted_at = now(), status = 'deleted' where id = $1", [user.id]);
      await setRole(client, ROLES.worker);
      expect(await read()).toEqual([]);
    });
  });

  it("is not executable by the marketing role (42501)", async () => {
    await withRollback(db.current, async (client) => {
      const user = await createUser(client);
      await setRole(client, ROLES.worker);
      await client.query(`set local role ${ROLES.marketing}`);
      expect(await tryStatement(client, "select * from app_hidden.mail_recipient($1)", [user.id])).toBe("42501");
    });
  });
});

describe("app_hidden.mail_recipient(user_id, purpose)", () => {
  it("gives an address for marketing only while the latest marketing consent is granted; none without a record", async () => {
    await withRollback(db.current, async (client) => {
      const user = await createUser(client);
      expect(await marketingAddress(client, user.id)).toBeNull();
      await recordConsentFor(client, user.id, "analytics", true);
      expect(await marketingAddress(client, user.id)).toBeNull();
      await recordConsentFor(client, user.id, "marketing", true);
      expect(await marketingAddress(client, user.id)).toBe(user.email);
      await recordConsentFor(client, user.id, "marketing", false);
      expect(await marketingAddress(client, user.id)).toBeNull();
    });
  });

  it("obeys a withdrawal made earlier in the same transaction", async () => {
    await withRollback(db.current, async (client) => {
      const user = await createUser(client);
      const session = await createSession(client, user.id);
      await asUser(client, session);
      await client.query("select app_public.record_consent('marketing', 'v1', true)");
      expect(await marketingAddress(client, user.id)).toBe(user.email);
      await asUser(client, session);
      await client.query("select app_public.record_consent('marketing', 'v1', false)");
      expect(await marketingAddress(client, user.id)).toBeNull();
    });
  });

  it("gives no address for an unverified, suspended, deleted or restricted account, consent or not", async () => {
    await withRollback(db.current, async (client) => {
      const unverified = await createUser(client, { verified: false });
      const suspended = await createUser(client, { status: "suspended" });
      const deleted = await createUser(client);
      const restricted = await createUser(client);
      await client.query("update app_public.users set deleted_at = now(), status = 'deleted' where id = $1", [
        deleted.id,
      ]);
      await client.query("update app_public.users set processing_restricted_at = now() where id = $1", [restricted.id]);
      for (const user of [unverified, suspended, deleted, restricted]) {
        await recordConsentFor(client, user.id, "marketing", true);
        expect(await marketingAddress(client, user.id)).toBeNull();
      }
    });
  });

  it("refuses a purpose it does not know, or one that needs no consent (INVAL)", async () => {
    await withRollback(db.current, async (client) => {
      const user = await createUser(client);
      await setRole(client, ROLES.worker);
      await client.query(`set local role ${ROLES.marketing}`);
      for (const purpose of ["security", "terms", "newsletter"]) {
        expect(await tryStatement(client, "select * from app_hidden.mail_recipient($1, $2)", [user.id, purpose])).toBe(
          "INVAL",
        );
      }
    });
  });

  it("is executable by the worker only after it switches to the marketing role (42501)", async () => {
    await withRollback(db.current, async (client) => {
      const user = await createUser(client);
      await setRole(client, ROLES.worker);
      expect(await tryStatement(client, "select * from app_hidden.mail_recipient($1, 'marketing')", [user.id])).toBe(
        "42501",
      );
    });
  });
});
