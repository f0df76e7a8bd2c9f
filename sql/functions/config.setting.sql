/*
 * Definer: reads config.system_settings, which no client role may read (only app_worker, by grant and policy); its
 * callers today (definer code, app_worker) could read it themselves: kept definer for any later caller.
 */
create or replace function config.setting(key text) returns jsonb
language plpgsql stable security definer
set search_path to pg_catalog, pg_temp as $$
declare
  v_value jsonb;
begin
  select s.value into v_value from config.system_settings s where s.key = setting.key;
  if not found then
    raise exception 'There is no system setting named %.', key
      using errcode = 'NOSET', hint = 'See config.system_settings for the known settings.';
  end if;
  return v_value;
end;
$$;
comment on function config.setting(text) is 'The current value of a system setting as JSON; refuses unknown keys (NOSET).';
grant execute on function config.setting(text) to app_worker;
