/* The hierarchy edges of the roles you can see. */
alter table app_public.role_parents enable row level security;
drop policy if exists select_visible on app_public.role_parents;
create policy select_visible on app_public.role_parents for select to app_authenticated
  using (exists (select 1 from app_public.roles r where r.id = role_id));
revoke all on app_public.role_parents from public, authenticator, app_anonymous, app_authenticated, app_worker, app_analytics;
grant select on app_public.role_parents to app_authenticated;
