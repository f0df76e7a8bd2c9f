/*
 * Definer: updates config.clock, on which only the owner holds a right; only the owner calls it today (no role holds
 * EXECUTE), kept definer like every function on config tables.
 */
create or replace function config.set_clock_offset(offset_by interval) returns timestamptz
language plpgsql volatile security definer
set search_path to pg_catalog, pg_temp as $$
begin
  if config.instance_mode() = 'production' then
    raise exception 'The clock cannot be moved in a production database.'
      using errcode = 'PRODN', hint = 'Only development and test databases have a movable clock.';
  end if;
  update config.clock set offset_by = set_clock_offset.offset_by, updated_at = pg_catalog.now();
  return app_hidden.clock_now();
end;
$$;
comment on function config.set_clock_offset(interval) is
  'Moves the clock of a development or test database (the offset from real time). Owner only; refused in production.';
