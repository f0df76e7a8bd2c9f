/*
 * The audit trail is written only through audit.record_event (security definer) and read only through the auditor's
 * functions. No application role holds a table privilege, and row-level security is on as a second wall.
 */
alter table audit.events enable row level security;
revoke all on audit.events from public, authenticator, app_anonymous, app_authenticated, app_worker, app_analytics;
revoke all on audit.events_default from public, authenticator, app_anonymous, app_authenticated, app_worker, app_analytics;
revoke all on sequence audit.events_id_seq from public, authenticator, app_anonymous, app_authenticated, app_worker, app_analytics;
