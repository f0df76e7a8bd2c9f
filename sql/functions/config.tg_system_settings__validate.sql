create or replace function config.tg_system_settings__validate() returns trigger
language plpgsql as $$
begin
  if not config.setting_value_is_valid(new.value_type, new.default_value, new.min_value, new.max_value) then
    raise exception 'The default value of setting % is not a valid %.', new.key, new.value_type
      using errcode = 'INVAL', hint = 'Fix the default value in the migration.';
  end if;
  if not config.setting_value_is_valid(new.value_type, new.value, new.min_value, new.max_value) then
    raise exception 'The value % is not valid for setting % (a % %).', new.value, new.key, new.value_type,
        case when new.min_value is not null or new.max_value is not null
          then format('from %s to %s', coalesce(new.min_value::text, 'any'), coalesce(new.max_value::text, 'any'))
          else '' end
      using errcode = 'INVAL', hint = format('Give a %s value.', new.value_type);
  end if;
  new.updated_at := pg_catalog.now();
  return new;
end;
$$;
comment on function config.tg_system_settings__validate() is 'Keeps every setting''s value within its type and bounds.';
