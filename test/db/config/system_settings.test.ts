import { describe, expect, it } from "vitest";
import { tryStatement, useTestDatabase, withRollback } from "../../helpers/database.ts";

const db = useTestDatabase();

describe("system settings", () => {
  it("are read through typed helpers", async () => {
    const { rows } = await db.current.root.query(`
      select config.setting_integer('auth.password_min_length') as min_length,
             config.setting_interval('auth.access_token_ttl') = interval '15 minutes' as ttl_ok,
             config.setting_boolean('auth.require_email_verification') as verify,
             config.setting('auth.lockout_threshold') as raw`);
    expect(rows[0]).toEqual({ min_length: 12, ttl_ok: true, verify: true, raw: 5 });
  });

  it("default to production values (bcrypt cost 12), whatever a test database runs with", async () => {
    const { rows } = await db.current.root.query(
      "select default_value from config.system_settings where key = 'auth.bcrypt_cost'",
    );
    expect(rows[0].default_value).toBe(12);
  });

  it("refuse an unknown key (NOSET)", async () => {
    await expect(db.current.root.query("select config.setting_integer('no.such_setting')")).rejects.toMatchObject({
      code: "NOSET",
    });
  });

  it.each([
    ["auth.bcrypt_cost", '"twelve"'],
    ["auth.bcrypt_cost", "12.5"],
    ["auth.bcrypt_cost", "3"],
    ["auth.bcrypt_cost", "17"],
    ["auth.require_email_verification", '"yes"'],
    ["auth.access_token_ttl", '"soon"'],
    ["auth.access_token_ttl", '"-5 minutes"'],
    ["auth.access_token_ttl", "15"],
  ])("refuse %s = %s: outside its type or bounds (INVAL)", async (key, value) => {
    await withRollback(db.current, async (client) => {
      expect(
        await tryStatement(client, "update config.system_settings set value = $2::jsonb where key = $1", [key, value]),
      ).toBe("INVAL");
    });
  });

  it("accept a valid value and stamp updated_at", async () => {
    await withRollback(db.current, async (client) => {
      await client.query("select config.set_clock_offset('1 day')");
      await client.query("update config.system_settings set value = '10' where key = 'auth.bcrypt_cost'");
      const { rows } = await client.query("select config.setting_integer('auth.bcrypt_cost') as cost");
      expect(rows[0].cost).toBe(10);
    });
  });
});
