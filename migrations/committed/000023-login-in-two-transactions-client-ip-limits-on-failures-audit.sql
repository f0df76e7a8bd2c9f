--! Previous: sha1:077cc2ef9c729ed535556aeb48f7828e2eba69bd
--! Hash: sha1:4d44e3680a0cb9209249c1d8b982905d633067e5
--! Message: Login in two transactions, client-IP limits on failures, audited refusals per organisation, cheaper audited writes, consent enforced on analytics and marketing

--! split: 100-login.sql
/*
 * Login at the speed of bcrypt (docs/login.md): a login is reserved in a short committed transaction
 * (app_hidden.reserve_login), then hashed and recorded in a second one, so no lock that another account or the other
 * logins of a client IP wait on is held through the hash. The client IP limit counts failures and logins in flight,
 * not successes. Every other password check shares the account's failure count and lockout
 * (app_private.require_password). Setting names say "client_ip" and "email_address" for what they count.
 */
create table if not exists app_private.login_reservations (
  id uuid primary key default gen_random_uuid(),
  attempt_id uuid not null unique,
  client_ip_bucket text not null check (length(client_ip_bucket) <= 300),
  attempt_key text not null check (length(attempt_key) <= 300),
  user_id uuid references app_public.users (id) on delete cascade,
  created_at timestamptz not null,
  expires_at timestamptz not null
);
comment on table app_private.login_reservations is
  'Logins in flight, between app_hidden.reserve_login and app_public.login: a failure of their client IP until recorded.';
create index if not exists login_reservations_client_ip_idx on app_private.login_reservations (client_ip_bucket, created_at);
create index if not exists login_reservations_user_id_idx on app_private.login_reservations (user_id);
create index if not exists login_reservations_created_at_idx on app_private.login_reservations (created_at);
--! Included policies/app_private.login_reservations.sql
/*
 * Logins in flight: reserved before the password is hashed, removed when the attempt is recorded. They count as
 * failures of their client IP, and as attempts of their account, until then (docs/login.md).
 * No role but the owner holds a privilege: only security definer functions reach it.
 */
revoke all on app_private.login_reservations from public, authenticator, app_anonymous, app_authenticated, app_worker, app_analytics;
--! EndIncluded policies/app_private.login_reservations.sql

/* Renamed: the setting names say what they count, the client IP or a submitted email address. */
update config.system_settings s set key = r.new_key, description = r.description
from (values
  ('rate_limit.login_per_ip.max', 'rate_limit.login_failures_per_client_ip.max',
   'Failed logins plus logins in flight per client IP (IPv6: per /64) per window. Successful logins do not count.'),
  ('rate_limit.login_per_ip.window', 'rate_limit.login_failures_per_client_ip.window',
   'Window of rate_limit.login_failures_per_client_ip.'),
  ('rate_limit.register_per_ip.max', 'rate_limit.register_per_client_ip.max',
   'Registrations per client IP (IPv6: per /64) per window.'),
  ('rate_limit.register_per_ip.window', 'rate_limit.register_per_client_ip.window',
   'Window of rate_limit.register_per_client_ip.'),
  ('rate_limit.password_reset_per_address.max', 'rate_limit.password_reset_per_email_address.max',
   'Password reset requests per submitted email address per window.'),
  ('rate_limit.password_reset_per_address.window', 'rate_limit.password_reset_per_email_address.window',
   'Window of rate_limit.password_reset_per_email_address.'),
  ('rate_limit.verification_resend_per_address.max', 'rate_limit.verification_resend_per_email_address.max',
   'Verification resend requests per submitted email address per window.'),
  ('rate_limit.verification_resend_per_address.window', 'rate_limit.verification_resend_per_email_address.window',
   'Window of rate_limit.verification_resend_per_email_address.')
) as r(old_key, new_key, description)
where s.key = r.old_key;
update config.system_settings set description = 'Login attempts per submitted identifier (username or email address) per window.'
 where key = 'rate_limit.login_per_identifier.max';
update config.system_settings set description = 'Failed logins and other failed password checks of one account (or unknown identifier) before it is locked.'
 where key = 'auth.lockout_threshold';

insert into config.system_settings (key, value_type, default_value, value, min_value, max_value, is_public, description)
select key, value_type, default_value, default_value, min_value, max_value, false, description
from (values
  ('auth.login_reservation_ttl', 'interval', '"30 seconds"'::jsonb, null::numeric, null::numeric,
   'How long a reserved login may take to be checked; an attempt not recorded by then is refused (LIMIT, retry).'),
  ('rate_limit.password_reset_per_client_ip.max', 'integer', '20', 1, 100000,
   'Password reset requests per client IP (IPv6: per /64) per window, whatever the address.'),
  ('rate_limit.password_reset_per_client_ip.window', 'interval', '"1 hour"', null, null,
   'Window of rate_limit.password_reset_per_client_ip.'),
  ('rate_limit.verification_resend_per_client_ip.max', 'integer', '20', 1, 100000,
   'Verification resend requests per client IP (IPv6: per /64) per window, whatever the address.'),
  ('rate_limit.verification_resend_per_client_ip.window', 'interval', '"1 hour"', null, null,
   'Window of rate_limit.verification_resend_per_client_ip.'),
  ('rate_limit.restore_per_client_ip.max', 'integer', '20', 1, 100000,
   'Account restore attempts per client IP (IPv6: per /64) per window.'),
  ('rate_limit.restore_per_client_ip.window', 'interval', '"1 hour"', null, null,
   'Window of rate_limit.restore_per_client_ip.'),
  ('rate_limit.organization_refusals_per_actor.max', 'integer', '30', 1, 100000,
   'Refused attempts against organisations one user may leave in their audit trails per window; beyond it, LIMIT.'),
  ('rate_limit.organization_refusals_per_actor.window', 'interval', '"15 minutes"', null, null,
   'Window of rate_limit.organization_refusals_per_actor.')
) as s(key, value_type, default_value, min_value, max_value, description)
on conflict (key) do nothing;

--! Included functions/app_private.bucket_hash.sql
/*
 * How rate-limit buckets are stored: SHA-256 of the bucket name, a pseudonym of the client IP or submitted identifier
 * it names (the rows are purged within hours).
 */
create or replace function app_private.bucket_hash(bucket text) returns text
language sql immutable strict as $$
  select encode(extensions.digest(bucket, 'sha256'), 'hex')
$$;
comment on function app_private.bucket_hash(text) is 'The stored form of a rate-limit bucket name: SHA-256, hex.';
--! EndIncluded functions/app_private.bucket_hash.sql
--! Included functions/app_private.client_ip_bucket.sql
/*
 * The rate-limit bucket of the caller's client IP for a purpose: IPv4 addresses one by one, IPv6 by their /64
 * network (a subscriber usually holds a whole /64, so single IPv6 addresses would count nothing; an IPv4 address
 * mapped into IPv6 stays one address). Stored only as app_private.bucket_hash of this name (an address is personal
 * data). Behind a load balancer the gateway must trust it (TRUST_PROXY), or every caller is the balancer and all
 * share one bucket.
 */
create or replace function app_private.client_ip_bucket(purpose text) returns text
language sql stable as $$
  select client_ip_bucket.purpose || ':client_ip:' || coalesce(
    pg_catalog.network(pg_catalog.set_masklen(c.ip,
      case when pg_catalog.family(c.ip) = 4 or c.ip << inet '::ffff:0:0/96' then pg_catalog.masklen(c.ip) else 64 end))::text,
    'unknown')
  from (select app_hidden.current_client_ip() as ip) c
$$;
comment on function app_private.client_ip_bucket(text) is
  'The rate-limit bucket name of the client IP for a purpose (IPv6 grouped by /64); stored only hashed.';
--! EndIncluded functions/app_private.client_ip_bucket.sql
--! Included functions/app_private.rate_limit_hit.sql
/*
 * A sliding-window rate limit over a log of hits. Returns null and records the hit when the request may proceed;
 * otherwise records nothing and returns how many seconds to wait. Callers check limits before any hashing, so a flood
 * cannot spend the database's CPU on bcrypt.
 *
 * Concurrency: a transaction-scoped advisory lock on the bucket makes count-then-insert atomic, so parallel requests
 * cannot slip past the limit. The lock is held until the caller commits: requests of one bucket (one client address,
 * say) run one after another. Take buckets in a fixed order (client address, then identifier) to avoid deadlocks.
 *
 * Buckets name client IPs and submitted identifiers, which are personal data: the log stores only
 * app_private.bucket_hash of the bucket name (a pseudonym; the rows are purged within hours).
 * Definer: reads and writes app_private.rate_limit_hits (no client role may); definer like every function on
 * app_private, so it stays safe whoever calls it.
 */
create or replace function app_private.rate_limit_hit(bucket text, max_hits integer, period interval)
returns integer
language plpgsql volatile security definer
set search_path to pg_catalog, pg_temp as $$
declare
  v_now timestamptz := app_hidden.clock_now();
  v_count integer;
  v_oldest timestamptz;
  v_bucket text := app_private.bucket_hash(rate_limit_hit.bucket);
begin
  perform pg_advisory_xact_lock(hashtextextended('rate_limit:' || v_bucket, 0));
  select count(*), min(h.hit_at) into v_count, v_oldest
  from app_private.rate_limit_hits h
  where h.bucket = v_bucket and h.hit_at > v_now - period;
  if v_count >= max_hits then
    return greatest(1, ceil(extract(epoch from v_oldest + period - v_now)))::integer;
  end if;
  insert into app_private.rate_limit_hits (bucket, hit_at) values (v_bucket, v_now);
  return null;
end;
$$;
comment on function app_private.rate_limit_hit(text, integer, interval) is
  'Counts a request against a sliding-window limit: null when allowed, else the seconds to wait.';
--! EndIncluded functions/app_private.rate_limit_hit.sql
--! Included functions/app_hidden.reserve_login.sql
/*
 * The first of a login two transactions (docs/login.md): everything that must be exact under concurrency, done
 * before the password is hashed and committed at once, so the hash that follows waits on no lock another account or
 * the other logins of the client IP hold.
 *   1. Client IP: failed logins plus logins in flight within rate_limit.login_failures_per_client_ip.window, at most
 *      its max. Successes do not count. A short lock on the IP bucket makes count-then-reserve atomic.
 *   2. Submitted identifier: every attempt counts (rate_limit.login_per_identifier).
 *   3. The reservation, naming the account (or the unknown identifier), which app_public.login takes over: until
 *      then it counts as a failure of the client IP.
 * The account lockout is decided in app_public.login, under the lock of the account own row: attempts on one
 * account wait for each other, attempts on others do not.
 * Returns a login_result: all null when reserved, else the audited refusal (LIMIT).
 * Definer: reads and writes app_private.login_reservations and rate_limit_hits, which no client role may touch.
 */
create or replace function app_hidden.reserve_login(identifier text, attempt_id uuid default null)
returns app_public.login_result
language plpgsql volatile security definer
set search_path to pg_catalog, extensions, pg_temp as $$
declare
  v_identifier citext := btrim(reserve_login.identifier);
  v_attempt_id uuid := coalesce(reserve_login.attempt_id,
                                nullif(pg_catalog.current_setting('request.attempt_id', true), '')::uuid);
  v_now timestamptz := app_hidden.clock_now();
  v_ip_bucket text := app_private.bucket_hash(app_private.client_ip_bucket('login_failure'));
  v_window interval := config.setting_interval('rate_limit.login_failures_per_client_ip.window');
  v_count integer;
  v_oldest timestamptz;
  v_retry integer;
  v_user_id uuid;
  v_event constant text := 'auth.login';
  v_personal jsonb := jsonb_build_object('identifier', left(v_identifier::text, 254));
begin
  if v_attempt_id is null then
    raise exception 'A login reservation needs the request attempt id.' using errcode = 'INVAL',
      hint = 'The gateway sets request.attempt_id for every request.';
  end if;

  perform pg_advisory_xact_lock(hashtextextended('login_reservation:' || v_ip_bucket, 0));
  select count(*), min(x.at) into v_count, v_oldest from (
    select h.hit_at as at from app_private.rate_limit_hits h
     where h.bucket = v_ip_bucket and h.hit_at > v_now - v_window
    union all
    select r.created_at from app_private.login_reservations r
     where r.client_ip_bucket = v_ip_bucket and r.created_at > v_now - v_window
  ) x;
  if v_count >= config.setting_integer('rate_limit.login_failures_per_client_ip.max') then
    v_retry := greatest(1, ceil(extract(epoch from v_oldest + v_window - v_now)))::integer;
    return app_private.refuse(null::app_public.login_result, v_event, 'LIMIT',
      format('Too many failed logins from your network: try again in %s seconds.', v_retry),
      reason => 'client_ip_limit', retry_after => v_retry, personal_values => v_personal);
  end if;

  v_retry := app_private.rate_limit_hit('login:identifier:' || lower(left(coalesce(v_identifier::text, ''), 254)),
    config.setting_integer('rate_limit.login_per_identifier.max'),
    config.setting_interval('rate_limit.login_per_identifier.window'));
  if v_retry is not null then
    return app_private.refuse(null::app_public.login_result, v_event, 'LIMIT',
      format('Too many login attempts: try again in %s seconds.', v_retry),
      reason => 'identifier_limit', retry_after => v_retry, personal_values => v_personal);
  end if;

  if length(v_identifier) <= 254 then
    select u.id into v_user_id from app_public.users u
    where (u.email = v_identifier or u.username = v_identifier) and u.deleted_at is null
    order by (u.email = v_identifier) desc
    limit 1;
  end if;

  insert into app_private.login_reservations (attempt_id, client_ip_bucket, attempt_key, user_id, created_at, expires_at)
  values (v_attempt_id, v_ip_bucket, app_private.login_attempt_key(v_user_id, v_identifier::text), v_user_id, v_now,
          v_now + config.setting_interval('auth.login_reservation_ttl'));
  return null;
end;
$$;
comment on function app_hidden.reserve_login(text, uuid) is
  'First transaction of a login: limits and lockout checked, the attempt reserved; null when reserved, else the refusal.';
grant execute on function app_hidden.reserve_login(text, uuid) to app_anonymous;
--! EndIncluded functions/app_hidden.reserve_login.sql
--! Included functions/app_public.login.sql
/*
 * One login = one session. Every refusal gives the caller the same code and message (WRONG); the real reason goes to
 * the audit trail. A login is two transactions (docs/login.md):
 *   1. app_hidden.reserve_login, called by the gateway first and committed: client IP and identifier limits, the
 *      lockout budget, a reservation (LIMIT when refused);
 *   2. this function: it takes its reservation over and locks the row of the account (or unknown identifier), so
 *      attempts on one account run one at a time and parallel guesses cannot pass auth.lockout_threshold; it hashes
 *      holding no lock that the logins of other accounts or of the same client IP wait on; then it records the
 *      outcome: a failure counts for the account (locking it at the threshold) and for the client IP; a success
 *      resets the count and opens a session.
 * Unknown identifiers and locked keys spend the same bcrypt work as a real check; an account status is looked at only
 * after its password matched, so neither time nor answer tells which accounts exist. Called without a reservation
 * (straight from SQL) it reserves in its own transaction, whose locks it then holds through the hash.
 * Refusals return a refusal_code so the counts, locks and audit rows stay (sql/README.md, "Refusals"). On success the
 * gateway signs the access token from the returned session; the refresh token is returned once and stored only as
 * SHA-256.
 * Definer: reads password hashes and lockout counters (app_private) and opens a session.
 */
create or replace function app_public.login(identifier text, password text) returns app_public.login_result
language plpgsql volatile security definer
set search_path to pg_catalog, extensions, pg_temp as $$
declare
  v_identifier citext := btrim(identifier);
  /* Whole seconds: JWT times have no fractions, and accessTokenExpiresAt must equal the token's exp. */
  v_now timestamptz := date_trunc('second', app_hidden.clock_now());
  v_attempt_id uuid := nullif(pg_catalog.current_setting('request.attempt_id', true), '')::uuid;
  v_reservation app_private.login_reservations;
  v_refused app_public.login_result;
  v_user app_public.users;
  v_security app_private.user_security;
  v_key text;
  v_attempt app_private.login_attempts;
  v_reason text;
  v_session_id uuid;
  v_session_expires timestamptz;
  v_refusal constant text := 'The username, email address or password is not correct.';
  v_event constant text := 'auth.login';
begin
  if v_attempt_id is not null then
    delete from app_private.login_reservations r where r.attempt_id = v_attempt_id returning r.* into v_reservation;
  end if;
  if v_reservation.id is null then
    v_attempt_id := gen_random_uuid();
    v_refused := app_hidden.reserve_login(identifier, v_attempt_id);
    if v_refused.refusal_code is not null then return v_refused; end if;
    delete from app_private.login_reservations r where r.attempt_id = v_attempt_id returning r.* into v_reservation;
  end if;
  if v_reservation.expires_at <= app_hidden.clock_now() then
    return app_private.refuse(null::app_public.login_result, v_event, 'LIMIT',
      'Too many login attempts at once: try again in a second.', reason => 'reservation_expired',
      subject_id => v_reservation.user_id, retry_after => 1);
  end if;

  select u.* into v_user from app_public.users u where u.id = v_reservation.user_id and u.deleted_at is null;
  select s.* into v_security from app_private.user_security s where s.user_id = v_user.id;
  v_key := v_reservation.attempt_key;
  /* One account (or unknown identifier) at a time from here: parallel guesses cannot pass the lockout threshold. */
  insert into app_private.login_attempts (key) values (v_key) on conflict do nothing;
  select a.* into v_attempt from app_private.login_attempts a where a.key = v_key for update;
  if v_identifier is null or password is null or length(v_identifier) > 254
     or char_length(password) > config.setting_integer('auth.password_max_length')
     or v_key <> app_private.login_attempt_key(v_reservation.user_id, v_identifier::text) then
    v_reason := 'malformed';
  elsif v_attempt.locked_until > app_hidden.clock_now() then
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

  if v_reason is not null then
    /* A failure of the client IP (rate_limit.login_failures_per_client_ip), in place of its reservation. */
    insert into app_private.rate_limit_hits (bucket, hit_at) values (v_reservation.client_ip_bucket, app_hidden.clock_now());
    return app_private.refuse(null::app_public.login_result, v_event, 'WRONG', v_refusal, reason => v_reason,
      subject_id => v_user.id, personal_values => jsonb_build_object('identifier', left(v_identifier::text, 254)));
  end if;

  if (v_attempt.failed_count, v_attempt.lock_count) <> (0, 0) then
    update app_private.login_attempts a set failed_count = 0, lock_count = 0, locked_until = null where a.key = v_key;
  end if;
  /* A legacy hash, or one made at another cost, is replaced now that the password is known to be right. */
  if v_security.password_scheme <> 'bcrypt-sha384'
     or substr(v_security.password_hash, 5, 2)::integer <> config.setting_integer('auth.bcrypt_cost') then
    update app_private.user_security s
       set password_hash = app_private.hash_password(password), password_scheme = 'bcrypt-sha384', last_login_at = v_now
     where s.user_id = v_user.id;
  else
    update app_private.user_security s set last_login_at = v_now where s.user_id = v_user.id;
  end if;

  perform app_private.note_login_device(v_user.id);
  /* Where the session was opened from is personal data: stored only encrypted to the account's key. */
  insert into app_private.sessions (user_id, personal)
  values (v_user.id, app_hidden.encrypt_personal(v_user.id, jsonb_strip_nulls(jsonb_build_object(
            'ip', host(app_hidden.current_client_ip()), 'user_agent', left(app_hidden.current_user_agent(), 512)))::text))
  returning id, absolute_expires_at into v_session_id, v_session_expires;

  perform audit.record_event(v_event, 'success', '{}', subject_id => v_user.id,
    entity_type => 'session', entity_id => v_session_id::text);
  return row(
    v_user.id, v_session_id, app_private.issue_refresh_token(v_session_id, null), v_now,
    date_trunc('second', least(v_now + config.setting_interval('auth.access_token_ttl'), v_session_expires)),
    null, null, null, null
  )::app_public.login_result;
end;
$$;
comment on function app_public.login(text, text) is
  'Logs in with a username or email address and a password, starting a new session.';
grant execute on function app_public.login(text, text) to app_anonymous;
--! EndIncluded functions/app_public.login.sql
--! Included functions/app_private.require_password.sql
/*
 * Gate for every check of a password outside login (change password, email or phone, delete the account, and any
 * later re-authentication): it shares login's failure count and lockout of the account. In order, before the hash:
 * the account checks run one at a time (its login_attempts row is locked, so parallel guesses cannot pass the
 * threshold), and a locked account is refused (LIMIT, with the time left: the caller is its signed-in owner). Then
 * the hash: a wrong password counts as a failed login (app_private.record_login_failure: auth.lockout_threshold locks
 * the account for login too) and is refused (WRONG); a right one resets the count. Returns null when the password is
 * right, else the audited refusal as the caller function result row (see app_private.refuse).
 * Definer: reads the password hash and writes app_private.login_attempts, which no client role may touch.
 */
create or replace function app_private.require_password(
  result anyelement, event_type text, user_id uuid, password text,
  message text default 'Your password is not correct.'
) returns anyelement
language plpgsql volatile security definer
set search_path to pg_catalog, pg_temp as $$
declare
  v_key text := app_private.login_attempt_key(require_password.user_id, null);
  v_now timestamptz := app_hidden.clock_now();
  v_attempt app_private.login_attempts;
  v_security app_private.user_security;
  v_wait integer;
begin
  insert into app_private.login_attempts (key) values (v_key) on conflict do nothing;
  select a.* into v_attempt from app_private.login_attempts a where a.key = v_key for update;
  if v_attempt.locked_until > v_now then
    v_wait := greatest(1, ceil(extract(epoch from v_attempt.locked_until - v_now)))::integer;
    return app_private.refuse(require_password.result, require_password.event_type, 'LIMIT',
      format('Too many wrong passwords: try again in %s seconds.', v_wait), reason => 'locked',
      subject_id => require_password.user_id, retry_after => v_wait);
  end if;
  select s.* into v_security from app_private.user_security s where s.user_id = require_password.user_id;
  if require_password.password is null
     or char_length(require_password.password) > config.setting_integer('auth.password_max_length')
     or not app_private.verify_password(require_password.password, v_security.password_hash, v_security.password_scheme) then
    perform app_private.record_login_failure(v_key, require_password.user_id);
    return app_private.refuse(require_password.result, require_password.event_type, 'WRONG', require_password.message,
      reason => 'wrong_password', subject_id => require_password.user_id);
  end if;
  update app_private.login_attempts a set failed_count = 0 where a.key = v_key and a.failed_count > 0;
  return null;
end;
$$;
comment on function app_private.require_password(anyelement, text, uuid, text, text) is
  'Gate: null when the account password is right, else the audited refusal (WRONG, or LIMIT while the account is locked).';
--! EndIncluded functions/app_private.require_password.sql
--! Included functions/app_public.change_password.sql
/*
 * Needs the current password (ASVS 6.2.3); the new one follows app_private.set_password's rules. Every other session
 * ends (ASVS 7.4.3) and the owner is told by mail (ASVS 6.3.6).
 * Definer: replaces the password hash in app_private.user_security and ends sessions (app_private.sessions).
 */
create or replace function app_public.change_password(current_password text, new_password text)
returns app_public.outcome
language plpgsql volatile security definer
set search_path to pg_catalog, extensions, pg_temp as $$
declare
  v_user_id uuid := app_hidden.current_user_id();
  v_result app_public.outcome;
  v_event constant text := 'auth.password_change';
begin
  v_result := app_private.require_login(null::app_public.outcome, v_event, 'You must log in to change your password.');
  if v_result.refusal_code is not null then return v_result; end if;
  v_result := app_private.require_password(null::app_public.outcome, v_event, v_user_id, current_password,
    'Your current password is not correct.');
  if v_result.refusal_code is not null then return v_result; end if;

  v_result := app_private.set_password(v_user_id, new_password);
  if not v_result.ok then
    return app_private.refuse(v_result, v_event, v_result.refusal_code, v_result.refusal_message, subject_id => v_user_id);
  end if;

  update app_private.sessions s set revoked_at = app_hidden.clock_now(), revoked_reason = 'password_changed'
   where s.user_id = v_user_id and s.revoked_at is null and s.id <> app_hidden.current_session_id();
  perform app_private.notify('password_changed', v_user_id);
  perform audit.record_event(v_event, 'success', subject_id => v_user_id,
    entity_type => 'user', entity_id => v_user_id::text);
  return v_result;
end;
$$;
comment on function app_public.change_password(text, text) is
  'Changes your password. Needs the current one; your other sessions end, and you are told by mail.';
grant execute on function app_public.change_password(text, text) to app_anonymous;
--! EndIncluded functions/app_public.change_password.sql
--! Included functions/app_public.change_email.sql
/*
 * Moving an account to a new address needs the password (re-authentication, ASVS 7.5.1). The new address gets a link
 * (users__send_email_change), the old one a notice; the address changes only when the link is followed. If the new
 * address already belongs to an account, the answer is the same as for a free one (no enumeration) and the owner of
 * that address is told instead.
 * Definer: checks the password (app_private.require_password) and writes app_private.email_changes.
 */
create or replace function app_public.change_email(new_email text, password text) returns app_public.outcome
language plpgsql volatile security definer
set search_path to pg_catalog, extensions, pg_temp as $$
declare
  v_user_id uuid := app_hidden.current_user_id();
  v_user app_public.users;
  v_new citext := btrim(change_email.new_email);
  v_owner uuid;
  v_change_id uuid;
  v_retry integer;
  v_event constant text := 'user.email_change_request';
  v_refused app_public.outcome;
begin
  v_refused := app_private.require_login(null::app_public.outcome, v_event, 'You must log in to change your email address.');
  if v_refused.refusal_code is not null then return v_refused; end if;
  if v_new is null or length(v_new) > 254 or v_new !~ '^[^@[:space:]]+@[^@[:space:]]+\.[^@[:space:]]+$' then
    raise exception 'That is not an email address.' using errcode = 'INVAL', hint = 'Check the address.';
  end if;

  v_retry := app_private.rate_limit_hit('email_change:account:' || v_user_id::text,
    config.setting_integer('rate_limit.email_change_per_account.max'),
    config.setting_interval('rate_limit.email_change_per_account.window'));
  if v_retry is not null then
    return app_private.refuse(null::app_public.outcome, v_event, 'LIMIT',
      format('Too many requests: try again in %s seconds.', v_retry), subject_id => v_user_id, retry_after => v_retry);
  end if;

  select u.* into v_user from app_public.users u where u.id = v_user_id;
  v_refused := app_private.require_password(null::app_public.outcome, v_event, v_user_id, password);
  if v_refused.refusal_code is not null then return v_refused; end if;
  if v_new = v_user.email then
    raise exception 'That is already your email address.' using errcode = 'INVAL', hint = 'Give a different address.';
  end if;

  select u.id into v_owner from app_public.users u where u.email = v_new and u.deleted_at is null;
  if v_owner is not null then
    perform app_private.notify('email_in_use_attempt', v_owner);
    /* Answered as a success: the caller must not learn that the address has an account. */
    perform app_private.record_refusal(v_event, null, 'email_in_use', subject_id => v_user_id);
    return row(true, null, null, null)::app_public.outcome;
  end if;

  insert into app_private.email_changes (user_id, old_email, new_email)
  values (v_user_id, v_user.email, v_new)
  returning id into v_change_id;
  perform graphile_worker.add_job('users__send_email_change', json_build_object('change_id', v_change_id));
  perform app_private.notify('email_change_requested', v_user_id, jsonb_build_object('new_email', v_new));
  perform audit.record_event(v_event, 'success', subject_id => v_user_id,
    entity_type => 'email_change', entity_id => v_change_id::text);
  return row(true, null, null, null)::app_public.outcome;
end;
$$;
comment on function app_public.change_email(text, text) is
  'Starts moving your account to a new email address: needs your password; the address changes when you follow the link mailed to it.';
grant execute on function app_public.change_email(text, text) to app_anonymous;
--! EndIncluded functions/app_public.change_email.sql
--! Included functions/app_public.change_phone.sql
/*
 * Sets (or, with null, removes) your phone number. Needs your password (re-authentication), takes E.164 only
 * (+ and 7 to 15 digits, no spaces). The number is stored only encrypted to your own key, beside its blind index for
 * lookups; the audit event carries the new number in its encrypted part. An account whose key the worker has not made
 * yet is asked to try again shortly (NOKEY) rather than have its number stored under any other key.
 * Definer: checks the password hash and writes app_private.user_personal_data (encrypted phone).
 */
create or replace function app_public.change_phone(new_phone text, password text) returns app_public.outcome
language plpgsql volatile security definer
set search_path to pg_catalog, extensions, pg_temp as $$
declare
  v_user_id uuid := app_hidden.current_user_id();
  v_phone text := nullif(btrim(change_phone.new_phone), '');
  v_retry integer;
  v_event constant text := 'user.phone_change';
  v_refused app_public.outcome;
begin
  v_refused := app_private.require_login(null::app_public.outcome, v_event, 'You must log in to change your phone number.');
  if v_refused.refusal_code is not null then return v_refused; end if;
  if v_phone is not null and v_phone !~ '^\+[1-9][0-9]{6,14}$' then
    raise exception 'That is not a phone number in international format.' using errcode = 'INVAL',
      hint = 'Write it as + country code and number, digits only, for example +14155550123.';
  end if;

  v_retry := app_private.rate_limit_hit('phone_change:account:' || v_user_id::text,
    config.setting_integer('rate_limit.email_change_per_account.max'),
    config.setting_interval('rate_limit.email_change_per_account.window'));
  if v_retry is not null then
    return app_private.refuse(null::app_public.outcome, v_event, 'LIMIT',
      format('Too many requests: try again in %s seconds.', v_retry), subject_id => v_user_id, retry_after => v_retry);
  end if;

  v_refused := app_private.require_password(null::app_public.outcome, v_event, v_user_id, password);
  if v_refused.refusal_code is not null then return v_refused; end if;
  if not app_hidden.user_key_assigned(v_user_id) then
    raise exception 'Your phone number cannot be stored yet: try again in a minute.' using errcode = 'NOKEY',
      hint = 'Your account''s encryption key is still being made.';
  end if;

  insert into app_private.user_personal_data as p (user_id, phone, phone_lookup)
  values (v_user_id, app_hidden.encrypt_personal(v_user_id, v_phone),
          case when v_phone is not null then app_hidden.phone_lookup(v_phone) end)
  on conflict (user_id) do update
    set phone = excluded.phone, phone_lookup = excluded.phone_lookup, updated_at = app_hidden.clock_now();
  perform audit.record_event(v_event, 'success', subject_id => v_user_id,
    entity_type => 'user', entity_id => v_user_id::text,
    details => jsonb_build_object('removed', v_phone is null),
    personal_values => jsonb_build_object('phone', v_phone));
  return row(true, null, null, null)::app_public.outcome;
end;
$$;
comment on function app_public.change_phone(text, text) is
  'Sets your phone number (E.164, e.g. +14155550123), or removes it with null. Needs your password.';
grant execute on function app_public.change_phone(text, text) to app_authenticated;
--! EndIncluded functions/app_public.change_phone.sql
--! Included functions/app_public.delete_my_account.sql
/*
 * GDPR erasure, asked by the account holder. Needs the current password. At once: the account is marked deleted,
 * every session ends and logging in is refused; the address and username stay reserved (a registration with them is
 * answered as usual, without telling). After gdpr.erasure_grace_period the worker erases the account
 * (users__erase): the keys are destroyed, which makes every encrypted value about the person unreadable in the
 * database and in every backup, and the remaining clear personal columns are anonymised. With `immediate` the grace
 * period is waived and erasure is queued now. Until erasure, restoreAccount brings the account back.
 * Definer: checks the password hash in app_private.user_security and ends every session.
 */
create or replace function app_public.delete_my_account(password text, immediate boolean default false)
returns app_public.outcome
language plpgsql volatile security definer
set search_path to pg_catalog, pg_temp as $$
declare
  v_user_id uuid := app_hidden.current_user_id();
  v_due timestamptz;
  v_event constant text := 'user.delete';
  v_refused app_public.outcome;
begin
  v_refused := app_private.require_login(null::app_public.outcome, v_event, 'You must log in to delete your account.');
  if v_refused.refusal_code is not null then return v_refused; end if;
  v_refused := app_private.require_password(null::app_public.outcome, v_event, v_user_id, password);
  if v_refused.refusal_code is not null then return v_refused; end if;

  v_due := app_hidden.clock_now()
           + case when coalesce(immediate, false) then interval '0' else config.setting_interval('gdpr.erasure_grace_period') end;
  update app_public.users u set status = 'deleted', erasure_requested_at = app_hidden.clock_now(), erasure_due_at = v_due
   where u.id = v_user_id;
  update app_private.sessions s set revoked_at = app_hidden.clock_now(), revoked_reason = 'account_deleted'
   where s.user_id = v_user_id and s.revoked_at is null;
  perform graphile_worker.add_job('users__erase', json_build_object('user_id', v_user_id), run_at => v_due,
    job_key => 'users__erase:' || v_user_id::text, job_key_mode => 'replace');
  if not coalesce(immediate, false) then
    perform app_private.notify('account_deleted', v_user_id, jsonb_build_object('erasure_due_at', v_due));
  end if;
  perform audit.record_event(v_event, 'success', subject_id => v_user_id, entity_type => 'user',
    entity_id => v_user_id::text, severity => 'notice',
    details => jsonb_build_object('immediate', coalesce(immediate, false), 'erasure_due_at', v_due));
  return row(true, null, null, null)::app_public.outcome;
end;
$$;
comment on function app_public.delete_my_account(text, boolean) is
  'Deletes your account: you are logged out everywhere now, and your data is erased after the grace period (or at once with immediate). Needs your password.';
grant execute on function app_public.delete_my_account(text, boolean) to app_authenticated;
--! EndIncluded functions/app_public.delete_my_account.sql
--! Included functions/app_public.restore_account.sql
/*
 * Brings back an account deleted less than the grace period ago, for whoever knows its address (or username) and
 * password. Every other case (no such account, wrong password, not deleted, already erased) gets the same WRONG, after
 * the same bcrypt work, so the answer tells nothing about which accounts exist. Then log in as usual.
 * Definer: checks the password hash and lockout of an account the anonymous caller may not see.
 */
create or replace function app_public.restore_account(identifier text, password text) returns app_public.outcome
language plpgsql volatile security definer
set search_path to pg_catalog, extensions, pg_temp as $$
declare
  v_user app_public.users;
  v_security app_private.user_security;
  v_key text;
  v_attempt app_private.login_attempts;
  v_reason text;
  v_retry integer;
  v_event constant text := 'user.restore';
begin
  v_retry := app_private.rate_limit_hit(app_private.client_ip_bucket('restore'),
    config.setting_integer('rate_limit.restore_per_client_ip.max'),
    config.setting_interval('rate_limit.restore_per_client_ip.window'));
  if v_retry is not null then
    return app_private.refuse(null::app_public.outcome, v_event, 'LIMIT',
      format('Too many attempts: try again in %s seconds.', v_retry), retry_after => v_retry);
  end if;
  select u.* into v_user from app_public.users u
   where (u.email = btrim(restore_account.identifier)::citext or u.username = btrim(restore_account.identifier)::citext)
     and u.deleted_at is null
   limit 1;
  /* A password check like any other: it shares the account failure count and lockout (app_private.require_password). */
  if v_user.id is not null then
    v_key := app_private.login_attempt_key(v_user.id, null);
    insert into app_private.login_attempts (key) values (v_key) on conflict do nothing;
    select a.* into v_attempt from app_private.login_attempts a where a.key = v_key for update;
    select s.* into v_security from app_private.user_security s where s.user_id = v_user.id;
  end if;
  /* Unknown and locked accounts spend the same one bcrypt hash as a real check. */
  if v_security.user_id is null or v_attempt.locked_until > app_hidden.clock_now() then
    perform app_private.hash_password(coalesce(password, ''));
    v_reason := case when v_security.user_id is null then 'unknown_identifier' else 'locked' end;
  elsif password is null
        or char_length(password) > config.setting_integer('auth.password_max_length')
        or not app_private.verify_password(password, v_security.password_hash, v_security.password_scheme) then
    perform app_private.record_login_failure(v_key, v_user.id);
    v_reason := 'wrong_password';
  elsif not (v_user.status = 'deleted' and v_user.erasure_due_at > app_hidden.clock_now()) then
    v_reason := 'not_restorable';
  end if;
  if v_reason is not null then
    return app_private.refuse(null::app_public.outcome, v_event, 'WRONG', 'That account cannot be restored with these details.',
      reason => v_reason, subject_id => v_user.id);
  end if;
  update app_private.login_attempts a set failed_count = 0 where a.key = v_key and a.failed_count > 0;
  update app_public.users u set status = 'active', erasure_requested_at = null, erasure_due_at = null where u.id = v_user.id;
  perform graphile_worker.remove_job('users__erase:' || v_user.id::text);
  perform app_private.notify('account_restored', v_user.id);
  perform audit.record_event(v_event, 'success', subject_id => v_user.id, entity_type => 'user',
    entity_id => v_user.id::text, severity => 'notice');
  return row(true, null, null, null)::app_public.outcome;
end;
$$;
comment on function app_public.restore_account(text, text) is
  'Restores your account within the grace period after you deleted it: give your email address (or username) and password.';
grant execute on function app_public.restore_account(text, text) to app_anonymous;
--! EndIncluded functions/app_public.restore_account.sql
--! Included functions/app_public.register.sql
/*
 * Creating an account. Email addresses are not enumerable: a new address and one that already has an account get the
 * same answer and cost the same time (the password is hashed before anything is looked up); the owner of an existing
 * address is told by mail that someone tried to register with it. Usernames are public handles, so a taken one is
 * reported (TAKEN). Refusals return a refusal_code (sql/README.md, "Refusals") so their audit rows stay.
 * Definer: creates the account and writes its password hash to app_private.user_security.
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
  v_event constant text := 'user.register';
  v_base app_public.registration := row(v_email, v_verification_required, null, null, null);
  v_personal jsonb := jsonb_build_object('username', v_username);
begin
  /* Before anything else, and before any hashing. */
  v_retry := app_private.rate_limit_hit(app_private.client_ip_bucket('register'),
    config.setting_integer('rate_limit.register_per_client_ip.max'),
    config.setting_interval('rate_limit.register_per_client_ip.window'));
  if v_retry is not null then
    return app_private.refuse(v_base, v_event, 'LIMIT',
      format('Too many registrations from your address: try again in %s seconds.', v_retry), retry_after => v_retry);
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
    return app_private.refuse(v_base, v_event, 'WEAKP', v_violation, personal_values => v_personal);
  end if;

  /* Hash first: whatever follows, every registration has spent the same bcrypt work. */
  v_hash := app_private.hash_password(password);

  if exists (select 1 from app_public.users u where u.username = v_username and u.deleted_at is null) then
    return app_private.refuse(v_base, v_event, 'TAKEN', 'That username is taken: choose another.',
      personal_values => v_personal);
  end if;

  select u.id into v_user_id from app_public.users u where u.email = v_email and u.deleted_at is null;
  if found then
    perform app_private.notify('duplicate_registration', v_user_id);
    /* Answered as a success: the caller must not learn that the address has an account. */
    perform app_private.record_refusal(v_event, null, 'email_in_use', subject_id => v_user_id,
      personal_values => v_personal);
    return v_base;
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
      return app_private.refuse(v_base, v_event, 'TAKEN', 'That username is taken: choose another.',
        personal_values => v_personal);
    end if;
    perform app_private.record_refusal(v_event, null, 'email_in_use', personal_values => v_personal);
    return v_base;
  end;

  insert into app_private.user_security (user_id, password_hash, password_scheme)
  values (v_user_id, v_hash, 'bcrypt-sha384');
  perform app_private.request_email_verification(v_user_id);
  perform audit.record_event(v_event, 'success', personal_values => v_personal,
    subject_id => v_user_id, entity_type => 'user', entity_id => v_user_id::text);
  return v_base;
end;
$$;
comment on function app_public.register(text, text, text, text, text, text, boolean) is
  'Creates an account and mails a link to verify the address. The answer does not tell whether the address already had an account.';
grant execute on function app_public.register(text, text, text, text, text, text, boolean) to app_anonymous;
--! EndIncluded functions/app_public.register.sql
--! Included functions/app_public.request_password_reset.sql
/*
 * Always the same answer, whether or not the address has an account, and nothing is sent for an unknown one. The
 * request records the client address; the worker mints the token (users__send_password_reset) and mails the link.
 * At most rate_limit.password_reset_per_address requests per address, counted for every submitted address alike.
 * Definer: writes app_private.password_resets and looks up accounts the caller may not see.
 */
create or replace function app_public.request_password_reset(email text) returns app_public.outcome
language plpgsql volatile security definer
set search_path to pg_catalog, extensions, pg_temp as $$
declare
  v_email citext := btrim(request_password_reset.email);
  v_user_id uuid;
  v_reset_id uuid;
  v_retry integer;
  v_event constant text := 'auth.password_reset_request';
begin
  /* Per client IP first (one caller asking for many addresses), then per submitted address; both before anything else. */
  v_retry := app_private.rate_limit_hit(app_private.client_ip_bucket('password_reset'),
    config.setting_integer('rate_limit.password_reset_per_client_ip.max'),
    config.setting_interval('rate_limit.password_reset_per_client_ip.window'));
  if v_retry is not null then
    return app_private.refuse(null::app_public.outcome, v_event, 'LIMIT',
      format('Too many requests from your network: try again in %s seconds.', v_retry), reason => 'client_ip_limit',
      retry_after => v_retry);
  end if;
  v_retry := app_private.rate_limit_hit('password_reset:email_address:' || lower(left(coalesce(v_email::text, ''), 254)),
    config.setting_integer('rate_limit.password_reset_per_email_address.max'),
    config.setting_interval('rate_limit.password_reset_per_email_address.window'));
  if v_retry is not null then
    return app_private.refuse(null::app_public.outcome, v_event, 'LIMIT',
      format('Too many requests for this address: try again in %s seconds.', v_retry), retry_after => v_retry);
  end if;

  select u.id into v_user_id from app_public.users u
  where u.email = v_email and u.deleted_at is null and u.status in ('active', 'inactive');
  if v_user_id is not null then
    insert into app_private.password_resets (user_id, email, requested_from)
    values (v_user_id, v_email, app_hidden.encrypt_personal(v_user_id, jsonb_strip_nulls(jsonb_build_object(
              'ip', host(app_hidden.current_client_ip()), 'user_agent', left(app_hidden.current_user_agent(), 512)))::text))
    returning id into v_reset_id;
    perform graphile_worker.add_job('users__send_password_reset', json_build_object('reset_id', v_reset_id));
  end if;
  /* The same answer with or without an account: the refusal is recorded, not told. */
  if v_user_id is null then
    perform app_private.record_refusal(v_event, null, 'no_account');
  else
    perform audit.record_event(v_event, 'success', subject_id => v_user_id,
      entity_type => 'password_reset', entity_id => v_reset_id::text);
  end if;
  return row(true, null, null, null)::app_public.outcome;
end;
$$;
comment on function app_public.request_password_reset(text) is
  'Mails a link to choose a new password, if the address belongs to an account. The answer is the same either way.';
grant execute on function app_public.request_password_reset(text) to app_anonymous;
--! EndIncluded functions/app_public.request_password_reset.sql
--! Included functions/app_public.resend_verification.sql
/*
 * Always the same answer, so it tells nothing about which addresses have accounts. A mail goes out only to an
 * unverified account, and at most once per auth.verification_resend_interval; requests per address are rate-limited.
 * Definer: looks up accounts the caller may not see and writes app_private.email_verifications.
 */
create or replace function app_public.resend_verification(email text) returns app_public.outcome
language plpgsql volatile security definer
set search_path to pg_catalog, extensions, pg_temp as $$
declare
  v_user_id uuid;
  v_request uuid;
  v_retry integer;
  v_event constant text := 'user.verification_resend';
begin
  v_retry := app_private.rate_limit_hit(app_private.client_ip_bucket('verification_resend'),
    config.setting_integer('rate_limit.verification_resend_per_client_ip.max'),
    config.setting_interval('rate_limit.verification_resend_per_client_ip.window'));
  if v_retry is not null then
    return app_private.refuse(null::app_public.outcome, v_event, 'LIMIT',
      format('Too many requests from your network: try again in %s seconds.', v_retry), reason => 'client_ip_limit',
      retry_after => v_retry);
  end if;
  /* Counted per submitted address, whether or not it has an account, so the answer still tells nothing. */
  v_retry := app_private.rate_limit_hit('verification_resend:email_address:' || lower(left(btrim(coalesce(email, '')), 254)),
    config.setting_integer('rate_limit.verification_resend_per_email_address.max'),
    config.setting_interval('rate_limit.verification_resend_per_email_address.window'));
  if v_retry is not null then
    return app_private.refuse(null::app_public.outcome, v_event, 'LIMIT',
      format('Too many requests for this address: try again in %s seconds.', v_retry), retry_after => v_retry);
  end if;
  select u.id into v_user_id from app_public.users u
  where u.email = btrim(resend_verification.email)::citext and u.deleted_at is null and not u.email_verified;
  if v_user_id is not null then
    v_request := app_private.request_email_verification(v_user_id);
  end if;
  /* The same answer whatever happened: a refusal is recorded, not told. */
  if v_request is null then
    perform app_private.record_refusal(v_event, null,
      case when v_user_id is null then 'no_unverified_account' else 'throttled' end, subject_id => v_user_id);
  else
    perform audit.record_event(v_event, 'success', subject_id => v_user_id);
  end if;
  return row(true, null, null, null)::app_public.outcome;
end;
$$;
comment on function app_public.resend_verification(text) is
  'Sends a new verification mail if the address belongs to an account that is not yet verified.';
grant execute on function app_public.resend_verification(text) to app_anonymous;
--! EndIncluded functions/app_public.resend_verification.sql
--! Included functions/app_hidden.purge_login_throttles.sql
/*
 * Deletes rate-limit hits and login reservations older than the longest window, and lockout rows that are neither
 * locked nor recent, in bounded batches that skip rows other transactions hold: it never waits on, or makes wait, a
 * login.
 * Returns how many rows it deleted; the worker calls it until that is zero.
 * Definer: deletes from app_private.rate_limit_hits, login_attempts and login_reservations (no client role may).
 */
create or replace function app_hidden.purge_login_throttles(batch_size integer default 10000) returns integer
language plpgsql volatile security definer
set search_path to pg_catalog, pg_temp as $$
declare
  v_now timestamptz := app_hidden.clock_now();
  v_oldest_window interval;
  v_hits integer;
  v_attempts integer;
  v_reservations integer;
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
  /* Reservations never taken over (a gateway that died mid-login) count as failures only within the window. */
  delete from app_private.login_reservations r
   where r.id in (select x.id from app_private.login_reservations x
                  where x.created_at < v_now - coalesce(v_oldest_window, interval '1 day')
                  limit batch_size for update skip locked);
  get diagnostics v_reservations = row_count;
  return v_hits + v_attempts + v_reservations;
end;
$$;
comment on function app_hidden.purge_login_throttles(integer) is
  'Deletes expired rate-limit hits and stale lockout rows in one bounded batch; returns how many it deleted.';
grant execute on function app_hidden.purge_login_throttles(integer) to app_worker;
--! EndIncluded functions/app_hidden.purge_login_throttles.sql

/*
 * Refusals the tenant can see: a refused attempt against an organisation (the permission gate, invitations,
 * switching in, role and member changes) is audited with its organisation_id, limited per actor; organisation
 * auditors see actor, action, code and time, and only global auditors the personal part.
 */
--! Included functions/app_private.refuse.sql
/*
 * The one way a function refuses when the refusal must leave a trace (sql/README.md, "Refusals"): audits it, then
 * returns the function's own result row with refusal_code, refusal_message and (where the type has it)
 * refusal_retry_after set, and ok = false on an app_public.outcome. The caller returns that row instead of raising, so
 * its transaction commits and the audit row, counts and locks stay; the gateway turns refusal_code into a coded
 * GraphQL error. `result` is the row to return otherwise unchanged (often null::<type>).
 * A refusal with an organisation_id lands in that organisation trail, where its auditors see it. So that nobody can
 * flood a trail, one signed-in user leaves at most rate_limit.organization_refusals_per_actor of them per window:
 * beyond it the attempt is refused with LIMIT instead, recorded in the global trail only.
 * Definer: writes audit.events through app_private.record_refusal, which no client role may call.
 */
create or replace function app_private.refuse(
  result anyelement,
  event_type text,
  code text,
  message text,
  reason text default null,
  subject_id uuid default null,
  organisation_id uuid default null,
  entity_type text default null,
  entity_id text default null,
  details jsonb default '{}',
  personal_values jsonb default null,
  retry_after integer default null
) returns anyelement
language plpgsql volatile security definer
set search_path to pg_catalog, pg_temp as $$
declare
  v_retry integer;
begin
  if refuse.organisation_id is not null then
    v_retry := app_private.rate_limit_hit(
      'organization_refusals:actor:' || coalesce(app_hidden.current_user_id()::text, 'anonymous'),
      config.setting_integer('rate_limit.organization_refusals_per_actor.max'),
      config.setting_interval('rate_limit.organization_refusals_per_actor.window'));
    if v_retry is not null then
      perform app_private.record_refusal(refuse.event_type, 'LIMIT', 'organization_refusals_limit', refuse.subject_id,
        null, refuse.entity_type, refuse.entity_id,
        coalesce(refuse.details, '{}') || jsonb_build_object('organization_id', refuse.organisation_id, 'code', refuse.code),
        refuse.personal_values);
      return jsonb_populate_record(refuse.result, jsonb_build_object(
        'ok', false, 'refusal_code', 'LIMIT',
        'refusal_message', format('Too many refused attempts: try again in %s seconds.', v_retry),
        'refusal_retry_after', v_retry));
    end if;
  end if;
  perform app_private.record_refusal(refuse.event_type, refuse.code, refuse.reason, refuse.subject_id,
    refuse.organisation_id, refuse.entity_type, refuse.entity_id, refuse.details, refuse.personal_values);
  /* Fields the result type lacks (ok, refusal_retry_after) are ignored. */
  return jsonb_populate_record(refuse.result, jsonb_build_object(
    'ok', false, 'refusal_code', refuse.code, 'refusal_message', refuse.message,
    'refusal_retry_after', refuse.retry_after));
end;
$$;
comment on function app_private.refuse(anyelement, text, text, text, text, uuid, uuid, text, text, jsonb, jsonb, integer) is
  'Audits a refusal and returns the given result row carrying its code and message (the one refusal idiom).';
--! EndIncluded functions/app_private.refuse.sql
--! Included functions/app_private.require_permission.sql
/*
 * Gate: the caller must be signed in (LOGIN) and hold `permission` in the target organisation (PERMS; a null
 * organisation means a global grant, which platform administrators hold). A PERMS refusal is audited in the target
 * organisation trail, where its auditors see who tried what (app_private.refuse). Returns null when both hold, else the
 * audited refusal as the caller function result row (see app_private.refuse); subject_id, entity_type, entity_id
 * and details describe the target in the audit row of a PERMS refusal. Use:
 *   v_refused := app_private.require_permission(null::app_public.role_change, v_event, 'roles:assign', v_org,
 *     'You may not assign roles here.', 'role', role_id::text);
 *   if v_refused.refusal_code is not null then return v_refused; end if;
 * Definer: reads every role grant of the caller (app_private.role_ancestors) and audits through app_private.refuse.
 */
create or replace function app_private.require_permission(
  result anyelement,
  event_type text,
  permission text,
  organization_id uuid,
  message text,
  entity_type text default null,
  entity_id text default null,
  details jsonb default '{}',
  subject_id uuid default null,
  login_message text default 'You must log in first.'
) returns anyelement
language plpgsql volatile security definer
set search_path to pg_catalog, pg_temp as $$
declare
  v_actor uuid := app_hidden.current_user_id();
begin
  if v_actor is null then
    return app_private.refuse(require_permission.result, require_permission.event_type, 'LOGIN',
      require_permission.login_message);
  end if;
  if not app_hidden.user_has_permission(v_actor, require_permission.permission, require_permission.organization_id) then
    return app_private.refuse(require_permission.result, require_permission.event_type, 'PERMS',
      require_permission.message, subject_id => require_permission.subject_id,
      organisation_id => require_permission.organization_id,
      entity_type => require_permission.entity_type, entity_id => require_permission.entity_id,
      details => require_permission.details);
  end if;
  return null;
end;
$$;
comment on function app_private.require_permission(anyelement, text, text, uuid, text, text, text, jsonb, uuid, text) is
  'Gate: null when the caller is signed in and holds the permission in the organisation, else the audited refusal.';
--! EndIncluded functions/app_private.require_permission.sql
--! Included functions/app_private.require_role_management.sql
/*
 * Gate for every change to a role, in order: signed in (LOGIN), the role exists where the caller can see it (NTFND),
 * it is not a system role (PERMS), the caller holds roles:manage in the organisation of the role (PERMS). Returns null,
 * or the audited refusal as the caller function result row (see app_private.refuse).
 * Definer: reads roles of organisations the caller may not see, to answer NTFND for them as for missing ones.
 */
create or replace function app_private.require_role_management(result anyelement, event_type text, role_id uuid)
returns anyelement
language plpgsql volatile security definer
set search_path to pg_catalog, pg_temp as $$
declare
  v_actor uuid := app_hidden.current_user_id();
  v_role app_public.roles;
begin
  if v_actor is null then
    return app_private.refuse(require_role_management.result, require_role_management.event_type, 'LOGIN',
      'You must log in first.');
  end if;
  select r.* into v_role from app_public.roles r where r.id = require_role_management.role_id;
  if v_role.id is null or (v_role.organization_id is not null and not app_hidden.is_member(v_actor, v_role.organization_id)
                           and not app_hidden.user_has_permission(v_actor, 'roles:manage', null)) then
    return app_private.refuse(require_role_management.result, require_role_management.event_type, 'NTFND',
      'There is no such role.', entity_type => 'role', entity_id => require_role_management.role_id::text);
  end if;
  if v_role.is_system then
    return app_private.refuse(require_role_management.result, require_role_management.event_type, 'PERMS',
      'System roles cannot be changed.', organisation_id => v_role.organization_id, entity_type => 'role',
      entity_id => require_role_management.role_id::text);
  end if;
  if not app_hidden.user_has_permission(v_actor, 'roles:manage', v_role.organization_id) then
    return app_private.refuse(require_role_management.result, require_role_management.event_type, 'PERMS',
      'You may not manage roles in this organisation.', organisation_id => v_role.organization_id, entity_type => 'role',
      entity_id => require_role_management.role_id::text);
  end if;
  return null;
end;
$$;
comment on function app_private.require_role_management(anyelement, text, uuid) is
  'Gate: null when the caller may change the role, else the audited refusal (LOGIN, NTFND or PERMS).';
--! EndIncluded functions/app_private.require_role_management.sql
--! Included functions/app_public.accept_invitation.sql
/*
 * Joins an organisation with the token from an invitation mail, while logged in as an account whose verified address
 * is the invited one (a forwarded or leaked link is no use to anyone else). Once, before it expires. The new member
 * gets the member role.
 * Definer: reads app_private.invitation_tokens and adds the caller to an organisation they may not yet see.
 */
create or replace function app_public.accept_invitation(token text) returns app_public.organization_change
language plpgsql volatile security definer
set search_path to pg_catalog, extensions, pg_temp as $$
declare
  v_actor uuid := app_hidden.current_user_id();
  v_invitation app_public.invitations;
  v_event constant text := 'invitation.accept';
  v_refused app_public.organization_change;
begin
  v_refused := app_private.require_login(null::app_public.organization_change, v_event, 'Log in to accept the invitation.');
  if v_refused.refusal_code is not null then return v_refused; end if;
  select i.* into v_invitation
  from app_private.invitation_tokens t
  join app_public.invitations i on i.id = t.invitation_id
  where t.token_hash = app_private.link_token_hash(accept_invitation.token)
  for update of i;
  /* A real invitation that is not for the caller (or no longer valid) is refused in its organisation trail. */
  if v_invitation.id is null or v_invitation.accepted_at is not null or v_invitation.expires_at <= app_hidden.clock_now()
     or not exists (select 1 from app_public.users u where u.id = v_actor and u.email = v_invitation.email and u.email_verified) then
    return app_private.refuse(null::app_public.organization_change, v_event, 'LINKX',
      'This invitation is not valid for you: it may have expired, been used, or been sent to another address.',
      organisation_id => v_invitation.organization_id, entity_type => 'invitation', entity_id => v_invitation.id::text);
  end if;

  insert into app_public.memberships (organization_id, user_id, invited_at)
  values (v_invitation.organization_id, v_actor, v_invitation.created_at)
  on conflict on constraint memberships_organization_id_user_id_key do update
    set status = 'active', ended_at = null, joined_at = app_hidden.clock_now(), invited_at = excluded.invited_at;
  insert into app_public.user_roles (user_id, role_id, organization_id, assigned_by)
  select v_actor, r.id, v_invitation.organization_id, v_invitation.invited_by
  from app_public.roles r where r.name = 'member' and r.is_system
  on conflict on constraint user_roles_user_id_role_id_organization_id_key do nothing;
  update app_public.invitations i set accepted_at = app_hidden.clock_now(), accepted_by = v_actor where i.id = v_invitation.id;
  perform audit.record_event(v_event, 'success', subject_id => v_actor, organisation_id => v_invitation.organization_id,
    entity_type => 'invitation', entity_id => v_invitation.id::text);
  return row(v_invitation.organization_id, null, null, null)::app_public.organization_change;
end;
$$;
comment on function app_public.accept_invitation(text) is 'Joins an organisation with the token from your invitation mail.';
grant execute on function app_public.accept_invitation(text) to app_anonymous;
--! EndIncluded functions/app_public.accept_invitation.sql
--! Included functions/app_public.switch_organization.sql
/*
 * Makes an organisation (one you are an active member of) the active one of this session, or, with null, goes back to
 * your personal context; returns an access token for it (its tid claim). Refreshes keep minting for the session's
 * active organisation.
 * Definer: updates the caller row in app_private.sessions, which no client role may write.
 */
create or replace function app_public.switch_organization(organization_id uuid) returns app_public.login_result
language plpgsql volatile security definer
set search_path to pg_catalog, pg_temp as $$
declare
  v_now timestamptz := date_trunc('second', app_hidden.clock_now());
  v_session app_private.sessions;
  v_event constant text := 'organization.switch';
begin
  select s.* into v_session from app_private.sessions s where s.id = app_hidden.current_session_id() for update;
  if v_session.id is null then
    return app_private.refuse(null::app_public.login_result, v_event, 'LOGIN', 'You must log in first.');
  end if;
  if switch_organization.organization_id is not null
     and not app_hidden.is_member(v_session.user_id, switch_organization.organization_id) then
    return app_private.refuse(null::app_public.login_result, v_event, 'NTFND', 'You are not a member of that organisation.',
      organisation_id => switch_organization.organization_id,
      entity_type => 'organization', entity_id => switch_organization.organization_id::text);
  end if;
  update app_private.sessions s set organization_id = switch_organization.organization_id where s.id = v_session.id;
  perform audit.record_event(v_event, 'success', subject_id => v_session.user_id,
    organisation_id => switch_organization.organization_id, entity_type => 'session', entity_id => v_session.id::text);
  return row(
    v_session.user_id, v_session.id, null, v_now,
    date_trunc('second', least(v_now + config.setting_interval('auth.access_token_ttl'), v_session.absolute_expires_at)),
    null, null, null, switch_organization.organization_id
  )::app_public.login_result;
end;
$$;
comment on function app_public.switch_organization(uuid) is
  'Acts in another of your organisations (or, with null, in your personal context): returns an access token for it.';
grant execute on function app_public.switch_organization(uuid) to app_anonymous;
--! EndIncluded functions/app_public.switch_organization.sql
--! Included functions/app_public.assign_role.sql
/*
 * Gives a member a role in an organisation (roles:assign there), until expires_at if given; a global grant
 * (organization_id null) needs roles:assign globally. No escalation: the caller must hold every permission the role
 * carries. The role must be global or the organisation's own, and the user an active member.
 * Definer: writes app_public.user_roles, which clients may not write, after its own checks; audits.
 */
create or replace function app_public.assign_role(user_id uuid, role_id uuid, organization_id uuid default null,
  expires_at timestamptz default null) returns app_public.role_change
language plpgsql volatile security definer
set search_path to pg_catalog, pg_temp as $$
declare
  v_actor uuid := app_hidden.current_user_id();
  v_role app_public.roles;
  v_event constant text := 'role.assign';
  v_details jsonb := jsonb_build_object('user_id', assign_role.user_id, 'expires_at', assign_role.expires_at);
  v_base app_public.role_change := row(assign_role.role_id, null, null, null);
  v_refused app_public.role_change;
begin
  v_refused := app_private.require_permission(v_base, v_event, 'roles:assign', assign_role.organization_id,
    'You may not assign roles here.', 'role', assign_role.role_id::text, v_details);
  if v_refused.refusal_code is not null then return v_refused; end if;
  select r.* into v_role from app_public.roles r where r.id = assign_role.role_id;
  if v_role.id is null or (v_role.organization_id is not null and v_role.organization_id is distinct from assign_role.organization_id) then
    return app_private.refuse(v_base, v_event, 'NTFND', 'There is no such role here.', organisation_id => assign_role.organization_id,
      entity_type => 'role', entity_id => assign_role.role_id::text, details => v_details);
  end if;
  if assign_role.organization_id is not null and not app_hidden.is_member(assign_role.user_id, assign_role.organization_id) then
    return app_private.refuse(v_base, v_event, 'NTFND', 'That person is not a member here.',
      organisation_id => assign_role.organization_id,
      entity_type => 'role', entity_id => assign_role.role_id::text, details => v_details);
  end if;
  if not app_hidden.holds_role_permissions(v_actor, v_role.id, assign_role.organization_id) then
    return app_private.refuse(v_base, v_event, 'PERMS',
      format('You cannot give the role %s: it has permissions you do not hold.', v_role.name),
      organisation_id => assign_role.organization_id,
      entity_type => 'role', entity_id => assign_role.role_id::text, details => v_details);
  end if;
  if assign_role.expires_at is not null and assign_role.expires_at <= app_hidden.clock_now() then
    raise exception 'The expiry must be in the future.' using errcode = 'INVAL', hint = 'Give a later time, or none.';
  end if;

  insert into app_public.user_roles (user_id, role_id, organization_id, assigned_by, expires_at)
  values (assign_role.user_id, v_role.id, assign_role.organization_id, v_actor, assign_role.expires_at)
  on conflict on constraint user_roles_user_id_role_id_organization_id_key do update
    set assigned_by = excluded.assigned_by, assigned_at = app_hidden.clock_now(), expires_at = excluded.expires_at;
  perform audit.record_event(v_event, 'success', v_details, subject_id => assign_role.user_id,
    organisation_id => assign_role.organization_id, entity_type => 'role', entity_id => v_role.id::text);
  return row(v_role.id, null, null, null)::app_public.role_change;
end;
$$;
comment on function app_public.assign_role(uuid, uuid, uuid, timestamptz) is
  'Gives a member a role in an organisation, optionally until a time (roles:assign). You can only give roles whose permissions you hold.';
grant execute on function app_public.assign_role(uuid, uuid, uuid, timestamptz) to app_anonymous;
--! EndIncluded functions/app_public.assign_role.sql
--! Included functions/app_public.end_user_sessions.sql
/*
 * Ends every session of one user (ASVS 7.4.5): in an organisation, for holders of sessions:revoke there and only for
 * its members; with organization_id null, for holders of sessions:revoke globally, for anyone.
 * Definer: ends rows of app_private.sessions, which no client role may write.
 */
create or replace function app_public.end_user_sessions(user_id uuid, organization_id uuid default null)
returns app_public.organization_change
language plpgsql volatile security definer
set search_path to pg_catalog, pg_temp as $$
declare
  v_event constant text := 'auth.sessions_end_user';
  v_ended integer;
  v_base app_public.organization_change := row(end_user_sessions.organization_id, null, null, null);
  v_refused app_public.organization_change;
begin
  v_refused := app_private.require_permission(v_base, v_event, 'sessions:revoke', end_user_sessions.organization_id,
    'You may not end this person''s sessions.', 'user', end_user_sessions.user_id::text);
  if v_refused.refusal_code is not null then return v_refused; end if;
  /* Within an organisation, only its own members: the same answer as a missing permission. */
  if end_user_sessions.organization_id is not null
     and not app_hidden.is_member(end_user_sessions.user_id, end_user_sessions.organization_id) then
    return app_private.refuse(v_base, v_event, 'PERMS', 'You may not end this person''s sessions.',
      organisation_id => end_user_sessions.organization_id,
      entity_type => 'user', entity_id => end_user_sessions.user_id::text);
  end if;
  update app_private.sessions s set revoked_at = app_hidden.clock_now(), revoked_reason = 'ended_by_admin'
   where s.user_id = end_user_sessions.user_id and s.revoked_at is null;
  get diagnostics v_ended = row_count;
  perform audit.record_event(v_event, 'success', jsonb_build_object('sessions_ended', v_ended),
    subject_id => end_user_sessions.user_id, organisation_id => end_user_sessions.organization_id,
    entity_type => 'user', entity_id => end_user_sessions.user_id::text, severity => 'notice');
  return row(end_user_sessions.organization_id, null, null, null)::app_public.organization_change;
end;
$$;
comment on function app_public.end_user_sessions(uuid, uuid) is 'Ends every session of a member (sessions:revoke).';
grant execute on function app_public.end_user_sessions(uuid, uuid) to app_anonymous;
--! EndIncluded functions/app_public.end_user_sessions.sql
--! Included functions/app_public.remove_member.sql
/*
 * An admin removes a member (members:remove): the membership ends, and with it every role held in the organisation.
 * Definer: ends the membership and its role grants, which clients may not write.
 */
create or replace function app_public.remove_member(organization_id uuid, user_id uuid) returns app_public.organization_change
language plpgsql volatile security definer
set search_path to pg_catalog, pg_temp as $$
declare
  v_event constant text := 'membership.remove';
  v_base app_public.organization_change := row(remove_member.organization_id, null, null, null);
  v_refused app_public.organization_change;
begin
  v_refused := app_private.require_permission(v_base, v_event, 'members:remove', remove_member.organization_id,
    'You may not remove members of this organisation.', 'organization', remove_member.organization_id::text);
  if v_refused.refusal_code is not null then return v_refused; end if;
  if not app_hidden.is_member(remove_member.user_id, remove_member.organization_id) then
    return app_private.refuse(v_base, v_event, 'NTFND', 'That person is not a member.',
      organisation_id => remove_member.organization_id,
      entity_type => 'organization', entity_id => remove_member.organization_id::text);
  end if;
  if app_private.is_last_admin(remove_member.organization_id, remove_member.user_id) then
    return app_private.refuse(v_base, v_event, 'LASTA',
      'An organisation needs an administrator: make someone else org_admin first.',
      organisation_id => remove_member.organization_id,
      entity_type => 'organization', entity_id => remove_member.organization_id::text);
  end if;
  update app_public.memberships m set status = 'removed', ended_at = app_hidden.clock_now()
   where m.organization_id = remove_member.organization_id and m.user_id = remove_member.user_id;
  delete from app_public.user_roles ur
   where ur.organization_id = remove_member.organization_id and ur.user_id = remove_member.user_id;
  perform audit.record_event(v_event, 'success', subject_id => remove_member.user_id,
    organisation_id => remove_member.organization_id, entity_type => 'organization', entity_id => remove_member.organization_id::text);
  return row(remove_member.organization_id, null, null, null)::app_public.organization_change;
end;
$$;
comment on function app_public.remove_member(uuid, uuid) is
  'Removes a member from an organisation (members:remove). The last administrator cannot be removed.';
grant execute on function app_public.remove_member(uuid, uuid) to app_anonymous;
--! EndIncluded functions/app_public.remove_member.sql
--! Included functions/app_public.revoke_role.sql
/*
 * Takes a role back (roles:assign in its organisation, and holding its permissions); never the last org_admin's.
 * Definer: deletes from app_public.user_roles, which clients may not write, after its checks.
 */
create or replace function app_public.revoke_role(user_role_id uuid) returns app_public.role_change
language plpgsql volatile security definer
set search_path to pg_catalog, pg_temp as $$
declare
  v_actor uuid := app_hidden.current_user_id();
  v_grant app_public.user_roles;
  v_event constant text := 'role.revoke';
  v_refused app_public.role_change;
begin
  v_refused := app_private.require_login(null::app_public.role_change, v_event);
  if v_refused.refusal_code is not null then return v_refused; end if;
  select ur.* into v_grant from app_public.user_roles ur where ur.id = revoke_role.user_role_id;
  if v_grant.id is null or not app_hidden.user_has_permission(v_actor, 'roles:assign', v_grant.organization_id)
     or not app_hidden.holds_role_permissions(v_actor, v_grant.role_id, v_grant.organization_id) then
    return app_private.refuse(row(v_grant.role_id, null, null, null)::app_public.role_change, v_event, 'PERMS',
      'You may not take back this role.', organisation_id => v_grant.organization_id,
      entity_type => 'user_role', entity_id => revoke_role.user_role_id::text);
  end if;
  if v_grant.organization_id is not null
     and exists (select 1 from app_public.roles r where r.id = v_grant.role_id and r.name = 'org_admin' and r.is_system)
     and app_private.is_last_admin(v_grant.organization_id, v_grant.user_id) then
    return app_private.refuse(row(v_grant.role_id, null, null, null)::app_public.role_change, v_event, 'LASTA',
      'An organisation needs an administrator: make someone else org_admin first.',
      organisation_id => v_grant.organization_id,
      entity_type => 'user_role', entity_id => revoke_role.user_role_id::text);
  end if;
  delete from app_public.user_roles ur where ur.id = v_grant.id;
  perform audit.record_event(v_event, 'success', subject_id => v_grant.user_id, organisation_id => v_grant.organization_id,
    entity_type => 'role', entity_id => v_grant.role_id::text);
  return row(v_grant.role_id, null, null, null)::app_public.role_change;
end;
$$;
comment on function app_public.revoke_role(uuid) is 'Takes back a role given to a member (roles:assign).';
grant execute on function app_public.revoke_role(uuid) to app_anonymous;
--! EndIncluded functions/app_public.revoke_role.sql
--! Included functions/app_public.audit_events.sql
/*
 * The audit trail for auditors, newest first, narrowed by any of: the user it concerns (as actor or subject), event
 * type, time range (since, until), request id. Holders of audit:read in an organisation see only that organisation's events (pass
 * organizationId); global holders see all. Each filter has its index (actor, subject, type, request, time, organisation);
 * the query is built from the filters given, so each call is planned for them (never a generic plan full of ORs).
 * The personal part comes out encrypted, and only to global auditors; the gateway decrypts it for them (clientIp,
 * userAgent, personalValues). An organisation auditor sees who did what and when in the organisation, not from where.
 * At most the newest 1,000 matching events come back: GraphQL pages over what the function returns, so without a bound
 * a broad filter (a common type over a month) would make it produce every match first; with it, the type and time
 * indexes read only the newest rows. Narrow by time to reach older events.
 * Definer: reads audit.events, which no client role may read; can_read_audit is the gate.
 */
create or replace function app_public.audit_events(
  organization_id uuid default null,
  user_id uuid default null,
  event_type text default null,
  since timestamptz default null,
  until timestamptz default null,
  request_id text default null
) returns setof app_public.audit_event
language plpgsql stable security definer
set search_path to pg_catalog, pg_temp as $$
begin
  if not app_hidden.can_read_audit(audit_events.organization_id) then
    return;
  end if;
  return query execute
    'select e.id, e.occurred_at, e.event_type, e.outcome, e.severity, e.reason, e.actor_id, e.subject_id,
            e.organisation_id, e.entity_type, e.entity_id, e.details, e.request_id,
            case when $7 then e.client_ip end, case when $7 then e.user_agent end, case when $7 then e.personal end
     from audit.events e where true'
    || case when audit_events.organization_id is not null then ' and e.organisation_id = $1' else '' end
    || case when audit_events.user_id is not null then ' and (e.actor_id = $2 or e.subject_id = $2)' else '' end
    || case when audit_events.event_type is not null then ' and e.event_type = $3' else '' end
    || case when audit_events.since is not null then ' and e.occurred_at >= $4' else '' end
    || case when audit_events.until is not null then ' and e.occurred_at < $5' else '' end
    || case when audit_events.request_id is not null then ' and e.request_id = $6' else '' end
    || ' order by e.occurred_at desc, e.id desc limit 1000'
    using audit_events.organization_id, audit_events.user_id, audit_events.event_type, audit_events.since,
          audit_events.until, audit_events.request_id,
          /* The personal part (client IP, user agent, personal values) only to global auditors. */
          app_hidden.user_has_permission(app_hidden.current_user_id(), 'audit:read', null);
end;
$$;
comment on function app_public.audit_events(uuid, uuid, text, timestamptz, timestamptz, text) is
  'Audit events, newest first (at most 1,000: narrow by time for older ones), by organisation, user, type, time range or request id (audit:read).';
grant execute on function app_public.audit_events(uuid, uuid, text, timestamptz, timestamptz, text) to app_authenticated;
--! EndIncluded functions/app_public.audit_events.sql

--! split: 300-audit-writes.sql
/*
 * Cheaper audited writes (issue 17; the measured breakdown is in docs/performance.md, "Audited writes").
 *
 * 1. Row-change events are written by audit.tg__row_changes itself in one insert per statement, one row or many:
 *    audit.row_change_parts becomes a set-returning `language sql` function the planner inlines (it was a plpgsql call
 *    per row), the redacted keys are found once per statement (audit.secret_keys), the clock is read once per
 *    statement rather than by the occurred_at default of every row, and audit.record_row_changes (with its single-row
 *    detour through audit.record_event) goes. One event per row, with the same columns as before.
 * 2. app_hidden.encrypt_personal finds a person's key in one lookup and gives the same ciphertext again for the same
 *    value to the same key within a transaction (a login's session origin and its audit event, say).
 * 3. audit.events loses one of its seven indexes: the primary key becomes (occurred_at, id), which serves what
 *    events_time_idx (occurred_at desc) served (time ranges, newest first, now in the auditor's exact order
 *    occurred_at desc, id desc) as well as every lookup by (id, occurred_at) (seals, verify_chain).
 */
drop function if exists audit.record_row_changes(text, text, text, text[], jsonb[], jsonb[]);
/* The old row_change_parts returned one record (a plpgsql function); the new one returns a set: it cannot be replaced. */
drop function if exists audit.row_change_parts(text, jsonb, jsonb, text[]);

--! Included functions/audit.secret_keys.sql
/*
 * The keys of a row (as jsonb) that row-change events never record: column names containing hash, token, secret or
 * password. Every row of a table has the same keys, so a statement asks once for all its rows (audit.tg__row_changes).
 */
create or replace function audit.secret_keys(row_values jsonb) returns text[]
language sql immutable as $$
  select coalesce(pg_catalog.array_agg(k), '{}')
  from pg_catalog.jsonb_object_keys(secret_keys.row_values) k
  where k ~ '(hash|token|secret|password)'
$$;
comment on function audit.secret_keys(jsonb) is
  'The keys of a row that row-change events redact: names containing hash, token, secret or password.';
--! EndIncluded functions/audit.secret_keys.sql
--! Included functions/audit.row_change_parts.sql
/*
 * What a row-change event records for one row: `details` (the new row, the old row, or for an update only the columns
 * that changed, old and new, `updated_at` aside) with secrets redacted (audit.secret_keys, unless the caller passes
 * them: they are the same for every row of a table) and personal columns removed, and `personal_values`, the same shape holding only the personal
 * columns (for the event's encrypted part). No row when an update changed nothing: no event then.
 *
 * A set-returning `language sql` function with no SET clause, so that the planner inlines it into the statement that
 * calls it (audit.tg__row_changes: one insert for all the rows of a statement): a plpgsql function called once per row
 * cost more than the event's own insert. It reads nothing but its arguments, so it needs no fixed search_path.
 */
create or replace function audit.row_change_parts(
  operation text, old_row jsonb, new_row jsonb, personal_keys text[], secret_keys text[] default null
) returns table (details jsonb, personal_values jsonb)
language sql immutable as $$
  select case when cardinality(row_change_parts.personal_keys) = 0 then c.changes
              else (select pg_catalog.jsonb_object_agg(d.key, d.value - row_change_parts.personal_keys)
                    from pg_catalog.jsonb_each(c.changes) d) end,
         case when cardinality(row_change_parts.personal_keys) > 0 then
           (select pg_catalog.jsonb_object_agg(d.key, d.personal)
            from (select d.key, (select pg_catalog.jsonb_object_agg(x.key, x.value) from pg_catalog.jsonb_each(d.value) x
                                 where x.key = any(row_change_parts.personal_keys)) as personal
                  from pg_catalog.jsonb_each(c.changes) d) d
            where d.personal is not null) end
  from (select row_change_parts.old_row - s.keys as old_row, row_change_parts.new_row - s.keys as new_row
        from (select coalesce(row_change_parts.secret_keys,
                              audit.secret_keys(coalesce(row_change_parts.new_row, row_change_parts.old_row))) as keys) s) r
  cross join lateral (
    select case row_change_parts.operation
             when 'insert' then pg_catalog.jsonb_build_object('new', r.new_row)
             when 'update' then
               /* An update that changed the key of a row has no pair: its old and its new row each come as a change of every column. */
               (select pg_catalog.jsonb_build_object('old', pg_catalog.jsonb_object_agg(k, r.old_row -> k),
                                                     'new', pg_catalog.jsonb_object_agg(k, r.new_row -> k))
                from pg_catalog.jsonb_object_keys(coalesce(r.new_row, r.old_row)) k
                where r.new_row -> k is distinct from r.old_row -> k and k <> 'updated_at'
                having count(*) > 0)
             else pg_catalog.jsonb_build_object('old', r.old_row)
           end as changes) c
  where c.changes is not null
$$;
comment on function audit.row_change_parts(text, jsonb, jsonb, text[], text[]) is
  'The details (secrets redacted, personal columns removed) and personal values a row-change event records for one row; no row when an update changed nothing.';
--! EndIncluded functions/audit.row_change_parts.sql
--! Included functions/audit.tg__row_changes.sql
/*
 * Row-change events, beside the decision events the functions write. A statement trigger with transition tables (one
 * per operation: `_800_audit_insert`, `_800_audit_update`, `_800_audit_delete` on every exposed table): it gathers the
 * statement's rows, old and new side by side (an update's pairs matched on the key columns), and writes one event per
 * row, `row.<table>.<op>`, in one insert, whatever the number of rows. Trigger arguments name the key columns when they
 * are not `id`.
 *
 * Each event: details shaped by audit.row_change_parts (inlined: changed columns only for an update, secrets redacted,
 * personal columns moved into the encrypted part), entity id from the key columns, subject from the row (`id` of users,
 * else `user_id`), organisation from `organization_id`, and the request context (actor, request id, role, address
 * and user agent), the same columns audit.record_event writes. The statement shares the request context, the column
 * lists and the encryption of each distinct (person, personal part) pair, so a thousand-row insert by one user
 * encrypts its address and user agent once, not a thousand times.
 *
 * Why one insert for one row too: the single-row path used to go through audit.record_row_changes and
 * audit.record_event, three plpgsql calls and a plpgsql row_change_parts per row, which cost more than the event's
 * insert itself (docs/performance.md, "Audited writes").
 * Definer: fires as the writing client role, which may not write audit.events nor read
 * app_private.personal_data_columns.
 */
create or replace function audit.tg__row_changes() returns trigger
language plpgsql security definer
set search_path to pg_catalog, pg_temp
set plan_cache_mode to force_generic_plan as $$
declare
  v_key_columns text[] := coalesce(nullif(tg_argv::text[], '{}'), array['id']);
  /* The one key column (tg_argv counts from 0), or null for a composite key. */
  v_key_column text := case tg_nargs when 0 then 'id' when 1 then tg_argv[0] end;
  v_operation text := lower(tg_op);
  v_subject_key text := case when tg_table_name = 'users' then 'id' else 'user_id' end;
  v_old jsonb[];
  v_new jsonb[];
  v_personal_keys text[];
  v_secret_keys text[];
  v_actor uuid;
  v_request jsonb;
  v_now timestamptz;
  v_row jsonb;
  v_subject_id uuid;
  v_details jsonb;
  v_personal_values jsonb;
begin
  if tg_op = 'INSERT' then
    select array_agg(null::jsonb), array_agg(to_jsonb(n)) into v_old, v_new from new_rows n;
  elsif tg_op = 'DELETE' then
    select array_agg(to_jsonb(o)), array_agg(null::jsonb) into v_old, v_new from old_rows o;
  else
    select array_agg(o.j), array_agg(n.j) into v_old, v_new
    from (select to_jsonb(x) as j from old_rows x) o
    full join (select to_jsonb(x) as j from new_rows x) n
      on (select array_agg(o.j ->> c order by i) from unnest(v_key_columns) with ordinality u (c, i))
       = (select array_agg(n.j ->> c order by i) from unnest(v_key_columns) with ordinality u (c, i));
  end if;
  if v_old is null then
    return null;
  end if;

  select coalesce(array_agg(p.column_name), '{}') into v_personal_keys
  from app_private.personal_data_columns p
  where p.table_schema = tg_table_schema and p.table_name = tg_table_name;
  v_secret_keys := audit.secret_keys(coalesce(v_new[1], v_old[1]));
  v_actor := app_hidden.current_user_id();
  /* The column default would call the clock once per row; its value is the same for the whole transaction. */
  v_now := app_hidden.clock_now();
  v_request := jsonb_strip_nulls(jsonb_build_object('ip', host(app_hidden.current_client_ip()),
                                                    'user_agent', left(app_hidden.current_user_agent(), 512)));

  if cardinality(v_new) = 1 then
    /*
     * One row (a GraphQL mutation changes one): the same columns, without the statement-wide joins. The operation and
     * an empty list of personal columns are passed as constants where they can be, so the planner drops the branches of
     * row_change_parts that cannot apply: its generic plan would otherwise set up every branch at every call.
     */
    if cardinality(v_personal_keys) > 0 then
      select p.details, p.personal_values into v_details, v_personal_values
      from audit.row_change_parts(v_operation, v_old[1], v_new[1], v_personal_keys, v_secret_keys) p;
    elsif tg_op = 'INSERT' then
      select p.details into v_details from audit.row_change_parts('insert', null, v_new[1], '{}', v_secret_keys) p;
    elsif tg_op = 'UPDATE' then
      select p.details into v_details from audit.row_change_parts('update', v_old[1], v_new[1], '{}', v_secret_keys) p;
    else
      select p.details into v_details from audit.row_change_parts('delete', v_old[1], null, '{}', v_secret_keys) p;
    end if;
    if v_details is null then
      return null;
    end if;
    v_row := coalesce(v_new[1], v_old[1]);
    v_subject_id := (v_row ->> v_subject_key)::uuid;
    if v_personal_values is not null then
      v_request := v_request || jsonb_build_object('values', v_personal_values);
    end if;
    insert into audit.events (
      occurred_at, event_type, outcome, severity, actor_id, subject_id, organisation_id, entity_type, entity_id, details, request_id,
      db_role, personal
    ) values (
      v_now, 'row.' || tg_table_name || '.' || v_operation, 'success', 'info', v_actor, v_subject_id,
      (v_row ->> 'organization_id')::uuid, tg_table_name,
      case when v_key_column is not null then v_row ->> v_key_column
           else (select string_agg(v_row ->> c, ',' order by i) from unnest(v_key_columns) with ordinality u (c, i)) end,
      v_details, app_hidden.current_request_id(), nullif(pg_catalog.current_setting('role', true), 'none'),
      case when v_request <> '{}'::jsonb then app_hidden.encrypt_personal(coalesce(v_subject_id, v_actor), v_request::text) end
    );
    return null;
  end if;

  with shaped as (
    select r.n, coalesce(r.new_row, r.old_row) as any_row, p.details,
           case when p.personal_values is null then v_request
                else v_request || jsonb_build_object('values', p.personal_values) end as personal
    from unnest(v_old, v_new) with ordinality as r (old_row, new_row, n)
    cross join lateral audit.row_change_parts(v_operation, r.old_row, r.new_row, v_personal_keys, v_secret_keys) p
  ),
  owned as (
    select s.*, (s.any_row ->> v_subject_key)::uuid as subject_id,
           coalesce((s.any_row ->> v_subject_key)::uuid, v_actor) as owner
    from shaped s
  ),
  encrypted as (
    select d.owner, d.personal, app_hidden.encrypt_personal(d.owner, d.personal::text) as ciphertext
    from (select distinct o.owner, o.personal from owned o where o.personal <> '{}'::jsonb) d
  )
  insert into audit.events (
    occurred_at, event_type, outcome, severity, actor_id, subject_id, organisation_id, entity_type, entity_id, details, request_id,
    db_role, personal
  )
  select v_now, 'row.' || tg_table_name || '.' || v_operation, 'success', 'info', v_actor, o.subject_id,
         (o.any_row ->> 'organization_id')::uuid, tg_table_name,
         case when v_key_column is not null then o.any_row ->> v_key_column
              else (select string_agg(o.any_row ->> c, ',' order by i) from unnest(v_key_columns) with ordinality u (c, i)) end,
         o.details, app_hidden.current_request_id(), nullif(pg_catalog.current_setting('role', true), 'none'), e.ciphertext
  from owned o
  left join encrypted e on e.owner is not distinct from o.owner and e.personal = o.personal
  order by o.n;
  return null;
end;
$$;
comment on function audit.tg__row_changes() is
  'Statement trigger: records a row-change event for each row the statement changed, in one insert; arguments: key columns.';
--! EndIncluded functions/audit.tg__row_changes.sql
--! Included functions/app_hidden.encrypt_personal.sql
/*
 * Encrypts personal data about a person with OpenPGP (pgcrypto): AES-256 for the data under a fresh session key, the
 * session key wrapped by the person's RSA public key. SQL needs no secret to write; only the gateway and worker,
 * holding the master key that unwraps private keys, can read. The message names its key (pgp_key_id), which is how
 * the reader finds the private key.
 *
 * A person without a key of their own yet (an account loaded in bulk, or made while the spare pool was empty) gets
 * the current system key this time, and is queued for a key of their own (users_awaiting_key, keys__replenish).
 * Returns null for null input, and null (the value is dropped, never kept in the clear) when no key at all exists.
 *
 * One ciphertext per transaction for the same value to the same key: a request usually encrypts the same address
 * and user agent several times for the same person (a login: its session and its audit event; a mutation: its
 * decision event and its row-change event), and the public-key operation is most of the cost of an audited write.
 * The last ciphertext is kept in a transaction-local setting with the key id and a SHA-256 digest of its value, and
 * given again when both match. Nothing secret is kept there: the ciphertext is what the row stores, the digest is of
 * a value the same transaction holds in the clear anyway (the request address is a setting too), and the setting is
 * gone at commit; it never reaches a table, the WAL or a backup. Any SQL of the transaction could overwrite it, as it
 * could the request address itself: a setting that does not name this key is ignored, and a ciphertext that is not a
 * message to this key is never given back (a value that is no OpenPGP message at all fails the statement).
 * Definer: reads app_private.encryption_keys and any account in app_public.users, writes users_awaiting_key and
 * queues a graphile_worker job; no client role may do these.
 */
create or replace function app_hidden.encrypt_personal(owner_id uuid, value text) returns bytea
language plpgsql volatile security definer
set search_path to pg_catalog, pg_temp as $$
declare
  v_key app_private.encryption_keys;
  v_digest text;
  v_last jsonb;
  v_ciphertext bytea;
begin
  if encrypt_personal.value is null then
    return null;
  end if;
  /* Their own key (one lookup by the unique user_id), else the newest system key (app_hidden.encryption_key_for). */
  select k.* into v_key from app_private.encryption_keys k
  where k.user_id = encrypt_personal.owner_id and k.destroyed_at is null;
  if not found then
    v_key := app_hidden.encryption_key_for(null);
    if v_key.public_key is null then
      return null;
    end if;
    if encrypt_personal.owner_id is not null
       and not exists (select 1 from app_private.users_awaiting_key w where w.user_id = encrypt_personal.owner_id)
       and exists (select 1 from app_public.users u where u.id = encrypt_personal.owner_id and u.erased_at is null) then
      insert into app_private.users_awaiting_key (user_id) values (encrypt_personal.owner_id) on conflict do nothing;
      perform graphile_worker.add_job('keys__replenish', '{}'::json, job_key => 'keys__replenish', job_key_mode => 'preserve_run_at');
    end if;
  end if;

  v_digest := encode(sha256(convert_to(encrypt_personal.value, 'UTF8')), 'hex');
  v_last := nullif(current_setting('gatehouse.last_personal_ciphertext', true), '')::jsonb;
  if v_last ->> 'key' = v_key.pgp_key_id and v_last ->> 'digest' = v_digest then
    v_ciphertext := decode(v_last ->> 'ciphertext', 'base64');
    if extensions.pgp_key_id(v_ciphertext) = v_key.pgp_key_id then
      return v_ciphertext;
    end if;
  end if;
  v_ciphertext := extensions.pgp_pub_encrypt(encrypt_personal.value, v_key.public_key, 'cipher-algo=aes256, compress-algo=0');
  perform set_config('gatehouse.last_personal_ciphertext',
    jsonb_build_object('key', v_key.pgp_key_id, 'digest', v_digest, 'ciphertext', encode(v_ciphertext, 'base64'))::text, true);
  return v_ciphertext;
end;
$$;
comment on function app_hidden.encrypt_personal(uuid, text) is
  'Personal data about a person, encrypted to their key (AES-256 data, RSA-wrapped session key); the same value to the same key gets the same ciphertext within a transaction.';
--! EndIncluded functions/app_hidden.encrypt_personal.sql

/*
 * The primary key (id, occurred_at) becomes (occurred_at, id), built partition by partition.
 *
 * Why per partition: a primary key (or any index) added to the partitioned table itself is built on every partition
 * in one statement, under a lock that stops every write to audit.events, and so every login, until the last
 * partition is done; and CREATE INDEX CONCURRENTLY is refused on a partitioned table. Built per partition and then
 * attached, each partition's index can be made without blocking writes: on a large trail, run before this migration,
 * outside any transaction, for every partition P of audit.events (the default partition included):
 *
 *   create unique index concurrently if not exists P_occurred_at_id_key on audit.P (occurred_at, id);
 *
 * This migration then finds those indexes and only attaches them. graphile-migrate runs a migration in a transaction
 * (and refuses `--! no-transaction` in a current/ folder), so without that step it builds each missing one here,
 * inside its transaction. Attaching is bookkeeping: each index becomes its partition's primary key (ADD CONSTRAINT …
 * USING INDEX, no scan: the columns are already not null), and the parent's new primary key adopts those instead of
 * building its own (ALTER INDEX … ATTACH PARTITION is how a plain index is adopted; a primary key of a partitioned
 * table cannot be added USING INDEX, so it is adopted this way). Partitions made later inherit the key.
 */
do $$
declare
  v_partition text;
begin
  if (select array_agg(a.attname::text order by k.n)
      from pg_catalog.pg_index i
      cross join lateral unnest(i.indkey::int2[]) with ordinality k (attnum, n)
      join pg_catalog.pg_attribute a on a.attrelid = i.indrelid and a.attnum = k.attnum
      where i.indexrelid = 'audit.events_pkey'::regclass) = array['occurred_at', 'id'] then
    return;
  end if;
  for v_partition in
    select c.relname from pg_catalog.pg_inherits i join pg_catalog.pg_class c on c.oid = i.inhrelid
    where i.inhparent = 'audit.events'::regclass order by c.relname
  loop
    execute format('create unique index if not exists %I on audit.%I (occurred_at, id)',
                   v_partition || '_occurred_at_id_key', v_partition);
  end loop;
  alter table audit.events drop constraint events_pkey;
  for v_partition in
    select c.relname from pg_catalog.pg_inherits i join pg_catalog.pg_class c on c.oid = i.inhrelid
    where i.inhparent = 'audit.events'::regclass order by c.relname
  loop
    execute format('alter table audit.%I add constraint %I primary key using index %I',
                   v_partition, v_partition || '_pkey', v_partition || '_occurred_at_id_key');
  end loop;
  alter table audit.events add constraint events_pkey primary key (occurred_at, id);
end;
$$;
/* Served by the primary key now. Dropping a partitioned index drops its partitions' indexes: no scan, a brief lock. */
drop index if exists audit.events_time_idx;

--! split: 400-consent.sql
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
--! Included policies/schemas.sql
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
--! EndIncluded policies/schemas.sql
--! Included policies/app_public.casbin_rule.sql
/*
 * The role model flattened into Casbin rules. Its grant lines carry user ids (which account holds which role): that
 * is personal data, so no reporting role reads it; client roles read the same facts through the tables under
 * row-level security instead. A Casbin adapter would connect with a role of its own, granted here.
 */
revoke all on app_public.casbin_rule from public, authenticator, app_anonymous, app_authenticated, app_worker, app_marketing, app_analytics;
--! EndIncluded policies/app_public.casbin_rule.sql
--! Included policies/app_private.analytics_keys.sql
/*
 * The HMAC key of analytics pseudonyms. No role but the owner holds a privilege: the analytics functions (security
 * definer) compute pseudonyms with it, and app_analytics never sees it (docs/consent.md).
 */
revoke all on app_private.analytics_keys from public, authenticator, app_anonymous, app_authenticated, app_worker, app_marketing, app_analytics;
--! EndIncluded policies/app_private.analytics_keys.sql

/* Consent, decided where it is acted on, and written in one place. */
--! Included functions/app_private.consent_granted.sql
/*
 * Whether an account consents to a purpose now: its newest consent record for that purpose (as app_public.my_consents
 * orders them) says granted. No record means no consent. Every use of a consent-bound purpose calls it inside the
 * query that acts (a mail address, an analytics row): a stable function reads that query snapshot, so a withdrawal
 * committed before the query, or made earlier in the same transaction, is obeyed by it.
 * Definer: reads app_private.consents; a helper on app_private, so definer whoever calls it.
 */
create or replace function app_private.consent_granted(user_id uuid, purpose text) returns boolean
language sql stable security definer
set search_path to pg_catalog, pg_temp as $$
  select coalesce((
    select c.granted from app_private.consents c
    where c.user_id = consent_granted.user_id and c.purpose = consent_granted.purpose
    order by c.recorded_at desc, c.id desc
    limit 1), false)
$$;
comment on function app_private.consent_granted(uuid, text) is
  'True while the newest consent record of the account for the purpose grants it; false with no record.';
--! EndIncluded functions/app_private.consent_granted.sql
--! Included functions/app_private.append_consent.sql
/*
 * The one way a consent record is written: appends a grant or a withdrawal to the history (never updated, never
 * deleted), the client address encrypted to the account key, and audits it as consent.grant or consent.withdraw with
 * its purpose, version and any details the caller adds (how it was made: an unsubscribe link and its message).
 * Called by app_public.record_consent (signed in) and app_hidden.unsubscribe (a link, without signing in).
 * Definer: writes app_private.consents and audit.events, which no client role may write.
 */
create or replace function app_private.append_consent(
  user_id uuid,
  purpose text,
  version text,
  granted boolean,
  details jsonb default '{}'
) returns app_private.consents
language plpgsql volatile security definer
set search_path to pg_catalog, pg_temp as $$
declare
  v_row app_private.consents;
begin
  insert into app_private.consents (user_id, purpose, version, granted, ip)
  values (append_consent.user_id, append_consent.purpose, append_consent.version, append_consent.granted,
          app_hidden.encrypt_personal(append_consent.user_id, host(app_hidden.current_client_ip())))
  returning * into v_row;
  perform audit.record_event(case when v_row.granted then 'consent.grant' else 'consent.withdraw' end, 'success',
    subject_id => v_row.user_id, entity_type => 'consent', entity_id => v_row.id::text,
    details => coalesce(append_consent.details, '{}') || jsonb_build_object('purpose', v_row.purpose, 'version', v_row.version));
  return v_row;
end;
$$;
comment on function app_private.append_consent(uuid, text, text, boolean, jsonb) is
  'Appends a consent grant or withdrawal to the history and audits it (the one writer of app_private.consents).';
--! EndIncluded functions/app_private.append_consent.sql
--! Included functions/app_public.record_consent.sql
/*
 * Records that you gave (granted = true) or withdrew (false) consent for a purpose (terms, marketing, analytics) at a
 * version of its text. Consents are an append-only history: the current state of a purpose is its newest record
 * (app_private.consent_granted), and the marketing sender and the analytics schema obey it from the next query on
 * (docs/consent.md). The client address of each record is kept encrypted to your key, like every personal value.
 * Definer: writes the history through app_private.append_consent, which no client role may call.
 */
create or replace function app_public.record_consent(purpose text, version text, granted boolean) returns app_public.consent
language plpgsql volatile security definer
set search_path to pg_catalog, pg_temp as $$
declare
  v_user_id uuid := app_hidden.current_user_id();
  v_row app_private.consents;
begin
  if v_user_id is null then
    raise exception 'You must log in to record a consent.' using errcode = 'LOGIN';
  end if;
  if record_consent.purpose is null or record_consent.purpose not in ('terms', 'marketing', 'analytics') then
    raise exception 'Unknown consent purpose.' using errcode = 'INVAL', hint = 'Use terms, marketing or analytics.';
  end if;
  if record_consent.version is null or record_consent.version !~ '^[A-Za-z0-9][A-Za-z0-9._-]{0,39}$' or record_consent.granted is null then
    raise exception 'A consent needs the version of the text and whether it is given.' using errcode = 'INVAL',
      hint = 'version: 1 to 40 letters, digits, dots, dashes; granted: true or false.';
  end if;
  v_row := app_private.append_consent(v_user_id, record_consent.purpose, record_consent.version, record_consent.granted);
  return row(v_row.id, v_row.purpose, v_row.version, v_row.granted, v_row.recorded_at)::app_public.consent;
end;
$$;
comment on function app_public.record_consent(text, text, boolean) is
  'Gives (granted: true) or withdraws (false) your consent for a purpose: terms, marketing or analytics.';
grant execute on function app_public.record_consent(text, text, boolean) to app_authenticated;
--! EndIncluded functions/app_public.record_consent.sql

/*
 * Analytics: definer functions (so EXPLAIN shows a function scan, never the rows behind a suppressed count), and a
 * view of each for reporting tools.
 */
--! Included functions/app_private.analytics_pseudonym.sql
/*
 * The pseudonym of an account in the analytics schema: HMAC-SHA-256 of its id under the key in
 * app_private.analytics_keys, in hex. Stable for as long as the key is, so reports can follow one account over time;
 * without the key nobody can go back from a pseudonym to the account, nor compute the pseudonym of a known account.
 * Definer: reads the key in app_private.analytics_keys, which only the owner may read.
 */
create or replace function app_private.analytics_pseudonym(user_id uuid) returns text
language sql stable strict security definer
set search_path to pg_catalog, extensions, pg_temp as $$
  select encode(extensions.hmac(convert_to(analytics_pseudonym.user_id::text, 'UTF8'), k.hmac_key, 'sha256'), 'hex')
  from app_private.analytics_keys k
$$;
comment on function app_private.analytics_pseudonym(uuid) is
  'HMAC-SHA-256 (hex) of an account id under the analytics key: the account as the analytics schema names it.';
--! EndIncluded functions/app_private.analytics_pseudonym.sql
--! Included functions/analytics.daily_activity.sql
/*
 * Per day (UTC): accounts created (sign_ups), successful logins, and active users (accounts with a successful login
 * or refresh). Everyone is counted, consent or not, because only counts leave: a count that covers fewer people than
 * the setting analytics.min_group_size is null, and a day whose every count is suppressed is left out. Logins are
 * suppressed by the number of people who logged in, not by the number of logins. No argument: the caller chooses
 * no group, so none can be made small on purpose.
 * Definer: reads app_public.users and audit.events, which app_analytics may not read.
 */
create or replace function analytics.daily_activity()
returns table (day date, sign_ups integer, logins integer, active_users integer)
language sql stable security definer
set search_path to pg_catalog, pg_temp as $$
  with k as (
    select config.setting_integer('analytics.min_group_size') as min_people
  ), sign_ups as (
    select (u.created_at at time zone 'UTC')::date as day, count(*)::integer as people
    from app_public.users u
    group by 1
  ), activity as (
    select (e.occurred_at at time zone 'UTC')::date as day,
           count(*) filter (where e.event_type = 'auth.login')::integer as logins,
           count(distinct e.subject_id) filter (where e.event_type = 'auth.login')::integer as login_people,
           count(distinct e.subject_id)::integer as active_people
    from audit.events e
    where e.event_type in ('auth.login', 'auth.refresh') and e.outcome = 'success' and e.subject_id is not null
    group by 1
  ), shown as (
    select d.day,
           case when s.people >= k.min_people then s.people end as sign_ups,
           case when a.login_people >= k.min_people then a.logins end as logins,
           case when a.active_people >= k.min_people then a.active_people end as active_users
    from (select day from sign_ups union select day from activity) d
    cross join k
    left join sign_ups s on s.day = d.day
    left join activity a on a.day = d.day
  )
  select * from shown
  where sign_ups is not null or logins is not null or active_users is not null
  order by day
$$;
comment on function analytics.daily_activity() is
  'Sign-ups, logins and active users per day (UTC); a count of fewer people than analytics.min_group_size is null.';
grant execute on function analytics.daily_activity() to app_analytics;
--! EndIncluded functions/analytics.daily_activity.sql
--! Included functions/analytics.organization_daily_activity.sql
/*
 * Per organisation and day (UTC): members who joined (new_members), successful logins of its members, and its active
 * members (a successful login or refresh). Membership is taken at the moment of each event (joined before it, not
 * ended by then), so an account counts for every organisation it belonged to that day. Counts are suppressed as in
 * analytics.daily_activity: fewer people than analytics.min_group_size gives null, and an all-null row is left out.
 * Definer: reads app_public.memberships and audit.events, which app_analytics may not read.
 */
create or replace function analytics.organization_daily_activity()
returns table (organization_id uuid, day date, new_members integer, logins integer, active_users integer)
language sql stable security definer
set search_path to pg_catalog, pg_temp as $$
  with k as (
    select config.setting_integer('analytics.min_group_size') as min_people
  ), members as (
    select m.organization_id, m.user_id, m.joined_at, m.ended_at
    from app_public.memberships m
    where m.joined_at is not null
  ), joins as (
    select m.organization_id, (m.joined_at at time zone 'UTC')::date as day, count(distinct m.user_id)::integer as people
    from members m
    group by 1, 2
  ), activity as (
    select m.organization_id, (e.occurred_at at time zone 'UTC')::date as day,
           count(*) filter (where e.event_type = 'auth.login')::integer as logins,
           count(distinct e.subject_id) filter (where e.event_type = 'auth.login')::integer as login_people,
           count(distinct e.subject_id)::integer as active_people
    from audit.events e
    join members m on m.user_id = e.subject_id and m.joined_at <= e.occurred_at
                  and (m.ended_at is null or m.ended_at > e.occurred_at)
    where e.event_type in ('auth.login', 'auth.refresh') and e.outcome = 'success'
    group by 1, 2
  ), shown as (
    select g.organization_id, g.day,
           case when j.people >= k.min_people then j.people end as new_members,
           case when a.login_people >= k.min_people then a.logins end as logins,
           case when a.active_people >= k.min_people then a.active_people end as active_users
    from (select organization_id, day from joins union select organization_id, day from activity) g
    cross join k
    left join joins j on j.organization_id = g.organization_id and j.day = g.day
    left join activity a on a.organization_id = g.organization_id and a.day = g.day
  )
  select * from shown
  where new_members is not null or logins is not null or active_users is not null
  order by organization_id, day
$$;
comment on function analytics.organization_daily_activity() is
  'New members, logins and active members per organisation and day (UTC); counts of fewer people than analytics.min_group_size are null.';
grant execute on function analytics.organization_daily_activity() to app_analytics;
--! EndIncluded functions/analytics.organization_daily_activity.sql
--! Included functions/analytics.consenting_users.sql
/*
 * One row per account whose newest analytics consent is granted (app_private.consent_granted, read in this query:
 * a withdrawal committed before it, or made earlier in the same transaction, hides the row), under its pseudonym,
 * never its id. Accounts that are deleted (awaiting erasure or erased) or whose processing is restricted are left
 * out, whatever they consented to. Only the day of sign-up, nothing that could identify the person.
 * Definer: reads app_public.users, app_private.consents and the pseudonym key, which app_analytics may not read.
 */
create or replace function analytics.consenting_users()
returns table (pseudonym text, signed_up_on date)
language sql stable security definer
set search_path to pg_catalog, pg_temp as $$
  select app_private.analytics_pseudonym(u.id), (u.created_at at time zone 'UTC')::date
  from app_public.users u
  where u.deleted_at is null and u.processing_restricted_at is null
    and app_private.consent_granted(u.id, 'analytics')
  order by 1
$$;
comment on function analytics.consenting_users() is
  'Accounts whose latest analytics consent is granted, under a pseudonym (HMAC of the account id), with their sign-up day.';
grant execute on function analytics.consenting_users() to app_analytics;
--! EndIncluded functions/analytics.consenting_users.sql
--! Included functions/analytics.consenting_user_activity.sql
/*
 * Per consenting account (as in analytics.consenting_users, decided in this query) and day (UTC): its successful
 * logins and refreshes, under its pseudonym. Days before the consent are included: consent covers the use of the
 * data, and a withdrawal hides every day again.
 * Definer: reads app_public.users, app_private.consents and audit.events, which app_analytics may not read.
 */
create or replace function analytics.consenting_user_activity()
returns table (pseudonym text, day date, logins integer, refreshes integer)
language sql stable security definer
set search_path to pg_catalog, pg_temp as $$
  with consenting as materialized (
    select u.id
    from app_public.users u
    where u.deleted_at is null and u.processing_restricted_at is null
      and app_private.consent_granted(u.id, 'analytics')
  )
  select app_private.analytics_pseudonym(c.id), (e.occurred_at at time zone 'UTC')::date,
         count(*) filter (where e.event_type = 'auth.login')::integer,
         count(*) filter (where e.event_type = 'auth.refresh')::integer
  from consenting c
  join audit.events e on e.subject_id = c.id
  where e.event_type in ('auth.login', 'auth.refresh') and e.outcome = 'success'
  group by c.id, 2
  order by 1, 2
$$;
comment on function analytics.consenting_user_activity() is
  'Logins and refreshes per day (UTC) of each account whose latest analytics consent is granted, under its pseudonym.';
grant execute on function analytics.consenting_user_activity() to app_analytics;
--! EndIncluded functions/analytics.consenting_user_activity.sql
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
--! Included policies/analytics.daily_activity.sql
/*
 * Sign-ups, logins and active users per day, small counts suppressed: for reporting only. The view reads through the
 * security definer function of the same name, which app_analytics may execute too.
 */
revoke all on analytics.daily_activity from public, authenticator, app_anonymous, app_authenticated, app_worker, app_marketing, app_analytics;
grant select on analytics.daily_activity to app_analytics;
--! EndIncluded policies/analytics.daily_activity.sql
--! Included policies/analytics.organization_daily_activity.sql
/*
 * Activity per organisation and day, small counts suppressed: for reporting only. The view reads through the security
 * definer function of the same name, which app_analytics may execute too.
 */
revoke all on analytics.organization_daily_activity from public, authenticator, app_anonymous, app_authenticated, app_worker, app_marketing, app_analytics;
grant select on analytics.organization_daily_activity to app_analytics;
--! EndIncluded policies/analytics.organization_daily_activity.sql
--! Included policies/analytics.consenting_users.sql
/*
 * Accounts whose latest analytics consent is granted, under a pseudonym: for reporting only. The view reads through
 * the security definer function of the same name, which app_analytics may execute too.
 */
revoke all on analytics.consenting_users from public, authenticator, app_anonymous, app_authenticated, app_worker, app_marketing, app_analytics;
grant select on analytics.consenting_users to app_analytics;
--! EndIncluded policies/analytics.consenting_users.sql
--! Included policies/analytics.consenting_user_activity.sql
/*
 * Daily activity of accounts whose latest analytics consent is granted, under a pseudonym: for reporting only. The
 * view reads through the security definer function of the same name, which app_analytics may execute too.
 */
revoke all on analytics.consenting_user_activity from public, authenticator, app_anonymous, app_authenticated, app_worker, app_marketing, app_analytics;
grant select on analytics.consenting_user_activity to app_analytics;
--! EndIncluded policies/analytics.consenting_user_activity.sql

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

--! Included policies/app_private.marketing_messages.sql
/*
 * Marketing messages: written by app_private.queue_marketing_mail (the owner), read by a marketing job through
 * app_hidden.marketing_message. No role but the owner holds a privilege.
 */
revoke all on app_private.marketing_messages from public, authenticator, app_anonymous, app_authenticated, app_worker, app_marketing, app_analytics;
--! EndIncluded policies/app_private.marketing_messages.sql
--! Included policies/app_private.marketing_deliveries.sql
/*
 * Marketing deliveries and the hashes of their unsubscribe tokens: written by a marketing job through
 * app_hidden.issue_unsubscribe_token and mark_marketing_sent, used by app_hidden.unsubscribe, deleted by
 * app_hidden.expire_auth_records and at erasure. No role but the owner holds a privilege.
 */
revoke all on app_private.marketing_deliveries from public, authenticator, app_anonymous, app_authenticated, app_worker, app_marketing, app_analytics;
--! EndIncluded policies/app_private.marketing_deliveries.sql
--! Included functions/app_hidden.mail_recipient.sql
/*
 * Where the worker sends mail to an account. Two forms, because a grant is per function, not per argument:
 *
 * mail_recipient(user_id): the account own notices (security notifications), for app_worker. No row once the
 * account is deleted.
 *
 * mail_recipient(user_id, purpose): mail that needs consent, for app_marketing, the role a marketing job runs as and
 * whose only way to an address this is (docs/consent.md). A row only while the newest consent record of the account
 * for that purpose grants it, decided in this one query (app_private.consent_granted reads its snapshot): a
 * withdrawal committed before the query means no address. Also no row for an account that is not active, is deleted,
 * has an unverified address (it may be someone else) or whose processing is restricted. Purposes: marketing.
 *
 * Definer: reads app_public.users and app_private.consents, on which app_worker and app_marketing hold no right.
 */
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

create or replace function app_hidden.mail_recipient(user_id uuid, purpose text)
returns table (email text, username text, display_name text)
language plpgsql stable security definer
set search_path to pg_catalog, pg_temp as $$
begin
  if mail_recipient.purpose is null or mail_recipient.purpose not in ('marketing') then
    raise exception 'No mail is sent for that purpose with consent.' using errcode = 'INVAL',
      hint = 'Purposes: marketing. Security notifications use mail_recipient(user_id).';
  end if;
  return query
  select u.email::text, u.username::text, u.display_name
  from app_public.users u
  where u.id = mail_recipient.user_id
    and u.status = 'active' and u.deleted_at is null and u.email_verified and u.processing_restricted_at is null
    and app_private.consent_granted(u.id, mail_recipient.purpose);
end;
$$;
comment on function app_hidden.mail_recipient(uuid, text) is
  'Where to send mail for a purpose that needs consent (marketing): a row only while the newest consent for it is granted.';
grant execute on function app_hidden.mail_recipient(uuid, text) to app_marketing;
--! EndIncluded functions/app_hidden.mail_recipient.sql
--! Included functions/app_hidden.marketing_message.sql
/*
 * The subject and body of a marketing message, for the job that sends it; no row once the message is deleted.
 * Definer: reads app_private.marketing_messages, on which app_marketing holds no right.
 */
create or replace function app_hidden.marketing_message(message_id uuid)
returns table (subject text, body text)
language sql stable security definer
set search_path to pg_catalog, pg_temp as $$
  select m.subject, m.body from app_private.marketing_messages m where m.id = marketing_message.message_id
$$;
comment on function app_hidden.marketing_message(uuid) is 'The subject and body of a marketing message, for the job that sends it.';
grant execute on function app_hidden.marketing_message(uuid) to app_marketing;
--! EndIncluded functions/app_hidden.marketing_message.sql
--! Included functions/app_hidden.issue_unsubscribe_token.sql
/*
 * Called by a marketing job with the hash of the unsubscribe token it minted for one mail (the token itself never
 * reaches the database): records the delivery of the message to the account and returns until when the link works,
 * or null when the message already went to that account (a retried job skips it). A retry of a mail that was not
 * sent replaces the token, so a link that never went out never works. It returns no address: the job has that from
 * app_hidden.mail_recipient(user_id, purpose), in the same transaction, just before.
 * Definer: writes app_private.marketing_deliveries, on which app_marketing holds no right.
 */
create or replace function app_hidden.issue_unsubscribe_token(message_id uuid, user_id uuid, token_hash bytea)
returns timestamptz
language sql volatile security definer
set search_path to pg_catalog, pg_temp as $$
  insert into app_private.marketing_deliveries as d (message_id, user_id, token_hash, token_expires_at)
  values (issue_unsubscribe_token.message_id, issue_unsubscribe_token.user_id, issue_unsubscribe_token.token_hash,
          app_hidden.clock_now() + config.setting_interval('marketing.unsubscribe_link_ttl'))
  on conflict (message_id, user_id) do update
    set token_hash = excluded.token_hash, token_expires_at = excluded.token_expires_at
    where d.sent_at is null
  returning d.token_expires_at
$$;
comment on function app_hidden.issue_unsubscribe_token(uuid, uuid, bytea) is
  'Records a marketing delivery with the hash of its unsubscribe token; null when that mail was sent already.';
grant execute on function app_hidden.issue_unsubscribe_token(uuid, uuid, bytea) to app_marketing;
--! EndIncluded functions/app_hidden.issue_unsubscribe_token.sql
--! Included functions/app_hidden.mark_marketing_sent.sql
/*
 * Called by a marketing job once the mail server accepted the mail: a retried job does not send it again.
 * Definer: writes app_private.marketing_deliveries, on which app_marketing holds no right.
 */
create or replace function app_hidden.mark_marketing_sent(message_id uuid, user_id uuid) returns void
language sql volatile security definer
set search_path to pg_catalog, pg_temp as $$
  update app_private.marketing_deliveries d set sent_at = app_hidden.clock_now()
  where d.message_id = mark_marketing_sent.message_id and d.user_id = mark_marketing_sent.user_id and d.sent_at is null
$$;
comment on function app_hidden.mark_marketing_sent(uuid, uuid) is 'Records that a marketing mail was handed to the mail server.';
grant execute on function app_hidden.mark_marketing_sent(uuid, uuid) to app_marketing;
--! EndIncluded functions/app_hidden.mark_marketing_sent.sql
--! Included functions/app_hidden.unsubscribe.sql
/*
 * The one-click unsubscribe of a marketing mail (RFC 8058), without signing in: the token in the link withdraws the
 * consent of its account for marketing, once, until the link expires. The withdrawal is a new record of the same
 * consent history as recordConsent (granted false, at the version of the newest record for marketing), audited with
 * the request context; it is obeyed by the next marketing query (app_hidden.mail_recipient). Called by the gateway
 * route /unsubscribe as app_anonymous. A used, expired or unknown token is refused with LINKX, and audited.
 * Definer: reads and writes app_private.marketing_deliveries and app_private.consents, which no client role may.
 */
create or replace function app_hidden.unsubscribe(token text) returns app_public.outcome
language plpgsql volatile security definer
set search_path to pg_catalog, pg_temp as $$
declare
  v_event constant text := 'consent.withdraw';
  v_delivery app_private.marketing_deliveries;
  v_version text;
begin
  update app_private.marketing_deliveries d set token_used_at = app_hidden.clock_now()
   where d.token_hash = app_private.link_token_hash(unsubscribe.token)
     and d.token_used_at is null
     and d.token_expires_at > app_hidden.clock_now()
  returning d.* into v_delivery;
  if v_delivery.user_id is null then
    return app_private.refuse(null::app_public.outcome, v_event, 'LINKX',
      'This unsubscribe link is not valid: it may have been used already or have expired.',
      details => jsonb_build_object('purpose', 'marketing', 'via', 'unsubscribe_link'));
  end if;
  select c.version into v_version from app_private.consents c
   where c.user_id = v_delivery.user_id and c.purpose = 'marketing'
   order by c.recorded_at desc, c.id desc limit 1;
  perform app_private.append_consent(v_delivery.user_id, 'marketing', coalesce(v_version, 'unknown'), false,
    jsonb_build_object('via', 'unsubscribe_link', 'message_id', v_delivery.message_id));
  return row(true, null, null, null)::app_public.outcome;
end;
$$;
comment on function app_hidden.unsubscribe(text) is
  'Withdraws the marketing consent of the account a one-click unsubscribe token was sent to (once, without signing in).';
grant execute on function app_hidden.unsubscribe(text) to app_anonymous;
--! EndIncluded functions/app_hidden.unsubscribe.sql
--! Included functions/app_private.queue_marketing_mail.sql
/*
 * Queues a product-news message for a list of accounts: stores the message, then one marketing__send job per 100
 * accounts, in this transaction. Nobody is filtered here: each job asks app_hidden.mail_recipient(user_id, purpose)
 * just before each mail, so consent is decided when the mail goes, and a withdrawal between now and then is obeyed.
 * The owner runs it (an operator, from psql); no API role may. Audited as marketing.queue.
 * Definer: writes app_private.marketing_messages and queues jobs; an owner-only helper on app_private.
 */
create or replace function app_private.queue_marketing_mail(subject text, body text, user_ids uuid[]) returns uuid
language plpgsql volatile security definer
set search_path to pg_catalog, pg_temp as $$
declare
  v_batch constant integer := 100;
  v_id uuid;
  v_ids uuid[];
  v_jobs integer := 0;
begin
  select coalesce(array_agg(distinct x) filter (where x is not null), '{}') into v_ids from unnest(queue_marketing_mail.user_ids) x;
  if cardinality(v_ids) = 0 then
    raise exception 'A marketing mail needs at least one recipient.' using errcode = 'INVAL', hint = 'Pass the account ids.';
  end if;
  if queue_marketing_mail.subject is null or length(queue_marketing_mail.subject) not between 1 and 200
     or queue_marketing_mail.subject ~ '[[:cntrl:]]'
     or queue_marketing_mail.body is null or length(queue_marketing_mail.body) not between 1 and 20000 then
    raise exception 'A marketing mail needs a subject (one line, up to 200 characters) and a body (up to 20000).'
      using errcode = 'INVAL', hint = 'Shorten the subject or the body.';
  end if;
  insert into app_private.marketing_messages (subject, body)
  values (queue_marketing_mail.subject, queue_marketing_mail.body)
  returning id into v_id;
  for i in 1 .. cardinality(v_ids) by v_batch loop
    perform graphile_worker.add_job('marketing__send',
      json_build_object('message_id', v_id, 'user_ids', v_ids[i : i + v_batch - 1]));
    v_jobs := v_jobs + 1;
  end loop;
  perform audit.record_event('marketing.queue', 'success',
    jsonb_build_object('recipients', cardinality(v_ids), 'jobs', v_jobs),
    entity_type => 'marketing_message', entity_id => v_id::text);
  return v_id;
end;
$$;
comment on function app_private.queue_marketing_mail(text, text, uuid[]) is
  'Stores a marketing message and queues its sending to the given accounts (those that consent when it goes).';
--! EndIncluded functions/app_private.queue_marketing_mail.sql
--! Included functions/app_hidden.expire_auth_records.sql
/*
 * Deletes authentication records that stopped working more than retention.expired_auth_records ago: at most
 * batch_size rows of each kind per call, skipping rows another transaction holds (SKIP LOCKED), so it never waits on,
 * or makes wait, a login or a refresh. Returns how many rows it deleted; the worker calls it until that is zero. Each
 * call commits on its own, so a run killed half-way loses nothing and the next run carries on.
 * Definer: deletes from app_private (sessions, tokens, requests, marketing deliveries) and app_public.invitations;
 * app_worker may not.
 */
create or replace function app_hidden.expire_auth_records(batch_size integer default 1000) returns integer
language plpgsql volatile security definer
set search_path to pg_catalog, pg_temp as $$
declare
  v_before timestamptz := app_hidden.clock_now() - config.setting_interval('retention.expired_auth_records');
  v_idle interval := config.setting_interval('auth.session_idle_timeout');
  v_count integer;
  v_total integer := 0;
begin
  /* Sessions, with their refresh tokens (cascade). */
  delete from app_private.sessions s where s.id in (
    select x.id from app_private.sessions x
    where x.revoked_at < v_before or x.absolute_expires_at < v_before or x.last_refreshed_at + v_idle < v_before
    limit batch_size for update skip locked);
  get diagnostics v_count = row_count;
  v_total := v_total + v_count;

  delete from app_private.refresh_tokens t where t.id in (
    select x.id from app_private.refresh_tokens x where x.expires_at < v_before or x.used_at < v_before
    limit batch_size for update skip locked);
  get diagnostics v_count = row_count;
  v_total := v_total + v_count;

  delete from app_private.email_verifications v where v.id in (
    select x.id from app_private.email_verifications x
    where x.used_at < v_before or x.token_expires_at < v_before or (x.token_hash is null and x.created_at < v_before)
    limit batch_size for update skip locked);
  get diagnostics v_count = row_count;
  v_total := v_total + v_count;

  delete from app_private.password_resets r where r.id in (
    select x.id from app_private.password_resets x
    where x.used_at < v_before or x.token_expires_at < v_before or (x.token_hash is null and x.requested_at < v_before)
    limit batch_size for update skip locked);
  get diagnostics v_count = row_count;
  v_total := v_total + v_count;

  delete from app_private.email_changes c where c.id in (
    select x.id from app_private.email_changes x
    where x.used_at < v_before or x.token_expires_at < v_before or (x.token_hash is null and x.requested_at < v_before)
    limit batch_size for update skip locked);
  get diagnostics v_count = row_count;
  v_total := v_total + v_count;

  delete from app_public.invitations i where i.id in (
    select x.id from app_public.invitations x where x.accepted_at is null and x.expires_at < v_before
    limit batch_size for update skip locked);
  get diagnostics v_count = row_count;
  v_total := v_total + v_count;

  /* Marketing deliveries, with their unsubscribe token hashes, once the link stopped working. */
  delete from app_private.marketing_deliveries d where (d.message_id, d.user_id) in (
    select x.message_id, x.user_id from app_private.marketing_deliveries x where x.token_expires_at < v_before
    limit batch_size for update skip locked);
  get diagnostics v_count = row_count;
  return v_total + v_count;
end;
$$;
comment on function app_hidden.expire_auth_records(integer) is
  'Deletes one bounded batch of each kind of expired authentication record; returns how many rows it deleted.';
grant execute on function app_hidden.expire_auth_records(integer) to app_worker;
--! EndIncluded functions/app_hidden.expire_auth_records.sql
--! Included functions/app_hidden.begin_erasure.sql
/*
 * Step one of erasing an account (the worker's users__erase), when it is due: deleted and past its grace period, or
 * past its retention_until date. Anonymises every clear personal column (app_private.personal_data_columns says
 * which), removes what only identified the person (sessions, devices, memberships, role grants, encrypted profile
 * fields), and returns the keys to destroy in the key store. Idempotent: run again, it returns the keys not yet
 * destroyed, and nothing else changes. Returns nothing when the account is not due (restored in time, say) or its
 * processing is restricted (the data must be kept as it is until the restriction is lifted).
 * Definer: anonymises app_public.users and deletes app_private rows (sessions, devices, history); app_worker may not.
 */
create or replace function app_hidden.begin_erasure(user_id uuid) returns setof uuid
language plpgsql volatile security definer
set search_path to pg_catalog, extensions, pg_temp as $$
declare
  v_user app_public.users;
  v_short text := left(replace(begin_erasure.user_id::text, '-', ''), 12);
begin
  select u.* into v_user from app_public.users u where u.id = begin_erasure.user_id for update;
  if not found then
    return;
  end if;
  if v_user.erased_at is null then
    if v_user.processing_restricted_at is not null
       or not ((v_user.status = 'deleted' and v_user.erasure_due_at <= app_hidden.clock_now())
               or v_user.retention_until <= (app_hidden.clock_now() at time zone 'UTC')::date) then
      return;
    end if;
    update app_public.users u set
      username = 'erased_' || v_short, email = v_short || '@erased.invalid',
      first_name = null, last_name = null, display_name = 'Erased account', avatar_url = null, bio = null,
      preferences = '{}', metadata = '{}', email_verified = false, email_verified_at = null,
      status = 'deleted', deleted_at = coalesce(u.deleted_at, app_hidden.clock_now()), erased_at = app_hidden.clock_now()
     where u.id = v_user.id;
    update app_private.user_security s
       set password_hash = crypt(encode(gen_random_bytes(32), 'base64'), gen_salt('bf', 4)), password_scheme = 'bcrypt'
     where s.user_id = v_user.id;
    delete from app_private.user_personal_data p where p.user_id = v_user.id;
    delete from app_private.sessions s where s.user_id = v_user.id;
    delete from app_private.known_devices d where d.user_id = v_user.id;
    delete from app_private.password_history h where h.user_id = v_user.id;
    delete from app_private.password_resets r where r.user_id = v_user.id;
    delete from app_private.email_changes c where c.user_id = v_user.id;
    delete from app_private.email_verifications v where v.user_id = v_user.id;
    delete from app_private.users_awaiting_key w where w.user_id = v_user.id;
    delete from app_private.marketing_deliveries d where d.user_id = v_user.id;
    delete from app_public.user_roles r where r.user_id = v_user.id;
    delete from app_public.project_members m where m.user_id = v_user.id;
    delete from app_public.memberships m where m.user_id = v_user.id;
    update app_public.invitations i set email = v_short || '@erased.invalid' where i.email = v_user.email;
  end if;
  return query
    select k.key_id from app_private.encryption_keys k where k.user_id = v_user.id and k.destroyed_at is null;
end;
$$;
comment on function app_hidden.begin_erasure(uuid) is
  'Anonymises a due account and returns its keys for the worker to destroy in the key store (step one of erasure).';
grant execute on function app_hidden.begin_erasure(uuid) to app_worker;
--! EndIncluded functions/app_hidden.begin_erasure.sql
