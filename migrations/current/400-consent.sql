/*
 * Consent that is enforced, not only recorded (docs/consent.md). The current state of a purpose is decided by one
 * function, in the query that acts on it. Analytics: a schema of its own that only app_analytics may use, with fixed
 * aggregates whose small groups are suppressed and rows of consenting accounts only, under a keyed pseudonym; the
 * analytics role reads nothing else (it loses the Casbin view, whose grant lines list user ids).
 */
create schema if not exists analytics;
comment on schema analytics is
  'Reporting for app_analytics only: fixed aggregates (small groups suppressed) and consenting accounts under a pseudonym. Not in GraphQL.';

create table if not exists app_private.analytics_keys (
  id boolean primary key default true check (id),
  hmac_key bytea not null check (length(hmac_key) = 32),
  created_at timestamptz not null default now()
);
comment on table app_private.analytics_keys is
  'The HMAC key of analytics pseudonyms (one row). Only the owner reads it, through app_private.analytics_pseudonym.';
insert into app_private.analytics_keys (hmac_key) values (extensions.gen_random_bytes(32)) on conflict (id) do nothing;

insert into config.system_settings (key, value_type, default_value, value, min_value, max_value, is_public, description)
values ('analytics.min_group_size', 'integer', '10', '10', 2, 1000, false,
        'Aggregates of the analytics schema show a count only when it covers at least this many people; smaller ones are null.')
on conflict (key) do nothing;

/* Who may use what: the analytics schema for app_analytics only, and app_analytics nothing else of the project. */
--!include policies/schemas.sql
--!include policies/app_public.casbin_rule.sql
--!include policies/app_private.analytics_keys.sql

/* Consent, decided where it is acted on, and written in one place. */
--!include functions/app_private.consent_granted.sql
--!include functions/app_private.append_consent.sql
--!include functions/app_public.record_consent.sql

/*
 * Analytics: definer functions (so EXPLAIN shows a function scan, never the rows behind a suppressed count), and a
 * view of each for reporting tools.
 */
--!include functions/app_private.analytics_pseudonym.sql
--!include functions/analytics.daily_activity.sql
--!include functions/analytics.organization_daily_activity.sql
--!include functions/analytics.consenting_users.sql
--!include functions/analytics.consenting_user_activity.sql
create or replace view analytics.daily_activity with (security_barrier) as
  select * from analytics.daily_activity();
comment on view analytics.daily_activity is
  'Sign-ups, logins and active users per day (UTC); a count of fewer people than analytics.min_group_size is null.';
create or replace view analytics.organization_daily_activity with (security_barrier) as
  select * from analytics.organization_daily_activity();
comment on view analytics.organization_daily_activity is
  'New members, logins and active members per organisation and day (UTC); counts of fewer people than analytics.min_group_size are null.';
create or replace view analytics.consenting_users with (security_barrier) as
  select * from analytics.consenting_users();
comment on view analytics.consenting_users is
  'One row per account whose latest analytics consent is granted, under a pseudonym (HMAC of the account id).';
create or replace view analytics.consenting_user_activity with (security_barrier) as
  select * from analytics.consenting_user_activity();
comment on view analytics.consenting_user_activity is
  'Logins and refreshes per day (UTC) of each account whose latest analytics consent is granted, under its pseudonym.';
--!include policies/analytics.daily_activity.sql
--!include policies/analytics.organization_daily_activity.sql
--!include policies/analytics.consenting_users.sql
--!include policies/analytics.consenting_user_activity.sql

/* ------------------------------------------------------------------------------------------------------------------
 * Marketing: messages and their deliveries, each with the hash of its one-click unsubscribe token. An operator
 * queues a message; the worker task marketing__send runs as app_marketing, a role whose only way to an address is the
 * consent check of app_hidden.mail_recipient(user_id, purpose); a withdrawal by the link joins the consent history.
 */
create table if not exists app_private.marketing_messages (
  id uuid primary key default gen_random_uuid(),
  subject text not null check (length(subject) between 1 and 200 and subject !~ '[[:cntrl:]]'),
  body text not null check (length(body) between 1 and 20000),
  created_at timestamptz not null default app_hidden.clock_now()
);
comment on table app_private.marketing_messages is
  'Product news queued by app_private.queue_marketing_mail; sent by the worker only to accounts that consent to marketing.';

create table if not exists app_private.marketing_deliveries (
  message_id uuid not null references app_private.marketing_messages (id) on delete cascade,
  user_id uuid not null references app_public.users (id) on delete cascade,
  token_hash bytea not null unique,
  token_expires_at timestamptz not null,
  token_used_at timestamptz,
  sent_at timestamptz,
  primary key (message_id, user_id)
);
comment on table app_private.marketing_deliveries is
  'One marketing mail to one account: the SHA-256 of its unsubscribe token, when the mail went out, when the link was used.';
create index if not exists marketing_deliveries_user_id_idx on app_private.marketing_deliveries (user_id);
create index if not exists marketing_deliveries_token_expires_at_idx on app_private.marketing_deliveries (token_expires_at);

insert into config.system_settings (key, value_type, default_value, value, min_value, max_value, is_public, description)
values ('marketing.unsubscribe_link_ttl', 'interval', '"90 days"', '"90 days"', null, null, false,
        'How long the one-click unsubscribe link of a marketing mail works.')
on conflict (key) do nothing;

--!include policies/app_private.marketing_messages.sql
--!include policies/app_private.marketing_deliveries.sql
--!include functions/app_hidden.mail_recipient.sql
--!include functions/app_hidden.marketing_message.sql
--!include functions/app_hidden.issue_unsubscribe_token.sql
--!include functions/app_hidden.mark_marketing_sent.sql
--!include functions/app_hidden.unsubscribe.sql
--!include functions/app_private.queue_marketing_mail.sql
--!include functions/app_hidden.expire_auth_records.sql
--!include functions/app_hidden.begin_erasure.sql
