/*
 * Daily activity of accounts whose latest analytics consent is granted, under a pseudonym: for reporting only. The
 * view reads through the security definer function of the same name, which app_analytics may execute too.
 */
revoke all on analytics.consenting_user_activity from public, authenticator, app_anonymous, app_authenticated, app_worker, app_marketing, app_analytics;
grant select on analytics.consenting_user_activity to app_analytics;
