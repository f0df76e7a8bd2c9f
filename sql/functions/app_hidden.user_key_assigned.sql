/*
 * Whether the person has a live key of their own (profile data such as the phone number is stored only under it).
 * Definer: reads app_private.encryption_keys, which no client role may read.
 */
create or replace function app_hidden.user_key_assigned(user_id uuid) returns boolean
language sql stable security definer
set search_path to pg_catalog, pg_temp as $$
  select exists (select 1 from app_private.encryption_keys k
                 where k.user_id = user_key_assigned.user_id and k.destroyed_at is null)
$$;
comment on function app_hidden.user_key_assigned(uuid) is 'Whether the person has a live encryption key of their own.';
