create or replace function config.setting_value_is_valid(
  value_type text, value jsonb, min_value numeric, max_value numeric
) returns boolean
language plpgsql stable as $$
declare
  v_number numeric;
begin
  case value_type
    when 'boolean' then
      return jsonb_typeof(value) = 'boolean';
    when 'text' then
      return jsonb_typeof(value) = 'string';
    when 'interval' then
      if jsonb_typeof(value) <> 'string' then
        return false;
      end if;
      /* Raises on text that is not an interval; caught below. */
      return (value #>> '{}')::interval >= interval '0';
    when 'integer', 'number' then
      if jsonb_typeof(value) <> 'number' then
        return false;
      end if;
      v_number := (value #>> '{}')::numeric;
      if value_type = 'integer' and v_number <> trunc(v_number) then
        return false;
      end if;
      return (min_value is null or v_number >= min_value) and (max_value is null or v_number <= max_value);
    else
      return false;
  end case;
exception
  when invalid_datetime_format or datetime_field_overflow or interval_field_overflow or invalid_text_representation then
    return false;
end;
$$;
comment on function config.setting_value_is_valid(text, jsonb, numeric, numeric) is
  'Whether a JSON value fits a setting''s type and bounds. Intervals must be non-negative.';
