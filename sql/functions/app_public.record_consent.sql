/*
 * Records that you gave (granted = true) or withdrew (false) consent for a purpose (terms, marketing, analytics) at a
 * version of its text. Consents are an append-only history: the current state of a purpose is its newest record. The
 * client address of each record is kept encrypted to your key, like every personal value.
 * Definer: writes app_private.consents, which no client role may write.
 */
create or replace function app_public.record_consent(purpose text, version text, granted boolean) returns app_public.consent
language plpgsql volatile security definer
set search_path to pg_catalog, pg_temp as $$
declare
  v_user_id uuid := app_hidden.current_user_id();
  v_row app_private.consents;
begin
  if v_user_id is null then
    raise exception 'You must log in to record a consent.' using errcode = 'LOGIN';
  end if;
  if record_consent.purpose is null or record_consent.purpose not in ('terms', 'marketing', 'analytics') then
    raise exception 'Unknown consent purpose.' using errcode = 'INVAL', hint = 'Use terms, marketing or analytics.';
  end if;
  if record_consent.version is null or record_consent.version !~ '^[A-Za-z0-9][A-Za-z0-9._-]{0,39}$' or record_consent.granted is null then
    raise exception 'A consent needs the version of the text and whether it is given.' using errcode = 'INVAL',
      hint = 'version: 1 to 40 letters, digits, dots, dashes; granted: true or false.';
  end if;
  insert into app_private.consents (user_id, purpose, version, granted, ip)
  values (v_user_id, record_consent.purpose, record_consent.version, record_consent.granted,
          app_hidden.encrypt_personal(v_user_id, host(app_hidden.current_client_ip())))
  returning * into v_row;
  perform audit.record_event(case when record_consent.granted then 'consent.grant' else 'consent.withdraw' end, 'success',
    subject_id => v_user_id, entity_type => 'consent', entity_id => v_row.id::text,
    details => jsonb_build_object('purpose', v_row.purpose, 'version', v_row.version));
  return row(v_row.id, v_row.purpose, v_row.version, v_row.granted, v_row.recorded_at)::app_public.consent;
end;
$$;
comment on function app_public.record_consent(text, text, boolean) is
  'Gives (granted: true) or withdraws (false) your consent for a purpose: terms, marketing or analytics.';
grant execute on function app_public.record_consent(text, text, boolean) to app_authenticated;
