/*
 * The role model flattened into Casbin rules. Its grant lines carry user ids (which account holds which role): that
 * is personal data, so no reporting role reads it; client roles read the same facts through the tables under
 * row-level security instead. A Casbin adapter would connect with a role of its own, granted here.
 */
revoke all on app_public.casbin_rule from public, authenticator, app_anonymous, app_authenticated, app_worker, app_marketing, app_analytics;
