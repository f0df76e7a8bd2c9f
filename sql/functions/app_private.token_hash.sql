create or replace function app_private.token_hash(token text) returns bytea
language sql immutable strict as $$
  select extensions.digest(token, 'sha256')
$$;
comment on function app_private.token_hash(text) is 'How tokens are stored: SHA-256 of the token text.';
