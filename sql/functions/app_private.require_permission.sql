/*
 * Gate: the caller must be signed in (LOGIN) and hold `permission` in the target organisation (PERMS; a null
 * organisation means a global grant, which platform administrators hold). A PERMS refusal is audited in the target
 * organisation trail, where its auditors see who tried what (app_private.refuse). Returns null when both hold, else the
 * audited refusal as the caller function result row (see app_private.refuse); subject_id, entity_type, entity_id
 * and details describe the target in the audit row of a PERMS refusal. Use:
 *   v_refused := app_private.require_permission(null::app_public.role_change, v_event, 'roles:assign', v_org,
 *     'You may not assign roles here.', 'role', role_id::text);
 *   if v_refused.refusal_code is not null then return v_refused; end if;
 * Definer: reads every role grant of the caller (app_private.role_ancestors) and audits through app_private.refuse.
 */
create or replace function app_private.require_permission(
  result anyelement,
  event_type text,
  permission text,
  organization_id uuid,
  message text,
  entity_type text default null,
  entity_id text default null,
  details jsonb default '{}',
  subject_id uuid default null,
  login_message text default 'You must log in first.'
) returns anyelement
language plpgsql volatile security definer
set search_path to pg_catalog, pg_temp as $$
declare
  v_actor uuid := app_hidden.current_user_id();
begin
  if v_actor is null then
    return app_private.refuse(require_permission.result, require_permission.event_type, 'LOGIN',
      require_permission.login_message);
  end if;
  if not app_hidden.user_has_permission(v_actor, require_permission.permission, require_permission.organization_id) then
    return app_private.refuse(require_permission.result, require_permission.event_type, 'PERMS',
      require_permission.message, subject_id => require_permission.subject_id,
      organisation_id => require_permission.organization_id,
      entity_type => require_permission.entity_type, entity_id => require_permission.entity_id,
      details => require_permission.details);
  end if;
  return null;
end;
$$;
comment on function app_private.require_permission(anyelement, text, text, uuid, text, text, text, jsonb, uuid, text) is
  'Gate: null when the caller is signed in and holds the permission in the organisation, else the audited refusal.';
