/**
 * The development seed, loaded by `npm run db:reset` (never by `npm start`, never in production): the feature flags in
 * sql/seeds/development.sql, then accounts, organisations, roles and grants from the data generator the benchmarks
 * and tests use too (fixtures/generate/), at small size, so development data has the shape of the data they measure.
 */
import fs from "node:fs/promises";
import path from "node:path";
import { PROJECT_ROOT } from "../config.ts";
import { withClient } from "./client.ts";

/** Small enough to load in about a second, large enough to page through and to exercise the role hierarchy. */
export const DEVELOPMENT_DATASET = {
  randomSeed: 1,
  users: 1000,
  organizations: 5,
  permissions: 40,
  roles: 60,
  maxDepth: 4,
};

export interface DevelopmentSeedReport {
  users: number;
  /** A verified, active account to log in as, with `password`. */
  sampleLogin: string | undefined;
  password: string;
}

/** Loads the development seed into the freshly migrated database at `ownerUrl` (the owner role). */
export async function loadDevelopmentSeed(ownerUrl: string): Promise<DevelopmentSeedReport> {
  /* Imported here, not at the top: the generator is development tooling and `npm start` never needs it. */
  const { generateDataset } = await import("../../fixtures/generate/load.ts");
  const { GENERATED_PASSWORD } = await import("../../fixtures/generate/dataset.ts");
  const flags = await fs.readFile(path.join(PROJECT_ROOT, "sql/seeds/development.sql"), "utf8");
  return withClient(ownerUrl, async (client) => {
    await client.query(flags);
    const report = await generateDataset(client, DEVELOPMENT_DATASET, { rebuildIndexes: false });
    const sample = await client.query<{ email: string }>(
      "select email from app_public.users where status = 'active' and email_verified_at is not null order by created_at limit 1",
    );
    return { users: report.dataset.options.users, sampleLogin: sample.rows[0]?.email, password: GENERATED_PASSWORD };
  });
}
