create or replace function app_private.new_token() returns text
language sql volatile as $$
  select pg_catalog.translate(pg_catalog.encode(extensions.gen_random_bytes(32), 'base64'), '+/=', '-_')
$$;
comment on function app_private.new_token() is 'A new 256-bit random token, base64url without padding (43 characters).';
