/*
 * The caller's role in a project (owner or member) while they are an active member of its organisation; else null.
 * Definer: reads projects and project_members past RLS; the projects policy calls this function, so RLS would recurse.
 */
create or replace function app_hidden.project_role(project_id uuid) returns text
language sql stable security definer
set search_path to pg_catalog, pg_temp as $$
  select pm.role
  from app_public.project_members pm
  join app_public.projects p on p.id = pm.project_id
  where pm.project_id = project_role.project_id
    and pm.user_id = app_hidden.current_user_id()
    and app_hidden.is_member(pm.user_id, p.organization_id)
$$;
comment on function app_hidden.project_role(uuid) is 'Your role in a project (owner, member), or null.';
grant execute on function app_hidden.project_role(uuid) to app_authenticated;
