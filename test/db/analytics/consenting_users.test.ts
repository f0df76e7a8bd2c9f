/**
 * analytics.consenting_users: a row only for an account whose newest analytics consent is granted, decided in the
 * query that reads it, under a keyed pseudonym and never the account id.
 */
import { createHash } from "node:crypto";
import type pg from "pg";
import { describe, expect, it } from "vitest";
import { createUser } from "../../../fixtures/users.ts";
import { ROLES } from "../../../src/db/roles.ts";
import { recordConsentFor } from "../../helpers/consent.ts";
import { asRoot, asUser, setRole, useTestDatabase, withRollback } from "../../helpers/database.ts";
import { createSession } from "../../helpers/users.ts";

const db = useTestDatabase();

async function pseudonymOf(client: pg.ClientBase, userId: string): Promise<string> {
  const { rows } = await client.query<{ p: string }>("select app_private.analytics_pseudonym($1) as p", [userId]);
  return rows[0]!.p;
}

async function visiblePseudonyms(client: pg.ClientBase): Promise<string[]> {
  await setRole(client, ROLES.analytics);
  const { rows } = await client.query<{ pseudonym: string }>("select pseudonym from analytics.consenting_users");
  await asRoot(client);
  return rows.map((r) => r.pseudonym);
}

describe("analytics.consenting_users", () => {
  it("shows an account whose latest analytics consent is granted, and neither one that withdrew nor one that never answered", async () => {
    await withRollback(db.current, async (client) => {
      const [consenting, withdrawn, otherPurpose] = [
        await createUser(client),
        await createUser(client),
        await createUser(client),
      ];
      await createUser(client); // never answered
      await recordConsentFor(client, consenting.id, "analytics", true);
      await recordConsentFor(client, withdrawn.id, "analytics", true);
      await recordConsentFor(client, withdrawn.id, "analytics", false);
      await recordConsentFor(client, otherPurpose.id, "marketing", true);
      expect(await visiblePseudonyms(client)).toEqual([await pseudonymOf(client, consenting.id)]);
    });
  });

  it("hides an account at once when it withdraws: read in the same transaction, the row is gone", async () => {
    await withRollback(db.current, async (client) => {
      const user = await createUser(client);
      const session = await createSession(client, user.id);
      await asUser(client, session);
      await client.query("select app_public.record_consent('analytics', 'v1', true)");
      await asRoot(client);
      expect(await visiblePseudonyms(client)).toEqual([await pseudonymOf(client, user.id)]);
      await asUser(client, session);
      await client.query("select app_public.record_consent('analytics', 'v1', false)");
      await asRoot(client);
      expect(await visiblePseudonyms(client)).toEqual([]);
    });
  });

  it("names an account by an HMAC of its id under a key app_analytics cannot read, never by the id", async () => {
    await withRollback(db.current, async (client) => {
      const user = await createUser(client);
      await recordConsentFor(client, user.id, "analytics", true);
      await setRole(client, ROLES.analytics);
      const { rows } = await client.query("select * from analytics.consenting_users");
      expect(rows).toHaveLength(1);
      expect(Object.keys(rows[0]).sort()).toEqual(["pseudonym", "signed_up_on"]);
      const pseudonym = rows[0].pseudonym as string;
      expect(pseudonym).toMatch(/^[0-9a-f]{64}$/);
      expect(JSON.stringify(rows)).not.toContain(user.id);
      expect(pseudonym).not.toBe(createHash("sha256").update(user.id).digest("hex"));
      await asRoot(client);
      const { rows: keyed } = await client.query<{ p: string }>(
        "select encode(extensions.hmac(convert_to($1, 'UTF8'), hmac_key, 'sha256'), 'hex') as p from app_private.analytics_keys",
        [user.id],
      );
      expect(pseudonym).toBe(keyed[0]!.p);
      /* A new key gives new pseudonyms: who holds no key cannot link a pseudonym to an account. */
      await client.query("update app_private.analytics_keys set hmac_key = extensions.gen_random_bytes(32)");
      expect(await visiblePseudonyms(client)).not.toContain(pseudonym);
    });
  });

  it("leaves out a consenting account that is deleted or whose processing is restricted", async () => {
    await withRollback(db.current, async (client) => {
      const [deleted, restricted] = [await createUser(client), await createUser(client)];
      await recordConsentFor(client, deleted.id, "analytics", true);
      await recordConsentFor(client, restricted.id, "analytics", true);
      await client.query("update app_public.users set deleted_at = now(), status = 'deleted' where id = $1", [
        deleted.id,
      ]);
      await client.query("update app_public.users set processing_restricted_at = now() where id = $1", [restricted.id]);
      expect(await visiblePseudonyms(client)).toEqual([]);
    });
  });
});
