/*
 * Failed-login counts and locks per account or submitted identifier.
 * No role but the owner holds a privilege: only security definer functions reach it.
 */
revoke all on app_private.login_attempts from public, authenticator, app_anonymous, app_authenticated, app_worker, app_analytics;
