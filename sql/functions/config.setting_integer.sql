create or replace function config.setting_integer(key text) returns integer
language sql stable as $$
  select (config.setting(key) #>> '{}')::integer
$$;
comment on function config.setting_integer(text) is 'The current value of an integer system setting.';
grant execute on function config.setting_integer(text) to app_worker;
