/*
 * The pseudonym of an account in the analytics schema: HMAC-SHA-256 of its id under the key in
 * app_private.analytics_keys, in hex. Stable for as long as the key is, so reports can follow one account over time;
 * without the key nobody can go back from a pseudonym to the account, nor compute the pseudonym of a known account.
 * Definer: reads the key in app_private.analytics_keys, which only the owner may read.
 */
create or replace function app_private.analytics_pseudonym(user_id uuid) returns text
language sql stable strict security definer
set search_path to pg_catalog, extensions, pg_temp as $$
  select encode(extensions.hmac(convert_to(analytics_pseudonym.user_id::text, 'UTF8'), k.hmac_key, 'sha256'), 'hex')
  from app_private.analytics_keys k
$$;
comment on function app_private.analytics_pseudonym(uuid) is
  'HMAC-SHA-256 (hex) of an account id under the analytics key: the account as the analytics schema names it.';
