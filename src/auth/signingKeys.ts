/**
 * Signing keys of access tokens (JWTs; the keys of personal data are src/privacy/'s). They come from files named in the
 * configuration, never from the database: one private JWK that signs (EdDSA/Ed25519 or ES256, with a `kid`), and
 * optionally a JWKS of retired public keys whose tokens are still accepted until they expire. Rotating: generate a new
 * key (`npm run signing-key`), move the old public key into the verification file, point JWT_SIGNING_KEY_FILE at the
 * new key, restart. In development and test a key is generated once under DATA_DIR.
 */
import { randomUUID } from "node:crypto";
import { existsSync } from "node:fs";
import fs from "node:fs/promises";
import path from "node:path";
import { exportJWK, generateKeyPair, importJWK, type CryptoKey, type JWK } from "jose";
import { ConfigError } from "../config.ts";

export const ALGORITHMS = ["EdDSA", "ES256"] as const;
export type Algorithm = (typeof ALGORITHMS)[number];

export interface SigningKey {
  kid: string;
  alg: Algorithm;
  privateKey: CryptoKey;
}

export interface KeySet {
  signing: SigningKey;
  /** Every public key whose tokens are accepted: the signing key's first, then retired ones. */
  publicJwks: JWK[];
}

/** A new signing key as a private JWK (kid, alg, use), ready to be written to a file. */
export async function generateSigningJwk(alg: Algorithm = "EdDSA"): Promise<JWK> {
  const { privateKey } = await generateKeyPair(alg, {
    extractable: true,
    ...(alg === "EdDSA" ? { crv: "Ed25519" } : {}),
  });
  return { ...(await exportJWK(privateKey)), kid: randomUUID(), alg, use: "sig" };
}

export function publicPart(jwk: JWK): JWK {
  const { kid, alg, use, kty, crv, x, y } = jwk;
  return Object.fromEntries(Object.entries({ kid, alg, use, kty, crv, x, y }).filter(([, v]) => v !== undefined));
}

async function readJson(file: string, variable: string): Promise<unknown> {
  try {
    return JSON.parse(await fs.readFile(file, "utf8"));
  } catch (error) {
    throw new ConfigError(
      `Invalid configuration: ${variable} (${file}) ${error instanceof Error ? error.message : String(error)}`,
    );
  }
}

export async function keySetFromJwks(signingJwk: JWK, retired: JWK[] = []): Promise<KeySet> {
  const alg = signingJwk.alg as Algorithm;
  if (!ALGORITHMS.includes(alg) || !signingJwk.kid || !signingJwk.d) {
    throw new ConfigError(
      "Invalid configuration: JWT_SIGNING_KEY_FILE must hold a private JWK with kid and alg EdDSA or ES256",
    );
  }
  const privateKey = (await importJWK(signingJwk, alg)) as CryptoKey;
  return {
    signing: { kid: signingJwk.kid, alg, privateKey },
    publicJwks: [publicPart(signingJwk), ...retired.map(publicPart).filter((k) => k.kid !== signingJwk.kid)],
  };
}

export async function loadKeySet(options: {
  signingKeyFile: string;
  verificationKeysFile: string | undefined;
  generateIfMissing: boolean;
}): Promise<KeySet> {
  if (!existsSync(options.signingKeyFile)) {
    if (!options.generateIfMissing) {
      throw new ConfigError(`Invalid configuration: JWT_SIGNING_KEY_FILE ${options.signingKeyFile} does not exist`);
    }
    await fs.mkdir(path.dirname(options.signingKeyFile), { recursive: true, mode: 0o700 });
    await fs.writeFile(options.signingKeyFile, JSON.stringify(await generateSigningJwk(), null, 2), { mode: 0o600 });
  }
  const signing = (await readJson(options.signingKeyFile, "JWT_SIGNING_KEY_FILE")) as JWK;
  const retired = options.verificationKeysFile
    ? (((await readJson(options.verificationKeysFile, "JWT_VERIFICATION_KEYS_FILE")) as { keys?: JWK[] }).keys ?? [])
    : [];
  return keySetFromJwks(signing, retired);
}
