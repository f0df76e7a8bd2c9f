/**
 * Lockout under concurrency, over HTTP with committed data (ASVS 6.3.1): parallel attempts cannot check more
 * passwords than the threshold allows, for real accounts and unknown identifiers alike.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { errorCode, login, registerVerifiedUser } from "../../helpers/auth.ts";
import { useGateway } from "../../helpers/gateway.ts";
import { loginRefusalReasons } from "../../helpers/privacy.ts";
import { Inbox, runJobs } from "../../helpers/mail.ts";
import { uniqueName } from "../../../fixtures/users.ts";

const api = useGateway();
let inbox: Inbox;
beforeAll(async () => {
  inbox = await Inbox.create();
});
afterAll(() => inbox.remove());

/** Refusal counts by reason for a submitted identifier (kept encrypted in each event: decrypted here). */
async function reasons(identifier: string): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const reason of await loginRefusalReasons(api.db.root, api.db.urls.authenticator, identifier))
    counts[reason] = (counts[reason] ?? 0) + 1;
  return counts;
}

async function moveClock(offset: string): Promise<void> {
  await api.db.root.query("select config.set_clock_offset($1::interval)", [offset]);
}

describe("lockout", () => {
  it("30 parallel wrong passwords check at most 5, then the lock holds even for the right password until it expires", async () => {
    const user = await registerVerifiedUser(api.client, api.db.urls.worker, inbox);
    const replies = await Promise.all(
      Array.from({ length: 30 }, (_, i) => login(api.client, user.username, `wrong password ${i}`)),
    );
    expect(new Set(replies.map(errorCode))).toEqual(new Set(["WRONG"]));
    expect(await reasons(user.username)).toEqual({ wrong_password: 5, locked: 25 });

    expect(errorCode(await login(api.client, user.username, user.password))).toBe("WRONG");
    expect((await reasons(user.username)).locked).toBe(26);

    await runJobs(api.db.urls.worker, inbox);
    expect((await inbox.to(user.email)).map((m) => m.subject)).toContain("Your account was locked after failed logins");

    try {
      await moveClock("16 minutes");
      expect((await login(api.client, user.username, user.password)).errors).toBeUndefined();
    } finally {
      await moveClock("0");
    }
  });

  it("locks an unknown identifier the same way", async () => {
    const nobody = uniqueName("nobody");
    await Promise.all(Array.from({ length: 12 }, () => login(api.client, nobody, "some password here")));
    expect(await reasons(nobody)).toEqual({ unknown_identifier: 5, locked: 7 });
  });

  it("locks for longer on each repeat, and a success resets the count", async () => {
    const user = await registerVerifiedUser(api.client, api.db.urls.worker, inbox);
    const fail = () => login(api.client, user.email, "a wrong password again");
    try {
      for (let i = 0; i < 5; i++) await fail();
      await moveClock("16 minutes");
      for (let i = 0; i < 5; i++) await fail();
      await moveClock("32 minutes");
      expect(errorCode(await login(api.client, user.email, user.password))).toBe("WRONG");
      await moveClock("47 minutes");
      expect((await login(api.client, user.email, user.password)).errors).toBeUndefined();
      const { rows } = await api.db.root.query(
        "select failed_count, lock_count, locked_until from app_private.login_attempts a join app_public.users u on a.key = 'account:' || u.id where u.email = $1",
        [user.email],
      );
      expect(rows[0]).toEqual({ failed_count: 0, lock_count: 0, locked_until: null });
    } finally {
      await moveClock("0");
    }
  });
});
