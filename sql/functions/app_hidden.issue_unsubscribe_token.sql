/*
 * Called by a marketing job with the hash of the unsubscribe token it minted for one mail (the token itself never
 * reaches the database): records the delivery of the message to the account and returns until when the link works,
 * or null when the message already went to that account (a retried job skips it). A retry of a mail that was not
 * sent replaces the token, so a link that never went out never works. It returns no address: the job has that from
 * app_hidden.mail_recipient(user_id, purpose), in the same transaction, just before.
 * Definer: writes app_private.marketing_deliveries, on which app_marketing holds no right.
 */
create or replace function app_hidden.issue_unsubscribe_token(message_id uuid, user_id uuid, token_hash bytea)
returns timestamptz
language sql volatile security definer
set search_path to pg_catalog, pg_temp as $$
  insert into app_private.marketing_deliveries as d (message_id, user_id, token_hash, token_expires_at)
  values (issue_unsubscribe_token.message_id, issue_unsubscribe_token.user_id, issue_unsubscribe_token.token_hash,
          app_hidden.clock_now() + config.setting_interval('marketing.unsubscribe_link_ttl'))
  on conflict (message_id, user_id) do update
    set token_hash = excluded.token_hash, token_expires_at = excluded.token_expires_at
    where d.sent_at is null
  returning d.token_expires_at
$$;
comment on function app_hidden.issue_unsubscribe_token(uuid, uuid, bytea) is
  'Records a marketing delivery with the hash of its unsubscribe token; null when that mail was sent already.';
grant execute on function app_hidden.issue_unsubscribe_token(uuid, uuid, bytea) to app_marketing;
