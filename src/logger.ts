import { pino, type Logger } from "pino";
import type { LogLevel } from "./config.ts";

export type { Logger };

/**
 * JSON logs on stdout. Credentials and tokens must never reach a log line: the redaction list is a last guard for
 * the request headers that carry them, not a licence to log secrets elsewhere.
 */
export function createLogger(level: LogLevel): Logger {
  return pino({
    level,
    base: { service: "gatehouse" },
    redact: {
      paths: ["req.headers.authorization", "req.headers.cookie", 'res.headers["set-cookie"]', "*.password", "*.token"],
      censor: "[redacted]",
    },
  });
}
