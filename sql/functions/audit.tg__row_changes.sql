/*
 * Row-change events, beside the decision events the functions write. A statement trigger with transition tables (one
 * per operation: `_800_audit_insert`, `_800_audit_update`, `_800_audit_delete` on every exposed table): it gathers the
 * statement's rows, old and new side by side (an update's pairs matched on the key columns), and
 * audit.record_row_changes writes one event per row in one insert. Trigger arguments name the key columns when they
 * are not `id`.
 * Definer: fires as the writing client role, which may not write audit.events nor run audit.record_row_changes.
 */
create or replace function audit.tg__row_changes() returns trigger
language plpgsql security definer
set search_path to pg_catalog, pg_temp as $$
declare
  v_key_columns text[] := coalesce(nullif(tg_argv::text[], '{}'), array['id']);
  v_old jsonb[];
  v_new jsonb[];
begin
  if tg_op = 'INSERT' then
    select array_agg(null::jsonb), array_agg(to_jsonb(n)) into v_old, v_new from new_rows n;
  elsif tg_op = 'DELETE' then
    select array_agg(to_jsonb(o)), array_agg(null::jsonb) into v_old, v_new from old_rows o;
  else
    select array_agg(o.j), array_agg(n.j) into v_old, v_new
    from (select to_jsonb(x) as j from old_rows x) o
    full join (select to_jsonb(x) as j from new_rows x) n
      on (select array_agg(o.j ->> c order by i) from unnest(v_key_columns) with ordinality u (c, i))
       = (select array_agg(n.j ->> c order by i) from unnest(v_key_columns) with ordinality u (c, i));
  end if;
  if v_old is not null then
    perform audit.record_row_changes(tg_table_schema, tg_table_name, lower(tg_op), v_key_columns, v_old, v_new);
  end if;
  return null;
end;
$$;
comment on function audit.tg__row_changes() is
  'Statement trigger: records a row-change event for each row the statement changed (set-based); arguments: key columns.';
