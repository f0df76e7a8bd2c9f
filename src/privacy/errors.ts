/**
 * Encrypted data that cannot be read right now (no master key, a master key that does not match the key store, an
 * unreachable key store) fails closed with one documented code: the value is never returned in another form.
 */
export class EncryptionUnavailableError extends Error {
  override name = "EncryptionUnavailableError";
  readonly code = "NOKEY";
  readonly extensions = { code: "NOKEY" };
  /** What went wrong, for the log; clients see only the message. */
  readonly detail: string;

  constructor(detail: string) {
    super("Encrypted data cannot be read right now.");
    this.detail = detail;
  }
}
