--! Previous: sha1:1339b912b8899da139a38755eac16185a958c7da
--! Hash: sha1:bbf57091a9c8bc7240ca1bda963665fe67a2b14c
--! Message: account-readers-fix

-- Fix found by the leak probe: holders of users:read without members:read could not see the members whose accounts
-- they may read, because the users policy looked memberships up under the caller's own row-level security.

--! Included functions/app_hidden.can_read_account.sql
/*
 * Who may read an account's fields: its owner; holders of users:read in an organisation the account is an active
 * member of; holders of users:read globally. Security definer, so that the caller's own view of memberships (which
 * needs members:read) does not hide the organisations that users:read is about.
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
--! EndIncluded functions/app_hidden.can_read_account.sql
--! Included policies/app_public.users.sql
/*
 * You read and edit your own account. Holders of users:read in an organisation read the accounts of its active members
 * (a global users:read, super_admin's, reads every account); everyone else sees only user_profiles. Security state
 * and secrets are in app_private, never here. Only profile columns are writable; status, verification, tier, metadata
 * and the email address change through functions.
 */
alter table app_public.users enable row level security;

drop policy if exists select_self on app_public.users;
create policy select_self on app_public.users for select to app_authenticated
  using (id = (select app_hidden.current_user_id()));

drop policy if exists select_user_reader on app_public.users;
create policy select_user_reader on app_public.users for select to app_authenticated
  using (app_hidden.can_read_account(id));

drop policy if exists update_self on app_public.users;
create policy update_self on app_public.users for update to app_authenticated
  using (id = (select app_hidden.current_user_id()))
  with check (id = (select app_hidden.current_user_id()));

revoke all on app_public.users from public, authenticator, app_anonymous, app_authenticated, app_worker, app_analytics;
grant select on app_public.users to app_authenticated;
grant update (first_name, last_name, display_name, avatar_url, bio, timezone, language, preferences)
  on app_public.users to app_authenticated;
--! EndIncluded policies/app_public.users.sql
