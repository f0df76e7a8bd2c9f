/* Definer: must see the memberships of any user, not only the rows RLS shows the caller (own, or with members:read). */
create or replace function app_hidden.is_member(user_id uuid, organization_id uuid) returns boolean
language sql stable security definer
set search_path to pg_catalog, pg_temp as $$
  select exists (
    select 1 from app_public.memberships m
    where m.user_id = is_member.user_id and m.organization_id = is_member.organization_id and m.status = 'active'
  )
$$;
comment on function app_hidden.is_member(uuid, uuid) is 'Whether a user is an active member of an organisation.';
grant execute on function app_hidden.is_member(uuid, uuid) to app_authenticated;
