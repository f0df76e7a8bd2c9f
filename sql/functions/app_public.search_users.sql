/*
 * Full-text search over the accounts the caller may read, by the words of their username, email address and names:
 * the account whose username or email address is the search itself first (found by its unique index), then up to 99
 * others in the order the GIN index finds them. No ranking and no sort: a common first name matches one account in
 * fifty, and sorting 20,000 matches (or ranking them, which parses each again) would read every one of them, 100 ms
 * and more at a million accounts, for an order that means little among people of the same name. A search is for
 * finding someone: narrow the words to see others; the users connection lists and sorts.
 *
 * Under row-level security PostgreSQL must check every row policy before the match operator (@@), which is not
 * leakproof, scanning the whole table. So the function applies the same rule as the select policies itself: the
 * global users:read check once, app_hidden.can_read_account per match otherwise (the rule users_by_phone uses).
 * Definer: reads app_public.users as its owner, since RLS on it would hide its GIN index (see above).
 */
create or replace function app_public.search_users(query text) returns setof app_public.users
language plpgsql stable strict security definer
set search_path to pg_catalog, extensions, pg_temp as $$
declare
  v_exact citext := btrim(search_users.query);
  v_query tsquery;
  v_reads_all boolean;
  v_exact_id uuid;
begin
  if pg_catalog.length(search_users.query) > 200 then
    raise exception 'The search is too long: at most 200 characters.'
      using errcode = 'INVAL', hint = 'Search with fewer or shorter words.';
  end if;
  v_query := app_hidden.user_search_query(search_users.query);
  if v_query is null then
    return;
  end if;
  v_reads_all := app_hidden.user_has_permission(app_hidden.current_user_id(), 'users:read', null);
  select u.id into v_exact_id
  from app_public.users u
  where (u.username = v_exact or u.email = v_exact) and u.deleted_at is null
  order by (u.email = v_exact) desc
  limit 1;
  return query
    select u.* from app_public.users u
    where u.id = v_exact_id and (v_reads_all or app_hidden.can_read_account(u.id));
  return query
    select u.*
    from app_public.users u
    where app_hidden.user_search_document(u.username, u.email, u.first_name, u.last_name, u.display_name) @@ v_query
      and u.id is distinct from v_exact_id
      and (v_reads_all or app_hidden.can_read_account(u.id))
    limit case when v_exact_id is null then 100 else 99 end;
end;
$$;
comment on function app_public.search_users(text) is
  'Accounts you may read whose username, email address or names match the words given (the last also as a prefix from three characters): the exact username or email address first; at most 100, unsorted otherwise.';
revoke execute on function app_public.search_users(text) from public;
grant execute on function app_public.search_users(text) to app_authenticated;
