/**
 * app_private.password_policy_violation: the sentence for the first rule a new password breaks (null when it breaks
 * none), and the common-password list it checks against.
 */
import { describe, expect, it } from "vitest";
import { useTestDatabase } from "../../helpers/database.ts";

const db = useTestDatabase();

describe("password policy", () => {
  it.each([
    ["short", "Use at least 12 characters."],
    ["x".repeat(257), "Use at most 256 characters."],
    ["my name is alice_smith!", "Do not use your username in your password."],
    ["alice.s@home is my pass", "Do not use your email address in your password."],
    ["LeaveMeAlone", "This password is too common: choose one that is harder to guess."],
    ["a perfectly fine passphrase", null],
  ])("%s → %s", async (password, expected) => {
    const { rows } = await db.current.root.query(
      "select app_private.password_policy_violation($1, 'alice_smith', 'alice.s@example.test') as v",
      [password],
    );
    expect(rows[0].v).toBe(expected);
  });

  it("loads a real common-password list of at least 10,000 entries (ASVS 6.2.4)", async () => {
    const { rows } = await db.current.root.query("select count(*)::int as n from app_private.common_passwords");
    expect(rows[0].n).toBeGreaterThan(10_000);
  });
});
