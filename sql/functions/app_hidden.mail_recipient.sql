/* Definer: reads app_public.users, on which app_worker holds no right. */
create or replace function app_hidden.mail_recipient(user_id uuid)
returns table (email text, username text, display_name text)
language sql stable security definer
set search_path to pg_catalog, pg_temp as $$
  select u.email::text, u.username::text, u.display_name
  from app_public.users u
  where u.id = mail_recipient.user_id and u.deleted_at is null
$$;
comment on function app_hidden.mail_recipient(uuid) is 'Where the worker sends an account''s notifications; no row once it is deleted.';
grant execute on function app_hidden.mail_recipient(uuid) to app_worker;
