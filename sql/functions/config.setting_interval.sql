create or replace function config.setting_interval(key text) returns interval
language sql stable as $$
  select (config.setting(key) #>> '{}')::interval
$$;
comment on function config.setting_interval(text) is 'The current value of an interval system setting.';
grant execute on function config.setting_interval(text) to app_worker;
