/*
 * The list of common and breached passwords the password policy refuses (loaded at migration).
 * No role but the owner holds a privilege: only security definer functions reach it.
 */
revoke all on app_private.common_passwords from public, authenticator, app_anonymous, app_authenticated, app_worker, app_analytics;
