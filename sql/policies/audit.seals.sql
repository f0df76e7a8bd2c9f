/*
 * Seals of the audit hash chain: written by audit__seal (through security definer functions), read by the chain
 * verification. No application role holds a table privilege; row-level security is on as a second wall.
 */
alter table audit.seals enable row level security;
revoke all on audit.seals from public, authenticator, app_anonymous, app_authenticated, app_worker, app_analytics;
revoke all on sequence audit.seals_seq_seq from public, authenticator, app_anonymous, app_authenticated, app_worker, app_analytics;
