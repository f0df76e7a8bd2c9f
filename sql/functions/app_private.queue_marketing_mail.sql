/*
 * Queues a product-news message for a list of accounts: stores the message, then one marketing__send job per 100
 * accounts, in this transaction. Nobody is filtered here: each job asks app_hidden.mail_recipient(user_id, purpose)
 * just before each mail, so consent is decided when the mail goes, and a withdrawal between now and then is obeyed.
 * The owner runs it (an operator, from psql); no API role may. Audited as marketing.queue.
 * Definer: writes app_private.marketing_messages and queues jobs; an owner-only helper on app_private.
 */
create or replace function app_private.queue_marketing_mail(subject text, body text, user_ids uuid[]) returns uuid
language plpgsql volatile security definer
set search_path to pg_catalog, pg_temp as $$
declare
  v_batch constant integer := 100;
  v_id uuid;
  v_ids uuid[];
  v_jobs integer := 0;
begin
  select coalesce(array_agg(distinct x) filter (where x is not null), '{}') into v_ids from unnest(queue_marketing_mail.user_ids) x;
  if cardinality(v_ids) = 0 then
    raise exception 'A marketing mail needs at least one recipient.' using errcode = 'INVAL', hint = 'Pass the account ids.';
  end if;
  if queue_marketing_mail.subject is null or length(queue_marketing_mail.subject) not between 1 and 200
     or queue_marketing_mail.subject ~ '[[:cntrl:]]'
     or queue_marketing_mail.body is null or length(queue_marketing_mail.body) not between 1 and 20000 then
    raise exception 'A marketing mail needs a subject (one line, up to 200 characters) and a body (up to 20000).'
      using errcode = 'INVAL', hint = 'Shorten the subject or the body.';
  end if;
  insert into app_private.marketing_messages (subject, body)
  values (queue_marketing_mail.subject, queue_marketing_mail.body)
  returning id into v_id;
  for i in 1 .. cardinality(v_ids) by v_batch loop
    perform graphile_worker.add_job('marketing__send',
      json_build_object('message_id', v_id, 'user_ids', v_ids[i : i + v_batch - 1]));
    v_jobs := v_jobs + 1;
  end loop;
  perform audit.record_event('marketing.queue', 'success',
    jsonb_build_object('recipients', cardinality(v_ids), 'jobs', v_jobs),
    entity_type => 'marketing_message', entity_id => v_id::text);
  return v_id;
end;
$$;
comment on function app_private.queue_marketing_mail(text, text, uuid[]) is
  'Stores a marketing message and queues its sending to the given accounts (those that consent when it goes).';
