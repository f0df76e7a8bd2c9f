/*
 * Queues a security notification mail for an account (the worker's users__notify task renders it by kind), in the
 * caller's transaction. What happened is the kind; when, from which address and device are taken from the request
 * context here, so every notification can say them. `recipient_email` sends it to another address than the account's current one
 * (the old address, after an email change).
 * Definer: queues a graphile_worker job, which no client role may (only app_worker, of which the owner is a member);
 * definer like every function on app_private, so it stays safe whoever calls it.
 */
create or replace function app_private.notify(kind text, user_id uuid, details jsonb default '{}', recipient_email text default null)
returns void
language plpgsql volatile security definer
set search_path to pg_catalog, pg_temp as $$
begin
  perform graphile_worker.add_job('users__notify', jsonb_build_object(
    'kind', kind,
    'user_id', user_id,
    'to', recipient_email,
    'at', app_hidden.clock_now(),
    'ip', host(app_hidden.current_client_ip()),
    'user_agent', app_hidden.current_user_agent(),
    'details', coalesce(details, '{}')
  )::json);
end;
$$;
comment on function app_private.notify(text, uuid, jsonb, text) is
  'Queues a notification mail of the given kind for an account, with the time, address and device of this request.';
