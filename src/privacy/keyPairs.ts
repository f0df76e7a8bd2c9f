/**
 * Key pairs for personal data: OpenPGP RSA keys, because pgcrypto's pgp_pub_encrypt (which lets SQL encrypt without
 * a secret) reads RSA and Elgamal keys only. RSA-2048 wraps each message's AES-256 session key; see docs/privacy.md for
 * the choice of size. The private half leaves this module only wrapped by the master key.
 */
import { randomUUID } from "node:crypto";
import * as openpgp from "openpgp";

export const RSA_BITS = 2048;

export interface KeyPair {
  keyId: string;
  /** The encryption subkey's OpenPGP key id (16 upper-case hex digits), as pgcrypto's pgp_key_id() reports it. */
  pgpKeyId: string;
  publicKey: Buffer;
  privateKey: Buffer;
}

export async function generateKeyPair(): Promise<KeyPair> {
  const keyId = randomUUID();
  const { privateKey, publicKey } = await openpgp.generateKey({
    type: "rsa",
    rsaBits: RSA_BITS,
    userIDs: [{ name: `gatehouse ${keyId}` }],
    format: "binary",
  });
  const parsed = await openpgp.readKey({ binaryKey: publicKey });
  const encryptionKey = await parsed.getEncryptionKey();
  return {
    keyId,
    pgpKeyId: encryptionKey.getKeyID().toHex().toUpperCase(),
    publicKey: Buffer.from(publicKey),
    privateKey: Buffer.from(privateKey),
  };
}

/** The key ids a message is encrypted to (upper-case hex), read from its packets without decrypting. */
export async function recipientKeyIds(
  message: Uint8Array,
): Promise<{ message: openpgp.Message<Uint8Array>; keyIds: string[] }> {
  const parsed = await openpgp.readMessage({ binaryMessage: message });
  return { message: parsed, keyIds: parsed.getEncryptionKeyIDs().map((id) => id.toHex().toUpperCase()) };
}

export async function readPrivateKey(binary: Uint8Array): Promise<openpgp.PrivateKey> {
  return openpgp.readPrivateKey({ binaryKey: binary });
}

export async function decryptMessage(message: openpgp.Message<Uint8Array>, key: openpgp.PrivateKey): Promise<string> {
  const { data } = await openpgp.decrypt({ message, decryptionKeys: key, format: "binary" });
  return Buffer.from(data as Uint8Array).toString("utf8");
}
