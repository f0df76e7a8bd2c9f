/*
 * Feature flags, read through app_public.enabled_features and config functions.
 * No role but the owner holds a privilege: only security definer functions reach it.
 */
revoke all on config.feature_flags from public, authenticator, app_anonymous, app_authenticated, app_worker, app_analytics;
