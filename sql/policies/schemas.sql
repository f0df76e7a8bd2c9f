/*
 * Who may use each schema (a role needs USAGE on a schema before any grant inside it counts), and the default that no
 * new function is executable by PUBLIC. Grants on tables, views and sequences are in the policy file of each table;
 * grants on functions in the file of each function. graphile_worker belongs to graphile-worker (app_worker owns it).
 */
revoke all on schema public from public;

revoke all on schema app_public from public, authenticator, app_anonymous, app_authenticated, app_worker, app_marketing, app_analytics;
grant usage on schema app_public to app_anonymous, app_authenticated;

/*
 * Helpers client roles call from SQL and policies; the authenticator calls schema_version() and clock_now(); a
 * marketing job (app_marketing) calls the few functions granted to it (docs/consent.md).
 */
revoke all on schema app_hidden from public, authenticator, app_anonymous, app_authenticated, app_worker, app_marketing, app_analytics;
grant usage on schema app_hidden to authenticator, app_anonymous, app_authenticated, app_worker, app_marketing;

/*
 * Reporting: fixed aggregates with small groups suppressed, and rows of consenting accounts under a pseudonym. The
 * analytics role reads this schema and nothing else of the project (docs/consent.md).
 */
revoke all on schema analytics from public, authenticator, app_anonymous, app_authenticated, app_worker, app_marketing, app_analytics;
grant usage on schema analytics to app_analytics;

/* Secrets: reached only through security definer functions owned by app_owner. */
revoke all on schema app_private from public, authenticator, app_anonymous, app_authenticated, app_worker, app_marketing, app_analytics;

/* The worker calls partition upkeep and sealing functions, and reads settings. */
revoke all on schema audit from public, authenticator, app_anonymous, app_authenticated, app_worker, app_marketing, app_analytics;
grant usage on schema audit to app_worker;
revoke all on schema config from public, authenticator, app_anonymous, app_authenticated, app_worker, app_marketing, app_analytics;
grant usage on schema config to app_worker;

/* pgcrypto and citext: their types and operators appear in the exposed API and in policies. */
revoke all on schema extensions from public, authenticator, app_anonymous, app_authenticated, app_worker, app_marketing, app_analytics;
grant usage on schema extensions to app_anonymous, app_authenticated, app_worker;

alter default privileges revoke execute on functions from public;
alter default privileges in schema app_public, app_hidden, app_private, audit, config, analytics revoke execute on functions from public;
