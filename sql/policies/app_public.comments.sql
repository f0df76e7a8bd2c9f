/* Comments are visible where their post is; anyone signed in comments on a published post; authors edit their own. */
alter table app_public.comments enable row level security;

drop policy if exists select_visible on app_public.comments;
create policy select_visible on app_public.comments for select to app_authenticated
  using (exists (select 1 from app_public.posts p where p.id = post_id));

drop policy if exists insert_on_published on app_public.comments;
create policy insert_on_published on app_public.comments for insert to app_authenticated
  with check (author_id = (select app_hidden.current_user_id())
              and exists (select 1 from app_public.posts p where p.id = post_id and p.status = 'published'));

drop policy if exists update_own on app_public.comments;
create policy update_own on app_public.comments for update to app_authenticated
  using (author_id = (select app_hidden.current_user_id()))
  with check (author_id = (select app_hidden.current_user_id()));

drop policy if exists delete_own on app_public.comments;
create policy delete_own on app_public.comments for delete to app_authenticated
  using (author_id = (select app_hidden.current_user_id()));

revoke all on app_public.comments from public, authenticator, app_anonymous, app_authenticated, app_worker, app_analytics;
grant select, delete on app_public.comments to app_authenticated;
grant insert (post_id, body) on app_public.comments to app_authenticated;
grant update (body) on app_public.comments to app_authenticated;
