/*
 * Always the same answer, whether or not the address has an account, and nothing is sent for an unknown one. The
 * request records the client address; the worker mints the token (users__send_password_reset) and mails the link.
 * At most rate_limit.password_reset_per_address requests per address, counted for every submitted address alike.
 * Definer: writes app_private.password_resets and looks up accounts the caller may not see.
 */
create or replace function app_public.request_password_reset(email text) returns app_public.outcome
language plpgsql volatile security definer
set search_path to pg_catalog, extensions, pg_temp as $$
declare
  v_email citext := btrim(request_password_reset.email);
  v_user_id uuid;
  v_reset_id uuid;
  v_retry integer;
  v_event constant text := 'auth.password_reset_request';
begin
  /* Per client IP first (one caller asking for many addresses), then per submitted address; both before anything else. */
  v_retry := app_private.rate_limit_hit(app_private.client_ip_bucket('password_reset'),
    config.setting_integer('rate_limit.password_reset_per_client_ip.max'),
    config.setting_interval('rate_limit.password_reset_per_client_ip.window'));
  if v_retry is not null then
    return app_private.refuse(null::app_public.outcome, v_event, 'LIMIT',
      format('Too many requests from your network: try again in %s seconds.', v_retry), reason => 'client_ip_limit',
      retry_after => v_retry);
  end if;
  v_retry := app_private.rate_limit_hit('password_reset:email_address:' || lower(left(coalesce(v_email::text, ''), 254)),
    config.setting_integer('rate_limit.password_reset_per_email_address.max'),
    config.setting_interval('rate_limit.password_reset_per_email_address.window'));
  if v_retry is not null then
    return app_private.refuse(null::app_public.outcome, v_event, 'LIMIT',
      format('Too many requests for this address: try again in %s seconds.', v_retry), retry_after => v_retry);
  end if;

  select u.id into v_user_id from app_public.users u
  where u.email = v_email and u.deleted_at is null and u.status in ('active', 'inactive');
  if v_user_id is not null then
    insert into app_private.password_resets (user_id, email, requested_from)
    values (v_user_id, v_email, app_hidden.encrypt_personal(v_user_id, jsonb_strip_nulls(jsonb_build_object(
              'ip', host(app_hidden.current_client_ip()), 'user_agent', left(app_hidden.current_user_agent(), 512)))::text))
    returning id into v_reset_id;
    perform graphile_worker.add_job('users__send_password_reset', json_build_object('reset_id', v_reset_id));
  end if;
  /* The same answer with or without an account: the refusal is recorded, not told. */
  if v_user_id is null then
    perform app_private.record_refusal(v_event, null, 'no_account');
  else
    perform audit.record_event(v_event, 'success', subject_id => v_user_id,
      entity_type => 'password_reset', entity_id => v_reset_id::text);
  end if;
  return row(true, null, null, null)::app_public.outcome;
end;
$$;
comment on function app_public.request_password_reset(text) is
  'Mails a link to choose a new password, if the address belongs to an account. The answer is the same either way.';
grant execute on function app_public.request_password_reset(text) to app_anonymous;
