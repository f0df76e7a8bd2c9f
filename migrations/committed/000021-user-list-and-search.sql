--! Previous: sha1:9e88f2a401695163d292a3fd316782790ec32c82
--! Hash: sha1:908725694de1ea0ca3972ff192108f67b35d3671
--! Message: user list and search

/*
 * The admin's user list and user search (issue 10).
 *
 * The list filters by status and pages newest first. PostGraphile orders by the column and then the primary key, and
 * pages after a cursor with a row comparison, (created_at, id) < ($1, $2): only an index on both columns turns that
 * into where the scan starts, so deep pages cost what the first does. users_status_created_idx also loses its
 * "where deleted_at is null", so that it serves every status filter and PostGraphile offers status as a condition (it
 * exposes only columns that lead an index that is not partial).
 *
 * The search has its own GIN index over the words of each account. The indexes are built under a lock that holds
 * writes to app_public.users back: at a million accounts, about half a minute.
 */
--! Included functions/app_hidden.user_search_words.sql
/*
 * The words of a username, an email address's local part or a name, for full-text search: dots, dashes,
 * underscores, plus and at signs become spaces, and letters and digits are split apart (ada_abara123 gives ada, abara,
 * 123). Without the split every account would bring lexemes of its own (abara123, or a whole email address), and a
 * prefix query (aba:*) would have to open one posting list per account that starts so: 20,000 of them for a common
 * surname at a million accounts, tens of milliseconds before a single row is read.
 */
create or replace function app_hidden.user_search_words(words text) returns text
language sql immutable parallel safe as $$
  select pg_catalog.regexp_replace(
    pg_catalog.translate(coalesce(user_search_words.words, ''), '._-+@', '     '),
    '([[:alpha:]])(?=[[:digit:]])|([[:digit:]])(?=[[:alpha:]])', '\1\2 ', 'g')
$$;
comment on function app_hidden.user_search_words(text) is
  'The searchable words of a username, email local part or name: separators to spaces, letters and digits apart.';
revoke execute on function app_hidden.user_search_words(text) from public;
grant execute on function app_hidden.user_search_words(text) to app_authenticated;
--! EndIncluded functions/app_hidden.user_search_words.sql
--! Included functions/app_hidden.user_search_document.sql
/*
 * The words an account is found by in a search: its username, its email address's local part (the domain is left
 * out: a word every account of a domain shares would match them all), first, last and display name, each split by
 * app_hidden.user_search_words, as one tsvector of the simple configuration (names are not stemmed and have no stop
 * words). Immutable, so users_search_idx (GIN) can index it; every name is schema-qualified because an index
 * expression also runs under an empty search_path (pg_dump, pg_restore).
 */
create or replace function app_hidden.user_search_document(
  username text, email text, first_name text, last_name text, display_name text
) returns tsvector
language sql immutable parallel safe as $$
  select pg_catalog.to_tsvector('pg_catalog.simple'::pg_catalog.regconfig,
    app_hidden.user_search_words(user_search_document.username) || ' ' ||
    app_hidden.user_search_words(pg_catalog.split_part(coalesce(user_search_document.email, ''), '@', 1)) || ' ' ||
    app_hidden.user_search_words(user_search_document.first_name) || ' ' ||
    app_hidden.user_search_words(user_search_document.last_name) || ' ' ||
    app_hidden.user_search_words(user_search_document.display_name))
$$;
comment on function app_hidden.user_search_document(text, text, text, text, text) is
  'The searchable words of an account (username, email local part, names), indexed by users_search_idx.';
revoke execute on function app_hidden.user_search_document(text, text, text, text, text) from public;
grant execute on function app_hidden.user_search_document(text, text, text, text, text) to app_authenticated;
--! EndIncluded functions/app_hidden.user_search_document.sql
--! Included functions/app_hidden.user_search_query.sql
/*
 * What a person typed into a user search, as a tsquery: every word must match (AND), and the last word, the one being
 * typed, also matches as a prefix when it has three or more characters, so "ada aba" finds Ada Abara while it is being
 * typed. The words before it match whole: a prefix makes GIN collect every posting list that starts so before it can
 * intersect anything, and a common word (one account in fifty) is 20,000 of them at a million accounts; whole words
 * let it skip through the rarest. A one- or two-letter prefix would match a large share of all accounts.
 * The words are split as the document splits them (app_hidden.user_search_words; of an email address only its local
 * part, as the document keeps), then come from to_tsvector itself and are quoted, so no input can inject tsquery
 * syntax (| ! <-> or a bare :*). Null when the text has no words.
 */
create or replace function app_hidden.user_search_query(query text) returns tsquery
language sql immutable strict parallel safe as $$
  with w as (
    select t.lexeme, (select pg_catalog.max(p) from pg_catalog.unnest(t.positions) as p) as last_at
    from pg_catalog.unnest(pg_catalog.to_tsvector('pg_catalog.simple'::pg_catalog.regconfig, app_hidden.user_search_words(
           case when pg_catalog.strpos(user_search_query.query, '@') > 0
                then pg_catalog.split_part(user_search_query.query, '@', 1) else user_search_query.query end))) as t
  )
  select pg_catalog.to_tsquery('pg_catalog.simple'::pg_catalog.regconfig, pg_catalog.string_agg(
           pg_catalog.quote_literal(w.lexeme)
           || case when w.last_at = (select pg_catalog.max(l.last_at) from w as l) and pg_catalog.length(w.lexeme) >= 3
                   then ':*' else '' end, ' & '))
  from w
$$;
comment on function app_hidden.user_search_query(text) is
  'A user search as typed, made a tsquery: all words, the last one also as a prefix from three characters.';
revoke execute on function app_hidden.user_search_query(text) from public;
grant execute on function app_hidden.user_search_query(text) to app_authenticated;
--! EndIncluded functions/app_hidden.user_search_query.sql

drop index if exists app_public.users_status_created_idx;
create index users_status_created_idx on app_public.users (status, created_at, id);
drop index if exists app_public.users_created_idx;
create index users_created_idx on app_public.users (created_at, id);

create index if not exists users_search_idx on app_public.users using gin (
  app_hidden.user_search_document(username, email, first_name, last_name, display_name));

--! Included functions/app_public.search_users.sql
/*
 * Full-text search over the accounts the caller may read, by the words of their username, email address and names:
 * the account whose username or email address is the search itself first (found by its unique index), then up to 99
 * others in the order the GIN index finds them. No ranking and no sort: a common first name matches one account in
 * fifty, and sorting 20,000 matches (or ranking them, which parses each again) would read every one of them, 100 ms
 * and more at a million accounts, for an order that means little among people of the same name. A search is for
 * finding someone: narrow the words to see others; the users connection lists and sorts.
 *
 * Security definer because row-level security would hide the GIN index: the match operator (@@) is not leakproof, so
 * under RLS PostgreSQL must check every row policy before it, scanning the whole table. The function therefore reads
 * the table as its owner and applies the same rule as the select policies itself: the global users:read check once,
 * app_hidden.can_read_account per match otherwise (the rule users_by_phone uses).
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
--! EndIncluded functions/app_public.search_users.sql

/* A global users:read holder passes the select policy once per statement, not once per row. */
--! Included policies/app_public.users.sql
/*
 * You read and edit your own account. Holders of users:read in an organisation read the accounts of its active members
 * (a global users:read, super_admin's, reads every account); everyone else sees only user_profiles. Security state
 * and secrets are in app_private, never here. Only profile columns are writable; status, verification, tier, metadata
 * and the email address change through functions.
 */
alter table app_public.users enable row level security;

drop policy if exists select_self on app_public.users;
create policy select_self on app_public.users for select to app_authenticated
  using (id = (select app_hidden.current_user_id()));

/*
 * A global users:read holder reads every account: can_read_account says so too, but for each row, with several
 * nested statements per call. The global check first, as an InitPlan, runs once per statement, and an OR stops at
 * its first true arm, so for a global reader no row reaches the per-row check. (Within one expression the arms keep
 * their order; separate permissive policies are combined in an order the planner does not promise.)
 */
drop policy if exists select_user_reader on app_public.users;
create policy select_user_reader on app_public.users for select to app_authenticated
  using ((select app_hidden.user_has_permission((select app_hidden.current_user_id()), 'users:read', null))
         or app_hidden.can_read_account(id));

drop policy if exists update_self on app_public.users;
create policy update_self on app_public.users for update to app_authenticated
  using (id = (select app_hidden.current_user_id()))
  with check (id = (select app_hidden.current_user_id()));

revoke all on app_public.users from public, authenticator, app_anonymous, app_authenticated, app_worker, app_analytics;
grant select on app_public.users to app_authenticated;
grant update (first_name, last_name, display_name, avatar_url, bio, timezone, language, preferences)
  on app_public.users to app_authenticated;
--! EndIncluded policies/app_public.users.sql
