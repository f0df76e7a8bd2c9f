/*
 * The rate-limit bucket of the caller's client IP for a purpose: IPv4 addresses one by one, IPv6 by their /64
 * network (a subscriber usually holds a whole /64, so single IPv6 addresses would count nothing; an IPv4 address
 * mapped into IPv6 stays one address). Stored only as app_private.bucket_hash of this name (an address is personal
 * data). Behind a load balancer the gateway must trust it (TRUST_PROXY), or every caller is the balancer and all
 * share one bucket.
 */
create or replace function app_private.client_ip_bucket(purpose text) returns text
language sql stable as $$
  select client_ip_bucket.purpose || ':client_ip:' || coalesce(
    pg_catalog.network(pg_catalog.set_masklen(c.ip,
      case when pg_catalog.family(c.ip) = 4 or c.ip << inet '::ffff:0:0/96' then pg_catalog.masklen(c.ip) else 64 end))::text,
    'unknown')
  from (select app_hidden.current_client_ip() as ip) c
$$;
comment on function app_private.client_ip_bucket(text) is
  'The rate-limit bucket name of the client IP for a purpose (IPv6 grouped by /64); stored only hashed.';
