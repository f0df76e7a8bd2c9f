/*
 * A project owner adds a member of the organisation to the project (or changes their role in it).
 * Definer: adds to app_public.project_members, which clients may not write, and writes audit.events.
 */
create or replace function app_public.add_project_member(project_id uuid, user_id uuid, role text default 'member')
returns app_public.outcome
language plpgsql volatile security definer
set search_path to pg_catalog, pg_temp as $$
declare
  v_org uuid;
  v_event constant text := 'project.add_member';
  v_refused app_public.outcome;
begin
  v_refused := app_private.require_login(null::app_public.outcome, v_event);
  if v_refused.refusal_code is not null then return v_refused; end if;
  if app_hidden.project_role(add_project_member.project_id) is distinct from 'owner' then
    return app_private.refuse(null::app_public.outcome, v_event, 'PERMS', 'Only the project''s owners can add members.',
      entity_type => 'project', entity_id => add_project_member.project_id::text);
  end if;
  if add_project_member.role not in ('owner', 'member') then
    raise exception 'A project role is owner or member.' using errcode = 'INVAL', hint = 'Choose owner or member.';
  end if;
  select p.organization_id into v_org from app_public.projects p where p.id = add_project_member.project_id;
  if not app_hidden.is_member(add_project_member.user_id, v_org) then
    return app_private.refuse(null::app_public.outcome, v_event, 'NTFND', 'That person is not a member of the organisation.',
      entity_type => 'project', entity_id => add_project_member.project_id::text);
  end if;
  insert into app_public.project_members (project_id, user_id, role)
  values (add_project_member.project_id, add_project_member.user_id, add_project_member.role)
  on conflict on constraint project_members_pkey do update set role = excluded.role;
  perform audit.record_event(v_event, 'success', jsonb_build_object('role', add_project_member.role),
    subject_id => add_project_member.user_id, organisation_id => v_org,
    entity_type => 'project', entity_id => add_project_member.project_id::text);
  return row(true, null, null, null)::app_public.outcome;
end;
$$;
comment on function app_public.add_project_member(uuid, uuid, text) is
  'Adds a member of the organisation to a project, as owner or member (project owners only).';
grant execute on function app_public.add_project_member(uuid, uuid, text) to app_authenticated;
