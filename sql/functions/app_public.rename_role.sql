create or replace function app_public.rename_role(role_id uuid, name text, description text default null)
returns app_public.role_change
language plpgsql volatile security definer
set search_path to pg_catalog, extensions, pg_temp as $$
declare
  v_refusal text[] := app_private.role_management_refusal(app_hidden.current_user_id(), rename_role.role_id, 'role.rename');
  v_role app_public.roles;
begin
  if v_refusal is not null then
    return row(rename_role.role_id, v_refusal[1], v_refusal[2], null)::app_public.role_change;
  end if;
  if name is null or length(name) not between 1 and 60 or name !~ '^[a-z][a-z0-9_]*$' then
    raise exception 'A role''s name has 1 to 60 lower-case letters, digits or underscores, starting with a letter.'
      using errcode = 'INVAL', hint = 'Choose another name.';
  end if;
  select r.* into v_role from app_public.roles r where r.id = rename_role.role_id;
  if exists (select 1 from app_public.roles r
             where r.id <> v_role.id and (r.organization_id = v_role.organization_id or r.organization_id is null)
               and r.name = rename_role.name) then
    return row(v_role.id, 'TAKEN', app_private.refuse('role.rename', 'TAKEN', 'There is already a role with that name.',
      'role', v_role.id::text), null)::app_public.role_change;
  end if;
  update app_public.roles r
     set name = rename_role.name, description = coalesce(left(rename_role.description, 500), r.description)
   where r.id = v_role.id;
  perform audit.record_event('role.rename', 'success', jsonb_build_object('old', v_role.name, 'new', rename_role.name),
    organisation_id => v_role.organization_id, entity_type => 'role', entity_id => v_role.id::text);
  return row(v_role.id, null, null, null)::app_public.role_change;
end;
$$;
comment on function app_public.rename_role(uuid, text, text) is 'Renames an organisation''s role and optionally changes its description (roles:manage).';
grant execute on function app_public.rename_role(uuid, text, text) to app_anonymous;
