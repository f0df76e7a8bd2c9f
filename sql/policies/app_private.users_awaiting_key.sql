/*
 * Accounts waiting for the worker to make their personal-data key.
 * No role but the owner holds a privilege: only security definer functions reach it.
 */
revoke all on app_private.users_awaiting_key from public, authenticator, app_anonymous, app_authenticated, app_worker, app_analytics;
