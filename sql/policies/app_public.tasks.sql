/*
 * Tasks follow their project: whoever sees the project sees its tasks; its members with projects:write create,
 * change and delete them. An assignee must be a member of the project.
 */
alter table app_public.tasks enable row level security;

drop policy if exists select_visible on app_public.tasks;
create policy select_visible on app_public.tasks for select to app_authenticated
  using (app_hidden.can_see_project(project_id));

drop policy if exists insert_writer on app_public.tasks;
create policy insert_writer on app_public.tasks for insert to app_authenticated
  with check (app_hidden.can_write_project(project_id)
              and created_by = (select app_hidden.current_user_id())
              and (assignee_id is null or exists (select 1 from app_public.project_members pm
                                                   where pm.project_id = tasks.project_id and pm.user_id = tasks.assignee_id)));

drop policy if exists update_writer on app_public.tasks;
create policy update_writer on app_public.tasks for update to app_authenticated
  using (app_hidden.can_write_project(project_id))
  with check (app_hidden.can_write_project(project_id)
              and (assignee_id is null or exists (select 1 from app_public.project_members pm
                                                   where pm.project_id = tasks.project_id and pm.user_id = tasks.assignee_id)));

drop policy if exists delete_writer on app_public.tasks;
create policy delete_writer on app_public.tasks for delete to app_authenticated
  using (app_hidden.can_write_project(project_id));

revoke all on app_public.tasks from public, authenticator, app_anonymous, app_authenticated, app_worker, app_analytics;
grant select, delete on app_public.tasks to app_authenticated;
grant insert (project_id, title, description, status, priority, labels, due_date, assignee_id) on app_public.tasks to app_authenticated;
grant update (title, description, status, priority, labels, due_date, assignee_id) on app_public.tasks to app_authenticated;
