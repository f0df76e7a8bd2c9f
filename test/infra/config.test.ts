import path from "node:path";
import { describe, expect, it } from "vitest";
import { ConfigError, PROJECT_ROOT, parseConfig } from "../../src/config.ts";

describe("configuration", () => {
  it("has working defaults: embedded database, port 5678, development mode", () => {
    const config = parseConfig({});
    expect(config).toMatchObject({
      mode: "development",
      port: 5678,
      host: "127.0.0.1",
      external: null,
      logLevel: "info",
    });
    expect(config.dataDir).toBe(path.join(PROJECT_ROOT, ".data"));
    expect(config.mailDir).toBe(path.join(PROJECT_ROOT, ".data", "mail"));
  });

  it.each([
    [{ PORT: "eighty" }, "PORT"],
    [{ PORT: "70000" }, "PORT"],
    [{ LOG_LEVEL: "loud" }, "LOG_LEVEL"],
    [{ GATEHOUSE_ENV: "staging" }, "GATEHOUSE_ENV"],
    [{ GRAPHQL_INTROSPECTION: "yes" }, "GRAPHQL_INTROSPECTION"],
    [{ GRAPHQL_STATEMENT_TIMEOUT_MS: "10" }, "GRAPHQL_STATEMENT_TIMEOUT_MS"],
    [{ CORS_ORIGINS: "https://ok.example, not an origin" }, "CORS_ORIGINS"],
    [{ DATABASE_URL: "mysql://x@y/z" }, "DATABASE_URL"],
    [{ DATABASE_URL: "postgres://authenticator@db/gatehouse" }, "WORKER_DATABASE_URL"],
    [
      {
        DATABASE_URL: "postgres://authenticator@db/gatehouse",
        WORKER_DATABASE_URL: "postgres://app_worker@db/gatehouse",
      },
      "DATABASE_OWNER_URL",
    ],
  ])("names the variable at fault: %o", (env, variable) => {
    expect(() => parseConfig(env)).toThrow(ConfigError);
    expect(() => parseConfig(env)).toThrow(new RegExp(`^Invalid configuration: ${variable} `));
  });

  it("reads an external server's URLs", () => {
    const config = parseConfig({
      DATABASE_URL: "postgres://authenticator:a@db:5432/gatehouse",
      WORKER_DATABASE_URL: "postgres://app_worker:w@db:5432/gatehouse",
      MIGRATE_ON_START: "false",
      TRUST_PROXY: "10.0.0.0/8, 127.0.0.1",
    });
    expect(config.external?.authenticatorUrl).toBe("postgres://authenticator:a@db:5432/gatehouse");
    expect(config.migrateOnStart).toBe(false);
    expect(config.trustProxy).toEqual(["10.0.0.0/8", "127.0.0.1"]);
  });

  it("switches GraphQL introspection off in production unless GRAPHQL_INTROSPECTION turns it on", () => {
    const production = {
      GATEHOUSE_ENV: "production",
      JWT_SIGNING_KEY_FILE: "key.json",
      MASTER_KEY_FILE: "master.json",
      BLIND_INDEX_KEY_FILE: "blind.key",
      KEYSTORE_DATABASE_URL: "postgres://keystore@db/keys",
    };
    expect(parseConfig({}).introspection).toBe(true);
    expect(parseConfig(production).introspection).toBe(false);
    expect(parseConfig({ ...production, GRAPHQL_INTROSPECTION: "true" }).introspection).toBe(true);
    expect(parseConfig({ GRAPHQL_INTROSPECTION: "false" }).introspection).toBe(false);
  });

  it("gives each GraphQL request's statements 10 s unless GRAPHQL_STATEMENT_TIMEOUT_MS says otherwise", () => {
    expect(parseConfig({}).statementTimeoutMs).toBe(10_000);
    expect(parseConfig({ GRAPHQL_STATEMENT_TIMEOUT_MS: "30000" }).statementTimeoutMs).toBe(30_000);
  });
});
