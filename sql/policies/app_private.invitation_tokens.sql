/*
 * Hashes of invitation link tokens.
 * No role but the owner holds a privilege: only security definer functions reach it.
 */
revoke all on app_private.invitation_tokens from public, authenticator, app_anonymous, app_authenticated, app_worker, app_analytics;
