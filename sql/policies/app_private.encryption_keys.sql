/*
 * Public halves of the personal-data keys and their state; the private halves live in the key store, not here.
 * No role but the owner holds a privilege: only security definer functions reach it.
 */
revoke all on app_private.encryption_keys from public, authenticator, app_anonymous, app_authenticated, app_worker, app_analytics;
