/*
 * Row-change events, beside the decision events the functions write: one event per inserted, updated or deleted row
 * of an exposed table, `row.<table>.<insert|update|delete>`, with the values (for an update, only the columns that
 * changed, old and new). Columns whose names say they hold secrets (hash, token, secret, password) are redacted;
 * exposed tables keep none, but a future column must not leak through here. Values of personal columns (listed in
 * app_private.personal_data_columns) leave the clear details and go into the event's encrypted personal part.
 * Trigger arguments name the primary-key columns when they are not `id`. Security definer, since the writer (a
 * client role) may not call record_event.
 */
create or replace function audit.tg__row_change() returns trigger
language plpgsql security definer
set search_path to pg_catalog, pg_temp as $$
declare
  v_old jsonb := case when tg_op in ('UPDATE', 'DELETE') then to_jsonb(old) end;
  v_new jsonb := case when tg_op in ('INSERT', 'UPDATE') then to_jsonb(new) end;
  v_row jsonb := coalesce(v_new, v_old);
  v_secret_keys text[];
  v_changed text[];
  v_key_columns text[] := coalesce(tg_argv::text[], '{}');
  v_details jsonb;
  v_personal_keys text[];
  v_personal jsonb;
begin
  select coalesce(array_agg(k), '{}') into v_secret_keys
  from jsonb_object_keys(v_row) k where k ~ '(hash|token|secret|password)';
  v_old := v_old - v_secret_keys;
  v_new := v_new - v_secret_keys;
  if tg_op = 'UPDATE' then
    select coalesce(array_agg(k), '{}') into v_changed
    from jsonb_object_keys(v_new) k where v_new -> k is distinct from v_old -> k and k <> 'updated_at';
    if cardinality(v_changed) = 0 then
      return null;
    end if;
    v_details := jsonb_build_object(
      'old', (select jsonb_object_agg(k, v_old -> k) from unnest(v_changed) k),
      'new', (select jsonb_object_agg(k, v_new -> k) from unnest(v_changed) k));
  else
    v_details := jsonb_build_object(case when tg_op = 'INSERT' then 'new' else 'old' end, coalesce(v_new, v_old));
  end if;
  select coalesce(array_agg(p.column_name), '{}') into v_personal_keys
  from app_private.personal_data_columns p
  where p.table_schema = tg_table_schema and p.table_name = tg_table_name;
  if cardinality(v_personal_keys) > 0 then
    select jsonb_object_agg(part.side, part.value_object) into v_personal
    from (select d.key as side, (select jsonb_object_agg(c.key, c.value) from jsonb_each(d.value) c
                                 where c.key = any(v_personal_keys)) as value_object
          from jsonb_each(v_details) d) part
    where part.value_object is not null;
    select jsonb_object_agg(d.key, d.value - v_personal_keys) into v_details from jsonb_each(v_details) d;
  end if;
  if cardinality(v_key_columns) = 0 then
    v_key_columns := array['id'];
  end if;
  perform audit.record_event(
    format('row.%s.%s', tg_table_name, lower(tg_op)), 'success', v_details,
    entity_type => tg_table_name,
    entity_id => (select string_agg(v_row ->> c, ',' order by n) from unnest(v_key_columns) with ordinality as u (c, n)),
    organisation_id => (v_row ->> 'organization_id')::uuid,
    subject_id => case when tg_table_name = 'users' then (v_row ->> 'id')::uuid else (v_row ->> 'user_id')::uuid end,
    personal_values => v_personal
  );
  return null;
end;
$$;
comment on function audit.tg__row_change() is
  'Records a row-change event for each changed row of an exposed table, secrets redacted; arguments: primary-key columns.';
