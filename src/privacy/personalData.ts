/**
 * Reading personal data: the one place that turns ciphertext written by SQL (app_hidden.encrypt_personal) back into
 * values. Each message names the key it is encrypted to; the private key comes from the key store, unwrapped by the
 * master key. A key that the key store no longer holds was destroyed by erasure: the value reads as null (erased),
 * never as an error. Anything else that stops decryption (no matching master key, a damaged wrapped key, the key store
 * unreachable) fails closed with EncryptionUnavailableError (NOKEY).
 *
 * Unwrapped private keys are kept in memory for `cacheMs` (30 s by default) so that a page of events does not unwrap
 * the same key many times; an erased key can therefore still open data in a running process for that long
 * (docs/privacy.md lists this window).
 */
import type * as openpgp from "openpgp";
import { EncryptionUnavailableError } from "./errors.ts";
import { decryptMessage, readPrivateKey, recipientKeyIds } from "./keyPairs.ts";
import type { KeyStore } from "./keystore.ts";
import { unwrapKey, type MasterKeyring } from "./masterKey.ts";

interface CachedKey {
  key: openpgp.PrivateKey;
  until: number;
}

export class PersonalDataReader {
  readonly #keystore: KeyStore;
  readonly #ring: MasterKeyring;
  readonly #cacheMs: number;
  readonly #cache = new Map<string, CachedKey>();

  constructor(keystore: KeyStore, ring: MasterKeyring, options: { cacheMs?: number } = {}) {
    this.#keystore = keystore;
    this.#ring = ring;
    this.#cacheMs = options.cacheMs ?? 30_000;
  }

  /** Decrypts each value (null stays null; a value whose key was destroyed reads as null). */
  async decryptMany(values: ReadonlyArray<Uint8Array | null | undefined>): Promise<Array<string | null>> {
    const parsed = await Promise.all(
      values.map(async (value) => {
        if (!value || value.length === 0) return null;
        try {
          return await recipientKeyIds(value);
        } catch {
          throw new EncryptionUnavailableError("a stored value is not an OpenPGP message");
        }
      }),
    );
    const wanted = [...new Set(parsed.flatMap((p) => p?.keyIds ?? []))];
    const keys = await this.#privateKeys(wanted);
    return Promise.all(
      parsed.map(async (p) => {
        if (!p) return null;
        const key = p.keyIds.map((id) => keys.get(id)).find(Boolean);
        if (!key) return null;
        try {
          return await decryptMessage(p.message, key);
        } catch {
          throw new EncryptionUnavailableError(`a stored value does not decrypt with its key ${p.keyIds.join(",")}`);
        }
      }),
    );
  }

  async decrypt(value: Uint8Array | null | undefined): Promise<string | null> {
    return (await this.decryptMany([value]))[0] ?? null;
  }

  async #privateKeys(pgpKeyIds: string[]): Promise<Map<string, openpgp.PrivateKey>> {
    const now = Date.now();
    const found = new Map<string, openpgp.PrivateKey>();
    const missing: string[] = [];
    for (const id of pgpKeyIds) {
      const cached = this.#cache.get(id);
      if (cached && cached.until > now) found.set(id, cached.key);
      else missing.push(id);
    }
    if (missing.length === 0) return found;
    let wrapped;
    try {
      wrapped = await this.#keystore.byPgpKeyIds(missing);
    } catch (error) {
      throw new EncryptionUnavailableError(
        `the key store cannot be read: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
    for (const entry of wrapped.values()) {
      const key = await readPrivateKey(unwrapKey(this.#ring, entry.keyId, entry.masterKeyId, entry.wrapped));
      found.set(entry.pgpKeyId, key);
      if (this.#cacheMs > 0) this.#cache.set(entry.pgpKeyId, { key, until: now + this.#cacheMs });
    }
    if (this.#cache.size > 10_000) {
      for (const [id, cached] of this.#cache) if (cached.until <= now) this.#cache.delete(id);
    }
    return found;
  }

  /** Forgets every unwrapped key (after an erasure in this process, say). */
  forget(): void {
    this.#cache.clear();
  }
}
