/**
 * Blind indexes: HMAC-SHA-256 under a key kept outside the database (BLIND_INDEX_KEY_FILE), so an encrypted value can
 * be found by equality without being decrypted, and a copy of the database alone cannot test guesses. Phone numbers
 * are indexed exactly as written (E.164 has one spelling per number). The gateway indexes every E.164 string in a
 * request and passes the digests to SQL in the transaction-local setting `gatehouse.phone_lookups` (readable by that
 * request's own SQL only, and only digests of numbers the caller sent).
 */
import { createHmac, randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import fs from "node:fs/promises";
import path from "node:path";
import { ConfigError } from "../config.ts";

export const E164 = /^\+[1-9][0-9]{6,14}$/;
/** At most this many numbers are indexed per request: more is not a real client. */
const MAX_PHONES_PER_REQUEST = 10;

export type BlindIndexKey = Buffer;

export function phoneLookup(key: BlindIndexKey, phone: string): string {
  return createHmac("sha256", key).update(`phone:${phone}`, "utf8").digest("hex");
}

export async function loadBlindIndexKey(options: { file: string; generateIfMissing: boolean }): Promise<BlindIndexKey> {
  if (!existsSync(options.file)) {
    if (!options.generateIfMissing) {
      throw new ConfigError(`Invalid configuration: BLIND_INDEX_KEY_FILE ${options.file} does not exist`);
    }
    await fs.mkdir(path.dirname(options.file), { recursive: true, mode: 0o700 });
    await fs.writeFile(options.file, `${randomBytes(32).toString("base64")}\n`, { mode: 0o600 });
  }
  const text = (await fs.readFile(options.file, "utf8")).trim();
  const key = Buffer.from(text, "base64");
  if (key.length !== 32 || key.toString("base64") !== text) {
    throw new ConfigError("Invalid configuration: BLIND_INDEX_KEY_FILE must hold 32 bytes, base64-encoded");
  }
  return key;
}

/** Every E.164-looking string anywhere in `value` (GraphQL variables, literal arguments). */
function collectPhones(value: unknown, into: Set<string>): void {
  if (into.size >= MAX_PHONES_PER_REQUEST) return;
  if (typeof value === "string") {
    const trimmed = value.trim();
    if (E164.test(trimmed)) into.add(trimmed);
  } else if (Array.isArray(value)) {
    for (const item of value) collectPhones(item, into);
  } else if (value && typeof value === "object") {
    for (const item of Object.values(value)) collectPhones(item, into);
  }
}

/** The `gatehouse.phone_lookups` setting for a request: number → digest for each number in it, or null for none. */
export function phoneLookupsSetting(key: BlindIndexKey, ...sources: unknown[]): string | null {
  const phones = new Set<string>();
  for (const source of sources) collectPhones(source, phones);
  if (phones.size === 0) return null;
  return JSON.stringify(Object.fromEntries([...phones].map((phone) => [phone, phoneLookup(key, phone)])));
}
