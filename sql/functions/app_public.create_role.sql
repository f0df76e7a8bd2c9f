create or replace function app_public.create_role(organization_id uuid, name text, description text default '')
returns app_public.role_change
language plpgsql volatile security definer
set search_path to pg_catalog, extensions, pg_temp as $$
declare
  v_actor uuid := app_hidden.current_user_id();
  v_id uuid;
begin
  if v_actor is null then
    return row(null, 'LOGIN', app_private.refuse('role.create', 'LOGIN', 'You must log in first.'), null)::app_public.role_change;
  end if;
  if not app_hidden.user_has_permission(v_actor, 'roles:manage', create_role.organization_id)
     or create_role.organization_id is null then
    return row(null, 'PERMS', app_private.refuse('role.create', 'PERMS', 'You may not manage roles in this organisation.',
      'organization', create_role.organization_id::text), null)::app_public.role_change;
  end if;
  if name is null or length(name) not between 1 and 60 or name !~ '^[a-z][a-z0-9_]*$' then
    raise exception 'A role''s name has 1 to 60 lower-case letters, digits or underscores, starting with a letter.'
      using errcode = 'INVAL', hint = 'Choose another name.';
  end if;
  if exists (select 1 from app_public.roles r
             where (r.organization_id = create_role.organization_id or r.organization_id is null) and r.name = create_role.name) then
    return row(null, 'TAKEN', app_private.refuse('role.create', 'TAKEN', 'There is already a role with that name.',
      'organization', create_role.organization_id::text), null)::app_public.role_change;
  end if;
  insert into app_public.roles (organization_id, name, description)
  values (create_role.organization_id, create_role.name, coalesce(left(create_role.description, 500), ''))
  returning id into v_id;
  perform audit.record_event('role.create', 'success', jsonb_build_object('name', create_role.name),
    organisation_id => create_role.organization_id, entity_type => 'role', entity_id => v_id::text);
  return row(v_id, null, null, null)::app_public.role_change;
end;
$$;
comment on function app_public.create_role(uuid, text, text) is 'Creates a role in an organisation (roles:manage).';
grant execute on function app_public.create_role(uuid, text, text) to app_anonymous;
