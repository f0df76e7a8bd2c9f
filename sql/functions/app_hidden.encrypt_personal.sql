/*
 * Encrypts personal data about a person with OpenPGP (pgcrypto): AES-256 for the data under a fresh session key, the
 * session key wrapped by the person's RSA public key. SQL needs no secret to write; only the gateway and worker,
 * holding the master key that unwraps private keys, can read. The message names its key (pgp_key_id), which is how
 * the reader finds the private key.
 *
 * A person without a key of their own yet (an account loaded in bulk, or made while the spare pool was empty) gets
 * the current system key this time, and is queued for a key of their own (users_awaiting_key, keys__replenish).
 * Returns null for null input, and null (the value is dropped, never kept in the clear) when no key at all exists.
 *
 * One ciphertext per transaction for the same value to the same key: a request usually encrypts the same address
 * and user agent several times for the same person (a login: its session and its audit event; a mutation: its
 * decision event and its row-change event), and the public-key operation is most of the cost of an audited write.
 * The last ciphertext is kept in a transaction-local setting with the key id and a SHA-256 digest of its value, and
 * given again when both match. Nothing secret is kept there: the ciphertext is what the row stores, the digest is of
 * a value the same transaction holds in the clear anyway (the request address is a setting too), and the setting is
 * gone at commit; it never reaches a table, the WAL or a backup. Any SQL of the transaction could overwrite it, as it
 * could the request address itself: a setting that does not name this key is ignored, and a ciphertext that is not a
 * message to this key is never given back (a value that is no OpenPGP message at all fails the statement).
 * Definer: reads app_private.encryption_keys and any account in app_public.users, writes users_awaiting_key and
 * queues a graphile_worker job; no client role may do these.
 */
create or replace function app_hidden.encrypt_personal(owner_id uuid, value text) returns bytea
language plpgsql volatile security definer
set search_path to pg_catalog, pg_temp as $$
declare
  v_key app_private.encryption_keys;
  v_digest text;
  v_last jsonb;
  v_ciphertext bytea;
begin
  if encrypt_personal.value is null then
    return null;
  end if;
  /* Their own key (one lookup by the unique user_id), else the newest system key (app_hidden.encryption_key_for). */
  select k.* into v_key from app_private.encryption_keys k
  where k.user_id = encrypt_personal.owner_id and k.destroyed_at is null;
  if not found then
    v_key := app_hidden.encryption_key_for(null);
    if v_key.public_key is null then
      return null;
    end if;
    if encrypt_personal.owner_id is not null
       and not exists (select 1 from app_private.users_awaiting_key w where w.user_id = encrypt_personal.owner_id)
       and exists (select 1 from app_public.users u where u.id = encrypt_personal.owner_id and u.erased_at is null) then
      insert into app_private.users_awaiting_key (user_id) values (encrypt_personal.owner_id) on conflict do nothing;
      perform graphile_worker.add_job('keys__replenish', '{}'::json, job_key => 'keys__replenish', job_key_mode => 'preserve_run_at');
    end if;
  end if;

  v_digest := encode(sha256(convert_to(encrypt_personal.value, 'UTF8')), 'hex');
  v_last := nullif(current_setting('gatehouse.last_personal_ciphertext', true), '')::jsonb;
  if v_last ->> 'key' = v_key.pgp_key_id and v_last ->> 'digest' = v_digest then
    v_ciphertext := decode(v_last ->> 'ciphertext', 'base64');
    if extensions.pgp_key_id(v_ciphertext) = v_key.pgp_key_id then
      return v_ciphertext;
    end if;
  end if;
  v_ciphertext := extensions.pgp_pub_encrypt(encrypt_personal.value, v_key.public_key, 'cipher-algo=aes256, compress-algo=0');
  perform set_config('gatehouse.last_personal_ciphertext',
    jsonb_build_object('key', v_key.pgp_key_id, 'digest', v_digest, 'ciphertext', encode(v_ciphertext, 'base64'))::text, true);
  return v_ciphertext;
end;
$$;
comment on function app_hidden.encrypt_personal(uuid, text) is
  'Personal data about a person, encrypted to their key (AES-256 data, RSA-wrapped session key); the same value to the same key gets the same ciphertext within a transaction.';
