/*
 * Called by the worker with the hash of the token it has just minted for a verification request. Returns where to
 * send it, or no row when the request is used, the account gone, or its address changed since (nothing to send).
 * Calling it again for the same request replaces the token: a retried job sends a fresh one.
 * Definer: writes app_private.email_verifications and reads app_public.users, on which app_worker holds no right.
 */
create or replace function app_hidden.issue_verification_token(verification_id uuid, token_hash bytea)
returns table (email text, username text, display_name text, expires_at timestamptz)
language plpgsql volatile security definer
set search_path to pg_catalog, pg_temp as $$
begin
  return query
  update app_private.email_verifications v
     set token_hash = issue_verification_token.token_hash,
         token_expires_at = app_hidden.clock_now() + config.setting_interval('auth.verification_token_ttl')
    from app_public.users u
   where v.id = issue_verification_token.verification_id
     and v.used_at is null
     and u.id = v.user_id
     and u.email = v.email
     and not u.email_verified
     and u.deleted_at is null
  returning u.email::text, u.username::text, u.display_name, v.token_expires_at;
end;
$$;
comment on function app_hidden.issue_verification_token(uuid, bytea) is
  'Stores the hash of a verification token minted by the worker and says where to mail it.';
grant execute on function app_hidden.issue_verification_token(uuid, bytea) to app_worker;
