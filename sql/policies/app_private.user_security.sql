/*
 * Password hashes and the security state of each account.
 * No role but the owner holds a privilege: only security definer functions reach it.
 */
revoke all on app_private.user_security from public, authenticator, app_anonymous, app_authenticated, app_worker, app_analytics;
