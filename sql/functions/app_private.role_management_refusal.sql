/*
 * The checks every change to a role starts with, in order: logged in (LOGIN), the role exists where the caller can see
 * it (NTFND), it is not a system role (PERMS), the caller holds roles:manage in its organisation (PERMS). Returns
 * null, or {code, message} after auditing the refusal.
 */
create or replace function app_private.role_management_refusal(actor uuid, role_id uuid, event_type text)
returns text[]
language plpgsql volatile security definer
set search_path to pg_catalog, pg_temp as $$
declare
  v_role app_public.roles;
begin
  if actor is null then
    return array['LOGIN', app_private.refuse(event_type, 'LOGIN', 'You must log in first.')];
  end if;
  select r.* into v_role from app_public.roles r where r.id = role_management_refusal.role_id;
  if v_role.id is null or (v_role.organization_id is not null and not app_hidden.is_member(actor, v_role.organization_id)
                           and not app_hidden.user_has_permission(actor, 'roles:manage', null)) then
    return array['NTFND', app_private.refuse(event_type, 'NTFND', 'There is no such role.', 'role', role_id::text)];
  end if;
  if v_role.is_system then
    return array['PERMS', app_private.refuse(event_type, 'PERMS', 'System roles cannot be changed.', 'role', role_id::text)];
  end if;
  if not app_hidden.user_has_permission(actor, 'roles:manage', v_role.organization_id) then
    return array['PERMS', app_private.refuse(event_type, 'PERMS', 'You may not manage roles in this organisation.',
      'role', role_id::text)];
  end if;
  return null;
end;
$$;
comment on function app_private.role_management_refusal(uuid, uuid, text) is
  'Checks that the caller may change a role; returns null or the audited refusal {code, message}.';
