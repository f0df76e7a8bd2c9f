/**
 * The phone number's blind index is what finds an account by phone: on a table with enough rows and fresh statistics
 * the lookup app_public.users_by_phone makes is an index scan on user_personal_data_phone_lookup_idx, not a scan of
 * every encrypted row.
 */
import { describe, expect, it } from "vitest";
import { useTestDatabase, withRollback } from "../../helpers/database.ts";

const db = useTestDatabase();

interface PlanNode {
  "Node Type": string;
  "Index Name"?: string;
  "Relation Name"?: string;
  Plans?: PlanNode[];
}

function nodes(plan: PlanNode): PlanNode[] {
  return [plan, ...(plan.Plans ?? []).flatMap(nodes)];
}

describe("phone blind index", () => {
  it("serves the lookup by phone from its index on 50,000 rows", async () => {
    await withRollback(db.current, async (client) => {
      /* Rows without their accounts: foreign keys and triggers are skipped for the fill (replica role, superuser only). */
      await client.query("set local session_replication_role = replica");
      await client.query(`
        insert into app_private.user_personal_data (user_id, phone, phone_lookup)
        select gen_random_uuid(), extensions.gen_random_bytes(200), extensions.digest(g::text, 'sha256')
        from generate_series(1, 50000) g`);
      await client.query("set local session_replication_role = origin");
      await client.query("analyze app_private.user_personal_data");
      const { rows } = await client.query<{ "QUERY PLAN": Array<{ Plan: PlanNode }> }>(
        `explain (format json)
         select u.id from app_private.user_personal_data p join app_public.users u on u.id = p.user_id
         where p.phone_lookup = extensions.digest('4242', 'sha256')`,
      );
      const plan = nodes(rows[0]!["QUERY PLAN"][0]!.Plan);
      const onPersonalData = plan.filter(
        (n) => n["Relation Name"] === "user_personal_data" || n["Index Name"]?.startsWith("user_personal_data"),
      );
      expect(onPersonalData.map((n) => n["Node Type"])).not.toContain("Seq Scan");
      expect(plan.some((n) => n["Index Name"] === "user_personal_data_phone_lookup_idx")).toBe(true);
    });
  });
});
