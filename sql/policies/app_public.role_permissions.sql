/* The direct permissions of the roles you can see. */
alter table app_public.role_permissions enable row level security;
drop policy if exists select_visible on app_public.role_permissions;
create policy select_visible on app_public.role_permissions for select to app_authenticated
  using (exists (select 1 from app_public.roles r where r.id = role_id));
revoke all on app_public.role_permissions from public, authenticator, app_anonymous, app_authenticated, app_worker, app_analytics;
grant select on app_public.role_permissions to app_authenticated;
