/*
 * Global audit:read reads every event; audit:read in an organisation reads the events of that organisation.
 * Definer: not needed by its callers today (app_authenticated, definer functions); kept so this gate to audit.events
 * answers false, not an error, if a role without EXECUTE on app_hidden.user_has_permission ever calls it.
 */
create or replace function app_hidden.can_read_audit(organization_id uuid) returns boolean
language sql stable security definer
set search_path to pg_catalog, pg_temp as $$
  select app_hidden.user_has_permission(app_hidden.current_user_id(), 'audit:read', null)
      or (can_read_audit.organization_id is not null
          and app_hidden.user_has_permission(app_hidden.current_user_id(), 'audit:read', can_read_audit.organization_id))
$$;
comment on function app_hidden.can_read_audit(uuid) is 'Whether the caller may read the audit events of an organisation (null: all events).';
grant execute on function app_hidden.can_read_audit(uuid) to app_authenticated;
