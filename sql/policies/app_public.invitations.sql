/* Holders of members:invite or members:read in an organisation see its invitations. */
alter table app_public.invitations enable row level security;
drop policy if exists select_manager on app_public.invitations;
create policy select_manager on app_public.invitations for select to app_authenticated
  using (app_hidden.user_has_permission((select app_hidden.current_user_id()), 'members:invite', organization_id)
         or app_hidden.user_has_permission((select app_hidden.current_user_id()), 'members:read', organization_id));
revoke all on app_public.invitations from public, authenticator, app_anonymous, app_authenticated, app_worker, app_analytics;
grant select on app_public.invitations to app_authenticated;
