/* Definer: updates app_public.roles, which clients may not write, after checking roles:manage. */
create or replace function app_public.rename_role(role_id uuid, name text, description text default null)
returns app_public.role_change
language plpgsql volatile security definer
set search_path to pg_catalog, extensions, pg_temp as $$
declare
  v_event constant text := 'role.rename';
  v_refused app_public.role_change;
  v_role app_public.roles;
begin
  v_refused := app_private.require_role_management(row(rename_role.role_id, null, null, null)::app_public.role_change,
    v_event, rename_role.role_id);
  if v_refused.refusal_code is not null then return v_refused; end if;
  if name is null or length(name) not between 1 and 60 or name !~ '^[a-z][a-z0-9_]*$' then
    raise exception 'A role''s name has 1 to 60 lower-case letters, digits or underscores, starting with a letter.'
      using errcode = 'INVAL', hint = 'Choose another name.';
  end if;
  select r.* into v_role from app_public.roles r where r.id = rename_role.role_id;
  if exists (select 1 from app_public.roles r
             where r.id <> v_role.id and (r.organization_id = v_role.organization_id or r.organization_id is null)
               and r.name = rename_role.name) then
    return app_private.refuse(row(v_role.id, null, null, null)::app_public.role_change, v_event, 'TAKEN',
      'There is already a role with that name.', entity_type => 'role', entity_id => v_role.id::text);
  end if;
  update app_public.roles r
     set name = rename_role.name, description = coalesce(left(rename_role.description, 500), r.description)
   where r.id = v_role.id;
  perform audit.record_event(v_event, 'success', jsonb_build_object('old', v_role.name, 'new', rename_role.name),
    organisation_id => v_role.organization_id, entity_type => 'role', entity_id => v_role.id::text);
  return row(v_role.id, null, null, null)::app_public.role_change;
end;
$$;
comment on function app_public.rename_role(uuid, text, text) is 'Renames an organisation''s role and optionally changes its description (roles:manage).';
grant execute on function app_public.rename_role(uuid, text, text) to app_anonymous;
