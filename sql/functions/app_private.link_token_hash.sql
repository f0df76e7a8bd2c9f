/*
 * The shape every link and refresh token must have before it is looked up: 20 to 200 characters. Returns the hash
 * to look it up by (app_private.token_hash), or null for anything else, which matches no row.
 */
create or replace function app_private.link_token_hash(token text) returns bytea
language sql immutable as $$
  select case when length(token) between 20 and 200 then app_private.token_hash(token) end
$$;
comment on function app_private.link_token_hash(text) is
  'The stored hash of a link or refresh token of a plausible shape (20 to 200 characters); null otherwise.';
