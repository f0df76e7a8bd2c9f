/*
 * The one way a consent record is written: appends a grant or a withdrawal to the history (never updated, never
 * deleted), the client address encrypted to the account key, and audits it as consent.grant or consent.withdraw with
 * its purpose, version and any details the caller adds (how it was made: an unsubscribe link and its message).
 * Called by app_public.record_consent (signed in) and app_hidden.unsubscribe (a link, without signing in).
 * Definer: writes app_private.consents and audit.events, which no client role may write.
 */
create or replace function app_private.append_consent(
  user_id uuid,
  purpose text,
  version text,
  granted boolean,
  details jsonb default '{}'
) returns app_private.consents
language plpgsql volatile security definer
set search_path to pg_catalog, pg_temp as $$
declare
  v_row app_private.consents;
begin
  insert into app_private.consents (user_id, purpose, version, granted, ip)
  values (append_consent.user_id, append_consent.purpose, append_consent.version, append_consent.granted,
          app_hidden.encrypt_personal(append_consent.user_id, host(app_hidden.current_client_ip())))
  returning * into v_row;
  perform audit.record_event(case when v_row.granted then 'consent.grant' else 'consent.withdraw' end, 'success',
    subject_id => v_row.user_id, entity_type => 'consent', entity_id => v_row.id::text,
    details => coalesce(append_consent.details, '{}') || jsonb_build_object('purpose', v_row.purpose, 'version', v_row.version));
  return v_row;
end;
$$;
comment on function app_private.append_consent(uuid, text, text, boolean, jsonb) is
  'Appends a consent grant or withdrawal to the history and audits it (the one writer of app_private.consents).';
