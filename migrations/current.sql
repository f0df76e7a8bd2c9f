-- Accounts, passwords, login, sessions and email verification: the authentication core.

/* current.sql is re-run on every save by `npm run db:watch`: start from a clean slate so it stays idempotent. */
drop table if exists app_private.email_verifications, app_private.refresh_tokens, app_private.sessions,
  app_private.password_history, app_private.user_security, app_private.common_passwords cascade;
drop view if exists app_public.user_profiles cascade;
drop table if exists app_public.users cascade;
drop type if exists app_public.login_result, app_public.registration, app_public.outcome, app_public.security_summary cascade;
drop function if exists app_hidden.current_session_id();
delete from config.system_settings where key in (
  'auth.password_require_composition', 'auth.password_history_count', 'auth.refresh_token_ttl',
  'auth.verification_resend_interval');

/* The gateway reads the clock to check token expiry against the same time as the database. */
--!include functions/app_hidden.clock_now.sql

/* ------------------------------------------------------------------------------------------------------------------
 * Settings used from here on.
 */
insert into config.system_settings (key, value_type, default_value, value, min_value, max_value, is_public, description)
select key, value_type, default_value, default_value, min_value, max_value, is_public, description
from (values
  ('auth.password_require_composition', 'boolean', 'false'::jsonb, null::numeric, null::numeric, true,
    'Also require an upper-case letter, a lower-case letter, a digit and a symbol. Off by default (NIST 800-63B).'),
  ('auth.password_history_count', 'integer', '5', 0, 24, false,
    'A new password may not equal any of this many previous ones.'),
  ('auth.refresh_token_ttl', 'interval', '"30 days"', null, null, false,
    'Lifetime of a refresh token.'),
  ('auth.verification_resend_interval', 'interval', '"1 minute"', null, null, false,
    'Shortest time between two verification mails to one account; requests in between are dropped silently.')
) as defaults (key, value_type, default_value, min_value, max_value, is_public, description);

/* ------------------------------------------------------------------------------------------------------------------
 * Accounts. What a user may read and edit of their own row is decided by RLS and column grants; status, verification,
 * tier and metadata change only through functions.
 */
create table app_public.users (
  id uuid primary key default gen_random_uuid(),
  username citext not null check (length(username) between 3 and 50 and username ~ '^[A-Za-z0-9](?:[A-Za-z0-9_.-]*[A-Za-z0-9])?$'),
  email citext not null check (length(email) <= 254 and email ~ '^[^@[:space:]]+@[^@[:space:]]+\.[^@[:space:]]+$'),
  first_name text check (length(first_name) between 1 and 100),
  last_name text check (length(last_name) between 1 and 100),
  display_name text check (length(display_name) between 1 and 100),
  avatar_url text check (length(avatar_url) <= 2048 and avatar_url ~ '^https://[^[:space:]]+$'),
  bio text check (length(bio) <= 500),
  timezone text not null default 'UTC' check (length(timezone) <= 64 and timezone ~ '^[A-Za-z_]+(/[A-Za-z0-9_+-]+)*$'),
  language text not null default 'en' check (language ~ '^[a-z]{2,3}(-[A-Z]{2})?$'),
  tier text not null default 'free' check (tier in ('free', 'pro', 'enterprise')),
  status text not null default 'active' check (status in ('active', 'inactive', 'suspended', 'deleted')),
  email_verified boolean not null default false,
  email_verified_at timestamptz,
  gdpr_consent_at timestamptz,
  retention_until date,
  deleted_at timestamptz,
  preferences jsonb not null default '{}' check (jsonb_typeof(preferences) = 'object' and length(preferences::text) <= 10000),
  metadata jsonb not null default '{}' check (jsonb_typeof(metadata) = 'object' and length(metadata::text) <= 10000),
  created_at timestamptz not null default app_hidden.clock_now(),
  updated_at timestamptz not null default app_hidden.clock_now(),
  check (email_verified = (email_verified_at is not null))
);
comment on table app_public.users is
  $$@behavior -insert -delete
An account. You can read and edit your own; other people see only your public profile (UserProfile).$$;
comment on column app_public.users.username is 'Your public handle: 3 to 50 letters, digits, dots, dashes or underscores.';
comment on column app_public.users.email is 'Where Gatehouse writes to you. Never shown to other users.';
comment on column app_public.users.status is 'active, inactive, suspended or deleted. Only active accounts can log in.';
comment on column app_public.users.tier is 'Your plan: free, pro or enterprise.';
comment on column app_public.users.preferences is 'Your own settings for client applications (a JSON object, up to 10 kB).';
comment on column app_public.users.metadata is 'Data administrators keep about the account (a JSON object). Read-only for you.';
comment on column app_public.users.retention_until is 'When the account''s data may be erased under the retention policy.';
comment on column app_public.users.deleted_at is 'When the account was deleted (soft delete).';

/* Unique among accounts that are not deleted; lookups at login use the same indexes. */
create unique index users_username_key on app_public.users (username) where deleted_at is null;
create unique index users_email_key on app_public.users (email) where deleted_at is null;
create index users_status_created_idx on app_public.users (status, created_at desc) where deleted_at is null;
create index users_created_idx on app_public.users (created_at desc);

--!include functions/app_hidden.tg__timestamps.sql
create trigger _100_timestamps before insert or update on app_public.users
  for each row execute function app_hidden.tg__timestamps();

/* What other users may see: a separate type with only the public fields of active accounts. */
create view app_public.user_profiles as
  select u.id, u.username, u.display_name, u.avatar_url
  from app_public.users u
  where u.status = 'active' and u.deleted_at is null;
comment on view app_public.user_profiles is
  $$@primaryKey id
@behavior -insert -update -delete -connection -list
The public profile of an active account: what other users see. Looked up by id; accounts cannot be listed.$$;

/* Platform administrators are accounts. */
alter table app_private.platform_admins
  add constraint platform_admins_user_id_fkey foreign key (user_id) references app_public.users (id) on delete cascade;

/* ------------------------------------------------------------------------------------------------------------------
 * Security state: never readable by a client role; a user sees their own through app_public.current_user_security().
 */
create table app_private.user_security (
  user_id uuid primary key references app_public.users (id) on delete cascade,
  password_hash text not null,
  password_scheme text not null check (password_scheme in ('bcrypt-sha384', 'bcrypt')),
  password_changed_at timestamptz not null default app_hidden.clock_now(),
  failed_login_count integer not null default 0 check (failed_login_count >= 0),
  locked_until timestamptz,
  last_login_at timestamptz,
  last_login_ip inet
);
comment on table app_private.user_security is
  'Password hash and login state of each account. bcrypt-sha384: bcrypt over base64(SHA-384(NFKC(password))); bcrypt: a legacy hash of the raw password, upgraded at the next login.';
create index user_security_recent_login_idx on app_private.user_security (last_login_at desc) where last_login_at is not null;

create table app_private.password_history (
  id bigint generated always as identity primary key,
  user_id uuid not null references app_public.users (id) on delete cascade,
  password_hash text not null,
  password_scheme text not null,
  created_at timestamptz not null default app_hidden.clock_now()
);
create index password_history_user_idx on app_private.password_history (user_id, created_at desc);
comment on table app_private.password_history is 'Earlier password hashes, so a new password cannot repeat a recent one.';

create table app_private.common_passwords (
  password text primary key
);
comment on table app_private.common_passwords is
  'Passwords too common to allow (lower-case), loaded at migration time from @zxcvbn-ts/language-common.';

/* ------------------------------------------------------------------------------------------------------------------
 * Sessions: one per login, named by the access token's sid claim. Refresh tokens belong to a session.
 */
create table app_private.sessions (
  id uuid primary key default gen_random_uuid(),
  user_id uuid not null references app_public.users (id) on delete cascade,
  created_at timestamptz not null default app_hidden.clock_now(),
  last_refreshed_at timestamptz not null default app_hidden.clock_now(),
  absolute_expires_at timestamptz not null,
  revoked_at timestamptz,
  revoked_reason text check (length(revoked_reason) <= 100),
  ip inet,
  user_agent text check (length(user_agent) <= 512),
  device_info jsonb not null default '{}' check (jsonb_typeof(device_info) = 'object'),
  check ((revoked_at is null) = (revoked_reason is null))
);
comment on table app_private.sessions is 'One row per login. Revoked or past absolute_expires_at: the session is over.';
create index sessions_user_idx on app_private.sessions (user_id, created_at desc);
create index sessions_live_user_idx on app_private.sessions (user_id) where revoked_at is null;

--!include functions/app_private.tg_sessions__set_expiry.sql
create trigger _100_set_expiry before insert on app_private.sessions
  for each row execute function app_private.tg_sessions__set_expiry();

create table app_private.refresh_tokens (
  id uuid primary key default gen_random_uuid(),
  session_id uuid not null references app_private.sessions (id) on delete cascade,
  token_hash bytea not null unique check (length(token_hash) = 32),
  created_at timestamptz not null default app_hidden.clock_now(),
  expires_at timestamptz not null,
  used_at timestamptz,
  replaced_by uuid references app_private.refresh_tokens (id) on delete set null
);
comment on table app_private.refresh_tokens is 'Refresh tokens, stored only as SHA-256. The token itself is shown once, at issue.';
create index refresh_tokens_session_idx on app_private.refresh_tokens (session_id);
create index refresh_tokens_replaced_by_idx on app_private.refresh_tokens (replaced_by) where replaced_by is not null;

/* ------------------------------------------------------------------------------------------------------------------
 * Email verification. The database records the request and queues a job; the worker mints the token, stores only its
 * hash here, and sends the mail. No plaintext token is ever written to the database, not even in a job payload.
 */
create table app_private.email_verifications (
  id uuid primary key default gen_random_uuid(),
  user_id uuid not null references app_public.users (id) on delete cascade,
  email citext not null,
  created_at timestamptz not null default app_hidden.clock_now(),
  token_hash bytea unique check (length(token_hash) = 32),
  token_expires_at timestamptz,
  used_at timestamptz,
  check ((token_hash is null) = (token_expires_at is null))
);
comment on table app_private.email_verifications is 'Requests to verify an address; the token hash is stored when the worker sends the mail.';
create index email_verifications_user_idx on app_private.email_verifications (user_id, created_at desc);

/* ------------------------------------------------------------------------------------------------------------------
 * Result types of the authentication mutations. refusal_code / refusal_message follow docs/refusals.md.
 */
create type app_public.outcome as (
  ok boolean,
  refusal_code text,
  refusal_message text
);
comment on type app_public.outcome is 'The result of an operation that returns nothing else.';
comment on column app_public.outcome.ok is 'True when the operation was carried out.';
comment on column app_public.outcome.refusal_code is '@behavior -attribute:select';
comment on column app_public.outcome.refusal_message is '@behavior -attribute:select';

create type app_public.registration as (
  email citext,
  verification_required boolean,
  refusal_code text,
  refusal_message text
);
comment on type app_public.registration is
  'Registration accepted: if the address can be used, a mail is on its way to it. The answer is the same whether or not the address already has an account.';
comment on column app_public.registration.refusal_code is '@behavior -attribute:select';
comment on column app_public.registration.refusal_message is '@behavior -attribute:select';

create type app_public.login_result as (
  user_id uuid,
  session_id uuid,
  refresh_token text,
  access_token_issued_at timestamptz,
  access_token_expires_at timestamptz,
  refusal_code text,
  refusal_message text
);
comment on type app_public.login_result is 'A new session: tokens to call the API with, and the account.';
comment on column app_public.login_result.user_id is '@behavior -attribute:select';
comment on column app_public.login_result.session_id is 'The new session''s id (the access token''s sid claim).';
comment on column app_public.login_result.refresh_token is
  'Exchange it for new tokens when the access token expires. Shown only this once: store it safely.';
comment on column app_public.login_result.access_token_issued_at is '@behavior -attribute:select';
comment on column app_public.login_result.access_token_expires_at is 'When the access token stops working.';
comment on column app_public.login_result.refusal_code is '@behavior -attribute:select';
comment on column app_public.login_result.refusal_message is '@behavior -attribute:select';

create type app_public.security_summary as (
  password_changed_at timestamptz,
  last_login_at timestamptz,
  last_login_ip inet,
  live_sessions integer
);
comment on type app_public.security_summary is 'What Gatehouse knows about the security of your account.';

/* ------------------------------------------------------------------------------------------------------------------
 * Functions.
 */
--!include functions/app_hidden.current_session_id.sql
--!include functions/app_hidden.current_user_id.sql
--!include functions/app_private.password_prehash.sql
--!include functions/app_private.hash_password.sql
--!include functions/app_private.verify_password.sql
--!include functions/app_private.password_policy_violation.sql
--!include functions/app_private.new_token.sql
--!include functions/app_private.token_hash.sql
--!include functions/app_private.request_email_verification.sql
--!include functions/app_hidden.issue_verification_token.sql
--!include functions/app_hidden.mail_recipient.sql
--!include functions/app_public.register.sql
--!include functions/app_public.login.sql
--!include functions/app_public.login_result_user.sql
--!include functions/app_public.current_user.sql
--!include functions/app_public.current_user_security.sql
--!include functions/app_public.logout.sql
--!include functions/app_public.logout_all_sessions.sql
--!include functions/app_public.change_password.sql
--!include functions/app_public.verify_email.sql
--!include functions/app_public.resend_verification.sql

/* ------------------------------------------------------------------------------------------------------------------
 * Row-level security and grants.
 */
--!include policies/app_public.users.sql
--!include policies/app_public.user_profiles.sql
