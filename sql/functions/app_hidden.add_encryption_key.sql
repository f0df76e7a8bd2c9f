/*
 * Records the public half of a key pair the worker made (its private half is already wrapped in the key store):
 * a spare user key (user_id null, handed to the next new account), a key for a named account that has none, or a
 * new system key (which becomes the current one). Idempotent on key_id; an account that has a key meanwhile, or was
 * erased, is not given another.
 * Definer: writes app_private.encryption_keys and users_awaiting_key, and reads app_public.users; app_worker may not.
 */
create or replace function app_hidden.add_encryption_key(
  key_id uuid, pgp_key_id text, public_key bytea, purpose text, user_id uuid default null
) returns boolean
language plpgsql volatile security definer
set search_path to pg_catalog, pg_temp as $$
begin
  if add_encryption_key.user_id is not null then
    delete from app_private.users_awaiting_key w where w.user_id = add_encryption_key.user_id;
    if app_hidden.user_key_assigned(add_encryption_key.user_id)
       or not exists (select 1 from app_public.users u where u.id = add_encryption_key.user_id and u.erased_at is null) then
      return false;
    end if;
  end if;
  insert into app_private.encryption_keys (key_id, pgp_key_id, public_key, purpose, user_id, assigned_at)
  values (add_encryption_key.key_id, add_encryption_key.pgp_key_id, add_encryption_key.public_key,
          add_encryption_key.purpose, add_encryption_key.user_id,
          case when add_encryption_key.user_id is not null then app_hidden.clock_now() end)
  on conflict on constraint encryption_keys_pkey do nothing;
  return found;
end;
$$;
comment on function app_hidden.add_encryption_key(uuid, text, bytea, text, uuid) is
  'Records the public half of a key pair whose private half the worker has wrapped into the key store.';
grant execute on function app_hidden.add_encryption_key(uuid, text, bytea, text, uuid) to app_worker;
