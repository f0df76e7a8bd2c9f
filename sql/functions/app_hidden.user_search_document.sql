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
