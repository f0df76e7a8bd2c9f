/**
 * app_public.casbin_rule: the role tables (permissions, parents, grants) as Casbin rule lines, derived, read-only.
 */
import { describe, expect, it } from "vitest";
import { useTestDatabase, withRollback } from "../../helpers/database.ts";

const db = useTestDatabase();

describe("casbin_rule", () => {
  it("presents the same policies as p and g lines", async () => {
    await withRollback(db.current, async (client) => {
      const { rows } = await client.query(
        "select ptype, v0, v1, v2, v3 from app_public.casbin_rule where v0 in ('viewer', 'member') order by ptype, v0, v2, v3",
      );
      expect(rows).toEqual([
        { ptype: "g", v0: "member", v1: "viewer", v2: "*", v3: "" },
        { ptype: "p", v0: "member", v1: "*", v2: "projects", v3: "write" },
        { ptype: "p", v0: "viewer", v1: "*", v2: "members", v3: "read" },
        { ptype: "p", v0: "viewer", v1: "*", v2: "projects", v3: "read" },
      ]);
    });
  });
});
