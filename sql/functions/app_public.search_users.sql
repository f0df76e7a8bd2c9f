/*
 * Full-text search over the accounts the caller may read (by username, email address, names): the account whose
 * username or email address is the search itself first, then the newest. Not ts_rank: it would parse every match
 * again (to_tsvector, about 9 us a row, 200 ms for a common first name at 1M accounts), and for names it ranks the
 * matches nearly alike anyway. The order starts with an expression, so the planner never walks users_created_idx
 * testing each row against the search (the GIN index and a top-N sort of the matches is the only plan). Security
 * definer because row-level security would hide the GIN index: the match operator (@@) is not
 * leakproof, so under RLS PostgreSQL must check every row policy before it, scanning the whole table. The function
 * therefore reads the table as its owner and applies the same rule as the select policies itself: the global
 * users:read check once, app_hidden.can_read_account per match otherwise (the rule users_by_phone uses).
 * At most the 100 best matches: a search is for finding someone, not for listing (the users connection lists).
 */
create or replace function app_public.search_users(query text) returns setof app_public.users
language plpgsql stable strict security definer
set search_path to pg_catalog, extensions, pg_temp as $$
declare
  v_exact citext := btrim(search_users.query);
  v_query tsquery;
  v_reads_all boolean;
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
  return query
    select u.*
    from app_public.users u
    where app_hidden.user_search_document(u.username, u.email, u.first_name, u.last_name, u.display_name) @@ v_query
      and (v_reads_all or app_hidden.can_read_account(u.id))
    order by (u.username = v_exact or u.email = v_exact) desc,
             u.created_at desc, u.id
    limit 100;
end;
$$;
comment on function app_public.search_users(text) is
  'Accounts you may read whose username, email address or names match the words given (prefixes from three characters): an exact username or email address first, then the newest; at most 100.';
revoke execute on function app_public.search_users(text) from public;
grant execute on function app_public.search_users(text) to app_authenticated;
