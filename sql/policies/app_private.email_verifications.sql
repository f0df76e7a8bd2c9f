/*
 * Email verification requests and the hashes of their link tokens.
 * No role but the owner holds a privilege: only security definer functions reach it.
 */
revoke all on app_private.email_verifications from public, authenticator, app_anonymous, app_authenticated, app_worker, app_analytics;
