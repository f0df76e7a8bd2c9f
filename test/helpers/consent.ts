/**
 * Consent records for accounts made in SQL: written through app_private.append_consent, the one writer of the
 * history, as recordConsent writes them.
 */
import type pg from "pg";

export type ConsentPurpose = "terms" | "marketing" | "analytics";

export async function recordConsentFor(
  client: pg.ClientBase,
  userId: string,
  purpose: ConsentPurpose,
  granted: boolean,
  version = "v1",
): Promise<void> {
  await client.query("select app_private.append_consent($1, $2, $3, $4)", [userId, purpose, version, granted]);
}
