/**
 * Everything the gateway and the worker hold to handle personal data: the key store, the master keyring, the blind
 * index key, and the reader that decrypts. Opened once per process; a master key that opens none of the key store's
 * keys stops the start (fail closed) instead of serving errors later.
 */
import { ConfigError, type Config } from "../config.ts";
import { loadBlindIndexKey, type BlindIndexKey } from "./blindIndex.ts";
import { KeyStore } from "./keystore.ts";
import { loadMasterKeyring, unwrapKey, type MasterKeyring } from "./masterKey.ts";
import { PersonalDataReader } from "./personalData.ts";

export interface PrivacyKeys {
  keystore: KeyStore;
  ring: MasterKeyring;
  blindIndexKey: BlindIndexKey;
  reader: PersonalDataReader;
  close(): Promise<void>;
}

/** Throws ConfigError when the key store holds keys under a master key the ring does not have, or that fails to open. */
export async function checkMasterKey(keystore: KeyStore, ring: MasterKeyring): Promise<void> {
  const unknown = [...(await keystore.masterKeyIds()).entries()].filter(([id]) => !ring.byId.has(id));
  if (unknown.length > 0) {
    const keys = unknown.reduce((sum, [, n]) => sum + n, 0);
    throw new ConfigError(
      `Invalid configuration: MASTER_KEY_FILE does not hold the master key of ${keys} key(s) in the key store ` +
        `(master key id ${unknown.map(([id]) => id).join(", ")}): wrong or missing master key`,
    );
  }
  const { rows } = await keystore.pool.query<{ key_id: string; master_key_id: string; wrapped: Buffer }>(
    "select distinct on (master_key_id) key_id, master_key_id, wrapped from wrapped_keys order by master_key_id, key_id",
  );
  for (const row of rows) {
    try {
      unwrapKey(ring, row.key_id, row.master_key_id, row.wrapped);
    } catch {
      throw new ConfigError(`Invalid configuration: MASTER_KEY_FILE does not open the key store's key ${row.key_id}`);
    }
  }
}

export async function openPrivacyKeys(options: {
  keystoreUrl: string;
  masterKeyFile: string;
  blindIndexKeyFile: string;
  generateIfMissing: boolean;
  cacheMs?: number;
}): Promise<PrivacyKeys> {
  const ring = await loadMasterKeyring({ file: options.masterKeyFile, generateIfMissing: options.generateIfMissing });
  const blindIndexKey = await loadBlindIndexKey({
    file: options.blindIndexKeyFile,
    generateIfMissing: options.generateIfMissing,
  });
  const keystore = new KeyStore(options.keystoreUrl);
  try {
    await keystore.prepare();
    await checkMasterKey(keystore, ring);
  } catch (error) {
    await keystore.close();
    throw error;
  }
  return {
    keystore,
    ring,
    blindIndexKey,
    reader: new PersonalDataReader(keystore, ring, options.cacheMs === undefined ? {} : { cacheMs: options.cacheMs }),
    close: () => keystore.close(),
  };
}

export function privacyKeyOptions(config: Config, keystoreUrl: string) {
  return {
    keystoreUrl,
    masterKeyFile: config.keys.masterKeyFile,
    blindIndexKeyFile: config.keys.blindIndexKeyFile,
    generateIfMissing: config.mode !== "production",
  };
}
