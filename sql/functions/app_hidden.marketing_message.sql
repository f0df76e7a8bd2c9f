/*
 * The subject and body of a marketing message, for the job that sends it; no row once the message is deleted.
 * Definer: reads app_private.marketing_messages, on which app_marketing holds no right.
 */
create or replace function app_hidden.marketing_message(message_id uuid)
returns table (subject text, body text)
language sql stable security definer
set search_path to pg_catalog, pg_temp as $$
  select m.subject, m.body from app_private.marketing_messages m where m.id = marketing_message.message_id
$$;
comment on function app_hidden.marketing_message(uuid) is 'The subject and body of a marketing message, for the job that sends it.';
grant execute on function app_hidden.marketing_message(uuid) to app_marketing;
