/* Members see their organisations. Changes go through functions. */
alter table app_public.organizations enable row level security;
drop policy if exists select_member on app_public.organizations;
create policy select_member on app_public.organizations for select to app_authenticated
  using (app_hidden.is_member((select app_hidden.current_user_id()), id));
revoke all on app_public.organizations from public, authenticator, app_anonymous, app_authenticated, app_worker, app_analytics;
grant select on app_public.organizations to app_authenticated;
