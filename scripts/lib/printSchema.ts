/**
 * The GraphQL schema as SDL, sorted, exactly as the gateway builds it: what `schema.graphql` commits for review.
 */
import { randomBytes } from "node:crypto";
import type { Pool } from "pg";
import { makeSchema } from "postgraphile";
import { lexicographicSortSchema, printSchema } from "postgraphile/graphql";
import { generateSigningJwk, keySetFromJwks } from "../../src/auth/signingKeys.ts";
import { createTokenService } from "../../src/auth/tokens.ts";
import { makePreset } from "../../src/graphile.config.ts";
import { createLogger } from "../../src/logger.ts";

export async function printGraphqlSchema(pool: Pool): Promise<string> {
  /* Only the schema's shape is needed: a throw-away key does. */
  const tokens = createTokenService(await keySetFromJwks(await generateSigningJwk()), {
    issuer: "schema",
    audience: "schema",
  });
  const { schema } = await makeSchema(
    makePreset({
      pool,
      mode: "production",
      maxRequestBytes: 102_400,
      statementTimeoutMs: 10_000,
      log: createLogger("silent"),
      tokens,
      /* Nothing is served from this schema, so nothing is decrypted: a reader that refuses is enough. */
      privacy: {
        reader: { decryptMany: () => Promise.reject(new Error("schema printing decrypts nothing")) },
        blindIndexKey: randomBytes(32),
      },
    }),
  );
  return `${printSchema(lexicographicSortSchema(schema))}\n`;
}
