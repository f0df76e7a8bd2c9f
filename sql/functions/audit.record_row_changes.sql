/*
 * Row-change events for one statement's rows: the work audit.tg__row_changes (a statement trigger with transition
 * tables) hands over as two parallel arrays, each pair one row's old and new values (null for an insert's old and a
 * delete's new). One event per row, `row.<table>.<op>`, shaped by audit.row_change_parts (changed columns only for an
 * update, secrets redacted, personal columns moved into the encrypted part), entity id from the key columns.
 *
 * One row (the common case: a GraphQL mutation changes one) goes through audit.record_event. More rows go in one
 * set-based insert, which does once what the statement shares: the request context, the column lists, and the
 * encryption of each distinct (person, personal part) pair, so a thousand-row insert by one user encrypts its address
 * and user agent once, not a thousand times. Both write the same columns.
 * Definer: writes audit.events and reads app_private.personal_data_columns, which no client role may touch; its one
 * caller (audit.tg__row_changes) is definer too, but this stays safe whoever calls it.
 */
create or replace function audit.record_row_changes(
  table_schema text, table_name text, operation text, key_columns text[], old_rows jsonb[], new_rows jsonb[]
) returns integer
language plpgsql volatile security definer
set search_path to pg_catalog, pg_temp as $$
declare
  v_personal_keys text[];
  v_event_type text := format('row.%s.%s', record_row_changes.table_name, record_row_changes.operation);
  v_parts record;
  v_row jsonb;
  v_count integer;
begin
  select coalesce(array_agg(p.column_name), '{}') into v_personal_keys
  from app_private.personal_data_columns p
  where p.table_schema = record_row_changes.table_schema and p.table_name = record_row_changes.table_name;

  if cardinality(record_row_changes.new_rows) = 1 then
    v_parts := audit.row_change_parts(record_row_changes.operation, record_row_changes.old_rows[1],
                                      record_row_changes.new_rows[1], v_personal_keys);
    if v_parts.details is null then
      return 0;
    end if;
    v_row := coalesce(record_row_changes.new_rows[1], record_row_changes.old_rows[1]);
    perform audit.record_event(v_event_type, 'success', v_parts.details,
      entity_type => record_row_changes.table_name,
      entity_id => (select string_agg(v_row ->> c, ',' order by i) from unnest(record_row_changes.key_columns) with ordinality u (c, i)),
      organisation_id => (v_row ->> 'organization_id')::uuid,
      subject_id => case when record_row_changes.table_name = 'users' then (v_row ->> 'id')::uuid else (v_row ->> 'user_id')::uuid end,
      personal_values => v_parts.personal_values);
    return 1;
  end if;

  with shaped as (
    select r.n, coalesce(r.new_row, r.old_row) as any_row, p.details, p.personal_values
    from unnest(record_row_changes.old_rows, record_row_changes.new_rows) with ordinality as r (old_row, new_row, n)
    cross join lateral audit.row_change_parts(record_row_changes.operation, r.old_row, r.new_row, v_personal_keys) p
    where p.details is not null
  ),
  owned as (
    select s.*, subject.id as subject_id, coalesce(subject.id, context.actor) as owner,
           context.request || jsonb_strip_nulls(jsonb_build_object('values', s.personal_values)) as personal
    from shaped s
    cross join (select app_hidden.current_user_id() as actor,
                       jsonb_strip_nulls(jsonb_build_object('ip', host(app_hidden.current_client_ip()),
                                                            'user_agent', left(app_hidden.current_user_agent(), 512))) as request) context
    cross join lateral (select case when record_row_changes.table_name = 'users' then (s.any_row ->> 'id')::uuid
                                    else (s.any_row ->> 'user_id')::uuid end as id) subject
  ),
  encrypted as (
    select d.owner, d.personal, app_hidden.encrypt_personal(d.owner, d.personal::text) as ciphertext
    from (select distinct o.owner, o.personal from owned o where o.personal <> '{}'::jsonb) d
  )
  insert into audit.events (
    event_type, outcome, severity, actor_id, subject_id, organisation_id, entity_type, entity_id, details, request_id,
    db_role, personal
  )
  select v_event_type, 'success', 'info', app_hidden.current_user_id(), o.subject_id, (o.any_row ->> 'organization_id')::uuid,
         record_row_changes.table_name,
         (select string_agg(o.any_row ->> c, ',' order by i) from unnest(record_row_changes.key_columns) with ordinality u (c, i)),
         o.details, app_hidden.current_request_id(), nullif(pg_catalog.current_setting('role', true), 'none'), e.ciphertext
  from owned o
  left join encrypted e on e.owner is not distinct from o.owner and e.personal = o.personal
  order by o.n;
  get diagnostics v_count = row_count;
  return v_count;
end;
$$;
comment on function audit.record_row_changes(text, text, text, text[], jsonb[], jsonb[]) is
  'Writes the row-change events of one statement (old/new row pairs): one through record_event, many in one insert.';
