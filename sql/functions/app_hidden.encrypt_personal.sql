/*
 * Encrypts personal data about a person with OpenPGP (pgcrypto): AES-256 for the data under a fresh session key, the
 * session key wrapped by the person's RSA public key. SQL needs no secret to write; only the gateway and worker,
 * holding the master key that unwraps private keys, can read. The message names its key (pgp_key_id), which is how
 * the reader finds the private key. Returns null for null input, and null (the value is dropped, never kept in the
 * clear) when no key at all is provisioned.
 */
create or replace function app_hidden.encrypt_personal(owner_id uuid, value text) returns bytea
language sql volatile security definer
set search_path to pg_catalog, pg_temp as $$
  select extensions.pgp_pub_encrypt(encrypt_personal.value, (app_hidden.encryption_key_for(encrypt_personal.owner_id)).public_key,
                                    'cipher-algo=aes256, compress-algo=0')
  where encrypt_personal.value is not null
    and (app_hidden.encryption_key_for(encrypt_personal.owner_id)).public_key is not null
$$;
comment on function app_hidden.encrypt_personal(uuid, text) is
  'Personal data about a person, encrypted to their key (AES-256 data, RSA-wrapped session key).';
