/*
 * What a row-change event records for one row: `details` (the new row, the old row, or for an update only the columns
 * that changed, old and new, `updated_at` aside) with secrets redacted (audit.secret_keys, unless the caller passes
 * them: they are the same for every row of a table) and personal columns removed, and `personal_values`, the same shape holding only the personal
 * columns (for the event's encrypted part). No row when an update changed nothing: no event then.
 *
 * A set-returning `language sql` function with no SET clause, so that the planner inlines it into the statement that
 * calls it (audit.tg__row_changes: one insert for all the rows of a statement): a plpgsql function called once per row
 * cost more than the event's own insert. It reads nothing but its arguments, so it needs no fixed search_path.
 */
create or replace function audit.row_change_parts(
  operation text, old_row jsonb, new_row jsonb, personal_keys text[], secret_keys text[] default null
) returns table (details jsonb, personal_values jsonb)
language sql immutable as $$
  select case when cardinality(row_change_parts.personal_keys) = 0 then c.changes
              else (select pg_catalog.jsonb_object_agg(d.key, d.value - row_change_parts.personal_keys)
                    from pg_catalog.jsonb_each(c.changes) d) end,
         case when cardinality(row_change_parts.personal_keys) > 0 then
           (select pg_catalog.jsonb_object_agg(d.key, d.personal)
            from (select d.key, (select pg_catalog.jsonb_object_agg(x.key, x.value) from pg_catalog.jsonb_each(d.value) x
                                 where x.key = any(row_change_parts.personal_keys)) as personal
                  from pg_catalog.jsonb_each(c.changes) d) d
            where d.personal is not null) end
  from (select row_change_parts.old_row - s.keys as old_row, row_change_parts.new_row - s.keys as new_row
        from (select coalesce(row_change_parts.secret_keys,
                              audit.secret_keys(coalesce(row_change_parts.new_row, row_change_parts.old_row))) as keys) s) r
  cross join lateral (
    select case row_change_parts.operation
             when 'insert' then pg_catalog.jsonb_build_object('new', r.new_row)
             when 'update' then
               /* An update that changed the key of a row has no pair: its old and its new row each come as a change of every column. */
               (select pg_catalog.jsonb_build_object('old', pg_catalog.jsonb_object_agg(k, r.old_row -> k),
                                                     'new', pg_catalog.jsonb_object_agg(k, r.new_row -> k))
                from pg_catalog.jsonb_object_keys(coalesce(r.new_row, r.old_row)) k
                where r.new_row -> k is distinct from r.old_row -> k and k <> 'updated_at'
                having count(*) > 0)
             else pg_catalog.jsonb_build_object('old', r.old_row)
           end as changes) c
  where c.changes is not null
$$;
comment on function audit.row_change_parts(text, jsonb, jsonb, text[], text[]) is
  'The details (secrets redacted, personal columns removed) and personal values a row-change event records for one row; no row when an update changed nothing.';
