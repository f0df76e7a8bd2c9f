/*
 * Called by the worker with the hash of the reset token it has just minted. Returns where to send it and what to say
 * (when and from where it was requested: encrypted, for the worker to decrypt), or no row when there is nothing to
 * send. A retry replaces the token.
 * Definer: writes app_private.password_resets and reads app_public.users, on which app_worker holds no right.
 */
create or replace function app_hidden.issue_password_reset_token(reset_id uuid, token_hash bytea)
returns table (email text, username text, display_name text, expires_at timestamptz, requested_at timestamptz,
               requested_from bytea)
language plpgsql volatile security definer
set search_path to pg_catalog, pg_temp as $$
begin
  return query
  update app_private.password_resets r
     set token_hash = issue_password_reset_token.token_hash,
         token_expires_at = app_hidden.clock_now() + config.setting_interval('auth.password_reset_token_ttl')
    from app_public.users u
   where r.id = issue_password_reset_token.reset_id
     and r.used_at is null
     and u.id = r.user_id
     and u.email = r.email
     and u.deleted_at is null
  returning u.email::text, u.username::text, u.display_name, r.token_expires_at, r.requested_at, r.requested_from;
end;
$$;
comment on function app_hidden.issue_password_reset_token(uuid, bytea) is
  'Stores the hash of a password reset token minted by the worker and says where to mail it.';
grant execute on function app_hidden.issue_password_reset_token(uuid, bytea) to app_worker;
