/*
 * The first of a login two transactions (docs/login.md): everything that must be exact under concurrency, done
 * before the password is hashed and committed at once, so the hash that follows waits on no lock another account or
 * the other logins of the client IP hold.
 *   1. Client IP: failed logins plus logins in flight within rate_limit.login_failures_per_client_ip.window, at most
 *      its max. Successes do not count. A short lock on the IP bucket makes count-then-reserve atomic.
 *   2. Submitted identifier: every attempt counts (rate_limit.login_per_identifier).
 *   3. The reservation, naming the account (or the unknown identifier), which app_public.login takes over: until
 *      then it counts as a failure of the client IP.
 * The account lockout is decided in app_public.login, under the lock of the account own row: attempts on one
 * account wait for each other, attempts on others do not.
 * Returns a login_result: all null when reserved, else the audited refusal (LIMIT).
 * Definer: reads and writes app_private.login_reservations and rate_limit_hits, which no client role may touch.
 */
create or replace function app_hidden.reserve_login(identifier text, attempt_id uuid default null)
returns app_public.login_result
language plpgsql volatile security definer
set search_path to pg_catalog, extensions, pg_temp as $$
declare
  v_identifier citext := btrim(reserve_login.identifier);
  v_attempt_id uuid := coalesce(reserve_login.attempt_id,
                                nullif(pg_catalog.current_setting('request.attempt_id', true), '')::uuid);
  v_now timestamptz := app_hidden.clock_now();
  v_ip_bucket text := app_private.bucket_hash(app_private.client_ip_bucket('login_failure'));
  v_window interval := config.setting_interval('rate_limit.login_failures_per_client_ip.window');
  v_count integer;
  v_oldest timestamptz;
  v_retry integer;
  v_user_id uuid;
  v_event constant text := 'auth.login';
  v_personal jsonb := jsonb_build_object('identifier', left(v_identifier::text, 254));
begin
  if v_attempt_id is null then
    raise exception 'A login reservation needs the request attempt id.' using errcode = 'INVAL',
      hint = 'The gateway sets request.attempt_id for every request.';
  end if;

  perform pg_advisory_xact_lock(hashtextextended('login_reservation:' || v_ip_bucket, 0));
  select count(*), min(x.at) into v_count, v_oldest from (
    select h.hit_at as at from app_private.rate_limit_hits h
     where h.bucket = v_ip_bucket and h.hit_at > v_now - v_window
    union all
    select r.created_at from app_private.login_reservations r
     where r.client_ip_bucket = v_ip_bucket and r.created_at > v_now - v_window
  ) x;
  if v_count >= config.setting_integer('rate_limit.login_failures_per_client_ip.max') then
    v_retry := greatest(1, ceil(extract(epoch from v_oldest + v_window - v_now)))::integer;
    return app_private.refuse(null::app_public.login_result, v_event, 'LIMIT',
      format('Too many failed logins from your network: try again in %s seconds.', v_retry),
      reason => 'client_ip_limit', retry_after => v_retry, personal_values => v_personal);
  end if;

  v_retry := app_private.rate_limit_hit('login:identifier:' || lower(left(coalesce(v_identifier::text, ''), 254)),
    config.setting_integer('rate_limit.login_per_identifier.max'),
    config.setting_interval('rate_limit.login_per_identifier.window'));
  if v_retry is not null then
    return app_private.refuse(null::app_public.login_result, v_event, 'LIMIT',
      format('Too many login attempts: try again in %s seconds.', v_retry),
      reason => 'identifier_limit', retry_after => v_retry, personal_values => v_personal);
  end if;

  if length(v_identifier) <= 254 then
    select u.id into v_user_id from app_public.users u
    where (u.email = v_identifier or u.username = v_identifier) and u.deleted_at is null
    order by (u.email = v_identifier) desc
    limit 1;
  end if;

  insert into app_private.login_reservations (attempt_id, client_ip_bucket, attempt_key, user_id, created_at, expires_at)
  values (v_attempt_id, v_ip_bucket, app_private.login_attempt_key(v_user_id, v_identifier::text), v_user_id, v_now,
          v_now + config.setting_interval('auth.login_reservation_ttl'));
  return null;
end;
$$;
comment on function app_hidden.reserve_login(text, uuid) is
  'First transaction of a login: limits and lockout checked, the attempt reserved; null when reserved, else the refusal.';
grant execute on function app_hidden.reserve_login(text, uuid) to app_anonymous;
