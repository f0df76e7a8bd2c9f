/**
 * Master-key rotation: every wrapped private key is unwrapped with whichever configured master key it is under and
 * wrapped again under the current one. The data encrypted to those keys is not touched (it never saw the master key).
 * Batches commit one by one and lock their rows (SKIP LOCKED), so a run can be stopped at any point and started
 * again, and two runs at once share the work instead of repeating it.
 */
import type { KeyStore } from "./keystore.ts";
import { unwrapKey, wrapKey, type MasterKeyring } from "./masterKey.ts";

export interface RotationProgress {
  rewrapped: number;
  remaining: number;
}

export async function remainingToRewrap(keystore: KeyStore, ring: MasterKeyring): Promise<number> {
  const { rows } = await keystore.pool.query<{ n: string }>(
    "select count(*) as n from wrapped_keys where master_key_id <> $1",
    [ring.current.id],
  );
  return Number(rows[0]?.n ?? 0);
}

/** Rewraps one batch; returns how many keys it rewrapped (0: nothing left that this run can take). */
export async function rewrapBatch(keystore: KeyStore, ring: MasterKeyring, batchSize: number): Promise<number> {
  const client = await keystore.pool.connect();
  try {
    await client.query("begin");
    const batch = await keystore.notUnder(client, ring.current.id, batchSize);
    for (const key of batch) {
      const privateKey = unwrapKey(ring, key.keyId, key.masterKeyId, key.wrapped);
      const { masterKeyId, wrapped } = wrapKey(ring, key.keyId, privateKey);
      await client.query(
        "update wrapped_keys set master_key_id = $2, wrapped = $3, rewrapped_at = now() where key_id = $1",
        [key.keyId, masterKeyId, wrapped],
      );
    }
    await client.query("commit");
    return batch.length;
  } catch (error) {
    await client.query("rollback").catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}

/** Rewraps everything not yet under the current master key, batch by batch. */
export async function rewrapAll(
  keystore: KeyStore,
  ring: MasterKeyring,
  options: { batchSize?: number; onBatch?: (progress: RotationProgress) => void } = {},
): Promise<number> {
  let total = 0;
  for (;;) {
    const done = await rewrapBatch(keystore, ring, options.batchSize ?? 500);
    if (done === 0) break;
    total += done;
    options.onBatch?.({ rewrapped: total, remaining: await remainingToRewrap(keystore, ring) });
  }
  return total;
}
