--! Previous: sha1:9603c7c0eafe192c3528acb935958412c58fbb79
--! Hash: sha1:3e28bdd313df19f227a891cb55469cb856996318
--! Message: authentication

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
--! Included functions/app_hidden.clock_now.sql
/*
 * The one clock every time rule reads. In development and test databases it adds the offset kept in config.clock, so a
 * test can move time forward for every later transaction (HTTP requests, worker jobs) without sleeping. Production
 * databases ignore the offset, whatever it says.
 */
create or replace function app_hidden.clock_now() returns timestamptz
language sql stable security definer
set search_path to pg_catalog, pg_temp as $$
  select pg_catalog.now() + coalesce(
    (select c.offset_by from config.clock c join config.instance i on i.mode <> 'production'),
    interval '0'
  )
$$;
comment on function app_hidden.clock_now() is
  'The current transaction time, moved by the test clock offset in development and test databases only.';
grant execute on function app_hidden.clock_now() to authenticator, app_anonymous, app_authenticated, app_worker, app_analytics;
--! EndIncluded functions/app_hidden.clock_now.sql

/* ------------------------------------------------------------------------------------------------------------------
 * Settings used from here on.
 */
insert into config.system_settings (key, value_type, default_value, value, min_value, max_value, is_public, description)
select key, value_type, default_value, default_value, min_value, max_value, is_public, description
from (values
  ('auth.password_require_composition', 'boolean', 'false'::jsonb, null::numeric, null::numeric, true,
    'Also require an upper-case letter, a lower-case letter, a digit and a symbol. Off by default (NIST 800-63B).'),
  ('auth.password_history_count', 'integer', '5', 0, 24, false,
    'A new password may not equal the current one or the ones before it: this many passwords in all.'),
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

--! Included functions/app_hidden.tg__timestamps.sql
/* Keeps created_at and updated_at honest whatever the client sends, on the Gatehouse clock. */
create or replace function app_hidden.tg__timestamps() returns trigger
language plpgsql as $$
begin
  new.created_at := case when tg_op = 'INSERT' then app_hidden.clock_now() else old.created_at end;
  new.updated_at := case
    when tg_op = 'UPDATE' and old.updated_at >= app_hidden.clock_now() then old.updated_at + interval '1 millisecond'
    else app_hidden.clock_now()
  end;
  return new;
end;
$$;
comment on function app_hidden.tg__timestamps() is 'Sets created_at on insert and updated_at on every write.';
--! EndIncluded functions/app_hidden.tg__timestamps.sql
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

--! Included functions/app_private.tg_sessions__set_expiry.sql
create or replace function app_private.tg_sessions__set_expiry() returns trigger
language plpgsql as $$
begin
  new.created_at := app_hidden.clock_now();
  new.last_refreshed_at := new.created_at;
  new.absolute_expires_at := new.created_at + config.setting_interval('auth.session_absolute_lifetime');
  return new;
end;
$$;
comment on function app_private.tg_sessions__set_expiry() is
  'A session ends auth.session_absolute_lifetime after login, however active it is.';
--! EndIncluded functions/app_private.tg_sessions__set_expiry.sql
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
--! Included functions/app_hidden.current_session_id.sql
/*
 * The session named by the verified access token, only while it is live: not revoked, not past its absolute expiry,
 * and its account active. One primary-key lookup; policies call it as `(select ...)` so it runs once per statement.
 * This is why logout, revocation and suspension take effect on the very next request.
 */
create or replace function app_hidden.current_session_id() returns uuid
language sql stable security definer
set search_path to pg_catalog, pg_temp as $$
  select s.id
  from app_private.sessions s
  join app_public.users u on u.id = s.user_id
  where s.id = nullif(pg_catalog.current_setting('jwt.claims.sid', true), '')::uuid
    and s.user_id = nullif(pg_catalog.current_setting('jwt.claims.sub', true), '')::uuid
    and s.revoked_at is null
    and s.absolute_expires_at > app_hidden.clock_now()
    and u.status = 'active'
    and u.deleted_at is null
$$;
comment on function app_hidden.current_session_id() is 'The caller''s session while it is live; null otherwise.';
grant execute on function app_hidden.current_session_id() to app_anonymous, app_authenticated, app_worker;
--! EndIncluded functions/app_hidden.current_session_id.sql
--! Included functions/app_hidden.current_user_id.sql
/* The token's subject, but only while its session is live (app_hidden.current_session_id). */
create or replace function app_hidden.current_user_id() returns uuid
language sql stable as $$
  select case
    when app_hidden.current_session_id() is not null
      then nullif(pg_catalog.current_setting('jwt.claims.sub', true), '')::uuid
  end
$$;
comment on function app_hidden.current_user_id() is
  'The id of the account making this request while its session is live; null for anonymous callers and ended sessions.';
grant execute on function app_hidden.current_user_id() to app_anonymous, app_authenticated, app_worker;
--! EndIncluded functions/app_hidden.current_user_id.sql
--! Included functions/app_private.password_prehash.sql
/*
 * bcrypt reads only 72 bytes. So that every character of a long password counts, what bcrypt sees is the base64 of
 * SHA-384 over the NFKC-normalised password (64 characters, no NUL bytes). Unkeyed on purpose: no key may live in the
 * database. The scheme is recorded beside each hash ('bcrypt-sha384'), so it can change without breaking old hashes.
 */
create or replace function app_private.password_prehash(password text) returns text
language sql immutable strict as $$
  select pg_catalog.encode(
    extensions.digest(pg_catalog.convert_to(normalize(password, NFKC), 'UTF8'), 'sha384'),
    'base64'
  )
$$;
comment on function app_private.password_prehash(text) is 'What bcrypt hashes: base64(SHA-384(NFKC(password))).';
--! EndIncluded functions/app_private.password_prehash.sql
--! Included functions/app_private.hash_password.sql
create or replace function app_private.hash_password(password text) returns text
language sql volatile strict as $$
  select extensions.crypt(
    app_private.password_prehash(password),
    extensions.gen_salt('bf', config.setting_integer('auth.bcrypt_cost'))
  )
$$;
comment on function app_private.hash_password(text) is
  'A new bcrypt-sha384 hash at the cost in setting auth.bcrypt_cost. Also spends the same work for unknown accounts at login.';
--! EndIncluded functions/app_private.hash_password.sql
--! Included functions/app_private.verify_password.sql
/*
 * 'bcrypt' hashes come from other systems and hash the raw password. pgcrypto recognises bcrypt only by the $2a$ (and
 * $2x$) prefixes; $2b$ and $2y$ hash exactly like $2a$ for correct implementations, so they are read as $2a$.
 */
create or replace function app_private.verify_password(password text, hash text, scheme text) returns boolean
language plpgsql volatile strict as $$
declare
  v_hash text;
begin
  if scheme = 'bcrypt-sha384' then
    return extensions.crypt(app_private.password_prehash(password), hash) = hash;
  elsif scheme = 'bcrypt' then
    v_hash := pg_catalog.regexp_replace(hash, '^\$2[aby]\$', '$2a$');
    return extensions.crypt(password, v_hash) = v_hash;
  end if;
  return false;
end;
$$;
comment on function app_private.verify_password(text, text, text) is 'Whether a password matches a stored hash of the given scheme.';
--! EndIncluded functions/app_private.verify_password.sql
--! Included functions/app_private.password_policy_violation.sql
/*
 * NIST 800-63B style: length, not composition (that is an opt-in setting); no part of the username or the email's
 * local part; not on the common-password list. Returns the sentence to show, or null when the password is acceptable.
 */
create or replace function app_private.password_policy_violation(password text, username text, email text)
returns text
language plpgsql stable as $$
declare
  v_password text := normalize(coalesce(password, ''), NFKC);
  v_lower text := lower(v_password);
  v_length integer := char_length(v_password);
  v_min integer := config.setting_integer('auth.password_min_length');
  v_max integer := config.setting_integer('auth.password_max_length');
  v_local text := lower(split_part(coalesce(email, ''), '@', 1));
begin
  if v_length < v_min then
    return format('Use at least %s characters.', v_min);
  end if;
  if v_length > v_max then
    return format('Use at most %s characters.', v_max);
  end if;
  if char_length(coalesce(username, '')) >= 3 and strpos(v_lower, lower(username)) > 0 then
    return 'Do not use your username in your password.';
  end if;
  if char_length(v_local) >= 3 and strpos(v_lower, v_local) > 0 then
    return 'Do not use your email address in your password.';
  end if;
  if exists (select 1 from app_private.common_passwords c where c.password = v_lower) then
    return 'This password is too common: choose one that is harder to guess.';
  end if;
  if config.setting_boolean('auth.password_require_composition')
     and not (v_password ~ '[[:upper:]]' and v_password ~ '[[:lower:]]' and v_password ~ '[[:digit:]]'
              and v_password ~ '[^[:alnum:]]') then
    return 'Use upper- and lower-case letters, digits and symbols.';
  end if;
  return null;
end;
$$;
comment on function app_private.password_policy_violation(text, text, text) is
  'Why a password is not acceptable (a sentence for the user), or null when it is.';
--! EndIncluded functions/app_private.password_policy_violation.sql
--! Included functions/app_private.new_token.sql
create or replace function app_private.new_token() returns text
language sql volatile as $$
  select pg_catalog.translate(pg_catalog.encode(extensions.gen_random_bytes(32), 'base64'), '+/=', '-_')
$$;
comment on function app_private.new_token() is 'A new 256-bit random token, base64url without padding (43 characters).';
--! EndIncluded functions/app_private.new_token.sql
--! Included functions/app_private.token_hash.sql
create or replace function app_private.token_hash(token text) returns bytea
language sql immutable strict as $$
  select extensions.digest(token, 'sha256')
$$;
comment on function app_private.token_hash(text) is 'How tokens are stored: SHA-256 of the token text.';
--! EndIncluded functions/app_private.token_hash.sql
--! Included functions/app_private.request_email_verification.sql
/*
 * Records a request to verify the account's current address and queues the mail in the same transaction. The token
 * is minted later by the worker (users__send_verification); this function never sees it. Requests closer together than
 * auth.verification_resend_interval are dropped: returns null then.
 */
create or replace function app_private.request_email_verification(user_id uuid) returns uuid
language plpgsql volatile security definer
set search_path to pg_catalog, pg_temp as $$
declare
  v_id uuid;
begin
  if exists (
    select 1 from app_private.email_verifications v
    where v.user_id = request_email_verification.user_id
      and v.created_at > app_hidden.clock_now() - config.setting_interval('auth.verification_resend_interval')
  ) then
    return null;
  end if;
  insert into app_private.email_verifications (user_id, email)
  select u.id, u.email from app_public.users u
  where u.id = request_email_verification.user_id and not u.email_verified and u.deleted_at is null
  returning id into v_id;
  if v_id is not null then
    perform graphile_worker.add_job('users__send_verification', json_build_object('verification_id', v_id));
  end if;
  return v_id;
end;
$$;
comment on function app_private.request_email_verification(uuid) is
  'Queues a verification mail for an unverified account (throttled); returns the request id, or null when dropped.';
--! EndIncluded functions/app_private.request_email_verification.sql
--! Included functions/app_hidden.issue_verification_token.sql
/*
 * Called by the worker with the hash of the token it has just minted for a verification request. Returns where to
 * send it, or no row when the request is used, the account gone, or its address changed since (nothing to send).
 * Calling it again for the same request replaces the token: a retried job sends a fresh one.
 */
create or replace function app_hidden.issue_verification_token(verification_id uuid, token_hash bytea)
returns table (email text, username text, display_name text, expires_at timestamptz)
language plpgsql volatile security definer
set search_path to pg_catalog, pg_temp as $$
begin
  return query
  update app_private.email_verifications v
     set token_hash = issue_verification_token.token_hash,
         token_expires_at = app_hidden.clock_now() + config.setting_interval('auth.verification_token_ttl')
    from app_public.users u
   where v.id = issue_verification_token.verification_id
     and v.used_at is null
     and u.id = v.user_id
     and u.email = v.email
     and not u.email_verified
     and u.deleted_at is null
  returning u.email::text, u.username::text, u.display_name, v.token_expires_at;
end;
$$;
comment on function app_hidden.issue_verification_token(uuid, bytea) is
  'Stores the hash of a verification token minted by the worker and says where to mail it.';
grant execute on function app_hidden.issue_verification_token(uuid, bytea) to app_worker;
--! EndIncluded functions/app_hidden.issue_verification_token.sql
--! Included functions/app_hidden.mail_recipient.sql
create or replace function app_hidden.mail_recipient(user_id uuid)
returns table (email text, username text, display_name text)
language sql stable security definer
set search_path to pg_catalog, pg_temp as $$
  select u.email::text, u.username::text, u.display_name
  from app_public.users u
  where u.id = mail_recipient.user_id and u.deleted_at is null
$$;
comment on function app_hidden.mail_recipient(uuid) is 'Where the worker sends an account''s notifications; no row once it is deleted.';
grant execute on function app_hidden.mail_recipient(uuid) to app_worker;
--! EndIncluded functions/app_hidden.mail_recipient.sql
--! Included functions/app_public.register.sql
/*
 * Creating an account. Email addresses are not enumerable: a new address and one that already has an account get the
 * same answer and cost the same time (the password is hashed before anything is looked up); the owner of an existing
 * address is told by mail that someone tried to register with it. Usernames are public handles, so a taken one is
 * reported (TAKEN). Refusals return a refusal_code (docs/refusals.md) so their audit rows stay.
 */
create or replace function app_public.register(
  username text,
  email text,
  password text,
  first_name text default null,
  last_name text default null,
  display_name text default null,
  gdpr_consent boolean default false
) returns app_public.registration
language plpgsql volatile security definer
set search_path to pg_catalog, extensions, pg_temp as $$
declare
  v_username citext := btrim(register.username);
  v_email citext := btrim(register.email);
  v_verification_required boolean := config.setting_boolean('auth.require_email_verification');
  v_violation text;
  v_hash text;
  v_user_id uuid;
  v_constraint text;
begin
  if v_username is null or length(v_username) not between 3 and 50
     or v_username !~ '^[A-Za-z0-9](?:[A-Za-z0-9_.-]*[A-Za-z0-9])?$' then
    raise exception 'A username has 3 to 50 letters, digits, dots, dashes or underscores, and starts and ends with a letter or digit.'
      using errcode = 'INVAL', hint = 'Choose another username.';
  end if;
  if v_email is null or length(v_email) > 254 or v_email !~ '^[^@[:space:]]+@[^@[:space:]]+\.[^@[:space:]]+$' then
    raise exception 'That is not an email address.' using errcode = 'INVAL', hint = 'Check the address.';
  end if;
  if length(first_name) > 100 or length(last_name) > 100 or length(display_name) > 100 then
    raise exception 'Names have at most 100 characters.' using errcode = 'INVAL', hint = 'Shorten the name.';
  end if;

  v_violation := app_private.password_policy_violation(password, v_username::text, v_email::text);
  if v_violation is not null then
    perform audit.record_event('user.register', 'refused', jsonb_build_object('username', v_username), reason => 'WEAKP');
    return row(v_email, v_verification_required, 'WEAKP', v_violation)::app_public.registration;
  end if;

  /* Hash first: whatever follows, every registration has spent the same bcrypt work. */
  v_hash := app_private.hash_password(password);

  if exists (select 1 from app_public.users u where u.username = v_username and u.deleted_at is null) then
    perform audit.record_event('user.register', 'refused', jsonb_build_object('username', v_username), reason => 'TAKEN');
    return row(v_email, v_verification_required, 'TAKEN', 'That username is taken: choose another.')::app_public.registration;
  end if;

  select u.id into v_user_id from app_public.users u where u.email = v_email and u.deleted_at is null;
  if found then
    perform graphile_worker.add_job('users__notify_duplicate_registration', json_build_object('user_id', v_user_id));
    perform audit.record_event('user.register', 'refused', jsonb_build_object('username', v_username),
      reason => 'email_in_use', subject_id => v_user_id, severity => 'notice');
    return row(v_email, v_verification_required, null, null)::app_public.registration;
  end if;

  begin
    insert into app_public.users (username, email, first_name, last_name, display_name, gdpr_consent_at)
    values (v_username, v_email, nullif(btrim(first_name), ''), nullif(btrim(last_name), ''),
            coalesce(nullif(btrim(display_name), ''), v_username::text),
            case when gdpr_consent then app_hidden.clock_now() end)
    returning id into v_user_id;
  exception when unique_violation then
    /* A registration running at the same moment took the username or the address. */
    get stacked diagnostics v_constraint = constraint_name;
    if v_constraint = 'users_username_key' then
      perform audit.record_event('user.register', 'refused', jsonb_build_object('username', v_username), reason => 'TAKEN');
      return row(v_email, v_verification_required, 'TAKEN', 'That username is taken: choose another.')::app_public.registration;
    end if;
    perform audit.record_event('user.register', 'refused', jsonb_build_object('username', v_username),
      reason => 'email_in_use', severity => 'notice');
    return row(v_email, v_verification_required, null, null)::app_public.registration;
  end;

  insert into app_private.user_security (user_id, password_hash, password_scheme)
  values (v_user_id, v_hash, 'bcrypt-sha384');
  perform app_private.request_email_verification(v_user_id);
  perform audit.record_event('user.register', 'success', jsonb_build_object('username', v_username),
    subject_id => v_user_id, entity_type => 'user', entity_id => v_user_id::text);
  return row(v_email, v_verification_required, null, null)::app_public.registration;
end;
$$;
comment on function app_public.register(text, text, text, text, text, text, boolean) is
  'Creates an account and mails a link to verify the address. The answer does not tell whether the address already had an account.';
grant execute on function app_public.register(text, text, text, text, text, text, boolean) to app_anonymous;
--! EndIncluded functions/app_public.register.sql
--! Included functions/app_public.login.sql
/*
 * One login = one session. Every refusal gives the caller the same code and message (WRONG); the real reason goes to
 * the audit trail. Unknown identifiers and locked accounts spend the same bcrypt work as a real check, and the status
 * of an account is looked at only after its password matched, so neither time nor answer tells which accounts exist.
 * Refusals return a refusal_code so the failure count and the audit row stay (docs/refusals.md).
 * On success the gateway signs the access token from the returned session; the refresh token is returned once and
 * stored only as its SHA-256.
 */
create or replace function app_public.login(identifier text, password text) returns app_public.login_result
language plpgsql volatile security definer
set search_path to pg_catalog, extensions, pg_temp as $$
declare
  v_identifier citext := btrim(identifier);
  /* Whole seconds: JWT times have no fractions, and accessTokenExpiresAt must equal the token's exp. */
  v_now timestamptz := date_trunc('second', app_hidden.clock_now());
  v_user app_public.users;
  v_security app_private.user_security;
  v_reason text;
  v_session_id uuid;
  v_refresh_token text := app_private.new_token();
  v_session_expires timestamptz;
  v_refusal constant text := 'The username, email address or password is not correct.';
begin
  if v_identifier is null or password is null or length(v_identifier) > 254
     or char_length(password) > config.setting_integer('auth.password_max_length') then
    v_reason := 'malformed';
  else
    select u.* into v_user from app_public.users u
    where (u.email = v_identifier or u.username = v_identifier) and u.deleted_at is null
    order by (u.email = v_identifier) desc
    limit 1;
    if found then
      select s.* into v_security from app_private.user_security s where s.user_id = v_user.id for update;
    end if;

    if v_security.user_id is null then
      perform app_private.hash_password(password);
      v_reason := 'unknown_identifier';
    elsif v_security.locked_until > v_now then
      perform app_private.hash_password(password);
      v_reason := 'locked';
    elsif not app_private.verify_password(password, v_security.password_hash, v_security.password_scheme) then
      update app_private.user_security s set failed_login_count = s.failed_login_count + 1 where s.user_id = v_user.id;
      v_reason := 'wrong_password';
    elsif v_user.status <> 'active' then
      v_reason := v_user.status;
    elsif not v_user.email_verified and config.setting_boolean('auth.require_email_verification') then
      v_reason := 'email_unverified';
    end if;
  end if;

  if v_reason is not null then
    perform audit.record_event('auth.login', 'refused', jsonb_build_object('identifier', left(v_identifier::text, 254)),
      reason => v_reason, subject_id => v_user.id, severity => 'notice');
    return row(null, null, null, null, null, 'WRONG', v_refusal)::app_public.login_result;
  end if;

  /* A legacy hash, or one made at another cost, is replaced now that the password is known to be right. */
  if v_security.password_scheme <> 'bcrypt-sha384'
     or substr(v_security.password_hash, 5, 2)::integer <> config.setting_integer('auth.bcrypt_cost') then
    update app_private.user_security s
       set password_hash = app_private.hash_password(password), password_scheme = 'bcrypt-sha384'
     where s.user_id = v_user.id;
  end if;
  update app_private.user_security s
     set failed_login_count = 0, last_login_at = v_now, last_login_ip = app_hidden.current_client_ip()
   where s.user_id = v_user.id;

  insert into app_private.sessions (user_id, ip, user_agent)
  values (v_user.id, app_hidden.current_client_ip(), left(app_hidden.current_user_agent(), 512))
  returning id, absolute_expires_at into v_session_id, v_session_expires;
  insert into app_private.refresh_tokens (session_id, token_hash, expires_at)
  values (v_session_id, app_private.token_hash(v_refresh_token),
          least(v_now + config.setting_interval('auth.refresh_token_ttl'), v_session_expires));

  perform audit.record_event('auth.login', 'success', '{}', subject_id => v_user.id,
    entity_type => 'session', entity_id => v_session_id::text);
  return row(
    v_user.id, v_session_id, v_refresh_token, v_now,
    date_trunc('second', least(v_now + config.setting_interval('auth.access_token_ttl'), v_session_expires)), null, null
  )::app_public.login_result;
end;
$$;
comment on function app_public.login(text, text) is
  'Logs in with a username or email address and a password, starting a new session.';
grant execute on function app_public.login(text, text) to app_anonymous;
--! EndIncluded functions/app_public.login.sql
--! Included functions/app_public.login_result_user.sql
/* The account of a fresh login. Needs the session id as well as the user id, both of which only the login returned. */
create or replace function app_public.login_result_user(r app_public.login_result) returns app_public.users
language sql stable security definer
set search_path to pg_catalog, pg_temp as $$
  select u.*
  from app_public.users u
  join app_private.sessions s on s.user_id = u.id
  where u.id = r.user_id and s.id = r.session_id and s.revoked_at is null
$$;
comment on function app_public.login_result_user(app_public.login_result) is $$@behavior -queryField
The account you are now logged in as.$$;
grant execute on function app_public.login_result_user(app_public.login_result) to app_anonymous;
--! EndIncluded functions/app_public.login_result_user.sql
--! Included functions/app_public.current_user.sql
/* Security definer so that anonymous callers, who hold no right on users at all, get null rather than an error. */
create or replace function app_public."current_user"() returns app_public.users
language sql stable security definer
set search_path to pg_catalog, pg_temp as $$
  select u.* from app_public.users u where u.id = app_hidden.current_user_id()
$$;
comment on function app_public."current_user"() is 'Your account, or null when you are not logged in (or your session has ended).';
grant execute on function app_public."current_user"() to app_anonymous, app_authenticated;
--! EndIncluded functions/app_public.current_user.sql
--! Included functions/app_public.current_user_security.sql
create or replace function app_public.current_user_security() returns app_public.security_summary
language sql stable security definer
set search_path to pg_catalog, pg_temp as $$
  select row(
    s.password_changed_at, s.last_login_at, s.last_login_ip,
    (select count(*)::integer from app_private.sessions x
      where x.user_id = s.user_id and x.revoked_at is null and x.absolute_expires_at > app_hidden.clock_now())
  )::app_public.security_summary
  from app_private.user_security s
  where s.user_id = app_hidden.current_user_id()
$$;
comment on function app_public.current_user_security() is
  'When your password last changed, your last login and from where, and how many sessions are live.';
grant execute on function app_public.current_user_security() to app_authenticated;
--! EndIncluded functions/app_public.current_user_security.sql
--! Included functions/app_public.logout.sql
create or replace function app_public.logout() returns app_public.outcome
language plpgsql volatile security definer
set search_path to pg_catalog, pg_temp as $$
declare
  v_session_id uuid := app_hidden.current_session_id();
begin
  if v_session_id is null then
    perform audit.record_event('auth.logout', 'refused', reason => 'LOGIN', severity => 'notice');
    return row(false, 'LOGIN', 'You are not logged in.')::app_public.outcome;
  end if;
  update app_private.sessions s set revoked_at = app_hidden.clock_now(), revoked_reason = 'logout' where s.id = v_session_id;
  perform audit.record_event('auth.logout', 'success', subject_id => app_hidden.current_user_id(),
    entity_type => 'session', entity_id => v_session_id::text);
  return row(true, null, null)::app_public.outcome;
end;
$$;
comment on function app_public.logout() is 'Ends this session. Its access and refresh tokens stop working at once.';
grant execute on function app_public.logout() to app_anonymous;
--! EndIncluded functions/app_public.logout.sql
--! Included functions/app_public.logout_all_sessions.sql
create or replace function app_public.logout_all_sessions() returns app_public.outcome
language plpgsql volatile security definer
set search_path to pg_catalog, pg_temp as $$
declare
  v_user_id uuid := app_hidden.current_user_id();
  v_ended integer;
begin
  if v_user_id is null then
    perform audit.record_event('auth.logout_all', 'refused', reason => 'LOGIN', severity => 'notice');
    return row(false, 'LOGIN', 'You are not logged in.')::app_public.outcome;
  end if;
  update app_private.sessions s set revoked_at = app_hidden.clock_now(), revoked_reason = 'logout_all'
   where s.user_id = v_user_id and s.revoked_at is null;
  get diagnostics v_ended = row_count;
  perform audit.record_event('auth.logout_all', 'success', jsonb_build_object('sessions_ended', v_ended),
    subject_id => v_user_id, entity_type => 'user', entity_id => v_user_id::text);
  return row(true, null, null)::app_public.outcome;
end;
$$;
comment on function app_public.logout_all_sessions() is 'Ends every session of your account, this one included.';
grant execute on function app_public.logout_all_sessions() to app_anonymous;
--! EndIncluded functions/app_public.logout_all_sessions.sql
--! Included functions/app_public.change_password.sql
/*
 * Needs the current password (ASVS 6.2.3). The new one must pass the policy and differ from the last
 * auth.password_history_count passwords. Every other session ends (ASVS 7.4.3) and the owner is told by mail.
 */
create or replace function app_public.change_password(current_password text, new_password text)
returns app_public.outcome
language plpgsql volatile security definer
set search_path to pg_catalog, extensions, pg_temp as $$
declare
  v_user_id uuid := app_hidden.current_user_id();
  v_session_id uuid := app_hidden.current_session_id();
  v_user app_public.users;
  v_security app_private.user_security;
  v_violation text;
  v_keep integer := config.setting_integer('auth.password_history_count');
begin
  if v_user_id is null then
    perform audit.record_event('auth.password_change', 'refused', reason => 'LOGIN', severity => 'notice');
    return row(false, 'LOGIN', 'You must log in to change your password.')::app_public.outcome;
  end if;
  select u.* into v_user from app_public.users u where u.id = v_user_id;
  select s.* into v_security from app_private.user_security s where s.user_id = v_user_id for update;

  if current_password is null
     or not app_private.verify_password(current_password, v_security.password_hash, v_security.password_scheme) then
    perform audit.record_event('auth.password_change', 'refused', reason => 'wrong_password', subject_id => v_user_id,
      severity => 'warning');
    return row(false, 'WRONG', 'Your current password is not correct.')::app_public.outcome;
  end if;

  v_violation := app_private.password_policy_violation(new_password, v_user.username::text, v_user.email::text);
  if v_violation is not null then
    perform audit.record_event('auth.password_change', 'refused', reason => 'WEAKP', subject_id => v_user_id);
    return row(false, 'WEAKP', v_violation)::app_public.outcome;
  end if;

  if v_keep > 0 and (
       app_private.verify_password(new_password, v_security.password_hash, v_security.password_scheme)
       or exists (
         select 1 from (
           select h.password_hash, h.password_scheme from app_private.password_history h
           where h.user_id = v_user_id order by h.created_at desc, h.id desc limit v_keep - 1
         ) recent
         where app_private.verify_password(new_password, recent.password_hash, recent.password_scheme)
       )) then
    perform audit.record_event('auth.password_change', 'refused', reason => 'REUSD', subject_id => v_user_id);
    return row(false, 'REUSD', format('Choose a password you have not used for your last %s passwords.', v_keep))::app_public.outcome;
  end if;

  insert into app_private.password_history (user_id, password_hash, password_scheme, created_at)
  values (v_user_id, v_security.password_hash, v_security.password_scheme, v_security.password_changed_at);
  delete from app_private.password_history h
   where h.user_id = v_user_id
     and h.id not in (select k.id from app_private.password_history k where k.user_id = v_user_id
                      order by k.created_at desc, k.id desc limit greatest(v_keep - 1, 0));
  update app_private.user_security s
     set password_hash = app_private.hash_password(new_password), password_scheme = 'bcrypt-sha384',
         password_changed_at = app_hidden.clock_now()
   where s.user_id = v_user_id;
  update app_private.sessions s set revoked_at = app_hidden.clock_now(), revoked_reason = 'password_changed'
   where s.user_id = v_user_id and s.revoked_at is null and s.id <> v_session_id;
  perform graphile_worker.add_job('users__notify_password_changed', json_build_object('user_id', v_user_id));
  perform audit.record_event('auth.password_change', 'success', subject_id => v_user_id,
    entity_type => 'user', entity_id => v_user_id::text);
  return row(true, null, null)::app_public.outcome;
end;
$$;
comment on function app_public.change_password(text, text) is
  'Changes your password. Needs the current one; your other sessions end, and you are told by mail.';
grant execute on function app_public.change_password(text, text) to app_anonymous;
--! EndIncluded functions/app_public.change_password.sql
--! Included functions/app_public.verify_email.sql
/*
 * A token works once, until it expires, and only while the account still has the address it was sent to. Lookup is by
 * the SHA-256 of the presented token through a unique index: nothing is compared byte by byte with a stored secret.
 */
create or replace function app_public.verify_email(token text) returns app_public.outcome
language plpgsql volatile security definer
set search_path to pg_catalog, extensions, pg_temp as $$
declare
  v_user_id uuid;
  v_verification_id uuid;
begin
  if token is not null and length(token) between 20 and 200 then
    update app_private.email_verifications v
       set used_at = app_hidden.clock_now()
      from app_public.users u
     where v.token_hash = app_private.token_hash(verify_email.token)
       and v.used_at is null
       and v.token_expires_at > app_hidden.clock_now()
       and u.id = v.user_id
       and u.email = v.email
       and u.deleted_at is null
    returning v.user_id, v.id into v_user_id, v_verification_id;
  end if;
  if v_user_id is null then
    perform audit.record_event('user.email_verify', 'refused', reason => 'LINKX', severity => 'notice');
    return row(false, 'LINKX', 'This verification link is not valid: it may have been used already or have expired.')::app_public.outcome;
  end if;
  update app_public.users u set email_verified = true, email_verified_at = app_hidden.clock_now()
   where u.id = v_user_id and not u.email_verified;
  perform audit.record_event('user.email_verify', 'success', subject_id => v_user_id,
    entity_type => 'email_verification', entity_id => v_verification_id::text);
  return row(true, null, null)::app_public.outcome;
end;
$$;
comment on function app_public.verify_email(text) is 'Confirms your email address with the token from the verification mail.';
grant execute on function app_public.verify_email(text) to app_anonymous;
--! EndIncluded functions/app_public.verify_email.sql
--! Included functions/app_public.resend_verification.sql
/*
 * Always the same answer, so it tells nothing about which addresses have accounts. A mail goes out only to an
 * unverified account, and at most once per auth.verification_resend_interval.
 */
create or replace function app_public.resend_verification(email text) returns app_public.outcome
language plpgsql volatile security definer
set search_path to pg_catalog, extensions, pg_temp as $$
declare
  v_user_id uuid;
  v_request uuid;
begin
  select u.id into v_user_id from app_public.users u
  where u.email = btrim(resend_verification.email)::citext and u.deleted_at is null and not u.email_verified;
  if v_user_id is not null then
    v_request := app_private.request_email_verification(v_user_id);
  end if;
  perform audit.record_event('user.verification_resend', case when v_request is null then 'refused' else 'success' end,
    reason => case when v_user_id is null then 'no_unverified_account' when v_request is null then 'throttled' end,
    subject_id => v_user_id);
  return row(true, null, null)::app_public.outcome;
end;
$$;
comment on function app_public.resend_verification(text) is
  'Sends a new verification mail if the address belongs to an account that is not yet verified.';
grant execute on function app_public.resend_verification(text) to app_anonymous;
--! EndIncluded functions/app_public.resend_verification.sql

/* ------------------------------------------------------------------------------------------------------------------
 * Row-level security and grants.
 */
--! Included policies/app_public.users.sql
/*
 * You read and edit your own account, and nobody else's: other people see user_profiles. Only profile columns are
 * writable; status, verification, tier, metadata and the email address change through functions.
 */
alter table app_public.users enable row level security;

drop policy if exists select_self on app_public.users;
create policy select_self on app_public.users for select to app_authenticated
  using (id = (select app_hidden.current_user_id()));

drop policy if exists update_self on app_public.users;
create policy update_self on app_public.users for update to app_authenticated
  using (id = (select app_hidden.current_user_id()))
  with check (id = (select app_hidden.current_user_id()));

revoke all on app_public.users from public, authenticator, app_anonymous, app_authenticated, app_worker, app_analytics;
grant select on app_public.users to app_authenticated;
grant update (first_name, last_name, display_name, avatar_url, bio, timezone, language, preferences)
  on app_public.users to app_authenticated;
--! EndIncluded policies/app_public.users.sql
--! Included policies/app_public.user_profiles.sql
/*
 * A view, owned by app_owner, so it reads every active account whatever the caller's RLS: it exposes only the public
 * columns (username, display name, avatar). Logged-in users may read it; anonymous callers may not list accounts.
 */
revoke all on app_public.user_profiles from public, authenticator, app_anonymous, app_authenticated, app_worker, app_analytics;
grant select on app_public.user_profiles to app_authenticated;
--! EndIncluded policies/app_public.user_profiles.sql
