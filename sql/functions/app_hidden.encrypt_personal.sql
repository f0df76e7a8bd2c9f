/*
 * Encrypts personal data about a person with OpenPGP (pgcrypto): AES-256 for the data under a fresh session key, the
 * session key wrapped by the person's RSA public key. SQL needs no secret to write; only the gateway and worker,
 * holding the master key that unwraps private keys, can read. The message names its key (pgp_key_id), which is how
 * the reader finds the private key.
 *
 * A person without a key of their own yet (an account loaded in bulk, or made while the spare pool was empty) gets
 * the current system key this time, and is queued for a key of their own (users_awaiting_key, keys__replenish).
 * Returns null for null input, and null (the value is dropped, never kept in the clear) when no key at all exists.
 * Definer: reads app_private.encryption_keys and any account in app_public.users, writes users_awaiting_key and
 * queues a graphile_worker job; no client role may do these.
 */
create or replace function app_hidden.encrypt_personal(owner_id uuid, value text) returns bytea
language plpgsql volatile security definer
set search_path to pg_catalog, pg_temp as $$
declare
  v_key app_private.encryption_keys;
begin
  if encrypt_personal.value is null then
    return null;
  end if;
  v_key := app_hidden.encryption_key_for(encrypt_personal.owner_id);
  if v_key.public_key is null then
    return null;
  end if;
  if encrypt_personal.owner_id is not null and v_key.purpose = 'system'
     and not exists (select 1 from app_private.users_awaiting_key w where w.user_id = encrypt_personal.owner_id)
     and exists (select 1 from app_public.users u where u.id = encrypt_personal.owner_id and u.erased_at is null) then
    insert into app_private.users_awaiting_key (user_id) values (encrypt_personal.owner_id) on conflict do nothing;
    perform graphile_worker.add_job('keys__replenish', '{}'::json, job_key => 'keys__replenish', job_key_mode => 'preserve_run_at');
  end if;
  return extensions.pgp_pub_encrypt(encrypt_personal.value, v_key.public_key, 'cipher-algo=aes256, compress-algo=0');
end;
$$;
comment on function app_hidden.encrypt_personal(uuid, text) is
  'Personal data about a person, encrypted to their key (AES-256 data, RSA-wrapped session key).';
