/*
 * Sets a new password with the token from a reset mail: once, within auth.password_reset_token_ttl, under the policy
 * and history rules. Every session of the account ends, every other outstanding reset link dies, the lockout is
 * lifted, and the owner is told by mail. Following the link also proves the address, so it counts as verified.
 * Definer: looks the token up in app_private.password_resets and replaces the password hash.
 */
create or replace function app_public.reset_password(token text, new_password text) returns app_public.outcome
language plpgsql volatile security definer
set search_path to pg_catalog, extensions, pg_temp as $$
declare
  v_reset app_private.password_resets;
  v_result app_public.outcome;
  v_event constant text := 'auth.password_reset';
begin
  select r.* into v_reset
  from app_private.password_resets r
  join app_public.users u on u.id = r.user_id and u.email = r.email and u.deleted_at is null
  where r.token_hash = app_private.link_token_hash(reset_password.token)
    and r.used_at is null
    and r.token_expires_at > app_hidden.clock_now()
  for update of r;
  if v_reset.id is null then
    return app_private.refuse(null::app_public.outcome, v_event, 'LINKX',
      'This password reset link is not valid: it may have been used already or have expired.');
  end if;

  v_result := app_private.set_password(v_reset.user_id, new_password);
  if not v_result.ok then
    /* The link stays usable: the person may try another password. */
    return app_private.refuse(v_result, v_event, v_result.refusal_code, v_result.refusal_message,
      subject_id => v_reset.user_id);
  end if;

  update app_private.password_resets r set used_at = app_hidden.clock_now()
   where r.user_id = v_reset.user_id and r.used_at is null;
  update app_private.sessions s set revoked_at = app_hidden.clock_now(), revoked_reason = 'password_reset'
   where s.user_id = v_reset.user_id and s.revoked_at is null;
  delete from app_private.login_attempts a where a.key = app_private.login_attempt_key(v_reset.user_id, null);
  update app_public.users u set email_verified = true, email_verified_at = app_hidden.clock_now()
   where u.id = v_reset.user_id and not u.email_verified;
  perform app_private.notify('password_reset_completed', v_reset.user_id);
  perform audit.record_event(v_event, 'success', subject_id => v_reset.user_id,
    entity_type => 'password_reset', entity_id => v_reset.id::text);
  return v_result;
end;
$$;
comment on function app_public.reset_password(text, text) is
  'Chooses a new password with the token from a password reset mail. All your sessions end.';
grant execute on function app_public.reset_password(text, text) to app_anonymous;
