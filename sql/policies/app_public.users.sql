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
