/*
 * Gives a member a role in an organisation (roles:assign there), until expires_at if given; a global grant
 * (organization_id null) needs roles:assign globally. No escalation: the caller must hold every permission the role
 * carries. The role must be global or the organisation's own, and the user an active member.
 * Definer: writes app_public.user_roles, which clients may not write, after its own checks; audits.
 */
create or replace function app_public.assign_role(user_id uuid, role_id uuid, organization_id uuid default null,
  expires_at timestamptz default null) returns app_public.role_change
language plpgsql volatile security definer
set search_path to pg_catalog, pg_temp as $$
declare
  v_actor uuid := app_hidden.current_user_id();
  v_role app_public.roles;
  v_event constant text := 'role.assign';
  v_details jsonb := jsonb_build_object('user_id', assign_role.user_id, 'expires_at', assign_role.expires_at);
  v_base app_public.role_change := row(assign_role.role_id, null, null, null);
  v_refused app_public.role_change;
begin
  v_refused := app_private.require_permission(v_base, v_event, 'roles:assign', assign_role.organization_id,
    'You may not assign roles here.', 'role', assign_role.role_id::text, v_details);
  if v_refused.refusal_code is not null then return v_refused; end if;
  select r.* into v_role from app_public.roles r where r.id = assign_role.role_id;
  if v_role.id is null or (v_role.organization_id is not null and v_role.organization_id is distinct from assign_role.organization_id) then
    return app_private.refuse(v_base, v_event, 'NTFND', 'There is no such role here.', organisation_id => assign_role.organization_id,
      entity_type => 'role', entity_id => assign_role.role_id::text, details => v_details);
  end if;
  if assign_role.organization_id is not null and not app_hidden.is_member(assign_role.user_id, assign_role.organization_id) then
    return app_private.refuse(v_base, v_event, 'NTFND', 'That person is not a member here.',
      organisation_id => assign_role.organization_id,
      entity_type => 'role', entity_id => assign_role.role_id::text, details => v_details);
  end if;
  if not app_hidden.holds_role_permissions(v_actor, v_role.id, assign_role.organization_id) then
    return app_private.refuse(v_base, v_event, 'PERMS',
      format('You cannot give the role %s: it has permissions you do not hold.', v_role.name),
      organisation_id => assign_role.organization_id,
      entity_type => 'role', entity_id => assign_role.role_id::text, details => v_details);
  end if;
  if assign_role.expires_at is not null and assign_role.expires_at <= app_hidden.clock_now() then
    raise exception 'The expiry must be in the future.' using errcode = 'INVAL', hint = 'Give a later time, or none.';
  end if;

  insert into app_public.user_roles (user_id, role_id, organization_id, assigned_by, expires_at)
  values (assign_role.user_id, v_role.id, assign_role.organization_id, v_actor, assign_role.expires_at)
  on conflict on constraint user_roles_user_id_role_id_organization_id_key do update
    set assigned_by = excluded.assigned_by, assigned_at = app_hidden.clock_now(), expires_at = excluded.expires_at;
  perform audit.record_event(v_event, 'success', v_details, subject_id => assign_role.user_id,
    organisation_id => assign_role.organization_id, entity_type => 'role', entity_id => v_role.id::text);
  return row(v_role.id, null, null, null)::app_public.role_change;
end;
$$;
comment on function app_public.assign_role(uuid, uuid, uuid, timestamptz) is
  'Gives a member a role in an organisation, optionally until a time (roles:assign). You can only give roles whose permissions you hold.';
grant execute on function app_public.assign_role(uuid, uuid, uuid, timestamptz) to app_anonymous;
