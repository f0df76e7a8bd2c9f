const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A job payload's id field, checked before any work: a malformed payload fails the job loudly. */
export function assertUuid(payload: unknown, field: string): string {
  const value = (payload as Record<string, unknown> | null)?.[field];
  if (typeof value !== "string" || !UUID.test(value)) {
    throw new Error(`payload.${field} must be a UUID`);
  }
  return value;
}
