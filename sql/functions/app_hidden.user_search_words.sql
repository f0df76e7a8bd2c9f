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
