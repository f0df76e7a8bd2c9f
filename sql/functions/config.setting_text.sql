create or replace function config.setting_text(key text) returns text
language sql stable as $$
  select (config.setting(key) #>> '{}')::text
$$;
comment on function config.setting_text(text) is 'The current value of a text system setting.';
grant execute on function config.setting_text(text) to app_worker;
