/*
 * The closure of the role hierarchy, kept by triggers on app_public.role_parents.
 * No role but the owner holds a privilege: only security definer functions reach it.
 */
revoke all on app_private.role_ancestors from public, authenticator, app_anonymous, app_authenticated, app_worker, app_analytics;
