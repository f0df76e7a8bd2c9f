/*
 * The encrypted personal fields of an account, for the gateway to decrypt: only when the caller may read that account
 * (app_hidden.can_read_account, the same rule as the users table's row-level security), otherwise nothing.
 * Definer: reads app_private.user_personal_data, which no client role may read; can_read_account is the gate.
 */
create or replace function app_hidden.user_personal_ciphertext(user_id uuid, field text) returns bytea
language sql stable security definer
set search_path to pg_catalog, pg_temp as $$
  select case user_personal_ciphertext.field when 'phone' then p.phone when 'date_of_birth' then p.date_of_birth end
  from app_private.user_personal_data p
  where p.user_id = user_personal_ciphertext.user_id
    and app_hidden.can_read_account(user_personal_ciphertext.user_id)
$$;
comment on function app_hidden.user_personal_ciphertext(uuid, text) is
  'An encrypted personal field (phone, date_of_birth) of an account the caller may read; null otherwise.';
grant execute on function app_hidden.user_personal_ciphertext(uuid, text) to app_authenticated;
