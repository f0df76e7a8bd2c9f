/* How an encrypted value travels in a JSON document the gateway decrypts: {"$encrypted": "<base64 OpenPGP message>"}. */
create or replace function app_hidden.encrypted_json(ciphertext bytea) returns jsonb
language sql immutable
set search_path to pg_catalog, pg_temp as $$
  select case when ciphertext is not null then jsonb_build_object('$encrypted', encode(ciphertext, 'base64')) end
$$;
comment on function app_hidden.encrypted_json(bytea) is 'An encrypted value as a JSON marker for the gateway to decrypt.';
