/*
 * A sliding-window rate limit over a log of hits. Returns null and records the hit when the request may proceed;
 * otherwise records nothing and returns how many seconds to wait. Callers check limits before any hashing, so a flood
 * cannot spend the database's CPU on bcrypt.
 *
 * Concurrency: a transaction-scoped advisory lock on the bucket makes count-then-insert atomic, so parallel requests
 * cannot slip past the limit. The lock is held until the caller commits: requests of one bucket (one client address,
 * say) run one after another. Take buckets in a fixed order (client address, then identifier) to avoid deadlocks.
 *
 * Buckets name client IPs and submitted identifiers, which are personal data: the log stores only
 * app_private.bucket_hash of the bucket name (a pseudonym; the rows are purged within hours).
 * Definer: reads and writes app_private.rate_limit_hits (no client role may); definer like every function on
 * app_private, so it stays safe whoever calls it.
 */
create or replace function app_private.rate_limit_hit(bucket text, max_hits integer, period interval)
returns integer
language plpgsql volatile security definer
set search_path to pg_catalog, pg_temp as $$
declare
  v_now timestamptz := app_hidden.clock_now();
  v_count integer;
  v_oldest timestamptz;
  v_bucket text := app_private.bucket_hash(rate_limit_hit.bucket);
begin
  perform pg_advisory_xact_lock(hashtextextended('rate_limit:' || v_bucket, 0));
  select count(*), min(h.hit_at) into v_count, v_oldest
  from app_private.rate_limit_hits h
  where h.bucket = v_bucket and h.hit_at > v_now - period;
  if v_count >= max_hits then
    return greatest(1, ceil(extract(epoch from v_oldest + period - v_now)))::integer;
  end if;
  insert into app_private.rate_limit_hits (bucket, hit_at) values (v_bucket, v_now);
  return null;
end;
$$;
comment on function app_private.rate_limit_hit(text, integer, interval) is
  'Counts a request against a sliding-window limit: null when allowed, else the seconds to wait.';
