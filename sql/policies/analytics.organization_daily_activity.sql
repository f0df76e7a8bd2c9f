/*
 * Activity per organisation and day, small counts suppressed: for reporting only. The view reads through the security
 * definer function of the same name, which app_analytics may execute too.
 */
revoke all on analytics.organization_daily_activity from public, authenticator, app_anonymous, app_authenticated, app_worker, app_marketing, app_analytics;
grant select on analytics.organization_daily_activity to app_analytics;
