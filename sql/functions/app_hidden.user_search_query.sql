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
