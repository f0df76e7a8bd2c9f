/*
 * Exchanges a refresh token for new tokens and rotates it. All refreshes of one session run one at a time (the
 * session row is locked), so of many parallel presentations exactly one rotates the token. Presenting a token that was
 * already used is reuse — the session and every token of its family end, and a critical event is recorded — except
 * within auth.refresh_reuse_grace of its first use, when it may yield auth.refresh_reuse_grace_children more tokens
 * (a retry after a lost response, a second tab). See docs/sessions.md.
 * Idle timeout counts from the session's last refresh, absolute lifetime from login; either ends refreshing at once.
 * Definer: reads and rotates app_private.refresh_tokens and locks the session row.
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
  v_event constant text := 'auth.refresh';
begin
  v_hash := app_private.link_token_hash(refresh_token);
  select t.session_id into v_session_id from app_private.refresh_tokens t where t.token_hash = v_hash;
  if v_session_id is null then
    return app_private.refuse(null::app_public.login_result, v_event, 'LOGIN', v_refusal, reason => 'unknown_token');
  end if;

  select s.* into v_session from app_private.sessions s where s.id = v_session_id for update;
  /* Read the token again now that no other refresh of this session is running. */
  select t.* into v_token from app_private.refresh_tokens t where t.token_hash = v_hash;

  v_retry := app_private.rate_limit_hit('refresh:session:' || v_session.id::text,
    config.setting_integer('rate_limit.refresh_per_session.max'),
    config.setting_interval('rate_limit.refresh_per_session.window'));
  if v_retry is not null then
    return app_private.refuse(null::app_public.login_result, v_event, 'LIMIT',
      format('Too many refreshes: try again in %s seconds.', v_retry), subject_id => v_session.user_id,
      entity_type => 'session', entity_id => v_session.id::text, retry_after => v_retry);
  end if;

  if v_token.used_at is not null then
    select count(*) into v_children from app_private.refresh_tokens c where c.parent_id = v_token.id;
    /*
     * Within the window, counted from the first use. A presenter whose transaction began before the first use
     * committed sees a negative age: with a window, that is a parallel retry (within it); with no window, nothing is.
     */
    if not (v_session.revoked_at is null
            and config.setting_interval('auth.refresh_reuse_grace') > interval '0'
            and app_hidden.clock_now() - v_token.used_at < config.setting_interval('auth.refresh_reuse_grace')
            and v_children < 1 + config.setting_integer('auth.refresh_reuse_grace_children')) then
      if v_session.revoked_at is null then
        update app_private.sessions s set revoked_at = app_hidden.clock_now(), revoked_reason = 'refresh_token_reuse'
         where s.id = v_session.id;
      end if;
      return app_private.refuse(null::app_public.login_result, 'auth.refresh_reuse', 'REUSE',
        'This refresh token was already used, so the session has been ended to protect your account: log in again.',
        subject_id => v_session.user_id, entity_type => 'session', entity_id => v_session.id::text,
        details => jsonb_build_object('token_id', v_token.id));
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
    return app_private.refuse(null::app_public.login_result, v_event, 'LOGIN', v_refusal, reason => v_reason,
      subject_id => v_session.user_id, entity_type => 'session', entity_id => v_session.id::text);
  end if;

  update app_private.sessions s set last_refreshed_at = v_now where s.id = v_session.id;
  perform audit.record_event(v_event, 'success', jsonb_build_object('grace', v_token.used_at is not null),
    subject_id => v_session.user_id, entity_type => 'session', entity_id => v_session.id::text);
  return row(
    v_session.user_id, v_session.id, app_private.issue_refresh_token(v_session.id, v_token.id), v_now,
    date_trunc('second', least(v_now + config.setting_interval('auth.access_token_ttl'), v_session.absolute_expires_at)),
    null, null, null, v_session.organization_id
  )::app_public.login_result;
end;
$$;
comment on function app_public.refresh_token(text) is
  'Exchanges a refresh token for a new access token and a new refresh token. Each refresh token works once.';
grant execute on function app_public.refresh_token(text) to app_anonymous;
