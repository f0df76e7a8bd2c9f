/*
 * The public key that personal data about a person is encrypted to: their own key while they have one, otherwise
 * (no person, a person whose key is not assigned yet, an erased person) the newest system key. Public keys only: the
 * private halves live in the key store, never in this database.
 * Definer: reads app_private.encryption_keys, which no client role may read; definer like every function on
 * app_private, so it stays safe whoever calls it.
 */
create or replace function app_hidden.encryption_key_for(owner_id uuid) returns app_private.encryption_keys
language sql stable security definer
set search_path to pg_catalog, pg_temp as $$
  select k from (
    (select k, 1 as rank from app_private.encryption_keys k
      where k.user_id = encryption_key_for.owner_id and k.destroyed_at is null)
    union all
    (select k, 2 from app_private.encryption_keys k
      where k.purpose = 'system' and k.destroyed_at is null
      order by k.created_at desc limit 1)
  ) found
  order by found.rank
  limit 1
$$;
comment on function app_hidden.encryption_key_for(uuid) is
  'The key personal data about a person is encrypted to: theirs, or the current system key when they have none.';
