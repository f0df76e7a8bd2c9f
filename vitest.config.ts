import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    globalSetup: ["test/helpers/globalSetup.ts"],
    /* Each file gets its own database cloned from a migrated template, so files run in parallel safely. */
    pool: "forks",
    testTimeout: 30_000,
    hookTimeout: 120_000,
    reporters: ["default"],
    /* Grafast's extra development checks, without its console warning. */
    env: { GRAPHILE_ENV: "test" },
  },
});
