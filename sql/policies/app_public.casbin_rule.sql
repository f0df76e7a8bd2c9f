/*
 * The role model flattened into Casbin rules, for reporting: read-only and only to the analytics role. Client roles
 * read the same facts through the tables under row-level security instead.
 */
revoke all on app_public.casbin_rule from public, authenticator, app_anonymous, app_authenticated, app_worker, app_analytics;
grant select on app_public.casbin_rule to app_analytics;
