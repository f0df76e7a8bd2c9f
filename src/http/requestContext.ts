/**
 * The per-request facts Postgres needs for its rules and audit rows: a request id (the client's X-Request-Id when it
 * is well-formed, else a new one), the client address (Express resolves it from the trusted proxy header configured
 * by TRUST_PROXY, else the socket) and the user agent. They reach SQL as transaction-local settings, with an attempt
 * id the gateway draws for every request (never the client's): the transactions of one request share it, so a login
 * finds the reservation its first transaction made (docs/login.md).
 */
import { randomUUID } from "node:crypto";
import net from "node:net";
import type { NextFunction, Request, Response } from "express";

const REQUEST_ID = /^[A-Za-z0-9._:-]{8,128}$/;
const MAX_USER_AGENT = 512;

declare module "express-serve-static-core" {
  interface Request {
    requestId: string;
    attemptId: string;
  }
}

export function assignRequestId(req: Request, res: Response, next: NextFunction): void {
  const incoming = req.get("x-request-id");
  req.requestId = incoming && REQUEST_ID.test(incoming) ? incoming : randomUUID();
  req.attemptId = randomUUID();
  res.setHeader("x-request-id", req.requestId);
  next();
}

export interface RequestContextSettings {
  "request.id": string;
  "request.ip": string;
  "request.user_agent": string;
  "request.attempt_id": string;
}

/** An IPv4 client seen through an IPv6 socket (::ffff:a.b.c.d) is that IPv4 address, not an IPv6 one. */
function clientIp(address: string | undefined): string {
  if (!address || !net.isIP(address)) return "";
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  return mapped && net.isIPv4(mapped[1]!) ? mapped[1]! : address;
}

export function requestContextSettings(req: Request): RequestContextSettings {
  const ip = clientIp(req.ip);
  return {
    "request.id": req.requestId,
    "request.ip": ip,
    "request.user_agent": (req.get("user-agent") ?? "").slice(0, MAX_USER_AGENT),
    "request.attempt_id": req.attemptId,
  };
}
