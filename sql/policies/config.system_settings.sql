/*
 * Settings are read through config.setting*() and changed through app_public.set_system_setting(). The worker reads
 * them directly for its jobs; client roles have no table privilege at all.
 */
alter table config.system_settings enable row level security;
drop policy if exists select_worker on config.system_settings;
create policy select_worker on config.system_settings for select to app_worker using (true);
revoke all on config.system_settings from public, authenticator, app_anonymous, app_authenticated, app_analytics;
grant select on config.system_settings to app_worker;
