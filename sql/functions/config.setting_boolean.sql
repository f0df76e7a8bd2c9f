create or replace function config.setting_boolean(key text) returns boolean
language sql stable as $$
  select (config.setting(key) #>> '{}')::boolean
$$;
comment on function config.setting_boolean(text) is 'The current value of a boolean system setting.';
grant execute on function config.setting_boolean(text) to app_worker;
