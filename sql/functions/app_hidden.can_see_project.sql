/*
 * The visibility rule of projects, in one place for every table that hangs off a project: public to anyone signed
 * in; internal to the organisation's members holding projects:read; private to the project's members.
 * Definer: reads app_public.projects past its RLS policy, which is this same rule and would only run it a second time.
 */
create or replace function app_hidden.can_see_project(project_id uuid) returns boolean
language sql stable security definer
set search_path to pg_catalog, pg_temp as $$
  select exists (
    select 1 from app_public.projects p
    where p.id = can_see_project.project_id
      and app_hidden.current_user_id() is not null
      and (p.visibility = 'public'
           or (p.visibility = 'internal' and app_hidden.user_has_permission(app_hidden.current_user_id(), 'projects:read', p.organization_id))
           or app_hidden.project_role(p.id) is not null)
  )
$$;
comment on function app_hidden.can_see_project(uuid) is 'Whether the caller may see a project (and its members and tasks).';
grant execute on function app_hidden.can_see_project(uuid) to app_authenticated;
