/*
 * Devices an account has logged in from (a new one triggers a notification mail).
 * No role but the owner holds a privilege: only security definer functions reach it.
 */
revoke all on app_private.known_devices from public, authenticator, app_anonymous, app_authenticated, app_worker, app_analytics;
