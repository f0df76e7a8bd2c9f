/*
 * Creates the monthly partitions of audit.events from `months_back` months before the current month (by the Gatehouse
 * clock; 0 by default, the worker's case; history loads ask for more) through `months_ahead` months ahead (setting
 * audit.partition_months_ahead by default). Safe to run any number of times,
 * concurrently too: partition creation is serialised by an advisory lock. A month whose rows already landed in the
 * default partition is skipped with a warning, since creating it would fail and rows are never moved.
 * Definer: creates partitions of audit.events, which only its owner may, and reads audit.events_default.
 */
create or replace function audit.ensure_partitions(months_ahead integer default null, months_back integer default 0) returns integer
language plpgsql volatile security definer
set search_path to pg_catalog, pg_temp as $$
declare
  v_ahead integer := coalesce(months_ahead, config.setting_integer('audit.partition_months_ahead'));
  /* Month arithmetic in UTC wall time, so the session's time zone cannot shift a boundary. */
  v_first timestamp := date_trunc('month', app_hidden.clock_now() at time zone 'UTC');
  v_from timestamptz;
  v_to timestamptz;
  v_name text;
  v_created integer := 0;
begin
  if v_ahead < 0 or v_ahead > 120 or coalesce(months_back, 0) < 0 or coalesce(months_back, 0) > 120 then
    raise exception 'months_ahead and months_back must be between 0 and 120, not % and %.', v_ahead, months_back
      using errcode = 'INVAL', hint = 'Pass numbers of months between 0 and 120.';
  end if;
  perform pg_advisory_xact_lock(hashtext('audit.ensure_partitions'));
  for i in -coalesce(months_back, 0) .. v_ahead loop
    v_from := (v_first + make_interval(months => i)) at time zone 'UTC';
    v_to := (v_first + make_interval(months => i + 1)) at time zone 'UTC';
    v_name := 'events_' || to_char(v_first + make_interval(months => i), '"y"YYYY"m"MM');
    continue when to_regclass('audit.' || v_name) is not null;
    if exists (select 1 from audit.events_default d where d.occurred_at >= v_from and d.occurred_at < v_to) then
      raise warning 'audit.events_default holds events for %; partition % not created', v_from, v_name;
      continue;
    end if;
    execute format('create table audit.%I partition of audit.events for values from (%L) to (%L)', v_name, v_from, v_to);
    execute format('create trigger _000_forbid_truncate before truncate on audit.%I '
                   'for each statement execute function audit.tg_events__forbid_change()', v_name);
    v_created := v_created + 1;
  end loop;
  return v_created;
end;
$$;
comment on function audit.ensure_partitions(integer, integer) is
  'Creates missing monthly audit partitions from months_back before this month to months_ahead ahead; returns how many it created.';
grant execute on function audit.ensure_partitions(integer, integer) to app_worker;
