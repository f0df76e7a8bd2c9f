/*
 * Deletes authentication records that stopped working more than retention.expired_auth_records ago: at most
 * batch_size rows of each kind per call, skipping rows another transaction holds (SKIP LOCKED), so it never waits on,
 * or makes wait, a login or a refresh. Returns how many rows it deleted; the worker calls it until that is zero. Each
 * call commits on its own, so a run killed half-way loses nothing and the next run carries on.
 * Definer: deletes from app_private (sessions, tokens, requests, marketing deliveries) and app_public.invitations;
 * app_worker may not.
 */
create or replace function app_hidden.expire_auth_records(batch_size integer default 1000) returns integer
language plpgsql volatile security definer
set search_path to pg_catalog, pg_temp as $$
declare
  v_before timestamptz := app_hidden.clock_now() - config.setting_interval('retention.expired_auth_records');
  v_idle interval := config.setting_interval('auth.session_idle_timeout');
  v_count integer;
  v_total integer := 0;
begin
  /* Sessions, with their refresh tokens (cascade). */
  delete from app_private.sessions s where s.id in (
    select x.id from app_private.sessions x
    where x.revoked_at < v_before or x.absolute_expires_at < v_before or x.last_refreshed_at + v_idle < v_before
    limit batch_size for update skip locked);
  get diagnostics v_count = row_count;
  v_total := v_total + v_count;

  delete from app_private.refresh_tokens t where t.id in (
    select x.id from app_private.refresh_tokens x where x.expires_at < v_before or x.used_at < v_before
    limit batch_size for update skip locked);
  get diagnostics v_count = row_count;
  v_total := v_total + v_count;

  delete from app_private.email_verifications v where v.id in (
    select x.id from app_private.email_verifications x
    where x.used_at < v_before or x.token_expires_at < v_before or (x.token_hash is null and x.created_at < v_before)
    limit batch_size for update skip locked);
  get diagnostics v_count = row_count;
  v_total := v_total + v_count;

  delete from app_private.password_resets r where r.id in (
    select x.id from app_private.password_resets x
    where x.used_at < v_before or x.token_expires_at < v_before or (x.token_hash is null and x.requested_at < v_before)
    limit batch_size for update skip locked);
  get diagnostics v_count = row_count;
  v_total := v_total + v_count;

  delete from app_private.email_changes c where c.id in (
    select x.id from app_private.email_changes x
    where x.used_at < v_before or x.token_expires_at < v_before or (x.token_hash is null and x.requested_at < v_before)
    limit batch_size for update skip locked);
  get diagnostics v_count = row_count;
  v_total := v_total + v_count;

  delete from app_public.invitations i where i.id in (
    select x.id from app_public.invitations x where x.accepted_at is null and x.expires_at < v_before
    limit batch_size for update skip locked);
  get diagnostics v_count = row_count;
  v_total := v_total + v_count;

  /* Marketing deliveries, with their unsubscribe token hashes, once the link stopped working. */
  delete from app_private.marketing_deliveries d where (d.message_id, d.user_id) in (
    select x.message_id, x.user_id from app_private.marketing_deliveries x where x.token_expires_at < v_before
    limit batch_size for update skip locked);
  get diagnostics v_count = row_count;
  return v_total + v_count;
end;
$$;
comment on function app_hidden.expire_auth_records(integer) is
  'Deletes one bounded batch of each kind of expired authentication record; returns how many rows it deleted.';
grant execute on function app_hidden.expire_auth_records(integer) to app_worker;
