/*
 * Records a request to verify the account's current address and queues the mail in the same transaction. The token
 * is minted later by the worker (users__send_verification); this function never sees it. Requests closer together than
 * auth.verification_resend_interval are dropped: returns null then.
 * Definer: writes app_private.email_verifications, reads any account in app_public.users and queues a
 * graphile_worker job; no client role may do these.
 */
create or replace function app_private.request_email_verification(user_id uuid) returns uuid
language plpgsql volatile security definer
set search_path to pg_catalog, pg_temp as $$
declare
  v_id uuid;
begin
  if exists (
    select 1 from app_private.email_verifications v
    where v.user_id = request_email_verification.user_id
      and v.created_at > app_hidden.clock_now() - config.setting_interval('auth.verification_resend_interval')
  ) then
    return null;
  end if;
  insert into app_private.email_verifications (user_id, email)
  select u.id, u.email from app_public.users u
  where u.id = request_email_verification.user_id and not u.email_verified and u.deleted_at is null
  returning id into v_id;
  if v_id is not null then
    perform graphile_worker.add_job('users__send_verification', json_build_object('verification_id', v_id));
  end if;
  return v_id;
end;
$$;
comment on function app_private.request_email_verification(uuid) is
  'Queues a verification mail for an unverified account (throttled); returns the request id, or null when dropped.';
