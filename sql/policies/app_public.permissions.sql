/* The catalogue of permissions is public to logged-in users. */
alter table app_public.permissions enable row level security;
drop policy if exists select_all on app_public.permissions;
create policy select_all on app_public.permissions for select to app_authenticated using (true);
revoke all on app_public.permissions from public, authenticator, app_anonymous, app_authenticated, app_worker, app_analytics;
grant select on app_public.permissions to app_authenticated;
