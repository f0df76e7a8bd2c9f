/*
 * Always the same answer, so it tells nothing about which addresses have accounts. A mail goes out only to an
 * unverified account, and at most once per auth.verification_resend_interval; requests per address are rate-limited.
 * Definer: looks up accounts the caller may not see and writes app_private.email_verifications.
 */
create or replace function app_public.resend_verification(email text) returns app_public.outcome
language plpgsql volatile security definer
set search_path to pg_catalog, extensions, pg_temp as $$
declare
  v_user_id uuid;
  v_request uuid;
  v_retry integer;
  v_event constant text := 'user.verification_resend';
begin
  v_retry := app_private.rate_limit_hit(app_private.client_ip_bucket('verification_resend'),
    config.setting_integer('rate_limit.verification_resend_per_client_ip.max'),
    config.setting_interval('rate_limit.verification_resend_per_client_ip.window'));
  if v_retry is not null then
    return app_private.refuse(null::app_public.outcome, v_event, 'LIMIT',
      format('Too many requests from your network: try again in %s seconds.', v_retry), reason => 'client_ip_limit',
      retry_after => v_retry);
  end if;
  /* Counted per submitted address, whether or not it has an account, so the answer still tells nothing. */
  v_retry := app_private.rate_limit_hit('verification_resend:email_address:' || lower(left(btrim(coalesce(email, '')), 254)),
    config.setting_integer('rate_limit.verification_resend_per_email_address.max'),
    config.setting_interval('rate_limit.verification_resend_per_email_address.window'));
  if v_retry is not null then
    return app_private.refuse(null::app_public.outcome, v_event, 'LIMIT',
      format('Too many requests for this address: try again in %s seconds.', v_retry), retry_after => v_retry);
  end if;
  select u.id into v_user_id from app_public.users u
  where u.email = btrim(resend_verification.email)::citext and u.deleted_at is null and not u.email_verified;
  if v_user_id is not null then
    v_request := app_private.request_email_verification(v_user_id);
  end if;
  /* The same answer whatever happened: a refusal is recorded, not told. */
  if v_request is null then
    perform app_private.record_refusal(v_event, null,
      case when v_user_id is null then 'no_unverified_account' else 'throttled' end, subject_id => v_user_id);
  else
    perform audit.record_event(v_event, 'success', subject_id => v_user_id);
  end if;
  return row(true, null, null, null)::app_public.outcome;
end;
$$;
comment on function app_public.resend_verification(text) is
  'Sends a new verification mail if the address belongs to an account that is not yet verified.';
grant execute on function app_public.resend_verification(text) to app_anonymous;
