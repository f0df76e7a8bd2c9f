/*
 * For `npm run create-admin` (run by the owner): makes a verified account a global super_admin, audited.
 * Definer: writes app_public.user_roles and audit.events, which no client role may write; only the owner runs it
 * today (no role holds EXECUTE), kept definer like every function on app_private.
 */
create or replace function app_private.make_super_admin(email text) returns uuid
language plpgsql volatile security definer
set search_path to pg_catalog, extensions, pg_temp as $$
declare
  v_user_id uuid;
begin
  select u.id into v_user_id from app_public.users u
  where u.email = make_super_admin.email::citext and u.deleted_at is null and u.email_verified;
  if v_user_id is null then
    raise exception 'There is no verified account with the address %.', email
      using errcode = 'NTFND', hint = 'Register and verify the account first.';
  end if;
  insert into app_public.user_roles (user_id, role_id, organization_id)
  select v_user_id, r.id, null from app_public.roles r where r.name = 'super_admin' and r.is_system
  on conflict on constraint user_roles_user_id_role_id_organization_id_key do update set expires_at = null;
  perform audit.record_event('role.assign', 'success', jsonb_build_object('role', 'super_admin', 'via', 'create-admin'),
    subject_id => v_user_id, severity => 'notice', entity_type => 'user', entity_id => v_user_id::text);
  return v_user_id;
end;
$$;
comment on function app_private.make_super_admin(text) is 'Grants super_admin globally to a verified account (command line only).';
