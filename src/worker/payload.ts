const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A job payload's id field, checked before any work: a malformed payload fails the job loudly. */
export function assertUuid(payload: unknown, field: string): string {
  const value = (payload as Record<string, unknown> | null)?.[field];
  if (typeof value !== "string" || !UUID.test(value)) {
    throw new Error(`payload.${field} must be a UUID`);
  }
  return value;
}

/** A job payload's list of ids: 1 to `max` UUIDs, checked before any work. */
export function assertUuidList(payload: unknown, field: string, max: number): string[] {
  const value = (payload as Record<string, unknown> | null)?.[field];
  if (
    !Array.isArray(value) ||
    value.length < 1 ||
    value.length > max ||
    !value.every((id) => typeof id === "string" && UUID.test(id))
  ) {
    throw new Error(`payload.${field} must be a list of 1 to ${max} UUIDs`);
  }
  return value as string[];
}
