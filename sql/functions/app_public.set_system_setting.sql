/*
 * Changing a system setting is the foundation's example of a refusal that must stick (sql/README.md, "Refusals"): a refused
 * caller gets a result carrying refusal_code instead of an exception, so this transaction commits and the audit row of
 * the refusal survives. The gateway turns refusal_code into a coded GraphQL error. Invalid values still raise: nothing
 * needs to survive those.
 * Definer: updates config.system_settings, which no client role may write.
 */
create or replace function app_public.set_system_setting(key text, value jsonb)
returns app_public.system_setting_change
language plpgsql volatile security definer
set search_path to pg_catalog, pg_temp as $$
declare
  v_old jsonb;
  v_event constant text := 'config.setting_change';
  v_base app_public.system_setting_change := row(key, null, null, null);
begin
  if app_hidden.current_user_id() is null then
    return app_private.refuse(v_base, v_event, 'LOGIN', 'You must log in to change system settings.',
      entity_type => 'system_setting', entity_id => key, details => jsonb_build_object('key', key));
  end if;
  if not app_hidden.current_user_is_platform_admin() then
    return app_private.refuse(v_base, v_event, 'PERMS', 'Only platform administrators can change system settings.',
      entity_type => 'system_setting', entity_id => key, details => jsonb_build_object('key', key));
  end if;

  select s.value into v_old from config.system_settings s where s.key = set_system_setting.key for update;
  if not found then
    raise exception 'There is no system setting named %.', key
      using errcode = 'NOSET', hint = 'Check the setting''s name.';
  end if;

  update config.system_settings s
     set value = set_system_setting.value, updated_by = app_hidden.current_user_id()
   where s.key = set_system_setting.key;

  perform audit.record_event(v_event, 'success',
    jsonb_build_object('key', key, 'old', v_old, 'new', value),
    entity_type => 'system_setting', entity_id => key);
  return row(key, value, null, null)::app_public.system_setting_change;
end;
$$;
comment on function app_public.set_system_setting(text, jsonb) is
  'Changes a system setting (platform administrators only). The value must fit the setting''s type and bounds.';
grant execute on function app_public.set_system_setting(text, jsonb) to app_anonymous, app_authenticated;
