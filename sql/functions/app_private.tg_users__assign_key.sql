/*
 * A new account takes a spare key from the pool the worker keeps filled (SKIP LOCKED: concurrent registrations never
 * wait on each other). With the pool empty it waits in users_awaiting_key, and events about it are encrypted to the
 * system key until the worker has made its key. Either way, when the pool runs below half, the worker is asked to
 * refill it (one queued job however many registrations ask).
 * Definer: takes a key from app_private.encryption_keys and writes users_awaiting_key, whichever role inserts the row.
 */
create or replace function app_private.tg_users__assign_key() returns trigger
language plpgsql security definer
set search_path to pg_catalog, pg_temp as $$
declare
  v_key_id uuid;
  v_spare integer;
begin
  update app_private.encryption_keys k set user_id = new.id, assigned_at = app_hidden.clock_now()
   where k.key_id = (select s.key_id from app_private.encryption_keys s
                     where s.purpose = 'user' and s.user_id is null and s.destroyed_at is null
                     order by s.created_at limit 1 for update skip locked)
  returning k.key_id into v_key_id;
  if v_key_id is null then
    insert into app_private.users_awaiting_key (user_id) values (new.id) on conflict do nothing;
  end if;
  select count(*) into v_spare from (
    select 1 from app_private.encryption_keys s
     where s.purpose = 'user' and s.user_id is null and s.destroyed_at is null
     limit config.setting_integer('keys.spare_pool_size') / 2 + 1) spare;
  if v_key_id is null or v_spare <= config.setting_integer('keys.spare_pool_size') / 2 then
    perform graphile_worker.add_job('keys__replenish', '{}'::json, job_key => 'keys__replenish', job_key_mode => 'preserve_run_at');
  end if;
  return null;
end;
$$;
comment on function app_private.tg_users__assign_key() is
  'Gives a new account a spare encryption key, or queues it for one; asks the worker to refill the spare pool.';
