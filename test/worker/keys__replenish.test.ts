/**
 * keys__replenish: an account that registered while the spare pool was empty gets a key of its own (private half in
 * the key store, public half recorded), the spare pool is filled back to keys.spare_pool_size, and a second run makes
 * nothing more.
 */
import { describe, expect, it } from "vitest";
import keys__replenish from "../../src/worker/tasks/keys__replenish.ts";
import { createMailer } from "../../src/mail/mailer.ts";
import { useTestDatabase } from "../helpers/database.ts";
import { openTestPrivacyKeys } from "../helpers/privacy.ts";
import { createUser } from "../../fixtures/users.ts";
import { runTasksOnce } from "../helpers/worker.ts";

const db = useTestDatabase();

describe("keys__replenish", () => {
  it("makes the key of a waiting account and refills the spare pool, once", { timeout: 60_000 }, async () => {
    const root = db.current.root;
    await root.query("update config.system_settings set value = '3' where key = 'keys.spare_pool_size'");
    await root.query(
      "update app_private.encryption_keys set destroyed_at = now() where purpose = 'user' and user_id is null",
    );
    const client = await root.connect();
    const user = await createUser(client).finally(() => client.release());
    expect(
      (await root.query("select 1 from app_private.users_awaiting_key where user_id = $1", [user.id])).rows,
    ).toHaveLength(1);

    const privacy = await openTestPrivacyKeys(db.current.urls.worker);
    const run = async (): Promise<void> => {
      await root.query("select graphile_worker.add_job('keys__replenish', '{}'::json, job_key => 'keys__replenish')");
      await runTasksOnce(
        db.current.urls.worker,
        { keys__replenish },
        {
          mailer: createMailer({ from: "x <x@example.test>", smtpUrl: undefined, mailDir: "/tmp" }),
          publicBaseUrl: "https://x.test",
          auditArchiveDir: "/tmp",
          privacy,
        },
      );
    };
    try {
      await run();
      const { rows: keys } = await root.query<{ key_id: string; pgp_key_id: string }>(
        "select key_id, pgp_key_id from app_private.encryption_keys where user_id = $1 and destroyed_at is null",
        [user.id],
      );
      expect(keys).toHaveLength(1);
      const stored = await privacy.keystore.byPgpKeyIds([keys[0]!.pgp_key_id]);
      expect(stored.get(keys[0]!.pgp_key_id)?.keyId).toBe(keys[0]!.key_id);
      expect(
        (await root.query("select 1 from app_private.users_awaiting_key where user_id = $1", [user.id])).rows,
      ).toEqual([]);
      const spare = async () =>
        (
          await root.query<{ n: number }>(
            "select count(*)::int as n from app_private.encryption_keys where purpose = 'user' and user_id is null and destroyed_at is null",
          )
        ).rows[0]!.n;
      expect(await spare()).toBe(3);
      /* What the account's data is now encrypted to opens with the key the worker made. */
      const { rows } = await root.query<{ c: Buffer }>("select app_hidden.encrypt_personal($1, 'hello') as c", [
        user.id,
      ]);
      expect(await privacy.reader.decrypt(rows[0]!.c)).toBe("hello");
      await run();
      expect(await spare()).toBe(3);
    } finally {
      await privacy.close();
    }
  });
});
