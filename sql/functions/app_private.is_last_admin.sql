/*
 * Whether the user is the only active member of the organisation holding org_admin: they must not leave or lose it.
 * Definer: must count every org_admin grant and active membership of the organisation, not only those RLS shows
 * the caller; definer like every function on app_private, so it stays safe whoever calls it.
 */
create or replace function app_private.is_last_admin(organization_id uuid, user_id uuid) returns boolean
language sql stable security definer
set search_path to pg_catalog, pg_temp as $$
  with admins as (
    select distinct ur.user_id
    from app_public.user_roles ur
    join app_public.roles r on r.id = ur.role_id and r.name = 'org_admin' and r.is_system
    join app_public.memberships m on m.organization_id = ur.organization_id and m.user_id = ur.user_id and m.status = 'active'
    where ur.organization_id = is_last_admin.organization_id
      and (ur.expires_at is null or ur.expires_at > app_hidden.clock_now())
  )
  select exists (select 1 from admins a where a.user_id = is_last_admin.user_id)
     and not exists (select 1 from admins a where a.user_id <> is_last_admin.user_id)
$$;
comment on function app_private.is_last_admin(uuid, uuid) is 'Whether the user is the last org_admin of the organisation.';
