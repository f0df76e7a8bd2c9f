/*
 * Project members holding projects:write in its organisation create and change its tasks.
 * Definer: reads app_public.projects past its RLS policy, which would only re-run checks this rule already makes.
 */
create or replace function app_hidden.can_write_project(project_id uuid) returns boolean
language sql stable security definer
set search_path to pg_catalog, pg_temp as $$
  select exists (
    select 1 from app_public.projects p
    where p.id = can_write_project.project_id
      and app_hidden.project_role(p.id) is not null
      and app_hidden.user_has_permission(app_hidden.current_user_id(), 'projects:write', p.organization_id)
  )
$$;
comment on function app_hidden.can_write_project(uuid) is 'Whether the caller may create and change the tasks of a project.';
grant execute on function app_hidden.can_write_project(uuid) to app_authenticated;
