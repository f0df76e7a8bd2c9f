/*
 * The pattern to copy for an organisation's resources: reading follows visibility (app_hidden.can_see_project);
 * creating needs projects:write in the organisation, as oneself; changing a project is for its owners. No deletes.
 */
alter table app_public.projects enable row level security;

/*
 * The same rule as app_hidden.can_see_project, written on the row's own columns: while a project is being inserted
 * (INSERT ... RETURNING checks this policy too) a lookup by id cannot see it yet, nor its owner, whom a trigger adds
 * after. created_by is always an owner or null (remove_project_member clears it).
 */
drop policy if exists select_visible on app_public.projects;
create policy select_visible on app_public.projects for select to app_authenticated
  using (visibility = 'public'
         or (visibility = 'internal'
             and app_hidden.user_has_permission((select app_hidden.current_user_id()), 'projects:read', organization_id))
         or app_hidden.project_role(id) is not null
         or (created_by = (select app_hidden.current_user_id())
             and app_hidden.is_member((select app_hidden.current_user_id()), organization_id)));

drop policy if exists insert_writer on app_public.projects;
create policy insert_writer on app_public.projects for insert to app_authenticated
  with check (created_by = (select app_hidden.current_user_id())
              and app_hidden.user_has_permission((select app_hidden.current_user_id()), 'projects:write', organization_id));

drop policy if exists update_owner on app_public.projects;
create policy update_owner on app_public.projects for update to app_authenticated
  using (app_hidden.project_role(id) = 'owner')
  with check (app_hidden.project_role(id) = 'owner');

revoke all on app_public.projects from public, authenticator, app_anonymous, app_authenticated, app_worker, app_analytics;
grant select on app_public.projects to app_authenticated;
grant insert (organization_id, name, description, visibility) on app_public.projects to app_authenticated;
grant update (name, description, visibility) on app_public.projects to app_authenticated;
