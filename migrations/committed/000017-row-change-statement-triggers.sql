--! Previous: sha1:bd73befe2334dde16b4e755b82b77be2f12e39e0
--! Hash: sha1:27307c58226d1086fee906a9e5d8d1bf0991fda2
--! Message: row-change-statement-triggers

-- Row-change events, set-based (issue 10): one statement trigger per operation with transition tables replaces the
-- row trigger, so a statement's rows are audited in one insert and its shared personal part is encrypted once.

--! Included functions/audit.row_change_parts.sql
/*
 * What a row-change event records for one row: `details` (the new row, the old row, or for an update only the columns
 * that changed, old and new, `updated_at` aside) with secrets redacted (columns whose names contain hash, token,
 * secret, password) and personal columns removed, and `personal_values`, the same shape holding only the personal
 * columns (for the event's encrypted part). details is null when an update changed nothing: no event then.
 */
create or replace function audit.row_change_parts(
  operation text, old_row jsonb, new_row jsonb, personal_keys text[], out details jsonb, out personal_values jsonb
)
language plpgsql immutable
set search_path to pg_catalog, pg_temp as $$
declare
  v_secret_keys text[];
  v_changed text[];
  v_old jsonb;
  v_new jsonb;
begin
  select coalesce(array_agg(k), '{}') into v_secret_keys
  from jsonb_object_keys(coalesce(new_row, old_row)) k where k ~ '(hash|token|secret|password)';
  v_old := old_row - v_secret_keys;
  v_new := new_row - v_secret_keys;
  if operation = 'update' then
    /* An update that changed a row's key has no pair: its old and its new row each come as a change of every column. */
    select coalesce(array_agg(k), '{}') into v_changed
    from jsonb_object_keys(coalesce(v_new, v_old)) k where v_new -> k is distinct from v_old -> k and k <> 'updated_at';
    if cardinality(v_changed) = 0 then
      return;
    end if;
    details := jsonb_build_object(
      'old', (select jsonb_object_agg(k, v_old -> k) from unnest(v_changed) k),
      'new', (select jsonb_object_agg(k, v_new -> k) from unnest(v_changed) k));
  elsif operation = 'insert' then
    details := jsonb_build_object('new', v_new);
  else
    details := jsonb_build_object('old', v_old);
  end if;
  if cardinality(personal_keys) > 0 then
    select jsonb_object_agg(d.key, d.personal) into personal_values
    from (select d.key, (select jsonb_object_agg(x.key, x.value) from jsonb_each(d.value) x where x.key = any(personal_keys)) as personal
          from jsonb_each(details) d) d
    where d.personal is not null;
    select jsonb_object_agg(d.key, d.value - personal_keys) into details from jsonb_each(details) d;
  end if;
end;
$$;
comment on function audit.row_change_parts(text, jsonb, jsonb, text[]) is
  'The details (secrets redacted, personal columns removed) and personal values a row-change event records for one row.';
--! EndIncluded functions/audit.row_change_parts.sql
--! Included functions/audit.record_row_changes.sql
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
--! EndIncluded functions/audit.record_row_changes.sql
--! Included functions/audit.tg__row_changes.sql
/*
 * Row-change events, beside the decision events the functions write. A statement trigger with transition tables (one
 * per operation: `_800_audit_insert`, `_800_audit_update`, `_800_audit_delete` on every exposed table): it gathers the
 * statement's rows, old and new side by side (an update's pairs matched on the key columns), and
 * audit.record_row_changes writes one event per row in one insert. Trigger arguments name the key columns when they
 * are not `id`. Security definer, since the writer (a client role) may not write the audit trail.
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
--! EndIncluded functions/audit.tg__row_changes.sql

do $$
declare
  v_table record;
  v_args text;
begin
  for v_table in
    select c.relname as name,
           (select array_agg(a.attname::text order by array_position(i.indkey::int2[], a.attnum))
            from pg_index i join pg_attribute a on a.attrelid = i.indrelid and a.attnum = any (i.indkey)
            where i.indrelid = c.oid and i.indisprimary) as key_columns
    from pg_class c join pg_namespace n on n.oid = c.relnamespace
    where n.nspname = 'app_public' and c.relkind = 'r'
  loop
    v_args := (select string_agg(quote_literal(k), ', ') from unnest(v_table.key_columns) k);
    execute format('drop trigger if exists _800_audit on app_public.%I', v_table.name);
    execute format('drop trigger if exists _800_audit_insert on app_public.%I', v_table.name);
    execute format('drop trigger if exists _800_audit_update on app_public.%I', v_table.name);
    execute format('drop trigger if exists _800_audit_delete on app_public.%I', v_table.name);
    execute format('create trigger _800_audit_insert after insert on app_public.%I referencing new table as new_rows '
                   'for each statement execute function audit.tg__row_changes(%s)', v_table.name, v_args);
    execute format('create trigger _800_audit_update after update on app_public.%I referencing old table as old_rows new table as new_rows '
                   'for each statement execute function audit.tg__row_changes(%s)', v_table.name, v_args);
    execute format('create trigger _800_audit_delete after delete on app_public.%I referencing old table as old_rows '
                   'for each statement execute function audit.tg__row_changes(%s)', v_table.name, v_args);
  end loop;
end
$$;

drop function if exists audit.tg__row_change();
