/*
 * Hashes of refresh tokens and their rotation family.
 * No role but the owner holds a privilege: only security definer functions reach it.
 */
revoke all on app_private.refresh_tokens from public, authenticator, app_anonymous, app_authenticated, app_worker, app_analytics;
