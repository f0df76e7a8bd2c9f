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
