/*
 * GDPR restriction of processing (Art. 18), by an administrator holding users:manage globally: the account is frozen
 * (status suspended, every session ended, logging in refused) and its data kept as it is — retention-date erasure
 * waits until the restriction is lifted. Lifting it makes the account active again. Both are audited.
 * Definer: changes the status of another account and ends its rows of app_private.sessions.
 */
create or replace function app_public.restrict_processing(user_id uuid, restricted boolean) returns app_public.outcome
language plpgsql volatile security definer
set search_path to pg_catalog, pg_temp as $$
declare
  v_user app_public.users;
  v_event constant text := 'user.restrict';
  v_refused app_public.outcome;
begin
  v_refused := app_private.require_permission(null::app_public.outcome, v_event, 'users:manage', null,
    'You may not restrict accounts.', subject_id => restrict_processing.user_id);
  if v_refused.refusal_code is not null then return v_refused; end if;
  select u.* into v_user from app_public.users u where u.id = restrict_processing.user_id for update;
  if not found or v_user.erased_at is not null then
    return app_private.refuse(null::app_public.outcome, v_event, 'NTFND', 'There is no such account.',
      subject_id => restrict_processing.user_id);
  end if;
  if coalesce(restricted, false) then
    update app_public.users u set processing_restricted_at = coalesce(u.processing_restricted_at, app_hidden.clock_now()),
                                  status = case when u.status = 'deleted' then u.status else 'suspended' end
     where u.id = v_user.id;
    update app_private.sessions s set revoked_at = app_hidden.clock_now(), revoked_reason = 'processing_restricted'
     where s.user_id = v_user.id and s.revoked_at is null;
  else
    update app_public.users u set processing_restricted_at = null,
                                  status = case when u.status = 'suspended' then 'active' else u.status end
     where u.id = v_user.id;
  end if;
  perform audit.record_event(v_event, 'success', subject_id => v_user.id, entity_type => 'user',
    entity_id => v_user.id::text, severity => 'notice', details => jsonb_build_object('restricted', coalesce(restricted, false)));
  return row(true, null, null, null)::app_public.outcome;
end;
$$;
comment on function app_public.restrict_processing(uuid, boolean) is
  'Freezes an account and keeps its data as it is (GDPR restriction of processing), or lifts that (users:manage).';
grant execute on function app_public.restrict_processing(uuid, boolean) to app_authenticated;
