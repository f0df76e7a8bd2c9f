/*
 * Moving an account to a new address needs the password (re-authentication, ASVS 7.5.1). The new address gets a link
 * (users__send_email_change), the old one a notice; the address changes only when the link is followed. If the new
 * address already belongs to an account, the answer is the same as for a free one (no enumeration) and the owner of
 * that address is told instead.
 * Definer: checks the password (app_private.require_password) and writes app_private.email_changes.
 */
create or replace function app_public.change_email(new_email text, password text) returns app_public.outcome
language plpgsql volatile security definer
set search_path to pg_catalog, extensions, pg_temp as $$
declare
  v_user_id uuid := app_hidden.current_user_id();
  v_user app_public.users;
  v_new citext := btrim(change_email.new_email);
  v_owner uuid;
  v_change_id uuid;
  v_retry integer;
  v_event constant text := 'user.email_change_request';
  v_refused app_public.outcome;
begin
  v_refused := app_private.require_login(null::app_public.outcome, v_event, 'You must log in to change your email address.');
  if v_refused.refusal_code is not null then return v_refused; end if;
  if v_new is null or length(v_new) > 254 or v_new !~ '^[^@[:space:]]+@[^@[:space:]]+\.[^@[:space:]]+$' then
    raise exception 'That is not an email address.' using errcode = 'INVAL', hint = 'Check the address.';
  end if;

  v_retry := app_private.rate_limit_hit('email_change:account:' || v_user_id::text,
    config.setting_integer('rate_limit.email_change_per_account.max'),
    config.setting_interval('rate_limit.email_change_per_account.window'));
  if v_retry is not null then
    return app_private.refuse(null::app_public.outcome, v_event, 'LIMIT',
      format('Too many requests: try again in %s seconds.', v_retry), subject_id => v_user_id, retry_after => v_retry);
  end if;

  select u.* into v_user from app_public.users u where u.id = v_user_id;
  v_refused := app_private.require_password(null::app_public.outcome, v_event, v_user_id, password);
  if v_refused.refusal_code is not null then return v_refused; end if;
  if v_new = v_user.email then
    raise exception 'That is already your email address.' using errcode = 'INVAL', hint = 'Give a different address.';
  end if;

  select u.id into v_owner from app_public.users u where u.email = v_new and u.deleted_at is null;
  if v_owner is not null then
    perform app_private.notify('email_in_use_attempt', v_owner);
    /* Answered as a success: the caller must not learn that the address has an account. */
    perform app_private.record_refusal(v_event, null, 'email_in_use', subject_id => v_user_id);
    return row(true, null, null, null)::app_public.outcome;
  end if;

  insert into app_private.email_changes (user_id, old_email, new_email)
  values (v_user_id, v_user.email, v_new)
  returning id into v_change_id;
  perform graphile_worker.add_job('users__send_email_change', json_build_object('change_id', v_change_id));
  perform app_private.notify('email_change_requested', v_user_id, jsonb_build_object('new_email', v_new));
  perform audit.record_event(v_event, 'success', subject_id => v_user_id,
    entity_type => 'email_change', entity_id => v_change_id::text);
  return row(true, null, null, null)::app_public.outcome;
end;
$$;
comment on function app_public.change_email(text, text) is
  'Starts moving your account to a new email address: needs your password; the address changes when you follow the link mailed to it.';
grant execute on function app_public.change_email(text, text) to app_anonymous;
