/**
 * app_hidden.clock_now, the time every function reads: moved by config.set_clock_offset in a test database (whose mode,
 * config.instance, never changes), real time in a production one.
 */
import { randomBytes } from "node:crypto";
import { afterAll, describe, expect, inject, it } from "vitest";
import { withClient } from "../../../src/db/client.ts";
import { provisionDatabase } from "../../../src/db/provision.ts";
import { createLogger } from "../../../src/logger.ts";
import { tryStatement, useTestDatabase, withRollback } from "../../helpers/database.ts";

const db = useTestDatabase();

describe("the clock in a test database", () => {
  it("follows the offset", async () => {
    await withRollback(db.current, async (client) => {
      const { rows: moved } = await client.query(
        "select extract(epoch from config.set_clock_offset(interval '3 days') - now()) as s",
      );
      expect(Number(moved[0].s)).toBe(3 * 86_400);
      /* A later statement of the same transaction, like any later request or job, sees the moved clock. */
      const { rows: seen } = await client.query("select extract(epoch from app_hidden.clock_now() - now()) as s");
      expect(Number(seen[0].s)).toBe(3 * 86_400);
    });
  });

  it("keeps its mode forever (IMMUT)", async () => {
    await withRollback(db.current, async (client) => {
      expect(await tryStatement(client, "update config.instance set mode = 'production'")).toBe("IMMUT");
      expect(await tryStatement(client, "delete from config.instance")).toBe("IMMUT");
      expect(await tryStatement(client, "truncate config.instance")).toBe("IMMUT");
    });
  });
});

describe("the clock in a production database", () => {
  const { rootUrl, template, passwords } = inject("database");
  const name = `${template}_prod_${randomBytes(3).toString("hex")}`;
  afterAll(() => withClient(rootUrl, (c) => c.query(`drop database if exists ${name} with (force)`)));

  it("ignores any offset, and refuses to move (PRODN)", async () => {
    const urls = await provisionDatabase({
      rootUrl,
      database: name,
      passwords,
      mode: "production",
      includeCurrent: false,
      log: createLogger("silent"),
    });
    await withClient(urls.owner, async (client) => {
      const { rows: mode } = await client.query("select config.instance_mode() as mode");
      expect(mode[0].mode).toBe("production");
      await expect(client.query("select config.set_clock_offset('1 day')")).rejects.toMatchObject({ code: "PRODN" });
      /* Even an offset written straight into the table is ignored. */
      await client.query("update config.clock set offset_by = interval '400 days'");
      const { rows } = await client.query("select app_hidden.clock_now() = now() as real_time");
      expect(rows[0].real_time).toBe(true);
    });
  });
});
