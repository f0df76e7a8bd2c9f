/*
 * Row-change events, beside the decision events the functions write. A statement trigger with transition tables (one
 * per operation: `_800_audit_insert`, `_800_audit_update`, `_800_audit_delete` on every exposed table): it gathers the
 * statement's rows, old and new side by side (an update's pairs matched on the key columns), and writes one event per
 * row, `row.<table>.<op>`, in one insert, whatever the number of rows. Trigger arguments name the key columns when they
 * are not `id`.
 *
 * Each event: details shaped by audit.row_change_parts (inlined: changed columns only for an update, secrets redacted,
 * personal columns moved into the encrypted part), entity id from the key columns, subject from the row (`id` of users,
 * else `user_id`), organisation from `organization_id`, and the request context (actor, request id, role, address
 * and user agent), the same columns audit.record_event writes. The statement shares the request context, the column
 * lists and the encryption of each distinct (person, personal part) pair, so a thousand-row insert by one user
 * encrypts its address and user agent once, not a thousand times.
 *
 * Why one insert for one row too: the single-row path used to go through audit.record_row_changes and
 * audit.record_event, three plpgsql calls and a plpgsql row_change_parts per row, which cost more than the event's
 * insert itself (docs/performance.md, "Audited writes").
 * Definer: fires as the writing client role, which may not write audit.events nor read
 * app_private.personal_data_columns.
 */
create or replace function audit.tg__row_changes() returns trigger
language plpgsql security definer
set search_path to pg_catalog, pg_temp
set plan_cache_mode to force_generic_plan as $$
declare
  v_key_columns text[] := coalesce(nullif(tg_argv::text[], '{}'), array['id']);
  /* The one key column (tg_argv counts from 0), or null for a composite key. */
  v_key_column text := case tg_nargs when 0 then 'id' when 1 then tg_argv[0] end;
  v_operation text := lower(tg_op);
  v_subject_key text := case when tg_table_name = 'users' then 'id' else 'user_id' end;
  v_old jsonb[];
  v_new jsonb[];
  v_personal_keys text[];
  v_secret_keys text[];
  v_actor uuid;
  v_request jsonb;
  v_now timestamptz;
  v_row jsonb;
  v_subject_id uuid;
  v_details jsonb;
  v_personal_values jsonb;
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
  if v_old is null then
    return null;
  end if;

  select coalesce(array_agg(p.column_name), '{}') into v_personal_keys
  from app_private.personal_data_columns p
  where p.table_schema = tg_table_schema and p.table_name = tg_table_name;
  v_secret_keys := audit.secret_keys(coalesce(v_new[1], v_old[1]));
  v_actor := app_hidden.current_user_id();
  /* The column default would call the clock once per row; its value is the same for the whole transaction. */
  v_now := app_hidden.clock_now();
  v_request := jsonb_strip_nulls(jsonb_build_object('ip', host(app_hidden.current_client_ip()),
                                                    'user_agent', left(app_hidden.current_user_agent(), 512)));

  if cardinality(v_new) = 1 then
    /*
     * One row (a GraphQL mutation changes one): the same columns, without the statement-wide joins. The operation and
     * an empty list of personal columns are passed as constants where they can be, so the planner drops the branches of
     * row_change_parts that cannot apply: its generic plan would otherwise set up every branch at every call.
     */
    if cardinality(v_personal_keys) > 0 then
      select p.details, p.personal_values into v_details, v_personal_values
      from audit.row_change_parts(v_operation, v_old[1], v_new[1], v_personal_keys, v_secret_keys) p;
    elsif tg_op = 'INSERT' then
      select p.details into v_details from audit.row_change_parts('insert', null, v_new[1], '{}', v_secret_keys) p;
    elsif tg_op = 'UPDATE' then
      select p.details into v_details from audit.row_change_parts('update', v_old[1], v_new[1], '{}', v_secret_keys) p;
    else
      select p.details into v_details from audit.row_change_parts('delete', v_old[1], null, '{}', v_secret_keys) p;
    end if;
    if v_details is null then
      return null;
    end if;
    v_row := coalesce(v_new[1], v_old[1]);
    v_subject_id := (v_row ->> v_subject_key)::uuid;
    if v_personal_values is not null then
      v_request := v_request || jsonb_build_object('values', v_personal_values);
    end if;
    insert into audit.events (
      occurred_at, event_type, outcome, severity, actor_id, subject_id, organisation_id, entity_type, entity_id, details, request_id,
      db_role, personal
    ) values (
      v_now, 'row.' || tg_table_name || '.' || v_operation, 'success', 'info', v_actor, v_subject_id,
      (v_row ->> 'organization_id')::uuid, tg_table_name,
      case when v_key_column is not null then v_row ->> v_key_column
           else (select string_agg(v_row ->> c, ',' order by i) from unnest(v_key_columns) with ordinality u (c, i)) end,
      v_details, app_hidden.current_request_id(), nullif(pg_catalog.current_setting('role', true), 'none'),
      case when v_request <> '{}'::jsonb then app_hidden.encrypt_personal(coalesce(v_subject_id, v_actor), v_request::text) end
    );
    return null;
  end if;

  with shaped as (
    select r.n, coalesce(r.new_row, r.old_row) as any_row, p.details,
           case when p.personal_values is null then v_request
                else v_request || jsonb_build_object('values', p.personal_values) end as personal
    from unnest(v_old, v_new) with ordinality as r (old_row, new_row, n)
    cross join lateral audit.row_change_parts(v_operation, r.old_row, r.new_row, v_personal_keys, v_secret_keys) p
  ),
  owned as (
    select s.*, (s.any_row ->> v_subject_key)::uuid as subject_id,
           coalesce((s.any_row ->> v_subject_key)::uuid, v_actor) as owner
    from shaped s
  ),
  encrypted as (
    select d.owner, d.personal, app_hidden.encrypt_personal(d.owner, d.personal::text) as ciphertext
    from (select distinct o.owner, o.personal from owned o where o.personal <> '{}'::jsonb) d
  )
  insert into audit.events (
    occurred_at, event_type, outcome, severity, actor_id, subject_id, organisation_id, entity_type, entity_id, details, request_id,
    db_role, personal
  )
  select v_now, 'row.' || tg_table_name || '.' || v_operation, 'success', 'info', v_actor, o.subject_id,
         (o.any_row ->> 'organization_id')::uuid, tg_table_name,
         case when v_key_column is not null then o.any_row ->> v_key_column
              else (select string_agg(o.any_row ->> c, ',' order by i) from unnest(v_key_columns) with ordinality u (c, i)) end,
         o.details, app_hidden.current_request_id(), nullif(pg_catalog.current_setting('role', true), 'none'), e.ciphertext
  from owned o
  left join encrypted e on e.owner is not distinct from o.owner and e.personal = o.personal
  order by o.n;
  return null;
end;
$$;
comment on function audit.tg__row_changes() is
  'Statement trigger: records a row-change event for each row the statement changed, in one insert; arguments: key columns.';
