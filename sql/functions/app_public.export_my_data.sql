/*
 * GDPR access and portability: everything Gatehouse holds about you, as one JSON document (one section per table),
 * decrypted by the gateway on the way out. Every export is audited.
 * Definer: reads every table that holds personal data of the caller, app_private ones included.
 */
create or replace function app_public.export_my_data() returns app_public.data_export
language plpgsql volatile security definer
set search_path to pg_catalog, pg_temp as $$
declare
  v_user_id uuid := app_hidden.current_user_id();
  v_event constant text := 'user.export';
  v_refused app_public.data_export;
begin
  v_refused := app_private.require_login(null::app_public.data_export, v_event, 'You must log in to export your data.');
  if v_refused.refusal_code is not null then return v_refused; end if;
  perform audit.record_event(v_event, 'success', subject_id => v_user_id, entity_type => 'user',
    entity_id => v_user_id::text, details => jsonb_build_object('requested_by', 'self'));
  return row(app_hidden.personal_data_document(v_user_id), null, null)::app_public.data_export;
end;
$$;
comment on function app_public.export_my_data() is
  'Everything held about you, as one JSON document (GDPR access and portability). Audited.';
grant execute on function app_public.export_my_data() to app_authenticated;
