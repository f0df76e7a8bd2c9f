/*
 * The HMAC key of analytics pseudonyms. No role but the owner holds a privilege: the analytics functions (security
 * definer) compute pseudonyms with it, and app_analytics never sees it (docs/consent.md).
 */
revoke all on app_private.analytics_keys from public, authenticator, app_anonymous, app_authenticated, app_worker, app_marketing, app_analytics;
