/* Definer: deletes from app_public.project_members, which clients may not write. */
create or replace function app_public.remove_project_member(project_id uuid, user_id uuid) returns app_public.outcome
language plpgsql volatile security definer
set search_path to pg_catalog, pg_temp as $$
declare
  v_event constant text := 'project.remove_member';
begin
  if app_hidden.project_role(remove_project_member.project_id) is distinct from 'owner' then
    return app_private.refuse(null::app_public.outcome, v_event, 'PERMS', 'Only the project''s owners can remove members.',
      entity_type => 'project', entity_id => remove_project_member.project_id::text);
  end if;
  if not exists (select 1 from app_public.project_members pm
                 where pm.project_id = remove_project_member.project_id and pm.role = 'owner'
                   and pm.user_id <> remove_project_member.user_id) then
    return app_private.refuse(null::app_public.outcome, v_event, 'LASTA', 'A project needs an owner: add another owner first.',
      entity_type => 'project', entity_id => remove_project_member.project_id::text);
  end if;
  delete from app_public.project_members pm
   where pm.project_id = remove_project_member.project_id and pm.user_id = remove_project_member.user_id;
  /* The creator reads the project through created_by (see its select policy): not once they are off it. */
  update app_public.projects p set created_by = null
   where p.id = remove_project_member.project_id and p.created_by = remove_project_member.user_id;
  perform audit.record_event(v_event, 'success', subject_id => remove_project_member.user_id,
    entity_type => 'project', entity_id => remove_project_member.project_id::text);
  return row(true, null, null, null)::app_public.outcome;
end;
$$;
comment on function app_public.remove_project_member(uuid, uuid) is 'Removes someone from a project (project owners only; a project keeps at least one owner).';
grant execute on function app_public.remove_project_member(uuid, uuid) to app_authenticated;
