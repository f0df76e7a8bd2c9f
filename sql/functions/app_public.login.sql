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
