/* Global roles are visible to every logged-in user; an organisation's roles to its members. */
alter table app_public.roles enable row level security;
drop policy if exists select_visible on app_public.roles;
create policy select_visible on app_public.roles for select to app_authenticated
  using (organization_id is null or app_hidden.is_member((select app_hidden.current_user_id()), organization_id));
revoke all on app_public.roles from public, authenticator, app_anonymous, app_authenticated, app_worker, app_analytics;
grant select on app_public.roles to app_authenticated;
