/**
 * The GraphQL schema as SDL, sorted, exactly as the gateway builds it: what `schema.graphql` commits for review.
 */
import type { Pool } from "pg";
import { makeSchema } from "postgraphile";
import { lexicographicSortSchema, printSchema } from "postgraphile/graphql";
import { makePreset } from "../graphile.config.ts";
import { createLogger } from "../logger.ts";

export async function printGraphqlSchema(pool: Pool): Promise<string> {
  const { schema } = await makeSchema(makePreset({ pool, mode: "production", maxRequestBytes: 102_400, log: createLogger("silent") }));
  return `${printSchema(lexicographicSortSchema(schema))}\n`;
}
