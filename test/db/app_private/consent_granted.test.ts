/**
 * app_private.consent_granted: the current state of a purpose is the newest record of its history; no record is no
 * consent. Every enforcement (the marketing recipient, the analytics rows) decides with it.
 */
import type pg from "pg";
import { describe, expect, it } from "vitest";
import { createUser } from "../../../fixtures/users.ts";
import { useTestDatabase, withRollback } from "../../helpers/database.ts";
import { recordConsentFor } from "../../helpers/consent.ts";

const db = useTestDatabase();

async function granted(client: pg.ClientBase, userId: string, purpose: string): Promise<boolean> {
  const { rows } = await client.query<{ g: boolean }>("select app_private.consent_granted($1, $2) as g", [
    userId,
    purpose,
  ]);
  return rows[0]!.g;
}

describe("app_private.consent_granted", () => {
  it("is false with no record at all", async () => {
    await withRollback(db.current, async (client) => {
      const user = await createUser(client);
      expect(await granted(client, user.id, "analytics")).toBe(false);
      expect(await granted(client, user.id, "marketing")).toBe(false);
    });
  });

  it("follows the newest record of the purpose, even within one transaction, and each purpose on its own", async () => {
    await withRollback(db.current, async (client) => {
      const user = await createUser(client);
      await recordConsentFor(client, user.id, "analytics", true);
      expect(await granted(client, user.id, "analytics")).toBe(true);
      expect(await granted(client, user.id, "marketing")).toBe(false);
      await recordConsentFor(client, user.id, "analytics", false);
      expect(await granted(client, user.id, "analytics")).toBe(false);
      await recordConsentFor(client, user.id, "analytics", true, "v2");
      expect(await granted(client, user.id, "analytics")).toBe(true);
    });
  });

  it("is executable by no client role, nor by the worker, the marketing or the analytics role", async () => {
    const { rows } = await db.current.root.query<{ role: string }>(
      `select r.rolname as role from pg_roles r
       where r.rolname in ('authenticator', 'app_anonymous', 'app_authenticated', 'app_worker', 'app_marketing', 'app_analytics')
         and has_function_privilege(r.oid, 'app_private.consent_granted(uuid, text)', 'EXECUTE')`,
    );
    expect(rows).toEqual([]);
  });
});
