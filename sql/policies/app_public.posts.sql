/* Author-owned: drafts are the author's alone, published posts are read by anyone signed in; only the author writes. */
alter table app_public.posts enable row level security;

drop policy if exists select_published_or_own on app_public.posts;
create policy select_published_or_own on app_public.posts for select to app_authenticated
  using (status = 'published' or author_id = (select app_hidden.current_user_id()));

drop policy if exists insert_own_draft on app_public.posts;
create policy insert_own_draft on app_public.posts for insert to app_authenticated
  with check (author_id = (select app_hidden.current_user_id()) and status = 'draft');

drop policy if exists update_own on app_public.posts;
create policy update_own on app_public.posts for update to app_authenticated
  using (author_id = (select app_hidden.current_user_id()))
  with check (author_id = (select app_hidden.current_user_id()));

drop policy if exists delete_own on app_public.posts;
create policy delete_own on app_public.posts for delete to app_authenticated
  using (author_id = (select app_hidden.current_user_id()));

revoke all on app_public.posts from public, authenticator, app_anonymous, app_authenticated, app_worker, app_analytics;
grant select, delete on app_public.posts to app_authenticated;
grant insert (title, body) on app_public.posts to app_authenticated;
grant update (title, body) on app_public.posts to app_authenticated;
