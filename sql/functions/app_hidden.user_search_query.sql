/*
 * What a person typed into a user search, as a tsquery: every word must match (AND), and a word of three or more
 * characters also matches as a prefix, so "ada ab" finds nobody but "ada aba" finds Ada Abara while it is being typed.
 * The words are split as the document splits them (app_hidden.user_search_words; of an email address only its local
 * part, as the document keeps), then come from to_tsvector itself and are quoted, so no input can inject tsquery
 * syntax (| ! <-> or a bare :*). Null when the text has no words. Short words match exactly because a one- or two-letter prefix matches a large
 * share of all accounts, and every match is ranked.
 */
create or replace function app_hidden.user_search_query(query text) returns tsquery
language sql immutable strict parallel safe as $$
  select pg_catalog.to_tsquery('pg_catalog.simple'::pg_catalog.regconfig, pg_catalog.string_agg(
           pg_catalog.quote_literal(w.word) || case when pg_catalog.length(w.word) >= 3 then ':*' else '' end, ' & '))
  from pg_catalog.unnest(pg_catalog.tsvector_to_array(
         pg_catalog.to_tsvector('pg_catalog.simple'::pg_catalog.regconfig, app_hidden.user_search_words(
           case when pg_catalog.strpos(user_search_query.query, '@') > 0
                then pg_catalog.split_part(user_search_query.query, '@', 1) else user_search_query.query end)))) as w(word)
$$;
comment on function app_hidden.user_search_query(text) is
  'A user search as typed, made a tsquery: all words, prefixes from three characters.';
revoke execute on function app_hidden.user_search_query(text) from public;
grant execute on function app_hidden.user_search_query(text) to app_authenticated;
