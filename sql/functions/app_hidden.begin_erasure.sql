/*
 * Step one of erasing an account (the worker's users__erase), when it is due: deleted and past its grace period, or
 * past its retention_until date. Anonymises every clear personal column (app_private.personal_data_columns says
 * which), removes what only identified the person (sessions, devices, memberships, role grants, encrypted profile
 * fields), and returns the keys to destroy in the key store. Idempotent: run again, it returns the keys not yet
 * destroyed, and nothing else changes. Returns nothing when the account is not due (restored in time, say) or its
 * processing is restricted (the data must be kept as it is until the restriction is lifted).
 * Definer: anonymises app_public.users and deletes app_private rows (sessions, devices, history); app_worker may not.
 */
create or replace function app_hidden.begin_erasure(user_id uuid) returns setof uuid
language plpgsql volatile security definer
set search_path to pg_catalog, extensions, pg_temp as $$
declare
  v_user app_public.users;
  v_short text := left(replace(begin_erasure.user_id::text, '-', ''), 12);
begin
  select u.* into v_user from app_public.users u where u.id = begin_erasure.user_id for update;
  if not found then
    return;
  end if;
  if v_user.erased_at is null then
    if v_user.processing_restricted_at is not null
       or not ((v_user.status = 'deleted' and v_user.erasure_due_at <= app_hidden.clock_now())
               or v_user.retention_until <= (app_hidden.clock_now() at time zone 'UTC')::date) then
      return;
    end if;
    update app_public.users u set
      username = 'erased_' || v_short, email = v_short || '@erased.invalid',
      first_name = null, last_name = null, display_name = 'Erased account', avatar_url = null, bio = null,
      preferences = '{}', metadata = '{}', email_verified = false, email_verified_at = null,
      status = 'deleted', deleted_at = coalesce(u.deleted_at, app_hidden.clock_now()), erased_at = app_hidden.clock_now()
     where u.id = v_user.id;
    update app_private.user_security s
       set password_hash = crypt(encode(gen_random_bytes(32), 'base64'), gen_salt('bf', 4)), password_scheme = 'bcrypt'
     where s.user_id = v_user.id;
    delete from app_private.user_personal_data p where p.user_id = v_user.id;
    delete from app_private.sessions s where s.user_id = v_user.id;
    delete from app_private.known_devices d where d.user_id = v_user.id;
    delete from app_private.password_history h where h.user_id = v_user.id;
    delete from app_private.password_resets r where r.user_id = v_user.id;
    delete from app_private.email_changes c where c.user_id = v_user.id;
    delete from app_private.email_verifications v where v.user_id = v_user.id;
    delete from app_private.users_awaiting_key w where w.user_id = v_user.id;
    delete from app_private.marketing_deliveries d where d.user_id = v_user.id;
    delete from app_public.user_roles r where r.user_id = v_user.id;
    delete from app_public.project_members m where m.user_id = v_user.id;
    delete from app_public.memberships m where m.user_id = v_user.id;
    update app_public.invitations i set email = v_short || '@erased.invalid' where i.email = v_user.email;
  end if;
  return query
    select k.key_id from app_private.encryption_keys k where k.user_id = v_user.id and k.destroyed_at is null;
end;
$$;
comment on function app_hidden.begin_erasure(uuid) is
  'Anonymises a due account and returns its keys for the worker to destroy in the key store (step one of erasure).';
grant execute on function app_hidden.begin_erasure(uuid) to app_worker;
