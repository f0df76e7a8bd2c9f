create or replace function app_private.tg_role_parents__rebuild() returns trigger
language plpgsql as $$
begin
  perform app_private.rebuild_role_ancestors();
  return null;
end;
$$;
comment on function app_private.tg_role_parents__rebuild() is 'Keeps the closure table exact after every change to the hierarchy.';
