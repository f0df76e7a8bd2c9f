/*
 * Whether an account consents to a purpose now: its newest consent record for that purpose (as app_public.my_consents
 * orders them) says granted. No record means no consent. Every use of a consent-bound purpose calls it inside the
 * query that acts (a mail address, an analytics row): a stable function reads that query snapshot, so a withdrawal
 * committed before the query, or made earlier in the same transaction, is obeyed by it.
 * Definer: reads app_private.consents; a helper on app_private, so definer whoever calls it.
 */
create or replace function app_private.consent_granted(user_id uuid, purpose text) returns boolean
language sql stable security definer
set search_path to pg_catalog, pg_temp as $$
  select coalesce((
    select c.granted from app_private.consents c
    where c.user_id = consent_granted.user_id and c.purpose = consent_granted.purpose
    order by c.recorded_at desc, c.id desc
    limit 1), false)
$$;
comment on function app_private.consent_granted(uuid, text) is
  'True while the newest consent record of the account for the purpose grants it; false with no record.';
