/*
 * Deletes rate-limit hits and login reservations older than the longest window, and lockout rows that are neither
 * locked nor recent, in bounded batches that skip rows other transactions hold: it never waits on, or makes wait, a
 * login.
 * Returns how many rows it deleted; the worker calls it until that is zero.
 * Definer: deletes from app_private.rate_limit_hits, login_attempts and login_reservations (no client role may).
 */
create or replace function app_hidden.purge_login_throttles(batch_size integer default 10000) returns integer
language plpgsql volatile security definer
set search_path to pg_catalog, pg_temp as $$
declare
  v_now timestamptz := app_hidden.clock_now();
  v_oldest_window interval;
  v_hits integer;
  v_attempts integer;
  v_reservations integer;
begin
  select max((s.value #>> '{}')::interval) into v_oldest_window
  from config.system_settings s where s.key like 'rate_limit.%.window';
  delete from app_private.rate_limit_hits h
   where h.id in (select x.id from app_private.rate_limit_hits x
                  where x.hit_at < v_now - coalesce(v_oldest_window, interval '1 day')
                  order by x.hit_at limit batch_size for update skip locked);
  get diagnostics v_hits = row_count;
  delete from app_private.login_attempts a
   where a.key in (select x.key from app_private.login_attempts x
                   where (x.locked_until is null or x.locked_until < v_now)
                     and x.last_failure_at < v_now - config.setting_interval('auth.lockout_max_duration')
                   limit batch_size for update skip locked);
  get diagnostics v_attempts = row_count;
  /* Reservations never taken over (a gateway that died mid-login) count as failures only within the window. */
  delete from app_private.login_reservations r
   where r.id in (select x.id from app_private.login_reservations x
                  where x.created_at < v_now - coalesce(v_oldest_window, interval '1 day')
                  limit batch_size for update skip locked);
  get diagnostics v_reservations = row_count;
  return v_hits + v_attempts + v_reservations;
end;
$$;
comment on function app_hidden.purge_login_throttles(integer) is
  'Deletes expired rate-limit hits and stale lockout rows in one bounded batch; returns how many it deleted.';
grant execute on function app_hidden.purge_login_throttles(integer) to app_worker;
