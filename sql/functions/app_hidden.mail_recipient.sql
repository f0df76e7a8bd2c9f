/*
 * Where the worker sends mail to an account. Two forms, because a grant is per function, not per argument:
 *
 * mail_recipient(user_id): the account own notices (security notifications), for app_worker. No row once the
 * account is deleted.
 *
 * mail_recipient(user_id, purpose): mail that needs consent, for app_marketing, the role a marketing job runs as and
 * whose only way to an address this is (docs/consent.md). A row only while the newest consent record of the account
 * for that purpose grants it, decided in this one query (app_private.consent_granted reads its snapshot): a
 * withdrawal committed before the query means no address. Also no row for an account that is not active, is deleted,
 * has an unverified address (it may be someone else) or whose processing is restricted. Purposes: marketing.
 *
 * Definer: reads app_public.users and app_private.consents, on which app_worker and app_marketing hold no right.
 */
create or replace function app_hidden.mail_recipient(user_id uuid)
returns table (email text, username text, display_name text)
language sql stable security definer
set search_path to pg_catalog, pg_temp as $$
  select u.email::text, u.username::text, u.display_name
  from app_public.users u
  where u.id = mail_recipient.user_id and u.deleted_at is null
$$;
comment on function app_hidden.mail_recipient(uuid) is 'Where the worker sends an account''s notifications; no row once it is deleted.';
grant execute on function app_hidden.mail_recipient(uuid) to app_worker;

create or replace function app_hidden.mail_recipient(user_id uuid, purpose text)
returns table (email text, username text, display_name text)
language plpgsql stable security definer
set search_path to pg_catalog, pg_temp as $$
begin
  if mail_recipient.purpose is null or mail_recipient.purpose not in ('marketing') then
    raise exception 'No mail is sent for that purpose with consent.' using errcode = 'INVAL',
      hint = 'Purposes: marketing. Security notifications use mail_recipient(user_id).';
  end if;
  return query
  select u.email::text, u.username::text, u.display_name
  from app_public.users u
  where u.id = mail_recipient.user_id
    and u.status = 'active' and u.deleted_at is null and u.email_verified and u.processing_restricted_at is null
    and app_private.consent_granted(u.id, mail_recipient.purpose);
end;
$$;
comment on function app_hidden.mail_recipient(uuid, text) is
  'Where to send mail for a purpose that needs consent (marketing): a row only while the newest consent for it is granted.';
grant execute on function app_hidden.mail_recipient(uuid, text) to app_marketing;
