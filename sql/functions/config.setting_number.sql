create or replace function config.setting_number(key text) returns numeric
language sql stable as $$
  select (config.setting(key) #>> '{}')::numeric
$$;
comment on function config.setting_number(text) is 'The current value of a number (numeric) system setting.';
grant execute on function config.setting_number(text) to app_worker;
