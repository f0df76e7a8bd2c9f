--! Previous: sha1:3e28bdd313df19f227a891cb55469cb856996318
--! Hash: sha1:143c821b48bf9528b3bd132316b5d4edd3f76263
--! Message: sessions-lockout-rate-limits

-- Refresh-token rotation, session management, lockout and rate limits.

/* current.sql is re-run on every save by `npm run db:watch`: start from a clean slate so it stays idempotent. */
drop table if exists app_private.login_attempts, app_private.rate_limit_hits cascade;
drop type if exists app_public.session_info cascade;
alter table app_private.refresh_tokens drop column if exists parent_id;
alter type app_public.outcome drop attribute if exists refusal_retry_after cascade;
alter type app_public.registration drop attribute if exists refusal_retry_after cascade;
alter type app_public.login_result drop attribute if exists refusal_retry_after cascade;
delete from config.system_settings where key like 'rate_limit.%' or key in (
  'auth.refresh_reuse_grace', 'auth.refresh_reuse_grace_children', 'auth.lockout_max_duration');

/* ------------------------------------------------------------------------------------------------------------------
 * Settings.
 */
insert into config.system_settings (key, value_type, default_value, value, min_value, max_value, is_public, description)
select key, value_type, default_value, default_value, min_value, max_value, is_public, description
from (values
  ('auth.refresh_reuse_grace', 'interval', '"10 seconds"'::jsonb, null::numeric, null::numeric, false,
    'For this long after a refresh token was used, presenting it again (a retry, a second tab) is not yet reuse.'),
  ('auth.refresh_reuse_grace_children', 'integer', '1', 0, 10, false,
    'How many further tokens one used refresh token may yield within the grace window.'),
  ('auth.lockout_max_duration', 'interval', '"24 hours"', null, null, false,
    'Repeated locks double in length (auth.lockout_duration, then twice that, …) up to this.'),
  ('rate_limit.login_per_identifier.max', 'integer', '20', 1, 100000, false, 'Login attempts per submitted identifier per window.'),
  ('rate_limit.login_per_identifier.window', 'interval', '"15 minutes"', null, null, false, 'Window of rate_limit.login_per_identifier.'),
  ('rate_limit.login_per_ip.max', 'integer', '100', 1, 100000, false, 'Login attempts per client address per window.'),
  ('rate_limit.login_per_ip.window', 'interval', '"15 minutes"', null, null, false, 'Window of rate_limit.login_per_ip.'),
  ('rate_limit.register_per_ip.max', 'integer', '10', 1, 100000, false, 'Registrations per client address per window.'),
  ('rate_limit.register_per_ip.window', 'interval', '"1 hour"', null, null, false, 'Window of rate_limit.register_per_ip.'),
  ('rate_limit.refresh_per_session.max', 'integer', '30', 1, 100000, false, 'Token refreshes per session per window.'),
  ('rate_limit.refresh_per_session.window', 'interval', '"1 minute"', null, null, false, 'Window of rate_limit.refresh_per_session.'),
  ('rate_limit.verification_resend_per_address.max', 'integer', '5', 1, 100000, false,
    'Verification resend requests per submitted address per window.'),
  ('rate_limit.verification_resend_per_address.window', 'interval', '"1 hour"', null, null, false,
    'Window of rate_limit.verification_resend_per_address.')
) as defaults (key, value_type, default_value, min_value, max_value, is_public, description);

/* ------------------------------------------------------------------------------------------------------------------
 * Refresh-token families: every token but a session's first has a parent, so a used token's children can be counted.
 */
alter table app_private.refresh_tokens
  add column parent_id uuid references app_private.refresh_tokens (id) on delete cascade;
create index refresh_tokens_parent_idx on app_private.refresh_tokens (parent_id) where parent_id is not null;
comment on column app_private.refresh_tokens.parent_id is 'The token this one was issued for, at a refresh.';

/* ------------------------------------------------------------------------------------------------------------------
 * Lockout: consecutive failed logins per submitted identifier, whether or not it names an account. One row per key:
 * an account's id when the identifier names one (so its username and address share a counter), else the identifier.
 */
create table app_private.login_attempts (
  key text primary key check (length(key) <= 300),
  failed_count integer not null default 0 check (failed_count >= 0),
  lock_count integer not null default 0 check (lock_count >= 0),
  locked_until timestamptz,
  last_failure_at timestamptz
);
comment on table app_private.login_attempts is
  'Consecutive failed logins and locks, per account (key account:<id>) or per unknown identifier (key identifier:<text>).';
create index login_attempts_last_failure_idx on app_private.login_attempts (last_failure_at);

/* Lock state now lives in login_attempts for known and unknown identifiers alike. */
alter table app_private.user_security drop column if exists failed_login_count, drop column if exists locked_until;

/* ------------------------------------------------------------------------------------------------------------------
 * Rate limits: a sliding window over a log of hits per bucket ("login:ip:203.0.113.9", "refresh:session:<id>").
 */
create table app_private.rate_limit_hits (
  id bigint generated always as identity primary key,
  bucket text not null check (length(bucket) <= 300),
  hit_at timestamptz not null default app_hidden.clock_now()
);
comment on table app_private.rate_limit_hits is 'One row per counted request; the worker deletes rows older than every window.';
create index rate_limit_hits_bucket_idx on app_private.rate_limit_hits (bucket, hit_at);
create index rate_limit_hits_time_idx on app_private.rate_limit_hits (hit_at);

/* ------------------------------------------------------------------------------------------------------------------
 * Refusals may say when to try again (LIMIT): a third refusal attribute, hidden like the other two.
 */
alter type app_public.outcome add attribute refusal_retry_after integer;
comment on column app_public.outcome.refusal_retry_after is '@behavior -attribute:select';
alter type app_public.registration add attribute refusal_retry_after integer;
comment on column app_public.registration.refusal_retry_after is '@behavior -attribute:select';
alter type app_public.login_result add attribute refusal_retry_after integer;
comment on column app_public.login_result.refusal_retry_after is '@behavior -attribute:select';

create type app_public.session_info as (
  id uuid,
  created_at timestamptz,
  last_refreshed_at timestamptz,
  expires_at timestamptz,
  ip inet,
  user_agent text,
  device_info jsonb,
  is_current boolean
);
comment on type app_public.session_info is 'One of your live sessions.';
comment on column app_public.session_info.is_current is 'True for the session this request is made with.';
comment on column app_public.session_info.expires_at is 'When the session ends at the latest (its absolute lifetime).';

/* ------------------------------------------------------------------------------------------------------------------
 * Functions.
 */
--! Included functions/app_private.rate_limit_hit.sql
/*
 * A sliding-window rate limit over a log of hits. Returns null and records the hit when the request may proceed;
 * otherwise records nothing and returns how many seconds to wait. Callers check limits before any hashing, so a flood
 * cannot spend the database's CPU on bcrypt.
 *
 * Concurrency: a transaction-scoped advisory lock on the bucket makes count-then-insert atomic, so parallel requests
 * cannot slip past the limit. The lock is held until the caller commits: requests of one bucket (one client address,
 * say) run one after another. Take buckets in a fixed order (client address, then identifier) to avoid deadlocks.
 */
create or replace function app_private.rate_limit_hit(bucket text, max_hits integer, period interval)
returns integer
language plpgsql volatile security definer
set search_path to pg_catalog, pg_temp as $$
declare
  v_now timestamptz := app_hidden.clock_now();
  v_count integer;
  v_oldest timestamptz;
begin
  perform pg_advisory_xact_lock(hashtextextended('rate_limit:' || bucket, 0));
  select count(*), min(h.hit_at) into v_count, v_oldest
  from app_private.rate_limit_hits h
  where h.bucket = rate_limit_hit.bucket and h.hit_at > v_now - period;
  if v_count >= max_hits then
    return greatest(1, ceil(extract(epoch from v_oldest + period - v_now)))::integer;
  end if;
  insert into app_private.rate_limit_hits (bucket, hit_at) values (rate_limit_hit.bucket, v_now);
  return null;
end;
$$;
comment on function app_private.rate_limit_hit(text, integer, interval) is
  'Counts a request against a sliding-window limit: null when allowed, else the seconds to wait.';
--! EndIncluded functions/app_private.rate_limit_hit.sql
--! Included functions/app_private.login_attempt_key.sql
/* Failures of a real account are counted per account, whichever identifier was typed; others per identifier. */
create or replace function app_private.login_attempt_key(user_id uuid, identifier text) returns text
language sql immutable as $$
  select case when user_id is not null then 'account:' || user_id::text
              else 'identifier:' || lower(left(coalesce(identifier, ''), 254)) end
$$;
comment on function app_private.login_attempt_key(uuid, text) is 'The key of app_private.login_attempts for a login attempt.';
--! EndIncluded functions/app_private.login_attempt_key.sql
--! Included functions/app_private.record_login_failure.sql
/*
 * One more consecutive failure for a login_attempts row the caller has locked. At auth.lockout_threshold the key
 * locks for auth.lockout_duration, doubling with each further lock up to auth.lockout_max_duration; the owner of a
 * real account is told by mail.
 */
create or replace function app_private.record_login_failure(key text, user_id uuid) returns void
language plpgsql volatile security definer
set search_path to pg_catalog, pg_temp as $$
declare
  v_now timestamptz := app_hidden.clock_now();
  v_attempt app_private.login_attempts;
  v_duration interval;
begin
  update app_private.login_attempts a
     set failed_count = a.failed_count + 1, last_failure_at = v_now
   where a.key = record_login_failure.key
  returning a.* into v_attempt;
  if v_attempt.failed_count < config.setting_integer('auth.lockout_threshold') then
    return;
  end if;
  v_duration := least(
    config.setting_interval('auth.lockout_duration') * power(2, least(v_attempt.lock_count, 20)),
    config.setting_interval('auth.lockout_max_duration')
  );
  update app_private.login_attempts a
     set failed_count = 0, lock_count = a.lock_count + 1, locked_until = v_now + v_duration
   where a.key = record_login_failure.key;
  perform audit.record_event('auth.lockout', 'success', jsonb_build_object('duration', v_duration::text),
    subject_id => user_id, severity => 'warning');
  if user_id is not null then
    perform graphile_worker.add_job('users__notify_locked',
      json_build_object('user_id', user_id, 'locked_until', v_now + v_duration));
  end if;
end;
$$;
comment on function app_private.record_login_failure(text, uuid) is
  'Counts a failed login against a key and locks it at the threshold, for longer on every repeat.';
--! EndIncluded functions/app_private.record_login_failure.sql
--! Included functions/app_private.issue_refresh_token.sql
/* A new refresh token of a session (with its parent when it replaces one): the token is returned, its hash stored. */
create or replace function app_private.issue_refresh_token(session_id uuid, parent_id uuid) returns text
language plpgsql volatile security definer
set search_path to pg_catalog, pg_temp as $$
declare
  v_token text := app_private.new_token();
  v_id uuid;
begin
  insert into app_private.refresh_tokens (session_id, parent_id, token_hash, expires_at)
  select s.id, issue_refresh_token.parent_id, app_private.token_hash(v_token),
         least(app_hidden.clock_now() + config.setting_interval('auth.refresh_token_ttl'), s.absolute_expires_at)
  from app_private.sessions s
  where s.id = issue_refresh_token.session_id
  returning id into v_id;
  if parent_id is not null then
    update app_private.refresh_tokens t
       set used_at = coalesce(t.used_at, app_hidden.clock_now()), replaced_by = v_id
     where t.id = issue_refresh_token.parent_id;
  end if;
  return v_token;
end;
$$;
comment on function app_private.issue_refresh_token(uuid, uuid) is
  'Issues a refresh token for a session, marking its parent used. Returns the token; only its SHA-256 is stored.';
--! EndIncluded functions/app_private.issue_refresh_token.sql
--! Included functions/app_public.login.sql
/*
 * One login = one session. Every refusal gives the caller the same code and message (WRONG); the real reason goes to
 * the audit trail. In order:
 *   1. rate limits per client address and per submitted identifier, before any hashing (LIMIT, with retry-after);
 *   2. the identifier's login_attempts row is locked, so parallel attempts on one account or identifier run one at a
 *      time and cannot check more passwords than the lockout allows;
 *   3. unknown identifiers and locked keys spend the same bcrypt work as a real check; an account's status is looked
 *      at only after its password matched, so neither time nor answer tells which accounts exist;
 *   4. failures count per account (or per unknown identifier) and lock it at the threshold; success resets the count.
 * Refusals return a refusal_code so the counts, locks and audit rows stay (docs/refusals.md). On success the gateway
 * signs the access token from the returned session; the refresh token is returned once and stored only as SHA-256.
 */
create or replace function app_public.login(identifier text, password text) returns app_public.login_result
language plpgsql volatile security definer
set search_path to pg_catalog, extensions, pg_temp as $$
declare
  v_identifier citext := btrim(identifier);
  /* Whole seconds: JWT times have no fractions, and accessTokenExpiresAt must equal the token's exp. */
  v_now timestamptz := date_trunc('second', app_hidden.clock_now());
  v_ip text := coalesce(host(app_hidden.current_client_ip()), 'unknown');
  v_user app_public.users;
  v_security app_private.user_security;
  v_key text;
  v_attempt app_private.login_attempts;
  v_reason text;
  v_retry integer;
  v_session_id uuid;
  v_session_expires timestamptz;
  v_refusal constant text := 'The username, email address or password is not correct.';
begin
  v_retry := app_private.rate_limit_hit('login:ip:' || v_ip,
    config.setting_integer('rate_limit.login_per_ip.max'), config.setting_interval('rate_limit.login_per_ip.window'));
  if v_retry is null then
    v_retry := app_private.rate_limit_hit('login:identifier:' || lower(left(coalesce(v_identifier::text, ''), 254)),
      config.setting_integer('rate_limit.login_per_identifier.max'),
      config.setting_interval('rate_limit.login_per_identifier.window'));
  end if;
  if v_retry is not null then
    perform audit.record_event('auth.login', 'refused', jsonb_build_object('identifier', left(v_identifier::text, 254)),
      reason => 'LIMIT', severity => 'warning');
    return row(null, null, null, null, null, 'LIMIT',
      format('Too many login attempts: try again in %s seconds.', v_retry), v_retry)::app_public.login_result;
  end if;

  if v_identifier is null or password is null or length(v_identifier) > 254
     or char_length(password) > config.setting_integer('auth.password_max_length') then
    v_reason := 'malformed';
  else
    select u.* into v_user from app_public.users u
    where (u.email = v_identifier or u.username = v_identifier) and u.deleted_at is null
    order by (u.email = v_identifier) desc
    limit 1;
    v_key := app_private.login_attempt_key(v_user.id, v_identifier::text);
    insert into app_private.login_attempts (key) values (v_key) on conflict do nothing;
    select a.* into v_attempt from app_private.login_attempts a where a.key = v_key for update;
    select s.* into v_security from app_private.user_security s where s.user_id = v_user.id;

    if v_attempt.locked_until > v_now then
      perform app_private.hash_password(password);
      v_reason := 'locked';
    elsif v_security.user_id is null then
      perform app_private.hash_password(password);
      perform app_private.record_login_failure(v_key, null);
      v_reason := 'unknown_identifier';
    elsif not app_private.verify_password(password, v_security.password_hash, v_security.password_scheme) then
      perform app_private.record_login_failure(v_key, v_user.id);
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
    return row(null, null, null, null, null, 'WRONG', v_refusal, null)::app_public.login_result;
  end if;

  update app_private.login_attempts a set failed_count = 0, lock_count = 0, locked_until = null where a.key = v_key;
  /* A legacy hash, or one made at another cost, is replaced now that the password is known to be right. */
  if v_security.password_scheme <> 'bcrypt-sha384'
     or substr(v_security.password_hash, 5, 2)::integer <> config.setting_integer('auth.bcrypt_cost') then
    update app_private.user_security s
       set password_hash = app_private.hash_password(password), password_scheme = 'bcrypt-sha384'
     where s.user_id = v_user.id;
  end if;
  update app_private.user_security s
     set last_login_at = v_now, last_login_ip = app_hidden.current_client_ip()
   where s.user_id = v_user.id;

  insert into app_private.sessions (user_id, ip, user_agent)
  values (v_user.id, app_hidden.current_client_ip(), left(app_hidden.current_user_agent(), 512))
  returning id, absolute_expires_at into v_session_id, v_session_expires;

  perform audit.record_event('auth.login', 'success', '{}', subject_id => v_user.id,
    entity_type => 'session', entity_id => v_session_id::text);
  return row(
    v_user.id, v_session_id, app_private.issue_refresh_token(v_session_id, null), v_now,
    date_trunc('second', least(v_now + config.setting_interval('auth.access_token_ttl'), v_session_expires)),
    null, null, null
  )::app_public.login_result;
end;
$$;
comment on function app_public.login(text, text) is
  'Logs in with a username or email address and a password, starting a new session.';
grant execute on function app_public.login(text, text) to app_anonymous;
--! EndIncluded functions/app_public.login.sql
--! Included functions/app_public.refresh_token.sql
/*
 * Exchanges a refresh token for new tokens and rotates it. All refreshes of one session run one at a time (the
 * session row is locked), so of many parallel presentations exactly one rotates the token. Presenting a token that was
 * already used is reuse — the session and every token of its family end, and a critical event is recorded — except
 * within auth.refresh_reuse_grace of its first use, when it may yield auth.refresh_reuse_grace_children more tokens
 * (a retry after a lost response, a second tab). See docs/sessions.md.
 * Idle timeout counts from the session's last refresh, absolute lifetime from login; either ends refreshing at once.
 */
create or replace function app_public.refresh_token(refresh_token text) returns app_public.login_result
language plpgsql volatile security definer
set search_path to pg_catalog, extensions, pg_temp as $$
declare
  v_now timestamptz := date_trunc('second', app_hidden.clock_now());
  v_hash bytea;
  v_session_id uuid;
  v_session app_private.sessions;
  v_token app_private.refresh_tokens;
  v_status text;
  v_reason text;
  v_retry integer;
  v_children integer;
  v_refusal constant text := 'Your session has ended: log in again.';
begin
  if refresh_token is not null and length(refresh_token) between 20 and 200 then
    v_hash := app_private.token_hash(refresh_token);
    select t.session_id into v_session_id from app_private.refresh_tokens t where t.token_hash = v_hash;
  end if;
  if v_session_id is null then
    perform audit.record_event('auth.refresh', 'refused', reason => 'unknown_token', severity => 'notice');
    return row(null, null, null, null, null, 'LOGIN', v_refusal, null)::app_public.login_result;
  end if;

  select s.* into v_session from app_private.sessions s where s.id = v_session_id for update;
  /* Read the token again now that no other refresh of this session is running. */
  select t.* into v_token from app_private.refresh_tokens t where t.token_hash = v_hash;

  v_retry := app_private.rate_limit_hit('refresh:session:' || v_session.id::text,
    config.setting_integer('rate_limit.refresh_per_session.max'),
    config.setting_interval('rate_limit.refresh_per_session.window'));
  if v_retry is not null then
    perform audit.record_event('auth.refresh', 'refused', reason => 'LIMIT', subject_id => v_session.user_id,
      entity_type => 'session', entity_id => v_session.id::text, severity => 'warning');
    return row(null, null, null, null, null, 'LIMIT',
      format('Too many refreshes: try again in %s seconds.', v_retry), v_retry)::app_public.login_result;
  end if;

  if v_token.used_at is not null then
    select count(*) into v_children from app_private.refresh_tokens c where c.parent_id = v_token.id;
    if not (v_session.revoked_at is null
            and app_hidden.clock_now() - v_token.used_at < config.setting_interval('auth.refresh_reuse_grace')
            and v_children < 1 + config.setting_integer('auth.refresh_reuse_grace_children')) then
      if v_session.revoked_at is null then
        update app_private.sessions s set revoked_at = app_hidden.clock_now(), revoked_reason = 'refresh_token_reuse'
         where s.id = v_session.id;
      end if;
      perform audit.record_event('auth.refresh_reuse', 'refused', jsonb_build_object('token_id', v_token.id),
        reason => 'REUSE', subject_id => v_session.user_id, entity_type => 'session', entity_id => v_session.id::text,
        severity => 'critical');
      return row(null, null, null, null, null, 'REUSE',
        'This refresh token was already used, so the session has been ended to protect your account: log in again.',
        null)::app_public.login_result;
    end if;
  end if;

  select u.status into v_status from app_public.users u where u.id = v_session.user_id and u.deleted_at is null;
  v_reason := case
    when v_session.revoked_at is not null then 'session_revoked'
    when v_session.absolute_expires_at <= v_now then 'session_expired'
    when v_session.last_refreshed_at + config.setting_interval('auth.session_idle_timeout') <= v_now then 'session_idle'
    when v_token.expires_at <= v_now then 'token_expired'
    when v_status is distinct from 'active' then 'account_' || coalesce(v_status, 'deleted')
  end;
  if v_reason is not null then
    perform audit.record_event('auth.refresh', 'refused', reason => v_reason, subject_id => v_session.user_id,
      entity_type => 'session', entity_id => v_session.id::text, severity => 'notice');
    return row(null, null, null, null, null, 'LOGIN', v_refusal, null)::app_public.login_result;
  end if;

  update app_private.sessions s set last_refreshed_at = v_now where s.id = v_session.id;
  perform audit.record_event('auth.refresh', 'success', jsonb_build_object('grace', v_token.used_at is not null),
    subject_id => v_session.user_id, entity_type => 'session', entity_id => v_session.id::text);
  return row(
    v_session.user_id, v_session.id, app_private.issue_refresh_token(v_session.id, v_token.id), v_now,
    date_trunc('second', least(v_now + config.setting_interval('auth.access_token_ttl'), v_session.absolute_expires_at)),
    null, null, null
  )::app_public.login_result;
end;
$$;
comment on function app_public.refresh_token(text) is
  'Exchanges a refresh token for a new access token and a new refresh token. Each refresh token works once.';
grant execute on function app_public.refresh_token(text) to app_anonymous;
--! EndIncluded functions/app_public.refresh_token.sql
--! Included functions/app_public.my_sessions.sql
create or replace function app_public.my_sessions() returns setof app_public.session_info
language sql stable security definer
set search_path to pg_catalog, pg_temp as $$
  select s.id, s.created_at, s.last_refreshed_at, s.absolute_expires_at, s.ip, s.user_agent, s.device_info,
         s.id = app_hidden.current_session_id()
  from app_private.sessions s
  where s.user_id = app_hidden.current_user_id()
    and s.revoked_at is null
    and s.absolute_expires_at > app_hidden.clock_now()
    and s.last_refreshed_at + config.setting_interval('auth.session_idle_timeout') > app_hidden.clock_now()
  order by s.created_at desc
$$;
comment on function app_public.my_sessions() is
  'Your live sessions, newest first: where and when each started, when it was last refreshed, and which is this one.';
grant execute on function app_public.my_sessions() to app_authenticated;
--! EndIncluded functions/app_public.my_sessions.sql
--! Included functions/app_public.revoke_session.sql
create or replace function app_public.revoke_session(session_id uuid) returns app_public.outcome
language plpgsql volatile security definer
set search_path to pg_catalog, pg_temp as $$
declare
  v_user_id uuid := app_hidden.current_user_id();
begin
  if v_user_id is null then
    perform audit.record_event('auth.session_revoke', 'refused', reason => 'LOGIN', severity => 'notice');
    return row(false, 'LOGIN', 'You must log in to end a session.', null)::app_public.outcome;
  end if;
  update app_private.sessions s set revoked_at = app_hidden.clock_now(), revoked_reason = 'revoked_by_user'
   where s.id = revoke_session.session_id and s.user_id = v_user_id and s.revoked_at is null;
  if not found then
    perform audit.record_event('auth.session_revoke', 'refused', reason => 'NTFND', subject_id => v_user_id,
      entity_type => 'session', entity_id => revoke_session.session_id::text, severity => 'notice');
    return row(false, 'NTFND', 'You have no live session with that id.', null)::app_public.outcome;
  end if;
  perform audit.record_event('auth.session_revoke', 'success', subject_id => v_user_id,
    entity_type => 'session', entity_id => revoke_session.session_id::text);
  return row(true, null, null, null)::app_public.outcome;
end;
$$;
comment on function app_public.revoke_session(uuid) is
  'Ends one of your sessions (see mySessions). Its tokens stop working on their next use.';
grant execute on function app_public.revoke_session(uuid) to app_anonymous;
--! EndIncluded functions/app_public.revoke_session.sql
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
  v_retry integer;
  v_violation text;
  v_hash text;
  v_user_id uuid;
  v_constraint text;
begin
  /* Before anything else, and before any hashing. */
  v_retry := app_private.rate_limit_hit('register:ip:' || coalesce(host(app_hidden.current_client_ip()), 'unknown'),
    config.setting_integer('rate_limit.register_per_ip.max'), config.setting_interval('rate_limit.register_per_ip.window'));
  if v_retry is not null then
    perform audit.record_event('user.register', 'refused', reason => 'LIMIT', severity => 'warning');
    return row(v_email, v_verification_required, 'LIMIT',
      format('Too many registrations from your address: try again in %s seconds.', v_retry), v_retry)::app_public.registration;
  end if;

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
    return row(v_email, v_verification_required, 'WEAKP', v_violation, null)::app_public.registration;
  end if;

  /* Hash first: whatever follows, every registration has spent the same bcrypt work. */
  v_hash := app_private.hash_password(password);

  if exists (select 1 from app_public.users u where u.username = v_username and u.deleted_at is null) then
    perform audit.record_event('user.register', 'refused', jsonb_build_object('username', v_username), reason => 'TAKEN');
    return row(v_email, v_verification_required, 'TAKEN', 'That username is taken: choose another.', null)::app_public.registration;
  end if;

  select u.id into v_user_id from app_public.users u where u.email = v_email and u.deleted_at is null;
  if found then
    perform graphile_worker.add_job('users__notify_duplicate_registration', json_build_object('user_id', v_user_id));
    perform audit.record_event('user.register', 'refused', jsonb_build_object('username', v_username),
      reason => 'email_in_use', subject_id => v_user_id, severity => 'notice');
    return row(v_email, v_verification_required, null, null, null)::app_public.registration;
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
      return row(v_email, v_verification_required, 'TAKEN', 'That username is taken: choose another.', null)::app_public.registration;
    end if;
    perform audit.record_event('user.register', 'refused', jsonb_build_object('username', v_username),
      reason => 'email_in_use', severity => 'notice');
    return row(v_email, v_verification_required, null, null, null)::app_public.registration;
  end;

  insert into app_private.user_security (user_id, password_hash, password_scheme)
  values (v_user_id, v_hash, 'bcrypt-sha384');
  perform app_private.request_email_verification(v_user_id);
  perform audit.record_event('user.register', 'success', jsonb_build_object('username', v_username),
    subject_id => v_user_id, entity_type => 'user', entity_id => v_user_id::text);
  return row(v_email, v_verification_required, null, null, null)::app_public.registration;
end;
$$;
comment on function app_public.register(text, text, text, text, text, text, boolean) is
  'Creates an account and mails a link to verify the address. The answer does not tell whether the address already had an account.';
grant execute on function app_public.register(text, text, text, text, text, text, boolean) to app_anonymous;
--! EndIncluded functions/app_public.register.sql
--! Included functions/app_public.resend_verification.sql
/*
 * Always the same answer, so it tells nothing about which addresses have accounts. A mail goes out only to an
 * unverified account, and at most once per auth.verification_resend_interval; requests per address are rate-limited.
 */
create or replace function app_public.resend_verification(email text) returns app_public.outcome
language plpgsql volatile security definer
set search_path to pg_catalog, extensions, pg_temp as $$
declare
  v_user_id uuid;
  v_request uuid;
  v_retry integer;
begin
  /* Counted per submitted address, whether or not it has an account, so the answer still tells nothing. */
  v_retry := app_private.rate_limit_hit('verification_resend:address:' || lower(left(btrim(coalesce(email, '')), 254)),
    config.setting_integer('rate_limit.verification_resend_per_address.max'),
    config.setting_interval('rate_limit.verification_resend_per_address.window'));
  if v_retry is not null then
    perform audit.record_event('user.verification_resend', 'refused', reason => 'LIMIT', severity => 'warning');
    return row(false, 'LIMIT', format('Too many requests for this address: try again in %s seconds.', v_retry), v_retry)::app_public.outcome;
  end if;
  select u.id into v_user_id from app_public.users u
  where u.email = btrim(resend_verification.email)::citext and u.deleted_at is null and not u.email_verified;
  if v_user_id is not null then
    v_request := app_private.request_email_verification(v_user_id);
  end if;
  perform audit.record_event('user.verification_resend', case when v_request is null then 'refused' else 'success' end,
    reason => case when v_user_id is null then 'no_unverified_account' when v_request is null then 'throttled' end,
    subject_id => v_user_id);
  return row(true, null, null, null)::app_public.outcome;
end;
$$;
comment on function app_public.resend_verification(text) is
  'Sends a new verification mail if the address belongs to an account that is not yet verified.';
grant execute on function app_public.resend_verification(text) to app_anonymous;
--! EndIncluded functions/app_public.resend_verification.sql
--! Included functions/app_public.logout.sql
create or replace function app_public.logout() returns app_public.outcome
language plpgsql volatile security definer
set search_path to pg_catalog, pg_temp as $$
declare
  v_session_id uuid := app_hidden.current_session_id();
begin
  if v_session_id is null then
    perform audit.record_event('auth.logout', 'refused', reason => 'LOGIN', severity => 'notice');
    return row(false, 'LOGIN', 'You are not logged in.', null)::app_public.outcome;
  end if;
  update app_private.sessions s set revoked_at = app_hidden.clock_now(), revoked_reason = 'logout' where s.id = v_session_id;
  perform audit.record_event('auth.logout', 'success', subject_id => app_hidden.current_user_id(),
    entity_type => 'session', entity_id => v_session_id::text);
  return row(true, null, null, null)::app_public.outcome;
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
    return row(false, 'LOGIN', 'You are not logged in.', null)::app_public.outcome;
  end if;
  update app_private.sessions s set revoked_at = app_hidden.clock_now(), revoked_reason = 'logout_all'
   where s.user_id = v_user_id and s.revoked_at is null;
  get diagnostics v_ended = row_count;
  perform audit.record_event('auth.logout_all', 'success', jsonb_build_object('sessions_ended', v_ended),
    subject_id => v_user_id, entity_type => 'user', entity_id => v_user_id::text);
  return row(true, null, null, null)::app_public.outcome;
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
    return row(false, 'LOGIN', 'You must log in to change your password.', null)::app_public.outcome;
  end if;
  select u.* into v_user from app_public.users u where u.id = v_user_id;
  select s.* into v_security from app_private.user_security s where s.user_id = v_user_id for update;

  if current_password is null
     or not app_private.verify_password(current_password, v_security.password_hash, v_security.password_scheme) then
    perform audit.record_event('auth.password_change', 'refused', reason => 'wrong_password', subject_id => v_user_id,
      severity => 'warning');
    return row(false, 'WRONG', 'Your current password is not correct.', null)::app_public.outcome;
  end if;

  v_violation := app_private.password_policy_violation(new_password, v_user.username::text, v_user.email::text);
  if v_violation is not null then
    perform audit.record_event('auth.password_change', 'refused', reason => 'WEAKP', subject_id => v_user_id);
    return row(false, 'WEAKP', v_violation, null)::app_public.outcome;
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
    return row(false, 'REUSD', format('Choose a password you have not used for your last %s passwords.', v_keep), null)::app_public.outcome;
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
  return row(true, null, null, null)::app_public.outcome;
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
    return row(false, 'LINKX', 'This verification link is not valid: it may have been used already or have expired.', null)::app_public.outcome;
  end if;
  update app_public.users u set email_verified = true, email_verified_at = app_hidden.clock_now()
   where u.id = v_user_id and not u.email_verified;
  perform audit.record_event('user.email_verify', 'success', subject_id => v_user_id,
    entity_type => 'email_verification', entity_id => v_verification_id::text);
  return row(true, null, null, null)::app_public.outcome;
end;
$$;
comment on function app_public.verify_email(text) is 'Confirms your email address with the token from the verification mail.';
grant execute on function app_public.verify_email(text) to app_anonymous;
--! EndIncluded functions/app_public.verify_email.sql
--! Included functions/app_hidden.purge_login_throttles.sql
/*
 * Deletes rate-limit hits older than the longest window, and lockout rows that are neither locked nor recent, in
 * bounded batches that skip rows other transactions hold: it never waits on, or makes wait, a login.
 * Returns how many rows it deleted; the worker calls it until that is zero.
 */
create or replace function app_hidden.purge_login_throttles(batch_size integer default 10000) returns integer
language plpgsql volatile security definer
set search_path to pg_catalog, pg_temp as $$
declare
  v_now timestamptz := app_hidden.clock_now();
  v_oldest_window interval;
  v_hits integer;
  v_attempts integer;
begin
  select max((s.value #>> '{}')::interval) into v_oldest_window
  from config.system_settings s where s.key like 'rate_limit.%.window';
  delete from app_private.rate_limit_hits h
   where h.id in (select x.id from app_private.rate_limit_hits x
                  where x.hit_at < v_now - coalesce(v_oldest_window, interval '1 day')
                  order by x.hit_at limit batch_size for update skip locked);
  get diagnostics v_hits = row_count;
  delete from app_private.login_attempts a
   where a.key in (select x.key from app_private.login_attempts x
                   where (x.locked_until is null or x.locked_until < v_now)
                     and x.last_failure_at < v_now - config.setting_interval('auth.lockout_max_duration')
                   limit batch_size for update skip locked);
  get diagnostics v_attempts = row_count;
  return v_hits + v_attempts;
end;
$$;
comment on function app_hidden.purge_login_throttles(integer) is
  'Deletes expired rate-limit hits and stale lockout rows in one bounded batch; returns how many it deleted.';
grant execute on function app_hidden.purge_login_throttles(integer) to app_worker;
--! EndIncluded functions/app_hidden.purge_login_throttles.sql
