/*
 * Rate-limit buckets (pseudonymous keys).
 * No role but the owner holds a privilege: only security definer functions reach it.
 */
revoke all on app_private.rate_limit_hits from public, authenticator, app_anonymous, app_authenticated, app_worker, app_analytics;
revoke all on sequence app_private.rate_limit_hits_id_seq from public, authenticator, app_anonymous, app_authenticated, app_worker, app_analytics;
