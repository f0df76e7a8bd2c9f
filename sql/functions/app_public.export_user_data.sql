/*
 * An administrator's export of everything held about one account (answering a data subject request on their behalf):
 * needs users:export globally. Refusals and exports are audited, with the administrator as actor.
 */
create or replace function app_public.export_user_data(user_id uuid) returns app_public.data_export
language plpgsql volatile security definer
set search_path to pg_catalog, pg_temp as $$
declare
  v_actor uuid := app_hidden.current_user_id();
begin
  if v_actor is null or not app_hidden.user_has_permission(v_actor, 'users:export', null) then
    perform audit.record_event('user.export', 'refused', reason => 'PERMS', subject_id => export_user_data.user_id,
      severity => 'warning');
    return row(null, 'PERMS', 'You may not export accounts: this needs the users:export permission.')::app_public.data_export;
  end if;
  if not exists (select 1 from app_public.users u where u.id = export_user_data.user_id) then
    perform audit.record_event('user.export', 'refused', reason => 'NTFND', subject_id => export_user_data.user_id);
    return row(null, 'NTFND', 'There is no such account.')::app_public.data_export;
  end if;
  perform audit.record_event('user.export', 'success', subject_id => export_user_data.user_id, entity_type => 'user',
    entity_id => export_user_data.user_id::text, severity => 'notice', details => jsonb_build_object('requested_by', 'admin'));
  return row(app_hidden.personal_data_document(export_user_data.user_id), null, null)::app_public.data_export;
end;
$$;
comment on function app_public.export_user_data(uuid) is
  'Everything held about an account, as one JSON document (users:export, global). Audited.';
grant execute on function app_public.export_user_data(uuid) to app_authenticated;
