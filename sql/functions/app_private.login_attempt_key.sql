/*
 * Failures of a real account are counted per account, whichever identifier was typed; others per identifier, kept as
 * its SHA-256 (a pseudonym: what someone typed may be personal data).
 */
create or replace function app_private.login_attempt_key(user_id uuid, identifier text) returns text
language sql immutable as $$
  select case when user_id is not null then 'account:' || user_id::text
              else 'identifier:' || encode(extensions.digest(lower(left(coalesce(identifier, ''), 254)), 'sha256'), 'hex') end
$$;
comment on function app_private.login_attempt_key(uuid, text) is 'The key of app_private.login_attempts for a login attempt.';
