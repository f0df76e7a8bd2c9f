/**
 * The per-request facts Postgres needs for its rules and audit rows: a request id (the client's X-Request-Id when it
 * is well-formed, else a new one), the client address (Express resolves it from the trusted proxy header configured
 * by TRUST_PROXY, else the socket) and the user agent. They reach SQL as transaction-local settings.
 */
import { randomUUID } from "node:crypto";
import net from "node:net";
import type { NextFunction, Request, Response } from "express";

const REQUEST_ID = /^[A-Za-z0-9._:-]{8,128}$/;
const MAX_USER_AGENT = 512;

declare module "express-serve-static-core" {
  interface Request {
    requestId: string;
  }
}

export function assignRequestId(req: Request, res: Response, next: NextFunction): void {
  const incoming = req.get("x-request-id");
  req.requestId = incoming && REQUEST_ID.test(incoming) ? incoming : randomUUID();
  res.setHeader("x-request-id", req.requestId);
  next();
}

export interface RequestContextSettings {
  "request.id": string;
  "request.ip": string;
  "request.user_agent": string;
}

export function requestContextSettings(req: Request): RequestContextSettings {
  const ip = req.ip && net.isIP(req.ip) ? req.ip : "";
  return {
    "request.id": req.requestId,
    "request.ip": ip,
    "request.user_agent": (req.get("user-agent") ?? "").slice(0, MAX_USER_AGENT),
  };
}
