/*
 * Sessions: state, lifetimes and the encrypted origin of each.
 * No role but the owner holds a privilege: only security definer functions reach it.
 */
revoke all on app_private.sessions from public, authenticator, app_anonymous, app_authenticated, app_worker, app_analytics;
