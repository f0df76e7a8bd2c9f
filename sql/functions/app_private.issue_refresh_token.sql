/*
 * A new refresh token of a session (with its parent when it replaces one): the token is returned, its hash stored.
 * Definer: writes app_private.refresh_tokens and reads app_private.sessions, which no client role may touch.
 */
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
