/* Keeps created_at and updated_at honest whatever the client sends, on the Gatehouse clock. */
create or replace function app_hidden.tg__timestamps() returns trigger
language plpgsql as $$
begin
  new.created_at := case when tg_op = 'INSERT' then app_hidden.clock_now() else old.created_at end;
  new.updated_at := case
    when tg_op = 'UPDATE' and old.updated_at >= app_hidden.clock_now() then old.updated_at + interval '1 millisecond'
    else app_hidden.clock_now()
  end;
  return new;
end;
$$;
comment on function app_hidden.tg__timestamps() is 'Sets created_at on insert and updated_at on every write.';
