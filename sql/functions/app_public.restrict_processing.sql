/*
 * GDPR restriction of processing (Art. 18), by an administrator holding users:manage globally: the account is frozen
 * (status suspended, every session ended, logging in refused) and its data kept as it is — retention-date erasure
 * waits until the restriction is lifted. Lifting it makes the account active again. Both are audited.
 */
create or replace function app_public.restrict_processing(user_id uuid, restricted boolean) returns app_public.outcome
language plpgsql volatile security definer
set search_path to pg_catalog, pg_temp as $$
declare
  v_actor uuid := app_hidden.current_user_id();
  v_user app_public.users;
begin
  if v_actor is null or not app_hidden.user_has_permission(v_actor, 'users:manage', null) then
    perform audit.record_event('user.restrict', 'refused', reason => 'PERMS', subject_id => restrict_processing.user_id,
      severity => 'warning');
    return row(false, 'PERMS', 'You may not restrict accounts.', null)::app_public.outcome;
  end if;
  select u.* into v_user from app_public.users u where u.id = restrict_processing.user_id for update;
  if not found or v_user.erased_at is not null then
    perform audit.record_event('user.restrict', 'refused', reason => 'NTFND', subject_id => restrict_processing.user_id);
    return row(false, 'NTFND', 'There is no such account.', null)::app_public.outcome;
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
  perform audit.record_event('user.restrict', 'success', subject_id => v_user.id, entity_type => 'user',
    entity_id => v_user.id::text, severity => 'notice', details => jsonb_build_object('restricted', coalesce(restricted, false)));
  return row(true, null, null, null)::app_public.outcome;
end;
$$;
comment on function app_public.restrict_processing(uuid, boolean) is
  'Freezes an account and keeps its data as it is (GDPR restriction of processing), or lifts that (users:manage).';
grant execute on function app_public.restrict_processing(uuid, boolean) to app_authenticated;
