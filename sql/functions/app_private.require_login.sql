/*
 * Gate: the caller must be signed in. Returns null when they are, else the audited LOGIN refusal as the caller
 * function result row (see app_private.refuse). Use:
 *   v_refused := app_private.require_login(null::app_public.outcome, v_event);
 *   if v_refused.refusal_code is not null then return v_refused; end if;
 * Definer: audits the refusal through app_private.refuse, which no client role may call.
 */
create or replace function app_private.require_login(
  result anyelement, event_type text, message text default 'You must log in first.'
) returns anyelement
language plpgsql volatile security definer
set search_path to pg_catalog, pg_temp as $$
begin
  if app_hidden.current_user_id() is not null then
    return null;
  end if;
  return app_private.refuse(require_login.result, require_login.event_type, 'LOGIN', require_login.message);
end;
$$;
comment on function app_private.require_login(anyelement, text, text) is
  'Gate: null when the caller is signed in, else the audited LOGIN refusal as the given result row.';
