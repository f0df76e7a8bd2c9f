/*
 * A token works once, until it expires, and only while the account still has the address it was sent to. Lookup is by
 * the SHA-256 of the presented token through a unique index: nothing is compared byte by byte with a stored secret.
 * Definer: looks the token up in app_private.email_verifications, which no client role may read.
 */
create or replace function app_public.verify_email(token text) returns app_public.outcome
language plpgsql volatile security definer
set search_path to pg_catalog, extensions, pg_temp as $$
declare
  v_user_id uuid;
  v_verification_id uuid;
  v_event constant text := 'user.email_verify';
begin
  update app_private.email_verifications v
     set used_at = app_hidden.clock_now()
    from app_public.users u
   where v.token_hash = app_private.link_token_hash(verify_email.token)
     and v.used_at is null
     and v.token_expires_at > app_hidden.clock_now()
     and u.id = v.user_id
     and u.email = v.email
     and u.deleted_at is null
  returning v.user_id, v.id into v_user_id, v_verification_id;
  if v_user_id is null then
    return app_private.refuse(null::app_public.outcome, v_event, 'LINKX',
      'This verification link is not valid: it may have been used already or have expired.');
  end if;
  update app_public.users u set email_verified = true, email_verified_at = app_hidden.clock_now()
   where u.id = v_user_id and not u.email_verified;
  perform audit.record_event(v_event, 'success', subject_id => v_user_id,
    entity_type => 'email_verification', entity_id => v_verification_id::text);
  return row(true, null, null, null)::app_public.outcome;
end;
$$;
comment on function app_public.verify_email(text) is 'Confirms your email address with the token from the verification mail.';
grant execute on function app_public.verify_email(text) to app_anonymous;
