/*
 * The blind index of a phone number: HMAC-SHA-256 under a key that never enters the database. The gateway computes it
 * for every E.164 number in a request and hands the results over in the transaction-local setting
 * `gatehouse.phone_lookups` (a JSON object from number to hex digest); SQL only looks the number up. A number the
 * gateway did not index is an error (NOKEY), never a silent fallback to the clear number.
 */
create or replace function app_hidden.phone_lookup(phone text) returns bytea
language plpgsql stable
set search_path to pg_catalog, pg_temp as $$
declare
  v_digest text := nullif(current_setting('gatehouse.phone_lookups', true), '')::jsonb ->> phone_lookup.phone;
begin
  if v_digest is null or v_digest !~ '^[0-9a-f]{64}$' then
    raise exception 'Phone numbers cannot be handled right now.' using errcode = 'NOKEY',
      hint = 'The gateway did not index this number; call through the API.';
  end if;
  return decode(v_digest, 'hex');
end;
$$;
comment on function app_hidden.phone_lookup(text) is
  'The blind index (keyed HMAC, computed by the gateway) of an E.164 phone number in the current request.';
