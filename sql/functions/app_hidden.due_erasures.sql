/*
 * Accounts whose erasure is due and not done: deleted past their grace period, or past retention_until, and not
 * restricted. The daily
 * users__erase_due job queues users__erase for each (a deletion queues its own job; this catches what a lost job or
 * a retention date leaves).
 * Definer: reads app_public.users, on which app_worker holds no right.
 */
create or replace function app_hidden.due_erasures(batch integer default 1000) returns setof uuid
language sql stable security definer
set search_path to pg_catalog, pg_temp as $$
  (select u.id from app_public.users u
    where u.erased_at is null and u.processing_restricted_at is null
      and u.status = 'deleted' and u.erasure_due_at <= app_hidden.clock_now()
    limit due_erasures.batch)
  union
  (select u.id from app_public.users u
    where u.erased_at is null and u.processing_restricted_at is null
      and u.retention_until <= (app_hidden.clock_now() at time zone 'UTC')::date
    limit due_erasures.batch)
$$;
comment on function app_hidden.due_erasures(integer) is 'Accounts due for erasure (grace period over, or retention date passed).';
grant execute on function app_hidden.due_erasures(integer) to app_worker;
