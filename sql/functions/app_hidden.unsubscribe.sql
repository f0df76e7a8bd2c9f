/*
 * The one-click unsubscribe of a marketing mail (RFC 8058), without signing in: the token in the link withdraws the
 * consent of its account for marketing, once, until the link expires. The withdrawal is a new record of the same
 * consent history as recordConsent (granted false, at the version of the newest record for marketing), audited with
 * the request context; it is obeyed by the next marketing query (app_hidden.mail_recipient). Called by the gateway
 * route /unsubscribe as app_anonymous. A used, expired or unknown token is refused with LINKX, and audited.
 * Definer: reads and writes app_private.marketing_deliveries and app_private.consents, which no client role may.
 */
create or replace function app_hidden.unsubscribe(token text) returns app_public.outcome
language plpgsql volatile security definer
set search_path to pg_catalog, pg_temp as $$
declare
  v_event constant text := 'consent.withdraw';
  v_delivery app_private.marketing_deliveries;
  v_version text;
begin
  update app_private.marketing_deliveries d set token_used_at = app_hidden.clock_now()
   where d.token_hash = app_private.link_token_hash(unsubscribe.token)
     and d.token_used_at is null
     and d.token_expires_at > app_hidden.clock_now()
  returning d.* into v_delivery;
  if v_delivery.user_id is null then
    return app_private.refuse(null::app_public.outcome, v_event, 'LINKX',
      'This unsubscribe link is not valid: it may have been used already or have expired.',
      details => jsonb_build_object('purpose', 'marketing', 'via', 'unsubscribe_link'));
  end if;
  select c.version into v_version from app_private.consents c
   where c.user_id = v_delivery.user_id and c.purpose = 'marketing'
   order by c.recorded_at desc, c.id desc limit 1;
  perform app_private.append_consent(v_delivery.user_id, 'marketing', coalesce(v_version, 'unknown'), false,
    jsonb_build_object('via', 'unsubscribe_link', 'message_id', v_delivery.message_id));
  return row(true, null, null, null)::app_public.outcome;
end;
$$;
comment on function app_hidden.unsubscribe(text) is
  'Withdraws the marketing consent of the account a one-click unsubscribe token was sent to (once, without signing in).';
grant execute on function app_hidden.unsubscribe(text) to app_anonymous;
