/**
 * app_private.hash_password, with the pre-hash before bcrypt (password_prehash) and the check of a password against a
 * stored hash (verify_password).
 */
import bcrypt from "bcrypt";
import { describe, expect, it } from "vitest";
import { useTestDatabase, withRollback } from "../../helpers/database.ts";

const db = useTestDatabase();

describe("password hashing", () => {
  it("pre-hashes to 64 base64 characters, so bcrypt's 72-byte limit never cuts a password (ASVS 6.2.8)", async () => {
    const { rows } = await db.current.root.query(
      "select length(app_private.password_prehash($1)) as n, app_private.password_prehash($1) <> app_private.password_prehash($2) as differ",
      ["x".repeat(300), `${"x".repeat(299)}y`],
    );
    expect(rows[0]).toEqual({ n: 64, differ: true });
  });

  it("hashes at the configured cost with pgcrypto's bcrypt (ASVS 11.4.2)", async () => {
    await withRollback(db.current, async (client) => {
      await client.query("update config.system_settings set value = '6' where key = 'auth.bcrypt_cost'");
      const { rows } = await client.query("select app_private.hash_password('some password') as h");
      expect(rows[0].h).toMatch(/^\$2a\$06\$/);
    });
  });

  it("verifies its own hashes and legacy bcrypt hashes of every prefix", async () => {
    const legacy = bcrypt.hashSync("legacy password", 4);
    const { rows } = await db.current.root.query(
      `select app_private.verify_password('p4ssword-one', app_private.hash_password('p4ssword-one'), 'bcrypt-sha384') as own,
              app_private.verify_password('p4ssword-two', app_private.hash_password('p4ssword-one'), 'bcrypt-sha384') as own_wrong,
              app_private.verify_password('legacy password', $1, 'bcrypt') as b,
              app_private.verify_password('legacy password', replace($1, '$2b$', '$2y$'), 'bcrypt') as y,
              app_private.verify_password('legacy passwore', $1, 'bcrypt') as b_wrong,
              app_private.verify_password('legacy password', $1, 'unknown-scheme') as unknown`,
      [legacy],
    );
    expect(rows[0]).toEqual({ own: true, own_wrong: false, b: true, y: true, b_wrong: false, unknown: false });
  });
});
