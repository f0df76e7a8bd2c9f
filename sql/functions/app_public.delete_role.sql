/* Definer: deletes from app_public.roles, which clients may not write, after checking roles:manage. */
create or replace function app_public.delete_role(role_id uuid) returns app_public.role_change
language plpgsql volatile security definer
set search_path to pg_catalog, pg_temp as $$
declare
  v_event constant text := 'role.delete';
  v_refused app_public.role_change;
begin
  v_refused := app_private.require_role_management(row(delete_role.role_id, null, null, null)::app_public.role_change,
    v_event, delete_role.role_id);
  if v_refused.refusal_code is not null then return v_refused; end if;
  delete from app_public.roles r where r.id = delete_role.role_id;
  perform audit.record_event(v_event, 'success', entity_type => 'role', entity_id => delete_role.role_id::text);
  return row(delete_role.role_id, null, null, null)::app_public.role_change;
end;
$$;
comment on function app_public.delete_role(uuid) is 'Deletes an organisation''s role; its holders lose what it gave them (roles:manage).';
grant execute on function app_public.delete_role(uuid) to app_anonymous;
