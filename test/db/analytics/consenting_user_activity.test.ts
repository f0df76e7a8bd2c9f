/**
 * analytics.consenting_user_activity: logins and refreshes per day, only of accounts whose newest analytics consent
 * is granted, under their pseudonym.
 */
import type pg from "pg";
import { describe, expect, it } from "vitest";
import { createUser } from "../../../fixtures/users.ts";
import { ROLES } from "../../../src/db/roles.ts";
import { recordConsentFor } from "../../helpers/consent.ts";
import { asRoot, setRole, useTestDatabase, withRollback } from "../../helpers/database.ts";

const db = useTestDatabase();

async function event(client: pg.ClientBase, type: "auth.login" | "auth.refresh", userId: string): Promise<void> {
  await client.query("select audit.record_event($1, 'success', subject_id => $2)", [type, userId]);
}

async function activity(client: pg.ClientBase): Promise<Array<Record<string, unknown>>> {
  await setRole(client, ROLES.analytics);
  const { rows } = await client.query("select pseudonym, logins, refreshes from analytics.consenting_user_activity");
  await asRoot(client);
  return rows;
}

describe("analytics.consenting_user_activity", () => {
  it("shows the daily activity of a consenting account only, and none once it withdraws", async () => {
    await withRollback(db.current, async (client) => {
      const [consenting, other] = [await createUser(client), await createUser(client)];
      await recordConsentFor(client, consenting.id, "analytics", true);
      for (const user of [consenting, consenting, other]) await event(client, "auth.login", user.id);
      await event(client, "auth.refresh", consenting.id);
      await client.query("select audit.record_event('auth.login', 'refused', subject_id => $1)", [consenting.id]);
      const { rows } = await client.query<{ p: string }>("select app_private.analytics_pseudonym($1) as p", [
        consenting.id,
      ]);
      expect(await activity(client)).toEqual([{ pseudonym: rows[0]!.p, logins: 2, refreshes: 1 }]);

      await recordConsentFor(client, consenting.id, "analytics", false);
      expect(await activity(client)).toEqual([]);
    });
  });
});
