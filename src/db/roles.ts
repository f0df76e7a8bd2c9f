/**
 * Database roles and connection strings.
 *
 * Roles are cluster-wide, so they are created before any migration by `bootstrapDatabase` (superuser), never by
 * migrations. Each role has one job:
 *   app_owner          owns the schemas, runs migrations, owns the SECURITY DEFINER functions
 *   authenticator      the gateway's login; NOINHERIT, so it holds nothing itself and can only SET ROLE to a client role
 *   app_anonymous      requests without a valid token
 *   app_authenticated  requests with a valid token (inherits app_anonymous)
 *   app_worker         the background worker; owns the graphile_worker schema. NOINHERIT: it holds the rights of
 *                      app_marketing only after SET ROLE, and then none of its own
 *   app_marketing      what a marketing job runs as (the worker switches to it): reaches an address only through the
 *                      consent check of app_hidden.mail_recipient(user_id, purpose) (docs/consent.md)
 *   app_analytics      read-only reporting; no login of its own, granted to analysts' logins
 */
import { randomBytes } from "node:crypto";

export const ROLES = {
  owner: "app_owner",
  authenticator: "authenticator",
  anonymous: "app_anonymous",
  authenticated: "app_authenticated",
  worker: "app_worker",
  marketing: "app_marketing",
  analytics: "app_analytics",
} as const;

/** Connection strings for one Gatehouse database. */
export interface DatabaseUrls {
  database: string;
  /** Superuser: creates roles and the database. Absent when an operator prepared both. */
  root: string | undefined;
  owner: string | undefined;
  authenticator: string;
  worker: string;
}

export interface RolePasswords {
  owner: string;
  authenticator: string;
  worker: string;
}

export function newPassword(): string {
  return randomBytes(24).toString("base64url");
}

export function newRolePasswords(): RolePasswords {
  return { owner: newPassword(), authenticator: newPassword(), worker: newPassword() };
}

/** The same server as `rootUrl`, logged in as `role` to `database`. */
export function roleUrl(rootUrl: string, role: string, password: string, database: string): string {
  const url = new URL(rootUrl);
  url.username = role;
  url.password = password;
  url.pathname = `/${database}`;
  return url.toString();
}

/** The same login, on another database of the same server. */
export function withDatabase(connectionString: string, database: string): string {
  const url = new URL(connectionString);
  url.pathname = `/${encodeURIComponent(database)}`;
  return url.toString();
}

export function urlsOnServer(rootUrl: string, database: string, passwords: RolePasswords): DatabaseUrls {
  return {
    database,
    root: rootUrl,
    owner: roleUrl(rootUrl, ROLES.owner, passwords.owner, database),
    authenticator: roleUrl(rootUrl, ROLES.authenticator, passwords.authenticator, database),
    worker: roleUrl(rootUrl, ROLES.worker, passwords.worker, database),
  };
}

export function databaseName(connectionString: string): string {
  return decodeURIComponent(new URL(connectionString).pathname.slice(1));
}

export function passwordOf(connectionString: string): string {
  return decodeURIComponent(new URL(connectionString).password);
}
