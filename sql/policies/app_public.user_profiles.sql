/*
 * A view, owned by app_owner, so it reads every active account whatever the caller's RLS: it exposes only the public
 * columns (username, display name, avatar). Logged-in users may read it; anonymous callers may not list accounts.
 */
revoke all on app_public.user_profiles from public, authenticator, app_anonymous, app_authenticated, app_worker, app_analytics;
grant select on app_public.user_profiles to app_authenticated;
