create or replace function app_private.tg_roles__add_self() returns trigger
language plpgsql as $$
begin
  insert into app_private.role_ancestors (role_id, ancestor_id) values (new.id, new.id);
  return null;
end;
$$;
comment on function app_private.tg_roles__add_self() is 'A new role is its own ancestor in the closure table.';
