/*
 * Gate for every change to a role, in order: signed in (LOGIN), the role exists where the caller can see it (NTFND),
 * it is not a system role (PERMS), the caller holds roles:manage in the organisation of the role (PERMS). Returns null,
 * or the audited refusal as the caller function result row (see app_private.refuse).
 * Definer: reads roles of organisations the caller may not see, to answer NTFND for them as for missing ones.
 */
create or replace function app_private.require_role_management(result anyelement, event_type text, role_id uuid)
returns anyelement
language plpgsql volatile security definer
set search_path to pg_catalog, pg_temp as $$
declare
  v_actor uuid := app_hidden.current_user_id();
  v_role app_public.roles;
begin
  if v_actor is null then
    return app_private.refuse(require_role_management.result, require_role_management.event_type, 'LOGIN',
      'You must log in first.');
  end if;
  select r.* into v_role from app_public.roles r where r.id = require_role_management.role_id;
  if v_role.id is null or (v_role.organization_id is not null and not app_hidden.is_member(v_actor, v_role.organization_id)
                           and not app_hidden.user_has_permission(v_actor, 'roles:manage', null)) then
    return app_private.refuse(require_role_management.result, require_role_management.event_type, 'NTFND',
      'There is no such role.', entity_type => 'role', entity_id => require_role_management.role_id::text);
  end if;
  if v_role.is_system then
    return app_private.refuse(require_role_management.result, require_role_management.event_type, 'PERMS',
      'System roles cannot be changed.', organisation_id => v_role.organization_id, entity_type => 'role',
      entity_id => require_role_management.role_id::text);
  end if;
  if not app_hidden.user_has_permission(v_actor, 'roles:manage', v_role.organization_id) then
    return app_private.refuse(require_role_management.result, require_role_management.event_type, 'PERMS',
      'You may not manage roles in this organisation.', organisation_id => v_role.organization_id, entity_type => 'role',
      entity_id => require_role_management.role_id::text);
  end if;
  return null;
end;
$$;
comment on function app_private.require_role_management(anyelement, text, uuid) is
  'Gate: null when the caller may change the role, else the audited refusal (LOGIN, NTFND or PERMS).';
