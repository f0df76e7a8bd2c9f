/*
 * Sets (or, with null, removes) your phone number. Needs your password (re-authentication), takes E.164 only
 * (+ and 7 to 15 digits, no spaces). The number is stored only encrypted to your own key, beside its blind index for
 * lookups; the audit event carries the new number in its encrypted part. An account whose key the worker has not made
 * yet is asked to try again shortly (NOKEY) rather than have its number stored under any other key.
 * Definer: checks the password hash and writes app_private.user_personal_data (encrypted phone).
 */
create or replace function app_public.change_phone(new_phone text, password text) returns app_public.outcome
language plpgsql volatile security definer
set search_path to pg_catalog, extensions, pg_temp as $$
declare
  v_user_id uuid := app_hidden.current_user_id();
  v_phone text := nullif(btrim(change_phone.new_phone), '');
  v_retry integer;
  v_event constant text := 'user.phone_change';
  v_refused app_public.outcome;
begin
  v_refused := app_private.require_login(null::app_public.outcome, v_event, 'You must log in to change your phone number.');
  if v_refused.refusal_code is not null then return v_refused; end if;
  if v_phone is not null and v_phone !~ '^\+[1-9][0-9]{6,14}$' then
    raise exception 'That is not a phone number in international format.' using errcode = 'INVAL',
      hint = 'Write it as + country code and number, digits only, for example +14155550123.';
  end if;

  v_retry := app_private.rate_limit_hit('phone_change:account:' || v_user_id::text,
    config.setting_integer('rate_limit.email_change_per_account.max'),
    config.setting_interval('rate_limit.email_change_per_account.window'));
  if v_retry is not null then
    return app_private.refuse(null::app_public.outcome, v_event, 'LIMIT',
      format('Too many requests: try again in %s seconds.', v_retry), subject_id => v_user_id, retry_after => v_retry);
  end if;

  v_refused := app_private.require_password(null::app_public.outcome, v_event, v_user_id, password);
  if v_refused.refusal_code is not null then return v_refused; end if;
  if not app_hidden.user_key_assigned(v_user_id) then
    raise exception 'Your phone number cannot be stored yet: try again in a minute.' using errcode = 'NOKEY',
      hint = 'Your account''s encryption key is still being made.';
  end if;

  insert into app_private.user_personal_data as p (user_id, phone, phone_lookup)
  values (v_user_id, app_hidden.encrypt_personal(v_user_id, v_phone),
          case when v_phone is not null then app_hidden.phone_lookup(v_phone) end)
  on conflict (user_id) do update
    set phone = excluded.phone, phone_lookup = excluded.phone_lookup, updated_at = app_hidden.clock_now();
  perform audit.record_event(v_event, 'success', subject_id => v_user_id,
    entity_type => 'user', entity_id => v_user_id::text,
    details => jsonb_build_object('removed', v_phone is null),
    personal_values => jsonb_build_object('phone', v_phone));
  return row(true, null, null, null)::app_public.outcome;
end;
$$;
comment on function app_public.change_phone(text, text) is
  'Sets your phone number (E.164, e.g. +14155550123), or removes it with null. Needs your password.';
grant execute on function app_public.change_phone(text, text) to app_authenticated;
