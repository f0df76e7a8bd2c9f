/**
 * `npm run signing-key -- <file> [EdDSA|ES256]`: writes a new private signing JWK (mode 0600) for
 * JWT_SIGNING_KEY_FILE and prints its public part, ready for a rotation's JWT_VERIFICATION_KEYS_FILE.
 */
import { existsSync } from "node:fs";
import fs from "node:fs/promises";
import path from "node:path";
import { ALGORITHMS, generateSigningJwk, publicPart, type Algorithm } from "../src/auth/signingKeys.ts";
import { runCli } from "../src/cli/fatal.ts";

runCli("signing-key", async () => {
  const [file, alg = "EdDSA"] = process.argv.slice(2);
  if (!file) throw new Error("usage: npm run signing-key -- <file> [EdDSA|ES256]");
  if (!ALGORITHMS.includes(alg as Algorithm)) throw new Error(`algorithm must be one of ${ALGORITHMS.join(", ")}`);
  if (existsSync(file)) throw new Error(`${file} exists already: choose a new file for a new key`);
  const jwk = await generateSigningJwk(alg as Algorithm);
  await fs.mkdir(path.dirname(path.resolve(file)), { recursive: true });
  await fs.writeFile(file, JSON.stringify(jwk, null, 2), { mode: 0o600 });
  process.stdout.write(`${JSON.stringify(publicPart(jwk))}\n`);
});
