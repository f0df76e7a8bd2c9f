/* You see your own grants; with roles:read in an organisation, everyone's grants there. */
alter table app_public.user_roles enable row level security;
drop policy if exists select_self_or_reader on app_public.user_roles;
create policy select_self_or_reader on app_public.user_roles for select to app_authenticated
  using (user_id = (select app_hidden.current_user_id())
         or app_hidden.user_has_permission((select app_hidden.current_user_id()), 'roles:read', organization_id));
revoke all on app_public.user_roles from public, authenticator, app_anonymous, app_authenticated, app_worker, app_analytics;
grant select on app_public.user_roles to app_authenticated;
