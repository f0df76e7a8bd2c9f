create or replace function app_public.delete_role(role_id uuid) returns app_public.role_change
language plpgsql volatile security definer
set search_path to pg_catalog, pg_temp as $$
declare
  v_refusal text[] := app_private.role_management_refusal(app_hidden.current_user_id(), delete_role.role_id, 'role.delete');
begin
  if v_refusal is not null then
    return row(delete_role.role_id, v_refusal[1], v_refusal[2], null)::app_public.role_change;
  end if;
  delete from app_public.roles r where r.id = delete_role.role_id;
  perform audit.record_event('role.delete', 'success', entity_type => 'role', entity_id => delete_role.role_id::text);
  return row(delete_role.role_id, null, null, null)::app_public.role_change;
end;
$$;
comment on function app_public.delete_role(uuid) is 'Deletes an organisation''s role; its holders lose what it gave them (roles:manage).';
grant execute on function app_public.delete_role(uuid) to app_anonymous;
