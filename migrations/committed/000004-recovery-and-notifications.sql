--! Previous: sha1:143c821b48bf9528b3bd132316b5d4edd3f76263
--! Hash: sha1:b6b27fbff665128056ceaaad6ac67b32e8426dcf
--! Message: recovery-and-notifications

-- Password reset, changing the email address, and security notifications.

/* current.sql is re-run on every save by `npm run db:watch`: start from a clean slate so it stays idempotent. */
drop table if exists app_private.password_resets, app_private.email_changes, app_private.known_devices cascade;
drop function if exists app_private.notify(text, uuid, jsonb, text);
delete from config.system_settings where key in (
  'auth.password_reset_token_ttl', 'auth.email_change_token_ttl',
  'rate_limit.password_reset_per_address.max', 'rate_limit.password_reset_per_address.window',
  'rate_limit.email_change_per_account.max', 'rate_limit.email_change_per_account.window');

insert into config.system_settings (key, value_type, default_value, value, min_value, max_value, is_public, description)
select key, value_type, default_value, default_value, min_value, max_value, is_public, description
from (values
  ('auth.password_reset_token_ttl', 'interval', '"1 hour"'::jsonb, null::numeric, null::numeric, false,
    'Lifetime of a password reset link.'),
  ('auth.email_change_token_ttl', 'interval', '"24 hours"', null, null, false,
    'Lifetime of the link that confirms a new email address.'),
  ('rate_limit.password_reset_per_address.max', 'integer', '3', 1, 100000, false,
    'Password reset requests per submitted address per window.'),
  ('rate_limit.password_reset_per_address.window', 'interval', '"1 hour"', null, null, false,
    'Window of rate_limit.password_reset_per_address.'),
  ('rate_limit.email_change_per_account.max', 'integer', '5', 1, 100000, false,
    'Email change requests per account per window.'),
  ('rate_limit.email_change_per_account.window', 'interval', '"1 hour"', null, null, false,
    'Window of rate_limit.email_change_per_account.')
) as defaults (key, value_type, default_value, min_value, max_value, is_public, description);

/* ------------------------------------------------------------------------------------------------------------------
 * Password resets and email changes: like verification, the database records the request and queues a job; the worker
 * mints the token and stores only its hash. No plaintext token is ever written to the database.
 */
create table app_private.password_resets (
  id uuid primary key default gen_random_uuid(),
  user_id uuid not null references app_public.users (id) on delete cascade,
  email citext not null,
  requested_at timestamptz not null default app_hidden.clock_now(),
  requested_ip inet,
  requested_user_agent text check (length(requested_user_agent) <= 512),
  token_hash bytea unique check (length(token_hash) = 32),
  token_expires_at timestamptz,
  used_at timestamptz,
  check ((token_hash is null) = (token_expires_at is null))
);
comment on table app_private.password_resets is 'Password reset requests; the token hash is stored when the worker sends the mail.';
create index password_resets_user_idx on app_private.password_resets (user_id, requested_at desc);

create table app_private.email_changes (
  id uuid primary key default gen_random_uuid(),
  user_id uuid not null references app_public.users (id) on delete cascade,
  old_email citext not null,
  new_email citext not null check (length(new_email) <= 254),
  requested_at timestamptz not null default app_hidden.clock_now(),
  requested_ip inet,
  requested_user_agent text check (length(requested_user_agent) <= 512),
  token_hash bytea unique check (length(token_hash) = 32),
  token_expires_at timestamptz,
  used_at timestamptz,
  check ((token_hash is null) = (token_expires_at is null))
);
comment on table app_private.email_changes is
  'Requests to move an account to a new address; the address changes only when the link sent to it is followed.';
create index email_changes_user_idx on app_private.email_changes (user_id, requested_at desc);

/* Devices an account has logged in from, by a hash of the user agent: a login from a new one is mailed once. */
create table app_private.known_devices (
  user_id uuid not null references app_public.users (id) on delete cascade,
  device_hash bytea not null check (length(device_hash) = 32),
  first_seen_at timestamptz not null default app_hidden.clock_now(),
  last_seen_at timestamptz not null default app_hidden.clock_now(),
  primary key (user_id, device_hash)
);
comment on table app_private.known_devices is 'Devices (SHA-256 of the user agent) each account has logged in from.';

/* ------------------------------------------------------------------------------------------------------------------
 * Functions.
 */
--! Included functions/app_private.notify.sql
/*
 * Queues a security notification mail for an account (the worker's users__notify task renders it by kind), in the
 * caller's transaction. What happened is the kind; when, from which address and device are taken from the request
 * context here, so every notification can say them. `recipient_email` sends it to another address than the account's current one
 * (the old address, after an email change).
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
--! EndIncluded functions/app_private.notify.sql
--! Included functions/app_private.set_password.sql
/*
 * The password rules every way of setting a new password shares (change and reset): the policy, then the history of
 * auth.password_history_count passwords; on success the old hash joins the history. Sessions and mail are the
 * caller's business. Returns ok, or a refusal (WEAKP, REUSD) for the caller to return.
 */
create or replace function app_private.set_password(user_id uuid, new_password text) returns app_public.outcome
language plpgsql volatile security definer
set search_path to pg_catalog, extensions, pg_temp as $$
declare
  v_user app_public.users;
  v_security app_private.user_security;
  v_violation text;
  v_keep integer := config.setting_integer('auth.password_history_count');
begin
  select u.* into v_user from app_public.users u where u.id = set_password.user_id;
  select s.* into v_security from app_private.user_security s where s.user_id = set_password.user_id for update;

  v_violation := app_private.password_policy_violation(new_password, v_user.username::text, v_user.email::text);
  if v_violation is not null then
    return row(false, 'WEAKP', v_violation, null)::app_public.outcome;
  end if;

  if v_keep > 0 and (
       app_private.verify_password(new_password, v_security.password_hash, v_security.password_scheme)
       or exists (
         select 1 from (
           select h.password_hash, h.password_scheme from app_private.password_history h
           where h.user_id = set_password.user_id order by h.created_at desc, h.id desc limit v_keep - 1
         ) recent
         where app_private.verify_password(new_password, recent.password_hash, recent.password_scheme)
       )) then
    return row(false, 'REUSD', format('Choose a password you have not used for your last %s passwords.', v_keep), null)::app_public.outcome;
  end if;

  insert into app_private.password_history (user_id, password_hash, password_scheme, created_at)
  values (set_password.user_id, v_security.password_hash, v_security.password_scheme, v_security.password_changed_at);
  delete from app_private.password_history h
   where h.user_id = set_password.user_id
     and h.id not in (select k.id from app_private.password_history k where k.user_id = set_password.user_id
                      order by k.created_at desc, k.id desc limit greatest(v_keep - 1, 0));
  update app_private.user_security s
     set password_hash = app_private.hash_password(new_password), password_scheme = 'bcrypt-sha384',
         password_changed_at = app_hidden.clock_now()
   where s.user_id = set_password.user_id;
  return row(true, null, null, null)::app_public.outcome;
end;
$$;
comment on function app_private.set_password(uuid, text) is
  'Sets a new password under the policy and the history rule; returns ok or the refusal (WEAKP, REUSD).';
--! EndIncluded functions/app_private.set_password.sql
--! Included functions/app_public.change_password.sql
/*
 * Needs the current password (ASVS 6.2.3); the new one follows app_private.set_password's rules. Every other session
 * ends (ASVS 7.4.3) and the owner is told by mail (ASVS 6.3.6).
 */
create or replace function app_public.change_password(current_password text, new_password text)
returns app_public.outcome
language plpgsql volatile security definer
set search_path to pg_catalog, extensions, pg_temp as $$
declare
  v_user_id uuid := app_hidden.current_user_id();
  v_security app_private.user_security;
  v_result app_public.outcome;
begin
  if v_user_id is null then
    perform audit.record_event('auth.password_change', 'refused', reason => 'LOGIN', severity => 'notice');
    return row(false, 'LOGIN', 'You must log in to change your password.', null)::app_public.outcome;
  end if;
  select s.* into v_security from app_private.user_security s where s.user_id = v_user_id for update;
  if current_password is null
     or not app_private.verify_password(current_password, v_security.password_hash, v_security.password_scheme) then
    perform audit.record_event('auth.password_change', 'refused', reason => 'wrong_password', subject_id => v_user_id,
      severity => 'warning');
    return row(false, 'WRONG', 'Your current password is not correct.', null)::app_public.outcome;
  end if;

  v_result := app_private.set_password(v_user_id, new_password);
  if not v_result.ok then
    perform audit.record_event('auth.password_change', 'refused', reason => v_result.refusal_code, subject_id => v_user_id);
    return v_result;
  end if;

  update app_private.sessions s set revoked_at = app_hidden.clock_now(), revoked_reason = 'password_changed'
   where s.user_id = v_user_id and s.revoked_at is null and s.id <> app_hidden.current_session_id();
  perform app_private.notify('password_changed', v_user_id);
  perform audit.record_event('auth.password_change', 'success', subject_id => v_user_id,
    entity_type => 'user', entity_id => v_user_id::text);
  return v_result;
end;
$$;
comment on function app_public.change_password(text, text) is
  'Changes your password. Needs the current one; your other sessions end, and you are told by mail.';
grant execute on function app_public.change_password(text, text) to app_anonymous;
--! EndIncluded functions/app_public.change_password.sql
--! Included functions/app_public.request_password_reset.sql
/*
 * Always the same answer, whether or not the address has an account, and nothing is sent for an unknown one. The
 * request records the client address; the worker mints the token (users__send_password_reset) and mails the link.
 * At most rate_limit.password_reset_per_address requests per address, counted for every submitted address alike.
 */
create or replace function app_public.request_password_reset(email text) returns app_public.outcome
language plpgsql volatile security definer
set search_path to pg_catalog, extensions, pg_temp as $$
declare
  v_email citext := btrim(request_password_reset.email);
  v_user_id uuid;
  v_reset_id uuid;
  v_retry integer;
begin
  v_retry := app_private.rate_limit_hit('password_reset:address:' || lower(left(coalesce(v_email::text, ''), 254)),
    config.setting_integer('rate_limit.password_reset_per_address.max'),
    config.setting_interval('rate_limit.password_reset_per_address.window'));
  if v_retry is not null then
    perform audit.record_event('auth.password_reset_request', 'refused', reason => 'LIMIT', severity => 'warning');
    return row(false, 'LIMIT', format('Too many requests for this address: try again in %s seconds.', v_retry), v_retry)::app_public.outcome;
  end if;

  select u.id into v_user_id from app_public.users u
  where u.email = v_email and u.deleted_at is null and u.status in ('active', 'inactive');
  if v_user_id is not null then
    insert into app_private.password_resets (user_id, email, requested_ip, requested_user_agent)
    values (v_user_id, v_email, app_hidden.current_client_ip(), left(app_hidden.current_user_agent(), 512))
    returning id into v_reset_id;
    perform graphile_worker.add_job('users__send_password_reset', json_build_object('reset_id', v_reset_id));
  end if;
  perform audit.record_event('auth.password_reset_request', case when v_user_id is null then 'refused' else 'success' end,
    reason => case when v_user_id is null then 'no_account' end, subject_id => v_user_id,
    entity_type => 'password_reset', entity_id => v_reset_id::text);
  return row(true, null, null, null)::app_public.outcome;
end;
$$;
comment on function app_public.request_password_reset(text) is
  'Mails a link to choose a new password, if the address belongs to an account. The answer is the same either way.';
grant execute on function app_public.request_password_reset(text) to app_anonymous;
--! EndIncluded functions/app_public.request_password_reset.sql
--! Included functions/app_hidden.issue_password_reset_token.sql
/*
 * Called by the worker with the hash of the reset token it has just minted. Returns where to send it and what to say
 * (when and from where it was requested), or no row when there is nothing to send. A retry replaces the token.
 */
create or replace function app_hidden.issue_password_reset_token(reset_id uuid, token_hash bytea)
returns table (email text, username text, display_name text, expires_at timestamptz, requested_at timestamptz,
               requested_ip text, requested_user_agent text)
language plpgsql volatile security definer
set search_path to pg_catalog, pg_temp as $$
begin
  return query
  update app_private.password_resets r
     set token_hash = issue_password_reset_token.token_hash,
         token_expires_at = app_hidden.clock_now() + config.setting_interval('auth.password_reset_token_ttl')
    from app_public.users u
   where r.id = issue_password_reset_token.reset_id
     and r.used_at is null
     and u.id = r.user_id
     and u.email = r.email
     and u.deleted_at is null
  returning u.email::text, u.username::text, u.display_name, r.token_expires_at, r.requested_at,
            host(r.requested_ip), r.requested_user_agent;
end;
$$;
comment on function app_hidden.issue_password_reset_token(uuid, bytea) is
  'Stores the hash of a password reset token minted by the worker and says where to mail it.';
grant execute on function app_hidden.issue_password_reset_token(uuid, bytea) to app_worker;
--! EndIncluded functions/app_hidden.issue_password_reset_token.sql
--! Included functions/app_public.reset_password.sql
/*
 * Sets a new password with the token from a reset mail: once, within auth.password_reset_token_ttl, under the policy
 * and history rules. Every session of the account ends, every other outstanding reset link dies, the lockout is
 * lifted, and the owner is told by mail. Following the link also proves the address, so it counts as verified.
 */
create or replace function app_public.reset_password(token text, new_password text) returns app_public.outcome
language plpgsql volatile security definer
set search_path to pg_catalog, extensions, pg_temp as $$
declare
  v_reset app_private.password_resets;
  v_result app_public.outcome;
begin
  if token is not null and length(token) between 20 and 200 then
    select r.* into v_reset
    from app_private.password_resets r
    join app_public.users u on u.id = r.user_id and u.email = r.email and u.deleted_at is null
    where r.token_hash = app_private.token_hash(reset_password.token)
      and r.used_at is null
      and r.token_expires_at > app_hidden.clock_now()
    for update of r;
  end if;
  if v_reset.id is null then
    perform audit.record_event('auth.password_reset', 'refused', reason => 'LINKX', severity => 'notice');
    return row(false, 'LINKX', 'This password reset link is not valid: it may have been used already or have expired.', null)::app_public.outcome;
  end if;

  v_result := app_private.set_password(v_reset.user_id, new_password);
  if not v_result.ok then
    /* The link stays usable: the person may try another password. */
    perform audit.record_event('auth.password_reset', 'refused', reason => v_result.refusal_code, subject_id => v_reset.user_id);
    return v_result;
  end if;

  update app_private.password_resets r set used_at = app_hidden.clock_now()
   where r.user_id = v_reset.user_id and r.used_at is null;
  update app_private.sessions s set revoked_at = app_hidden.clock_now(), revoked_reason = 'password_reset'
   where s.user_id = v_reset.user_id and s.revoked_at is null;
  delete from app_private.login_attempts a where a.key = app_private.login_attempt_key(v_reset.user_id, null);
  update app_public.users u set email_verified = true, email_verified_at = app_hidden.clock_now()
   where u.id = v_reset.user_id and not u.email_verified;
  perform app_private.notify('password_reset_completed', v_reset.user_id);
  perform audit.record_event('auth.password_reset', 'success', subject_id => v_reset.user_id,
    entity_type => 'password_reset', entity_id => v_reset.id::text);
  return v_result;
end;
$$;
comment on function app_public.reset_password(text, text) is
  'Chooses a new password with the token from a password reset mail. All your sessions end.';
grant execute on function app_public.reset_password(text, text) to app_anonymous;
--! EndIncluded functions/app_public.reset_password.sql
--! Included functions/app_public.change_email.sql
/*
 * Moving an account to a new address needs the password (re-authentication, ASVS 7.5.1). The new address gets a link
 * (users__send_email_change), the old one a notice; the address changes only when the link is followed. If the new
 * address already belongs to an account, the answer is the same as for a free one (no enumeration) and the owner of
 * that address is told instead.
 */
create or replace function app_public.change_email(new_email text, password text) returns app_public.outcome
language plpgsql volatile security definer
set search_path to pg_catalog, extensions, pg_temp as $$
declare
  v_user_id uuid := app_hidden.current_user_id();
  v_user app_public.users;
  v_security app_private.user_security;
  v_new citext := btrim(change_email.new_email);
  v_owner uuid;
  v_change_id uuid;
  v_retry integer;
begin
  if v_user_id is null then
    perform audit.record_event('user.email_change_request', 'refused', reason => 'LOGIN', severity => 'notice');
    return row(false, 'LOGIN', 'You must log in to change your email address.', null)::app_public.outcome;
  end if;
  if v_new is null or length(v_new) > 254 or v_new !~ '^[^@[:space:]]+@[^@[:space:]]+\.[^@[:space:]]+$' then
    raise exception 'That is not an email address.' using errcode = 'INVAL', hint = 'Check the address.';
  end if;

  v_retry := app_private.rate_limit_hit('email_change:account:' || v_user_id::text,
    config.setting_integer('rate_limit.email_change_per_account.max'),
    config.setting_interval('rate_limit.email_change_per_account.window'));
  if v_retry is not null then
    perform audit.record_event('user.email_change_request', 'refused', reason => 'LIMIT', subject_id => v_user_id,
      severity => 'warning');
    return row(false, 'LIMIT', format('Too many requests: try again in %s seconds.', v_retry), v_retry)::app_public.outcome;
  end if;

  select u.* into v_user from app_public.users u where u.id = v_user_id;
  select s.* into v_security from app_private.user_security s where s.user_id = v_user_id;
  if password is null or not app_private.verify_password(password, v_security.password_hash, v_security.password_scheme) then
    perform audit.record_event('user.email_change_request', 'refused', reason => 'wrong_password', subject_id => v_user_id,
      severity => 'warning');
    return row(false, 'WRONG', 'Your password is not correct.', null)::app_public.outcome;
  end if;
  if v_new = v_user.email then
    raise exception 'That is already your email address.' using errcode = 'INVAL', hint = 'Give a different address.';
  end if;

  select u.id into v_owner from app_public.users u where u.email = v_new and u.deleted_at is null;
  if v_owner is not null then
    perform app_private.notify('email_in_use_attempt', v_owner);
    perform audit.record_event('user.email_change_request', 'refused', reason => 'email_in_use', subject_id => v_user_id,
      severity => 'notice');
    return row(true, null, null, null)::app_public.outcome;
  end if;

  insert into app_private.email_changes (user_id, old_email, new_email, requested_ip, requested_user_agent)
  values (v_user_id, v_user.email, v_new, app_hidden.current_client_ip(), left(app_hidden.current_user_agent(), 512))
  returning id into v_change_id;
  perform graphile_worker.add_job('users__send_email_change', json_build_object('change_id', v_change_id));
  perform app_private.notify('email_change_requested', v_user_id, jsonb_build_object('new_email', v_new));
  perform audit.record_event('user.email_change_request', 'success', subject_id => v_user_id,
    entity_type => 'email_change', entity_id => v_change_id::text);
  return row(true, null, null, null)::app_public.outcome;
end;
$$;
comment on function app_public.change_email(text, text) is
  'Starts moving your account to a new email address: needs your password; the address changes when you follow the link mailed to it.';
grant execute on function app_public.change_email(text, text) to app_anonymous;
--! EndIncluded functions/app_public.change_email.sql
--! Included functions/app_hidden.issue_email_change_token.sql
/* Called by the worker with the hash of the token it minted for an email change: where to send the link. */
create or replace function app_hidden.issue_email_change_token(change_id uuid, token_hash bytea)
returns table (email text, username text, display_name text, expires_at timestamptz)
language plpgsql volatile security definer
set search_path to pg_catalog, pg_temp as $$
begin
  return query
  update app_private.email_changes c
     set token_hash = issue_email_change_token.token_hash,
         token_expires_at = app_hidden.clock_now() + config.setting_interval('auth.email_change_token_ttl')
    from app_public.users u
   where c.id = issue_email_change_token.change_id
     and c.used_at is null
     and u.id = c.user_id
     and u.email = c.old_email
     and u.deleted_at is null
  returning c.new_email::text, u.username::text, u.display_name, c.token_expires_at;
end;
$$;
comment on function app_hidden.issue_email_change_token(uuid, bytea) is
  'Stores the hash of an email-change token minted by the worker and returns the new address to mail it to.';
grant execute on function app_hidden.issue_email_change_token(uuid, bytea) to app_worker;
--! EndIncluded functions/app_hidden.issue_email_change_token.sql
--! Included functions/app_public.confirm_email_change.sql
/*
 * Completes an email change with the token mailed to the new address: once, before it expires, while the account
 * still has the old address and the new one is still free. Both addresses are told.
 */
create or replace function app_public.confirm_email_change(token text) returns app_public.outcome
language plpgsql volatile security definer
set search_path to pg_catalog, extensions, pg_temp as $$
declare
  v_change app_private.email_changes;
begin
  if token is not null and length(token) between 20 and 200 then
    select c.* into v_change
    from app_private.email_changes c
    join app_public.users u on u.id = c.user_id and u.email = c.old_email and u.deleted_at is null
    where c.token_hash = app_private.token_hash(confirm_email_change.token)
      and c.used_at is null
      and c.token_expires_at > app_hidden.clock_now()
      and not exists (select 1 from app_public.users o where o.email = c.new_email and o.deleted_at is null)
    for update of c;
  end if;
  if v_change.id is null then
    perform audit.record_event('user.email_change', 'refused', reason => 'LINKX', severity => 'notice');
    return row(false, 'LINKX', 'This confirmation link is not valid: it may have been used already or have expired.', null)::app_public.outcome;
  end if;

  update app_private.email_changes c set used_at = app_hidden.clock_now()
   where c.user_id = v_change.user_id and c.used_at is null;
  update app_public.users u
     set email = v_change.new_email, email_verified = true, email_verified_at = app_hidden.clock_now()
   where u.id = v_change.user_id;
  perform app_private.notify('email_changed', v_change.user_id, jsonb_build_object('new_email', v_change.new_email),
    recipient_email => v_change.old_email::text);
  perform app_private.notify('email_changed', v_change.user_id, jsonb_build_object('new_email', v_change.new_email));
  perform audit.record_event('user.email_change', 'success',
    jsonb_build_object('old_email', v_change.old_email, 'new_email', v_change.new_email),
    subject_id => v_change.user_id, entity_type => 'email_change', entity_id => v_change.id::text);
  return row(true, null, null, null)::app_public.outcome;
end;
$$;
comment on function app_public.confirm_email_change(text) is
  'Confirms your new email address with the token mailed to it; from then on Gatehouse writes to the new address.';
grant execute on function app_public.confirm_email_change(text) to app_anonymous;
--! EndIncluded functions/app_public.confirm_email_change.sql
--! Included functions/app_private.note_login_device.sql
/*
 * Remembers the device (a hash of the user agent) an account just logged in from. A device not seen before, on an
 * account that already knew other devices, gets the owner a "new sign-in" mail: once per device.
 */
create or replace function app_private.note_login_device(user_id uuid) returns void
language plpgsql volatile security definer
set search_path to pg_catalog, extensions, pg_temp as $$
declare
  v_hash bytea := extensions.digest(coalesce(app_hidden.current_user_agent(), ''), 'sha256');
begin
  insert into app_private.known_devices (user_id, device_hash) values (note_login_device.user_id, v_hash)
  on conflict do nothing;
  if not found then
    update app_private.known_devices d set last_seen_at = app_hidden.clock_now()
     where d.user_id = note_login_device.user_id and d.device_hash = v_hash;
  elsif exists (select 1 from app_private.known_devices d
                where d.user_id = note_login_device.user_id and d.device_hash <> v_hash) then
    perform app_private.notify('new_sign_in', note_login_device.user_id);
  end if;
end;
$$;
comment on function app_private.note_login_device(uuid) is
  'Records the device of a login and queues a new-sign-in mail the first time a further device is used.';
--! EndIncluded functions/app_private.note_login_device.sql
--! Included functions/app_public.login.sql
/*
 * One login = one session. Every refusal gives the caller the same code and message (WRONG); the real reason goes to
 * the audit trail. In order:
 *   1. rate limits per client address and per submitted identifier, before any hashing (LIMIT, with retry-after);
 *   2. the identifier's login_attempts row is locked, so parallel attempts on one account or identifier run one at a
 *      time and cannot check more passwords than the lockout allows;
 *   3. unknown identifiers and locked keys spend the same bcrypt work as a real check; an account's status is looked
 *      at only after its password matched, so neither time nor answer tells which accounts exist;
 *   4. failures count per account (or per unknown identifier) and lock it at the threshold; success resets the count.
 * Refusals return a refusal_code so the counts, locks and audit rows stay (docs/refusals.md). On success the gateway
 * signs the access token from the returned session; the refresh token is returned once and stored only as SHA-256.
 */
create or replace function app_public.login(identifier text, password text) returns app_public.login_result
language plpgsql volatile security definer
set search_path to pg_catalog, extensions, pg_temp as $$
declare
  v_identifier citext := btrim(identifier);
  /* Whole seconds: JWT times have no fractions, and accessTokenExpiresAt must equal the token's exp. */
  v_now timestamptz := date_trunc('second', app_hidden.clock_now());
  v_ip text := coalesce(host(app_hidden.current_client_ip()), 'unknown');
  v_user app_public.users;
  v_security app_private.user_security;
  v_key text;
  v_attempt app_private.login_attempts;
  v_reason text;
  v_retry integer;
  v_session_id uuid;
  v_session_expires timestamptz;
  v_refusal constant text := 'The username, email address or password is not correct.';
begin
  v_retry := app_private.rate_limit_hit('login:ip:' || v_ip,
    config.setting_integer('rate_limit.login_per_ip.max'), config.setting_interval('rate_limit.login_per_ip.window'));
  if v_retry is null then
    v_retry := app_private.rate_limit_hit('login:identifier:' || lower(left(coalesce(v_identifier::text, ''), 254)),
      config.setting_integer('rate_limit.login_per_identifier.max'),
      config.setting_interval('rate_limit.login_per_identifier.window'));
  end if;
  if v_retry is not null then
    perform audit.record_event('auth.login', 'refused', jsonb_build_object('identifier', left(v_identifier::text, 254)),
      reason => 'LIMIT', severity => 'warning');
    return row(null, null, null, null, null, 'LIMIT',
      format('Too many login attempts: try again in %s seconds.', v_retry), v_retry)::app_public.login_result;
  end if;

  if v_identifier is null or password is null or length(v_identifier) > 254
     or char_length(password) > config.setting_integer('auth.password_max_length') then
    v_reason := 'malformed';
  else
    select u.* into v_user from app_public.users u
    where (u.email = v_identifier or u.username = v_identifier) and u.deleted_at is null
    order by (u.email = v_identifier) desc
    limit 1;
    v_key := app_private.login_attempt_key(v_user.id, v_identifier::text);
    insert into app_private.login_attempts (key) values (v_key) on conflict do nothing;
    select a.* into v_attempt from app_private.login_attempts a where a.key = v_key for update;
    select s.* into v_security from app_private.user_security s where s.user_id = v_user.id;

    if v_attempt.locked_until > v_now then
      perform app_private.hash_password(password);
      v_reason := 'locked';
    elsif v_security.user_id is null then
      perform app_private.hash_password(password);
      perform app_private.record_login_failure(v_key, null);
      v_reason := 'unknown_identifier';
    elsif not app_private.verify_password(password, v_security.password_hash, v_security.password_scheme) then
      perform app_private.record_login_failure(v_key, v_user.id);
      v_reason := 'wrong_password';
    elsif v_user.status <> 'active' then
      v_reason := v_user.status;
    elsif not v_user.email_verified and config.setting_boolean('auth.require_email_verification') then
      v_reason := 'email_unverified';
    end if;
  end if;

  if v_reason is not null then
    perform audit.record_event('auth.login', 'refused', jsonb_build_object('identifier', left(v_identifier::text, 254)),
      reason => v_reason, subject_id => v_user.id, severity => 'notice');
    return row(null, null, null, null, null, 'WRONG', v_refusal, null)::app_public.login_result;
  end if;

  update app_private.login_attempts a set failed_count = 0, lock_count = 0, locked_until = null where a.key = v_key;
  /* A legacy hash, or one made at another cost, is replaced now that the password is known to be right. */
  if v_security.password_scheme <> 'bcrypt-sha384'
     or substr(v_security.password_hash, 5, 2)::integer <> config.setting_integer('auth.bcrypt_cost') then
    update app_private.user_security s
       set password_hash = app_private.hash_password(password), password_scheme = 'bcrypt-sha384'
     where s.user_id = v_user.id;
  end if;
  update app_private.user_security s
     set last_login_at = v_now, last_login_ip = app_hidden.current_client_ip()
   where s.user_id = v_user.id;

  perform app_private.note_login_device(v_user.id);
  insert into app_private.sessions (user_id, ip, user_agent)
  values (v_user.id, app_hidden.current_client_ip(), left(app_hidden.current_user_agent(), 512))
  returning id, absolute_expires_at into v_session_id, v_session_expires;

  perform audit.record_event('auth.login', 'success', '{}', subject_id => v_user.id,
    entity_type => 'session', entity_id => v_session_id::text);
  return row(
    v_user.id, v_session_id, app_private.issue_refresh_token(v_session_id, null), v_now,
    date_trunc('second', least(v_now + config.setting_interval('auth.access_token_ttl'), v_session_expires)),
    null, null, null
  )::app_public.login_result;
end;
$$;
comment on function app_public.login(text, text) is
  'Logs in with a username or email address and a password, starting a new session.';
grant execute on function app_public.login(text, text) to app_anonymous;
--! EndIncluded functions/app_public.login.sql
--! Included functions/app_private.record_login_failure.sql
/*
 * One more consecutive failure for a login_attempts row the caller has locked. At auth.lockout_threshold the key
 * locks for auth.lockout_duration, doubling with each further lock up to auth.lockout_max_duration; the owner of a
 * real account is told by mail.
 */
create or replace function app_private.record_login_failure(key text, user_id uuid) returns void
language plpgsql volatile security definer
set search_path to pg_catalog, pg_temp as $$
declare
  v_now timestamptz := app_hidden.clock_now();
  v_attempt app_private.login_attempts;
  v_duration interval;
begin
  update app_private.login_attempts a
     set failed_count = a.failed_count + 1, last_failure_at = v_now
   where a.key = record_login_failure.key
  returning a.* into v_attempt;
  if v_attempt.failed_count < config.setting_integer('auth.lockout_threshold') then
    return;
  end if;
  v_duration := least(
    config.setting_interval('auth.lockout_duration') * power(2, least(v_attempt.lock_count, 20)),
    config.setting_interval('auth.lockout_max_duration')
  );
  update app_private.login_attempts a
     set failed_count = 0, lock_count = a.lock_count + 1, locked_until = v_now + v_duration
   where a.key = record_login_failure.key;
  perform audit.record_event('auth.lockout', 'success', jsonb_build_object('duration', v_duration::text),
    subject_id => user_id, severity => 'warning');
  if user_id is not null then
    perform app_private.notify('account_locked', user_id, jsonb_build_object('locked_until', v_now + v_duration));
  end if;
end;
$$;
comment on function app_private.record_login_failure(text, uuid) is
  'Counts a failed login against a key and locks it at the threshold, for longer on every repeat.';
--! EndIncluded functions/app_private.record_login_failure.sql
--! Included functions/app_public.register.sql
/*
 * Creating an account. Email addresses are not enumerable: a new address and one that already has an account get the
 * same answer and cost the same time (the password is hashed before anything is looked up); the owner of an existing
 * address is told by mail that someone tried to register with it. Usernames are public handles, so a taken one is
 * reported (TAKEN). Refusals return a refusal_code (docs/refusals.md) so their audit rows stay.
 */
create or replace function app_public.register(
  username text,
  email text,
  password text,
  first_name text default null,
  last_name text default null,
  display_name text default null,
  gdpr_consent boolean default false
) returns app_public.registration
language plpgsql volatile security definer
set search_path to pg_catalog, extensions, pg_temp as $$
declare
  v_username citext := btrim(register.username);
  v_email citext := btrim(register.email);
  v_verification_required boolean := config.setting_boolean('auth.require_email_verification');
  v_retry integer;
  v_violation text;
  v_hash text;
  v_user_id uuid;
  v_constraint text;
begin
  /* Before anything else, and before any hashing. */
  v_retry := app_private.rate_limit_hit('register:ip:' || coalesce(host(app_hidden.current_client_ip()), 'unknown'),
    config.setting_integer('rate_limit.register_per_ip.max'), config.setting_interval('rate_limit.register_per_ip.window'));
  if v_retry is not null then
    perform audit.record_event('user.register', 'refused', reason => 'LIMIT', severity => 'warning');
    return row(v_email, v_verification_required, 'LIMIT',
      format('Too many registrations from your address: try again in %s seconds.', v_retry), v_retry)::app_public.registration;
  end if;

  if v_username is null or length(v_username) not between 3 and 50
     or v_username !~ '^[A-Za-z0-9](?:[A-Za-z0-9_.-]*[A-Za-z0-9])?$' then
    raise exception 'A username has 3 to 50 letters, digits, dots, dashes or underscores, and starts and ends with a letter or digit.'
      using errcode = 'INVAL', hint = 'Choose another username.';
  end if;
  if v_email is null or length(v_email) > 254 or v_email !~ '^[^@[:space:]]+@[^@[:space:]]+\.[^@[:space:]]+$' then
    raise exception 'That is not an email address.' using errcode = 'INVAL', hint = 'Check the address.';
  end if;
  if length(first_name) > 100 or length(last_name) > 100 or length(display_name) > 100 then
    raise exception 'Names have at most 100 characters.' using errcode = 'INVAL', hint = 'Shorten the name.';
  end if;

  v_violation := app_private.password_policy_violation(password, v_username::text, v_email::text);
  if v_violation is not null then
    perform audit.record_event('user.register', 'refused', jsonb_build_object('username', v_username), reason => 'WEAKP');
    return row(v_email, v_verification_required, 'WEAKP', v_violation, null)::app_public.registration;
  end if;

  /* Hash first: whatever follows, every registration has spent the same bcrypt work. */
  v_hash := app_private.hash_password(password);

  if exists (select 1 from app_public.users u where u.username = v_username and u.deleted_at is null) then
    perform audit.record_event('user.register', 'refused', jsonb_build_object('username', v_username), reason => 'TAKEN');
    return row(v_email, v_verification_required, 'TAKEN', 'That username is taken: choose another.', null)::app_public.registration;
  end if;

  select u.id into v_user_id from app_public.users u where u.email = v_email and u.deleted_at is null;
  if found then
    perform app_private.notify('duplicate_registration', v_user_id);
    perform audit.record_event('user.register', 'refused', jsonb_build_object('username', v_username),
      reason => 'email_in_use', subject_id => v_user_id, severity => 'notice');
    return row(v_email, v_verification_required, null, null, null)::app_public.registration;
  end if;

  begin
    insert into app_public.users (username, email, first_name, last_name, display_name, gdpr_consent_at)
    values (v_username, v_email, nullif(btrim(first_name), ''), nullif(btrim(last_name), ''),
            coalesce(nullif(btrim(display_name), ''), v_username::text),
            case when gdpr_consent then app_hidden.clock_now() end)
    returning id into v_user_id;
  exception when unique_violation then
    /* A registration running at the same moment took the username or the address. */
    get stacked diagnostics v_constraint = constraint_name;
    if v_constraint = 'users_username_key' then
      perform audit.record_event('user.register', 'refused', jsonb_build_object('username', v_username), reason => 'TAKEN');
      return row(v_email, v_verification_required, 'TAKEN', 'That username is taken: choose another.', null)::app_public.registration;
    end if;
    perform audit.record_event('user.register', 'refused', jsonb_build_object('username', v_username),
      reason => 'email_in_use', severity => 'notice');
    return row(v_email, v_verification_required, null, null, null)::app_public.registration;
  end;

  insert into app_private.user_security (user_id, password_hash, password_scheme)
  values (v_user_id, v_hash, 'bcrypt-sha384');
  perform app_private.request_email_verification(v_user_id);
  perform audit.record_event('user.register', 'success', jsonb_build_object('username', v_username),
    subject_id => v_user_id, entity_type => 'user', entity_id => v_user_id::text);
  return row(v_email, v_verification_required, null, null, null)::app_public.registration;
end;
$$;
comment on function app_public.register(text, text, text, text, text, text, boolean) is
  'Creates an account and mails a link to verify the address. The answer does not tell whether the address already had an account.';
grant execute on function app_public.register(text, text, text, text, text, text, boolean) to app_anonymous;
--! EndIncluded functions/app_public.register.sql
