/* You see your own memberships; with members:read in an organisation, all of its memberships. */
alter table app_public.memberships enable row level security;
drop policy if exists select_self_or_reader on app_public.memberships;
create policy select_self_or_reader on app_public.memberships for select to app_authenticated
  using (user_id = (select app_hidden.current_user_id())
         or app_hidden.user_has_permission((select app_hidden.current_user_id()), 'members:read', organization_id));
revoke all on app_public.memberships from public, authenticator, app_anonymous, app_authenticated, app_worker, app_analytics;
grant select on app_public.memberships to app_authenticated;
