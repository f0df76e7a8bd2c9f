/**
 * Every code a client may receive in `errors[].extensions.code`. docs/error_codes.md describes each one; a test keeps
 * the two lists and the codes raised in sql/ in step. Anything else is masked as INTRN.
 */
export const ERROR_CODES = [
  "LOGIN",
  "PERMS",
  "INVAL",
  "NOSET",
  "NTFND",
  "IMMUT",
  "RDONL",
  "PRODN",
  "QUERY",
  "INTRN",
  "WRONG",
  "TAKEN",
  "WEAKP",
  "REUSD",
  "LINKX",
  "TOKEN",
  "LIMIT",
  "REUSE",
  "LOOPS",
  "LASTA",
  "NOKEY",
  "REQST",
  "ONEOP",
  "LARGE",
  "ONEPW",
  "SLOWQ",
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

const known = new Set<string>(ERROR_CODES);

export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === "string" && known.has(value);
}
