/*
 * An administrator's export of everything held about one account (answering a data subject request on their behalf):
 * needs users:export globally. Refusals and exports are audited, with the administrator as actor.
 * Definer: reads every table that holds personal data of the account, app_private ones included.
 */
create or replace function app_public.export_user_data(user_id uuid) returns app_public.data_export
language plpgsql volatile security definer
set search_path to pg_catalog, pg_temp as $$
declare
  v_event constant text := 'user.export';
  v_refused app_public.data_export;
begin
  v_refused := app_private.require_permission(null::app_public.data_export, v_event, 'users:export', null,
    'You may not export accounts: this needs the users:export permission.', subject_id => export_user_data.user_id);
  if v_refused.refusal_code is not null then return v_refused; end if;
  if not exists (select 1 from app_public.users u where u.id = export_user_data.user_id) then
    return app_private.refuse(null::app_public.data_export, v_event, 'NTFND', 'There is no such account.',
      subject_id => export_user_data.user_id);
  end if;
  perform audit.record_event(v_event, 'success', subject_id => export_user_data.user_id, entity_type => 'user',
    entity_id => export_user_data.user_id::text, severity => 'notice', details => jsonb_build_object('requested_by', 'admin'));
  return row(app_hidden.personal_data_document(export_user_data.user_id), null, null)::app_public.data_export;
end;
$$;
comment on function app_public.export_user_data(uuid) is
  'Everything held about an account, as one JSON document (users:export, global). Audited.';
grant execute on function app_public.export_user_data(uuid) to app_authenticated;
