/*
 * Records that you gave (granted = true) or withdrew (false) consent for a purpose (terms, marketing, analytics) at a
 * version of its text. Consents are an append-only history: the current state of a purpose is its newest record
 * (app_private.consent_granted), and the marketing sender and the analytics schema obey it from the next query on
 * (docs/consent.md). The client address of each record is kept encrypted to your key, like every personal value.
 * Definer: writes the history through app_private.append_consent, which no client role may call.
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
  v_row := app_private.append_consent(v_user_id, record_consent.purpose, record_consent.version, record_consent.granted);
  return row(v_row.id, v_row.purpose, v_row.version, v_row.granted, v_row.recorded_at)::app_public.consent;
end;
$$;
comment on function app_public.record_consent(text, text, boolean) is
  'Gives (granted: true) or withdraws (false) your consent for a purpose: terms, marketing or analytics.';
grant execute on function app_public.record_consent(text, text, boolean) to app_authenticated;
