/* Failures of a real account are counted per account, whichever identifier was typed; others per identifier. */
create or replace function app_private.login_attempt_key(user_id uuid, identifier text) returns text
language sql immutable as $$
  select case when user_id is not null then 'account:' || user_id::text
              else 'identifier:' || lower(left(coalesce(identifier, ''), 254)) end
$$;
comment on function app_private.login_attempt_key(uuid, text) is 'The key of app_private.login_attempts for a login attempt.';
