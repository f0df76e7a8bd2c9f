import { createHash, randomBytes } from "node:crypto";

/**
 * A mail token, minted in the worker so that its plaintext never reaches the database or a job payload: 256 random
 * bits (base64url), and the SHA-256 the database stores (app_private.token_hash computes the same from the text).
 */
export function mintToken(): { token: string; hash: Buffer } {
  const token = randomBytes(32).toString("base64url");
  return { token, hash: createHash("sha256").update(token, "utf8").digest() };
}
