/*
 * Called by the worker with the hash of the token it minted for an email change: where to send the link.
 * Definer: writes app_private.email_changes and reads app_public.users, on which app_worker holds no right.
 */
create or replace function app_hidden.issue_email_change_token(change_id uuid, token_hash bytea)
returns table (email text, username text, display_name text, expires_at timestamptz)
language plpgsql volatile security definer
set search_path to pg_catalog, pg_temp as $$
begin
  return query
  update app_private.email_changes c
     set token_hash = issue_email_change_token.token_hash,
         token_expires_at = app_hidden.clock_now() + config.setting_interval('auth.email_change_token_ttl')
    from app_public.users u
   where c.id = issue_email_change_token.change_id
     and c.used_at is null
     and u.id = c.user_id
     and u.email = c.old_email
     and u.deleted_at is null
  returning c.new_email::text, u.username::text, u.display_name, c.token_expires_at;
end;
$$;
comment on function app_hidden.issue_email_change_token(uuid, bytea) is
  'Stores the hash of an email-change token minted by the worker and returns the new address to mail it to.';
grant execute on function app_hidden.issue_email_change_token(uuid, bytea) to app_worker;
