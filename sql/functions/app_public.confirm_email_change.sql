/*
 * Completes an email change with the token mailed to the new address: once, before it expires, while the account
 * still has the old address and the new one is still free. Both addresses are told.
 * Definer: looks the token up in app_private.email_changes and changes the address of the account.
 */
create or replace function app_public.confirm_email_change(token text) returns app_public.outcome
language plpgsql volatile security definer
set search_path to pg_catalog, extensions, pg_temp as $$
declare
  v_change app_private.email_changes;
  v_event constant text := 'user.email_change';
begin
  select c.* into v_change
  from app_private.email_changes c
  join app_public.users u on u.id = c.user_id and u.email = c.old_email and u.deleted_at is null
  where c.token_hash = app_private.link_token_hash(confirm_email_change.token)
    and c.used_at is null
    and c.token_expires_at > app_hidden.clock_now()
    and not exists (select 1 from app_public.users o where o.email = c.new_email and o.deleted_at is null)
  for update of c;
  if v_change.id is null then
    return app_private.refuse(null::app_public.outcome, v_event, 'LINKX',
      'This confirmation link is not valid: it may have been used already or have expired.');
  end if;

  update app_private.email_changes c set used_at = app_hidden.clock_now()
   where c.user_id = v_change.user_id and c.used_at is null;
  update app_public.users u
     set email = v_change.new_email, email_verified = true, email_verified_at = app_hidden.clock_now()
   where u.id = v_change.user_id;
  perform app_private.notify('email_changed', v_change.user_id, jsonb_build_object('new_email', v_change.new_email),
    recipient_email => v_change.old_email::text);
  perform app_private.notify('email_changed', v_change.user_id, jsonb_build_object('new_email', v_change.new_email));
  perform audit.record_event(v_event, 'success',
    personal_values => jsonb_build_object('old_email', v_change.old_email, 'new_email', v_change.new_email),
    subject_id => v_change.user_id, entity_type => 'email_change', entity_id => v_change.id::text);
  return row(true, null, null, null)::app_public.outcome;
end;
$$;
comment on function app_public.confirm_email_change(text) is
  'Confirms your new email address with the token mailed to it; from then on Gatehouse writes to the new address.';
grant execute on function app_public.confirm_email_change(text) to app_anonymous;
