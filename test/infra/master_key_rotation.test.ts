/**
 * Master-key rotation (npm run master-key -- rotate): every wrapped key in the key store changes and ends up under the
 * new master key, the old master key no longer opens any of them, the data's ciphertext in the main database is not
 * touched, and every value still reads. Stopped after one batch and run again, it finishes.
 */
import { execFile } from "node:child_process";
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { inject } from "vitest";
import { ConfigError } from "../../src/config.ts";
import { EncryptionUnavailableError } from "../../src/privacy/errors.ts";
import { keyringFrom, newMasterKeyFile, unwrapKey, type MasterKeyFile } from "../../src/privacy/masterKey.ts";
import { rewrapBatch } from "../../src/privacy/rotation.ts";
import { useTestDatabase } from "../helpers/database.ts";
import { openTestPrivacyKeys } from "../helpers/privacy.ts";
import { createUser } from "../../fixtures/users.ts";

const run = promisify(execFile);
const db = useTestDatabase();

describe("master key rotation", () => {
  it(
    "rewraps every key without touching the data; the old master key opens nothing afterwards",
    { timeout: 60_000 },
    async () => {
      const client = await db.current.root.connect();
      const users = [];
      try {
        for (let i = 0; i < 4; i++) users.push(await createUser(client));
        for (const [i, user] of users.entries()) {
          await client.query(
            "insert into app_private.user_personal_data (user_id, date_of_birth) values ($1, app_hidden.encrypt_personal($1, $2))",
            [user.id, `198${i}-01-0${i + 1}`],
          );
        }
      } finally {
        client.release();
      }
      const ciphertextBefore = (
        await db.current.root.query(
          "select user_id, date_of_birth from app_private.user_personal_data order by user_id",
        )
      ).rows;

      const dir = await fs.mkdtemp(path.join(os.tmpdir(), "gatehouse-rotation-"));
      const oldFile = inject("database").keys.masterKeyFile;
      const oldKeys = JSON.parse(await fs.readFile(oldFile, "utf8")) as MasterKeyFile;
      const newFile = path.join(dir, "new.json");
      const rotating = newMasterKeyFile(oldKeys);
      await fs.writeFile(newFile, JSON.stringify(rotating));
      const newOnlyFile = path.join(dir, "new-only.json");
      await fs.writeFile(newOnlyFile, JSON.stringify({ current: rotating.current }));

      const before = await openTestPrivacyKeys(db.current.urls.authenticator);
      const wrappedBefore = new Map(
        (
          await before.keystore.pool.query<{ key_id: string; wrapped: Buffer }>(
            "select key_id, wrapped from wrapped_keys",
          )
        ).rows.map((r) => [r.key_id, r.wrapped]),
      );
      await before.close();
      expect(wrappedBefore.size).toBeGreaterThan(5);

      /* A run stopped after its first batch… */
      const ring = keyringFrom(rotating);
      const during = await openTestPrivacyKeys(db.current.urls.authenticator, { masterKeyFile: newFile });
      expect(await rewrapBatch(during.keystore, ring, 3)).toBe(3);
      await during.close();
      /* …is finished by running the command again (it reads MASTER_KEY_FILE: old and new keys). */
      const { keys } = inject("database");
      const { stdout } = await run(
        process.execPath,
        [path.resolve("scripts/master-key.ts"), "rotate", "--batch", "4"],
        {
          env: {
            PATH: process.env.PATH ?? "",
            LOG_LEVEL: "silent",
            GATEHOUSE_ENV: "test",
            KEYSTORE_DATABASE_URL: db.current.urls.keystore,
            MASTER_KEY_FILE: newFile,
            BLIND_INDEX_KEY_FILE: keys.blindIndexKeyFile,
          },
        },
      );
      expect(stdout).toContain(`${wrappedBefore.size - 3} key(s) to rewrap`);
      expect(stdout).toMatch(/done: \d+ key\(s\) rewrapped/);

      const after = await openTestPrivacyKeys(db.current.urls.authenticator, { masterKeyFile: newOnlyFile });
      try {
        const rows = (
          await after.keystore.pool.query<{ key_id: string; wrapped: Buffer; master_key_id: string }>(
            "select key_id, wrapped, master_key_id from wrapped_keys",
          )
        ).rows;
        expect(rows).toHaveLength(wrappedBefore.size);
        for (const row of rows) {
          expect(row.master_key_id).toBe(ring.current.id);
          expect(row.wrapped.equals(wrappedBefore.get(row.key_id)!)).toBe(false);
          /* The old master key opens none of them. */
          const oldRing = keyringFrom({ current: oldKeys.current });
          expect(() =>
            unwrapKey(
              { ...oldRing, byId: new Map([[row.master_key_id, oldRing.current]]) },
              row.key_id,
              row.master_key_id,
              row.wrapped,
            ),
          ).toThrow(EncryptionUnavailableError);
        }
        /* The data's ciphertext is unchanged, and reads with the new master key alone. */
        const ciphertextAfter = (
          await db.current.root.query(
            "select user_id, date_of_birth from app_private.user_personal_data order by user_id",
          )
        ).rows;
        expect(ciphertextAfter).toEqual(ciphertextBefore);
        const values = await after.reader.decryptMany(ciphertextAfter.map((r) => r.date_of_birth as Buffer));
        expect(values.sort()).toEqual(["1980-01-01", "1981-01-02", "1982-01-03", "1983-01-04"]);
      } finally {
        await after.close();
      }
      /* A gateway still configured with only the old master key refuses to start. */
      await expect(openTestPrivacyKeys(db.current.urls.authenticator, { masterKeyFile: oldFile })).rejects.toThrow(
        ConfigError,
      );
      await expect(openTestPrivacyKeys(db.current.urls.authenticator, { masterKeyFile: oldFile })).rejects.toThrow(
        /wrong or missing master key/,
      );
      await fs.rm(dir, { recursive: true, force: true });
    },
  );

  it("fails closed with a clear error when the master key file is missing", async () => {
    await expect(
      openTestPrivacyKeys(db.current.urls.authenticator, { masterKeyFile: "/nonexistent/master-key.json" }),
    ).rejects.toThrow(/MASTER_KEY_FILE \/nonexistent\/master-key.json does not exist/);
  });
});
