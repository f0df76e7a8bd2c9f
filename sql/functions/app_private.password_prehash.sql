/*
 * bcrypt reads only 72 bytes. So that every character of a long password counts, what bcrypt sees is the base64 of
 * SHA-384 over the NFKC-normalised password (64 characters, no NUL bytes). Unkeyed on purpose: no key may live in the
 * database. The scheme is recorded beside each hash ('bcrypt-sha384'), so it can change without breaking old hashes.
 */
create or replace function app_private.password_prehash(password text) returns text
language sql immutable strict as $$
  select pg_catalog.encode(
    extensions.digest(pg_catalog.convert_to(normalize(password, NFKC), 'UTF8'), 'sha384'),
    'base64'
  )
$$;
comment on function app_private.password_prehash(text) is 'What bcrypt hashes: base64(SHA-384(NFKC(password))).';
