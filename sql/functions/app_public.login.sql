/*
 * One login = one session. Every refusal gives the caller the same code and message (WRONG); the real reason goes to
 * the audit trail. In order:
 *   1. rate limits per client address and per submitted identifier, before any hashing (LIMIT, with retry-after);
 *   2. the identifier's login_attempts row is locked, so parallel attempts on one account or identifier run one at a
 *      time and cannot check more passwords than the lockout allows;
 *   3. unknown identifiers and locked keys spend the same bcrypt work as a real check; an account's status is looked
 *      at only after its password matched, so neither time nor answer tells which accounts exist;
 *   4. failures count per account (or per unknown identifier) and lock it at the threshold; success resets the count.
 * Refusals return a refusal_code so the counts, locks and audit rows stay (sql/README.md, "Refusals"). On success the gateway
 * signs the access token from the returned session; the refresh token is returned once and stored only as SHA-256.
 * Definer: reads password hashes and lockout counters (app_private) and opens a session.
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
  v_event constant text := 'auth.login';
begin
  v_retry := app_private.rate_limit_hit('login:ip:' || v_ip,
    config.setting_integer('rate_limit.login_per_ip.max'), config.setting_interval('rate_limit.login_per_ip.window'));
  if v_retry is null then
    v_retry := app_private.rate_limit_hit('login:identifier:' || lower(left(coalesce(v_identifier::text, ''), 254)),
      config.setting_integer('rate_limit.login_per_identifier.max'),
      config.setting_interval('rate_limit.login_per_identifier.window'));
  end if;
  if v_retry is not null then
    return app_private.refuse(null::app_public.login_result, v_event, 'LIMIT',
      format('Too many login attempts: try again in %s seconds.', v_retry), retry_after => v_retry,
      personal_values => jsonb_build_object('identifier', left(v_identifier::text, 254)));
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
    return app_private.refuse(null::app_public.login_result, v_event, 'WRONG', v_refusal, reason => v_reason,
      subject_id => v_user.id, personal_values => jsonb_build_object('identifier', left(v_identifier::text, 254)));
  end if;

  update app_private.login_attempts a set failed_count = 0, lock_count = 0, locked_until = null where a.key = v_key;
  /* A legacy hash, or one made at another cost, is replaced now that the password is known to be right. */
  if v_security.password_scheme <> 'bcrypt-sha384'
     or substr(v_security.password_hash, 5, 2)::integer <> config.setting_integer('auth.bcrypt_cost') then
    update app_private.user_security s
       set password_hash = app_private.hash_password(password), password_scheme = 'bcrypt-sha384'
     where s.user_id = v_user.id;
  end if;
  update app_private.user_security s set last_login_at = v_now where s.user_id = v_user.id;

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
