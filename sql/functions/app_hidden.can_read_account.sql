/*
 * Who may read an account's fields: its owner; holders of users:read in an organisation the account is an active
 * member of; holders of users:read globally.
 * Definer: must see every active membership of the account (the organisations users:read is about), not only those
 * RLS shows the caller (members:read).
 */
create or replace function app_hidden.can_read_account(user_id uuid) returns boolean
language sql stable security definer
set search_path to pg_catalog, pg_temp as $$
  select can_read_account.user_id = app_hidden.current_user_id()
      or app_hidden.user_has_permission(app_hidden.current_user_id(), 'users:read', null)
      or exists (
        select 1 from app_public.memberships m
        where m.user_id = can_read_account.user_id and m.status = 'active'
          and app_hidden.user_has_permission(app_hidden.current_user_id(), 'users:read', m.organization_id)
      )
$$;
comment on function app_hidden.can_read_account(uuid) is 'Whether the caller may read the account fields of a user.';
grant execute on function app_hidden.can_read_account(uuid) to app_authenticated;
