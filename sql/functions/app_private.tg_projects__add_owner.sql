/*
 * Whoever creates a project owns it.
 * Definer: fires as the creating user, who may not insert into app_public.project_members nor write the audit trail.
 */
create or replace function app_private.tg_projects__add_owner() returns trigger
language plpgsql security definer
set search_path to pg_catalog, pg_temp as $$
begin
  if new.created_by is not null then
    insert into app_public.project_members (project_id, user_id, role) values (new.id, new.created_by, 'owner');
  end if;
  perform audit.record_event('project.create', 'success', jsonb_build_object('name', new.name, 'visibility', new.visibility),
    organisation_id => new.organization_id, entity_type => 'project', entity_id => new.id::text);
  return null;
end;
$$;
comment on function app_private.tg_projects__add_owner() is 'Makes the creator of a project its owner, and audits the creation.';
