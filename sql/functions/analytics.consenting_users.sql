/*
 * One row per account whose newest analytics consent is granted (app_private.consent_granted, read in this query:
 * a withdrawal committed before it, or made earlier in the same transaction, hides the row), under its pseudonym,
 * never its id. Accounts that are deleted (awaiting erasure or erased) or whose processing is restricted are left
 * out, whatever they consented to. Only the day of sign-up, nothing that could identify the person.
 * Definer: reads app_public.users, app_private.consents and the pseudonym key, which app_analytics may not read.
 */
create or replace function analytics.consenting_users()
returns table (pseudonym text, signed_up_on date)
language sql stable security definer
set search_path to pg_catalog, pg_temp as $$
  select app_private.analytics_pseudonym(u.id), (u.created_at at time zone 'UTC')::date
  from app_public.users u
  where u.deleted_at is null and u.processing_restricted_at is null
    and app_private.consent_granted(u.id, 'analytics')
  order by 1
$$;
comment on function analytics.consenting_users() is
  'Accounts whose latest analytics consent is granted, under a pseudonym (HMAC of the account id), with their sign-up day.';
grant execute on function analytics.consenting_users() to app_analytics;
