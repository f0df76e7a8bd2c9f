/*
 * Pending email-address changes and the hashes of their confirmation tokens.
 * No role but the owner holds a privilege: only security definer functions reach it.
 */
revoke all on app_private.email_changes from public, authenticator, app_anonymous, app_authenticated, app_worker, app_analytics;
