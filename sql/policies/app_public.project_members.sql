/* Whoever sees a project sees its members; owners change them through add_project_member / remove_project_member. */
alter table app_public.project_members enable row level security;
drop policy if exists select_visible on app_public.project_members;
create policy select_visible on app_public.project_members for select to app_authenticated
  using (app_hidden.can_see_project(project_id));
revoke all on app_public.project_members from public, authenticator, app_anonymous, app_authenticated, app_worker, app_analytics;
grant select on app_public.project_members to app_authenticated;
