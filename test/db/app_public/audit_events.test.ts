/**
 * app_public.audit_events returns at most the newest 1,000 matches, newest first: a broad filter cannot make it
 * produce every match before the page is cut (docs/performance.md, audit-queries).
 */
import { describe, expect, it } from "vitest";
import { asRoot, asUser, useTestDatabase, withRollback } from "../../helpers/database.ts";
import { createLoggedInUser, grantSystemRole } from "../../helpers/users.ts";

const db = useTestDatabase();

describe("app_public.audit_events", () => {
  it("returns the newest 1,000 of 1,050 matching events", async () => {
    await withRollback(db.current, async (client) => {
      const auditor = await createLoggedInUser(client);
      await grantSystemRole(client, auditor.id, "auditor");
      await client.query(
        "select audit.record_event('test.bulk_probe', details => jsonb_build_object('n', g)) from generate_series(1, 1050) g",
      );
      await asUser(client, auditor);
      const { rows } = await client.query<{ n: number }>(
        "select (details ->> 'n')::int as n from app_public.audit_events(event_type => 'test.bulk_probe')",
      );
      await asRoot(client);
      expect(rows).toHaveLength(1000);
      expect(rows[0]!.n).toBe(1050);
      expect(rows.at(-1)!.n).toBe(51);
    });
  });
});
