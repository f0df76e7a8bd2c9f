/*
 * GDPR access and portability: everything Gatehouse holds about you, as one JSON document (one section per table),
 * decrypted by the gateway on the way out. Every export is audited.
 */
create or replace function app_public.export_my_data() returns app_public.data_export
language plpgsql volatile security definer
set search_path to pg_catalog, pg_temp as $$
declare
  v_user_id uuid := app_hidden.current_user_id();
begin
  if v_user_id is null then
    perform audit.record_event('user.export', 'refused', reason => 'LOGIN', severity => 'notice');
    return row(null, 'LOGIN', 'You must log in to export your data.')::app_public.data_export;
  end if;
  perform audit.record_event('user.export', 'success', subject_id => v_user_id, entity_type => 'user',
    entity_id => v_user_id::text, details => jsonb_build_object('requested_by', 'self'));
  return row(app_hidden.personal_data_document(v_user_id), null, null)::app_public.data_export;
end;
$$;
comment on function app_public.export_my_data() is
  'Everything held about you, as one JSON document (GDPR access and portability). Audited.';
grant execute on function app_public.export_my_data() to app_authenticated;
