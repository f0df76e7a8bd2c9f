/**
 * Making keys: the worker (keys__replenish) and every start keep a current system key and a pool of spare user keys,
 * and make keys for accounts that have none. Order matters: the private half is wrapped into the key store first, and
 * only then is the public half recorded in the main database, so SQL never encrypts to a key nobody can open. A crash
 * in between leaves an unused wrapped key in the key store, which is harmless.
 */
import pg from "pg";
import { generateKeyPair, type KeyPair } from "./keyPairs.ts";
import type { KeyStore } from "./keystore.ts";
import { wrapKey, type MasterKeyring } from "./masterKey.ts";

export interface KeyDemand {
  systemKeyNeeded: boolean;
  spareKeysNeeded: number;
  usersWithoutKey: string[];
}

export interface ProvisionResult {
  systemKeys: number;
  spareKeys: number;
  userKeys: number;
}

async function demand(db: pg.ClientBase | pg.Pool, batch: number): Promise<KeyDemand> {
  const { rows } = await db.query<{
    system_key_needed: boolean;
    spare_keys_needed: number;
    users_without_key: string[];
  }>("select * from app_hidden.encryption_key_demand($1)", [batch]);
  const row = rows[0];
  return {
    systemKeyNeeded: row?.system_key_needed ?? false,
    spareKeysNeeded: row?.spare_keys_needed ?? 0,
    usersWithoutKey: row?.users_without_key ?? [],
  };
}

async function store(
  db: pg.ClientBase | pg.Pool,
  keystore: KeyStore,
  ring: MasterKeyring,
  purpose: "user" | "system",
  pairs: KeyPair[],
  userIds: Array<string | null>,
): Promise<number> {
  await keystore.put(
    pairs.map((pair) => ({
      keyId: pair.keyId,
      pgpKeyId: pair.pgpKeyId,
      purpose,
      ...wrapKey(ring, pair.keyId, pair.privateKey),
    })),
  );
  let added = 0;
  for (const [i, pair] of pairs.entries()) {
    const { rows } = await db.query<{ added: boolean }>(
      "select app_hidden.add_encryption_key($1, $2, $3, $4, $5) as added",
      [pair.keyId, pair.pgpKeyId, pair.publicKey, purpose, userIds[i] ?? null],
    );
    if (rows[0]?.added) added += 1;
  }
  return added;
}

/**
 * Brings the keys up to what the database asks for; `maxKeys` bounds one run's work (about 0.1 s per key).
 * `forUsers` names the waiting accounts to serve first instead of the longest-waiting ones (tools that need given
 * accounts keyed at once, such as the benchmarks, while a backlog of others waits).
 */
export async function provisionKeys(
  db: pg.ClientBase | pg.Pool,
  keystore: KeyStore,
  ring: MasterKeyring,
  options: { maxKeys?: number; forUsers?: string[] } = {},
): Promise<ProvisionResult> {
  const max = options.maxKeys ?? 200;
  const need = await demand(db, max);
  if (options.forUsers) need.usersWithoutKey = options.forUsers;
  const result: ProvisionResult = { systemKeys: 0, spareKeys: 0, userKeys: 0 };
  if (need.systemKeyNeeded) {
    result.systemKeys = await store(db, keystore, ring, "system", [await generateKeyPair()], [null]);
  }
  const forUsers = need.usersWithoutKey.slice(0, max);
  if (forUsers.length > 0) {
    const pairs = await Promise.all(forUsers.map(() => generateKeyPair()));
    result.userKeys = await store(db, keystore, ring, "user", pairs, forUsers);
  }
  const spare = Math.min(need.spareKeysNeeded, Math.max(0, max - forUsers.length));
  if (spare > 0) {
    const pairs = await Promise.all(Array.from({ length: spare }, () => generateKeyPair()));
    result.spareKeys = await store(
      db,
      keystore,
      ring,
      "user",
      pairs,
      pairs.map(() => null),
    );
  }
  return result;
}

/** Makes the system key when there is none, so events written before the worker's first run are encrypted too. */
export async function ensureSystemKey(workerUrl: string, keystore: KeyStore, ring: MasterKeyring): Promise<void> {
  const client = new pg.Client({ connectionString: workerUrl });
  await client.connect();
  try {
    await provisionKeys(client, keystore, ring, { maxKeys: 0 });
  } finally {
    await client.end();
  }
}
