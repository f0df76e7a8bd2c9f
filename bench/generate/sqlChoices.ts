/**
 * Deterministic choices made inside set-based SQL (history.ts, resourceLoad.ts): hashes of (seed, kind, index), so
 * the same seed gives the same rows whatever order the server produces them in.
 */

/** A deterministic integer in [0, 2^31) from the seed, a kind and an index expression (SQL). */
export const pick = (seed: number, kind: string, index: string): string =>
  `(abs(hashtextextended(${seed} || ':${kind}:' || (${index})::text, 0)) % 2147483647)`;

/** The address an account's requests come from (SQL text), a function of the seed and the account's id alone. */
export const deviceIp = (seed: number, accountId: string): string =>
  `('10.' || (${pick(seed, "ip1", accountId)} % 256) || '.' || (${pick(seed, "ip2", accountId)} % 256) || '.' || (${pick(seed, "ip3", accountId)} % 254 + 1))`;

/** The user agent an account's requests carry (SQL text), a function of the seed and the account's id alone. */
export const deviceUserAgent = (seed: number, accountId: string): string =>
  `('Mozilla/5.0 (generated; ' || (${pick(seed, "ua", accountId)} % 40) || ')')`;

/**
 * The personal part of a request by the account (SQL jsonb): its address and user agent, shaped as audit.record_event
 * and the session rows shape them, plus `values` (personal column values) when there are any.
 */
export const requestPersonal = (seed: number, accountId: string, values = "null::jsonb"): string =>
  `jsonb_strip_nulls(jsonb_build_object('ip', ${deviceIp(seed, accountId)}, 'user_agent', ${deviceUserAgent(seed, accountId)}, ` +
  `'values', nullif(${values}, '{}'::jsonb)))`;
