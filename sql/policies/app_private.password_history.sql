/*
 * Earlier password hashes of each account (reuse refusal).
 * No role but the owner holds a privilege: only security definer functions reach it.
 */
revoke all on app_private.password_history from public, authenticator, app_anonymous, app_authenticated, app_worker, app_analytics;
revoke all on sequence app_private.password_history_id_seq from public, authenticator, app_anonymous, app_authenticated, app_worker, app_analytics;
