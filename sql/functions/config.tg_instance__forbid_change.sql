/* The instance row records the mode the database was created in; changing it would switch test-only behaviour on. */
create or replace function config.tg_instance__forbid_change() returns trigger
language plpgsql as $$
begin
  raise exception 'The instance mode is fixed when the database is created and cannot be changed.'
    using errcode = 'IMMUT', hint = 'Create a new database in the mode you need.';
end;
$$;
comment on function config.tg_instance__forbid_change() is 'Refuses every UPDATE, DELETE and TRUNCATE of config.instance.';
