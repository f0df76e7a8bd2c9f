/*
 * Accounts with this phone number, found through the blind index (never by decrypting): for holders of users:read,
 * within the accounts they may read. Numbers are not unique: a refusal for a number in use elsewhere would tell
 * whose it is.
 * Definer: reads app_private.user_personal_data (the phone blind index), which no client role may read.
 */
create or replace function app_public.users_by_phone(phone text) returns setof app_public.users
language sql stable security definer
set search_path to pg_catalog, pg_temp as $$
  select u.* from app_private.user_personal_data p
  join app_public.users u on u.id = p.user_id
  where users_by_phone.phone ~ '^\+[1-9][0-9]{6,14}$'
    and p.phone_lookup = app_hidden.phone_lookup(users_by_phone.phone)
    and app_hidden.can_read_account(u.id)
$$;
comment on function app_public.users_by_phone(text) is
  'Accounts you may read whose phone number is this one (E.164), found by its blind index.';
grant execute on function app_public.users_by_phone(text) to app_authenticated;
