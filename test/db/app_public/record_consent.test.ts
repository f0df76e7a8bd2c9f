/**
 * app_public.record_consent: consents keep their whole history (grants and withdrawals, append-only), read back
 * through my_consents.
 */
import { describe, expect, it } from "vitest";
import { asRoot, asUser, tryStatement, useTestDatabase, withRollback } from "../../helpers/database.ts";
import { createLoggedInUser } from "../../helpers/users.ts";

const db = useTestDatabase();

describe("consents", () => {
  it("records grants and withdrawals as a history, newest first, that cannot be edited", async () => {
    await withRollback(db.current, async (client) => {
      const user = await createLoggedInUser(client);
      await asUser(client, user, { ip: "192.0.2.44" });
      await client.query("select app_public.record_consent('marketing', '2026-01', true)");
      await client.query("select app_public.record_consent('marketing', '2026-01', false)");
      await client.query("select app_public.record_consent('terms', 'v2', true)");
      const { rows } = await client.query("select purpose, version, granted from app_public.my_consents()");
      expect(rows).toEqual([
        { purpose: "terms", version: "v2", granted: true },
        { purpose: "marketing", version: "2026-01", granted: false },
        { purpose: "marketing", version: "2026-01", granted: true },
      ]);
      expect(await tryStatement(client, "select app_public.record_consent('newsletter', 'v1', true)")).toBe("INVAL");
      await asRoot(client);
      /* The address is kept, encrypted; the history is append-only, even for the owner. */
      const { rows: stored } = await client.query("select ip from app_private.consents where user_id = $1", [user.id]);
      expect(stored.every((r) => r.ip instanceof Buffer && !r.ip.toString("latin1").includes("192.0.2.44"))).toBe(true);
      expect(
        await tryStatement(client, "update app_private.consents set granted = true where user_id = $1", [user.id]),
      ).toBe("RDONL");
      const { rows: events } = await client.query(
        "select event_type from audit.events where subject_id = $1 and event_type like 'consent.%' order by id",
        [user.id],
      );
      expect(events.map((e) => e.event_type)).toEqual(["consent.grant", "consent.withdraw", "consent.grant"]);
    });
  });
});
