/*
 * What the key worker should make: a system key when none is current or the current one is older than
 * keys.system_key_lifetime, spare user keys up to keys.spare_pool_size, and keys for accounts that have none (they
 * registered while the spare pool was empty: app_private.users_awaiting_key), a bounded batch at a time.
 * Definer: reads app_private.encryption_keys and users_awaiting_key, which no client role may read.
 */
create or replace function app_hidden.encryption_key_demand(batch integer default 100)
returns table (system_key_needed boolean, spare_keys_needed integer, users_without_key uuid[])
language sql stable security definer
set search_path to pg_catalog, pg_temp as $$
  select
    not exists (select 1 from app_private.encryption_keys k
                where k.purpose = 'system' and k.destroyed_at is null
                  and k.created_at > app_hidden.clock_now() - config.setting_interval('keys.system_key_lifetime')),
    greatest(0, config.setting_integer('keys.spare_pool_size')
                - (select count(*)::integer from app_private.encryption_keys k
                   where k.purpose = 'user' and k.user_id is null and k.destroyed_at is null)),
    array(select w.user_id from app_private.users_awaiting_key w
          order by w.since limit encryption_key_demand.batch)
$$;
comment on function app_hidden.encryption_key_demand(integer) is
  'How many keys the worker should make: a system key, spare user keys, keys for accounts that have none.';
grant execute on function app_hidden.encryption_key_demand(integer) to app_worker;
