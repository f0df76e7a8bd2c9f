/** docs/gdpr.md's record of processing lists every column of app_private.personal_data_columns. */
import fs from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { PROJECT_ROOT } from "../../src/config.ts";
import { useTestDatabase } from "../helpers/database.ts";

const db = useTestDatabase();

describe("docs/gdpr.md", () => {
  it("lists every column the schema's record of processing holds", async () => {
    const text = await fs.readFile(path.join(PROJECT_ROOT, "docs", "gdpr.md"), "utf8");
    const { rows } = await db.current.root.query<{ name: string }>(
      "select format('%s.%s.%s', table_schema, table_name, column_name) as name from app_private.personal_data_columns order by 1",
    );
    expect(rows.length).toBeGreaterThan(10);
    expect(rows.map((r) => r.name).filter((name) => !text.includes(`\`${name}\``))).toEqual([]);
  });

  it("lists the consent rules the database enforces: every analytics view and the consent-checked mail recipient", async () => {
    const text = await fs.readFile(path.join(PROJECT_ROOT, "docs", "gdpr.md"), "utf8");
    const { rows } = await db.current.root.query<{ name: string }>(
      "select format('%s.%s', n.nspname, c.relname) as name from pg_class c join pg_namespace n on n.oid = c.relnamespace where n.nspname = 'analytics' and c.relkind = 'v' order by 1",
    );
    expect(rows.length).toBeGreaterThan(3);
    const rules = [
      ...rows.map((r) => r.name),
      "app_private.consent_granted",
      "app_hidden.mail_recipient(user_id, 'marketing')",
      "marketing__send",
      "analytics.min_group_size",
      "List-Unsubscribe",
    ];
    expect(rules.filter((rule) => !text.includes(`\`${rule}`))).toEqual([]);
  });
});
