/*
 * Called by a marketing job once the mail server accepted the mail: a retried job does not send it again.
 * Definer: writes app_private.marketing_deliveries, on which app_marketing holds no right.
 */
create or replace function app_hidden.mark_marketing_sent(message_id uuid, user_id uuid) returns void
language sql volatile security definer
set search_path to pg_catalog, pg_temp as $$
  update app_private.marketing_deliveries d set sent_at = app_hidden.clock_now()
  where d.message_id = mark_marketing_sent.message_id and d.user_id = mark_marketing_sent.user_id and d.sent_at is null
$$;
comment on function app_hidden.mark_marketing_sent(uuid, uuid) is 'Records that a marketing mail was handed to the mail server.';
grant execute on function app_hidden.mark_marketing_sent(uuid, uuid) to app_marketing;
