/**
 * The key store and keys of the tests: globalSetup makes one master key file, one blind-index key file and a template
 * key store (`<template>_keys`, with a system key and a pool of spare keys matching the template database); every test
 * database gets its own copy of that key store, `<database>_keys`, on the same server.
 */
import { inject } from "vitest";
import { phoneLookup } from "../../src/privacy/blindIndex.ts";
import { KEYSTORE_ROLE } from "../../src/privacy/keystoreEnvironment.ts";
import { openPrivacyKeys, type PrivacyKeys } from "../../src/privacy/privacyKeys.ts";
import { roleUrl, databaseName } from "../../src/db/roles.ts";
import fs from "node:fs";

export function keystoreDatabaseOf(database: string): string {
  return `${database}_keys`;
}

/** The key store URL of the test database that `databaseUrl` points at. */
export function keystoreUrlOf(databaseUrl: string): string {
  const { rootUrl, keys } = inject("database");
  return roleUrl(rootUrl, KEYSTORE_ROLE, keys.keystorePassword, keystoreDatabaseOf(databaseName(databaseUrl)));
}

/** The keys a gateway or worker of this test database holds. Nothing is cached, so erasure shows at once. */
export function openTestPrivacyKeys(
  databaseUrl: string,
  overrides: { masterKeyFile?: string } = {},
): Promise<PrivacyKeys> {
  const { keys } = inject("database");
  return openPrivacyKeys({
    keystoreUrl: keystoreUrlOf(databaseUrl),
    masterKeyFile: overrides.masterKeyFile ?? keys.masterKeyFile,
    blindIndexKeyFile: keys.blindIndexKeyFile,
    generateIfMissing: false,
    cacheMs: 0,
  });
}

/** The `gatehouse.phone_lookups` setting the gateway would pass for these numbers (for SQL-level tests). */
export function phoneLookupsFor(...phones: string[]): string {
  const key = Buffer.from(fs.readFileSync(inject("database").keys.blindIndexKeyFile, "utf8").trim(), "base64");
  return JSON.stringify(Object.fromEntries(phones.map((phone) => [phone, phoneLookup(key, phone)])));
}

/** Audit events (the rows `sql` selects, with their `personal` column) with the encrypted part decrypted. */
export async function withPersonal<T extends { personal: Buffer | null }>(
  pool: { query: (sql: string, values?: unknown[]) => Promise<{ rows: T[] }> },
  databaseUrl: string,
  sql: string,
  values: unknown[] = [],
): Promise<Array<T & { decrypted: Record<string, unknown> }>> {
  const { rows } = await pool.query(sql, values);
  const privacy = await openTestPrivacyKeys(databaseUrl);
  try {
    const texts = await privacy.reader.decryptMany(rows.map((row) => row.personal));
    return rows.map((row, i) => ({ ...row, decrypted: JSON.parse(texts[i] ?? "{}") as Record<string, unknown> }));
  } finally {
    await privacy.close();
  }
}

/** The reasons of refused logins whose submitted identifier (kept encrypted in the event) was `identifier`. */
export async function loginRefusalReasons(
  pool: {
    query: (sql: string, values?: unknown[]) => Promise<{ rows: Array<{ reason: string; personal: Buffer | null }> }>;
  },
  databaseUrl: string,
  identifier: string,
): Promise<string[]> {
  const events = await withPersonal(
    pool,
    databaseUrl,
    "select reason, personal from audit.events where event_type = 'auth.login' and outcome = 'refused' order by id",
  );
  return events
    .filter((e) => (e.decrypted.values as { identifier?: string } | undefined)?.identifier === identifier)
    .map((e) => e.reason);
}
