create or replace function app_private.tg_sessions__set_expiry() returns trigger
language plpgsql as $$
begin
  new.created_at := app_hidden.clock_now();
  new.last_refreshed_at := new.created_at;
  new.absolute_expires_at := new.created_at + config.setting_interval('auth.session_absolute_lifetime');
  return new;
end;
$$;
comment on function app_private.tg_sessions__set_expiry() is
  'A session ends auth.session_absolute_lifetime after login, however active it is.';
