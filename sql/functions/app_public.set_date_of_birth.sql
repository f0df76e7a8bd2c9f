/*
 * Sets (or, with null, removes) your date of birth: stored only encrypted to your own key. Rectification needs no
 * password; the change is audited with the new value in the event's encrypted part.
 * Definer: writes app_private.user_personal_data (encrypted), which no client role may write.
 */
create or replace function app_public.set_date_of_birth(date_of_birth date) returns app_public.outcome
language plpgsql volatile security definer
set search_path to pg_catalog, pg_temp as $$
declare
  v_user_id uuid := app_hidden.current_user_id();
  v_refused app_public.outcome;
begin
  v_refused := app_private.require_login(null::app_public.outcome, 'user.profile_update',
    'You must log in to change your date of birth.');
  if v_refused.refusal_code is not null then return v_refused; end if;
  if set_date_of_birth.date_of_birth is not null
     and (set_date_of_birth.date_of_birth < date '1900-01-01'
          or set_date_of_birth.date_of_birth > (app_hidden.clock_now() at time zone 'UTC')::date) then
    raise exception 'That date of birth is not possible.' using errcode = 'INVAL',
      hint = 'Give a date between 1900-01-01 and today.';
  end if;
  if not app_hidden.user_key_assigned(v_user_id) then
    raise exception 'Your date of birth cannot be stored yet: try again in a minute.' using errcode = 'NOKEY',
      hint = 'Your account''s encryption key is still being made.';
  end if;
  insert into app_private.user_personal_data as p (user_id, date_of_birth)
  values (v_user_id, app_hidden.encrypt_personal(v_user_id, set_date_of_birth.date_of_birth::text))
  on conflict (user_id) do update set date_of_birth = excluded.date_of_birth, updated_at = app_hidden.clock_now();
  perform audit.record_event('user.profile_update', 'success', subject_id => v_user_id,
    entity_type => 'user', entity_id => v_user_id::text, details => jsonb_build_object('fields', jsonb_build_array('date_of_birth')),
    personal_values => jsonb_build_object('date_of_birth', set_date_of_birth.date_of_birth));
  return row(true, null, null, null)::app_public.outcome;
end;
$$;
comment on function app_public.set_date_of_birth(date) is 'Sets your date of birth, or removes it with null.';
grant execute on function app_public.set_date_of_birth(date) to app_authenticated;
