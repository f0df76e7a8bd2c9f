/* Definer: writes app_public.roles, which clients may not write, after checking roles:manage. */
create or replace function app_public.create_role(organization_id uuid, name text, description text default '')
returns app_public.role_change
language plpgsql volatile security definer
set search_path to pg_catalog, extensions, pg_temp as $$
declare
  v_id uuid;
  v_event constant text := 'role.create';
  v_refused app_public.role_change;
begin
  /* Only organisations have roles of their own: a null organisation is refused like a missing permission. */
  v_refused := app_private.require_permission(null::app_public.role_change, v_event, 'roles:manage',
    create_role.organization_id, 'You may not manage roles in this organisation.',
    'organization', create_role.organization_id::text);
  if v_refused.refusal_code is not null then return v_refused; end if;
  if create_role.organization_id is null then
    return app_private.refuse(null::app_public.role_change, v_event, 'PERMS', 'You may not manage roles in this organisation.',
      entity_type => 'organization');
  end if;
  if name is null or length(name) not between 1 and 60 or name !~ '^[a-z][a-z0-9_]*$' then
    raise exception 'A role''s name has 1 to 60 lower-case letters, digits or underscores, starting with a letter.'
      using errcode = 'INVAL', hint = 'Choose another name.';
  end if;
  if exists (select 1 from app_public.roles r
             where (r.organization_id = create_role.organization_id or r.organization_id is null) and r.name = create_role.name) then
    return app_private.refuse(null::app_public.role_change, v_event, 'TAKEN', 'There is already a role with that name.',
      entity_type => 'organization', entity_id => create_role.organization_id::text);
  end if;
  insert into app_public.roles (organization_id, name, description)
  values (create_role.organization_id, create_role.name, coalesce(left(create_role.description, 500), ''))
  returning id into v_id;
  perform audit.record_event(v_event, 'success', jsonb_build_object('name', create_role.name),
    organisation_id => create_role.organization_id, entity_type => 'role', entity_id => v_id::text);
  return row(v_id, null, null, null)::app_public.role_change;
end;
$$;
comment on function app_public.create_role(uuid, text, text) is 'Creates a role in an organisation (roles:manage).';
grant execute on function app_public.create_role(uuid, text, text) to app_anonymous;
