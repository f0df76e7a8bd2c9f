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
