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

/*
 * A global users:read holder reads every account: can_read_account says so too, but for each row, with several
 * nested statements per call. The global check first, as an InitPlan, runs once per statement, and an OR stops at
 * its first true arm, so for a global reader no row reaches the per-row check. (Within one expression the arms keep
 * their order; separate permissive policies are combined in an order the planner does not promise.)
 */
drop policy if exists select_user_reader on app_public.users;
create policy select_user_reader on app_public.users for select to app_authenticated
  using ((select app_hidden.user_has_permission((select app_hidden.current_user_id()), 'users:read', null))
         or app_hidden.can_read_account(id));

drop policy if exists update_self on app_public.users;
create policy update_self on app_public.users for update to app_authenticated
  using (id = (select app_hidden.current_user_id()))
  with check (id = (select app_hidden.current_user_id()));

revoke all on app_public.users from public, authenticator, app_anonymous, app_authenticated, app_worker, app_analytics;
grant select on app_public.users to app_authenticated;
grant update (first_name, last_name, display_name, avatar_url, bio, timezone, language, preferences)
  on app_public.users to app_authenticated;
