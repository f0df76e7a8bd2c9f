/*
 * Logins in flight: reserved before the password is hashed, removed when the attempt is recorded. They count as
 * failures of their client IP, and as attempts of their account, until then (docs/login.md).
 * No role but the owner holds a privilege: only security definer functions reach it.
 */
revoke all on app_private.login_reservations from public, authenticator, app_anonymous, app_authenticated, app_worker, app_analytics;
