/*
 * You read and edit your own account, and nobody else's: other people see user_profiles. Only profile columns are
 * writable; status, verification, tier, metadata and the email address change through functions.
 */
alter table app_public.users enable row level security;

drop policy if exists select_self on app_public.users;
create policy select_self on app_public.users for select to app_authenticated
  using (id = (select app_hidden.current_user_id()));

drop policy if exists update_self on app_public.users;
create policy update_self on app_public.users for update to app_authenticated
  using (id = (select app_hidden.current_user_id()))
  with check (id = (select app_hidden.current_user_id()));

revoke all on app_public.users from public, authenticator, app_anonymous, app_authenticated, app_worker, app_analytics;
grant select on app_public.users to app_authenticated;
grant update (first_name, last_name, display_name, avatar_url, bio, timezone, language, preferences)
  on app_public.users to app_authenticated;
