/*
 * The mode the database was created in, written once (a trigger refuses changes).
 * No role but the owner holds a privilege: only security definer functions reach it.
 */
revoke all on config.instance from public, authenticator, app_anonymous, app_authenticated, app_worker, app_analytics;
