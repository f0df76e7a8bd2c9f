/**
 * The master key: it wraps every private key in the key store and never enters either database. It comes from a
 * file (MASTER_KEY_FILE): JSON `{ "current": "<base64 of 32 bytes>", "previous": ["<base64>", ...] }`. `previous`
 * lists keys being rotated away: they still unwrap, only `current` wraps. In development and test a key is made once
 * under DATA_DIR; production must name a file.
 *
 * Wrapping is AES-256-GCM with a fresh 96-bit IV and the key's id as associated data, so a wrapped key moved to
 * another row does not unwrap. A master key is known by its id, the first 16 hex digits of its SHA-256, which is
 * stored beside each wrapped key and tells which master key (and so which rotation state) it is under.
 */
import { createCipheriv, createDecipheriv, createHash, randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import fs from "node:fs/promises";
import path from "node:path";
import { ConfigError } from "../config.ts";
import { EncryptionUnavailableError } from "./errors.ts";

export interface MasterKey {
  id: string;
  key: Buffer;
}

export interface MasterKeyring {
  current: MasterKey;
  /** Every key that may unwrap, by id: the current one and those being rotated away. */
  byId: ReadonlyMap<string, MasterKey>;
}

export interface MasterKeyFile {
  current: string;
  previous?: string[];
}

const IV_BYTES = 12;
const TAG_BYTES = 16;

export function masterKeyId(key: Buffer): string {
  return createHash("sha256").update(key).digest("hex").slice(0, 16);
}

function decodeKey(text: unknown, where: string): MasterKey {
  const key = typeof text === "string" ? Buffer.from(text, "base64") : Buffer.alloc(0);
  if (key.length !== 32 || key.toString("base64") !== String(text).trim()) {
    throw new ConfigError(`Invalid configuration: MASTER_KEY_FILE ${where} must be 32 bytes, base64-encoded`);
  }
  return { id: masterKeyId(key), key };
}

export function newMasterKeyFile(previous: MasterKeyFile | null = null): MasterKeyFile {
  const current = randomBytes(32).toString("base64");
  return previous ? { current, previous: [previous.current, ...(previous.previous ?? [])] } : { current };
}

export function keyringFrom(file: MasterKeyFile): MasterKeyring {
  const current = decodeKey(file.current, "current");
  const previous = (file.previous ?? []).map((text, i) => decodeKey(text, `previous[${i}]`));
  return { current, byId: new Map([current, ...previous].map((k) => [k.id, k])) };
}

export async function loadMasterKeyring(options: { file: string; generateIfMissing: boolean }): Promise<MasterKeyring> {
  if (!existsSync(options.file)) {
    if (!options.generateIfMissing) {
      throw new ConfigError(`Invalid configuration: MASTER_KEY_FILE ${options.file} does not exist`);
    }
    await fs.mkdir(path.dirname(options.file), { recursive: true, mode: 0o700 });
    await fs.writeFile(options.file, JSON.stringify(newMasterKeyFile(), null, 2), { mode: 0o600 });
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(await fs.readFile(options.file, "utf8"));
  } catch (error) {
    throw new ConfigError(
      `Invalid configuration: MASTER_KEY_FILE (${options.file}) ${error instanceof Error ? error.message : String(error)}`,
    );
  }
  return keyringFrom(parsed as MasterKeyFile);
}

function associatedData(keyId: string): Buffer {
  return Buffer.from(`gatehouse wrapped key ${keyId}`, "utf8");
}

/** Wraps a private key under the current master key: IV, GCM tag, ciphertext. */
export function wrapKey(
  ring: MasterKeyring,
  keyId: string,
  privateKey: Uint8Array,
): { masterKeyId: string; wrapped: Buffer } {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv("aes-256-gcm", ring.current.key, iv);
  cipher.setAAD(associatedData(keyId));
  const body = Buffer.concat([cipher.update(privateKey), cipher.final()]);
  return { masterKeyId: ring.current.id, wrapped: Buffer.concat([iv, cipher.getAuthTag(), body]) };
}

/** Unwraps a private key; a master key that is missing or does not match fails closed. */
export function unwrapKey(ring: MasterKeyring, keyId: string, masterKeyId: string, wrapped: Buffer): Buffer {
  const master = ring.byId.get(masterKeyId);
  if (!master) {
    throw new EncryptionUnavailableError(`no configured master key has id ${masterKeyId}`);
  }
  try {
    const decipher = createDecipheriv("aes-256-gcm", master.key, wrapped.subarray(0, IV_BYTES));
    decipher.setAAD(associatedData(keyId));
    decipher.setAuthTag(wrapped.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
    return Buffer.concat([decipher.update(wrapped.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]);
  } catch {
    throw new EncryptionUnavailableError(`the wrapped key ${keyId} does not open with master key ${masterKeyId}`);
  }
}
