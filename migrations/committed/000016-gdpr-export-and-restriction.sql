--! Previous: sha1:bbc11661c0089a75c8532cdf230cd20068073c93
--! Hash: sha1:bd73befe2334dde16b4e755b82b77be2f12e39e0
--! Message: gdpr-export-and-restriction

-- GDPR, continued (issue 8): export of everything held about a person (by themselves or an administrator with
-- users:export), restriction of processing, and keys made on demand for accounts that have none.

drop function if exists app_public.export_my_data();
drop function if exists app_public.export_user_data(uuid);
drop function if exists app_public.restrict_processing(uuid, boolean);
alter table app_public.users drop column if exists processing_restricted_at;
drop type if exists app_public.data_export cascade;
delete from app_public.role_permissions where permission = 'users:export';
delete from app_public.permissions where name = 'users:export';

alter table app_public.users add column processing_restricted_at timestamptz;
comment on column app_public.users.processing_restricted_at is
  'Set while processing of the account''s data is restricted (GDPR Art. 18): frozen, data kept as it is.';

insert into app_public.permissions (name, description)
values ('users:export', 'Export everything held about an account (data subject requests; global scope only).');
insert into app_public.role_permissions (role_id, permission)
select r.id, 'users:export' from app_public.roles r where r.name = 'super_admin' and r.is_system;

create type app_public.data_export as (
  document jsonb,
  refusal_code text,
  refusal_message text
);
comment on type app_public.data_export is 'Everything held about a person, as one JSON document: one section per table, decrypted.';
comment on column app_public.data_export.document is
  'Sections named schema.table, each with the person''s rows; format gatehouse-personal-data/1.';
comment on column app_public.data_export.refusal_code is '@behavior -attribute:select';
comment on column app_public.data_export.refusal_message is '@behavior -attribute:select';

--! Included functions/app_hidden.encrypt_personal.sql
/*
 * Encrypts personal data about a person with OpenPGP (pgcrypto): AES-256 for the data under a fresh session key, the
 * session key wrapped by the person's RSA public key. SQL needs no secret to write; only the gateway and worker,
 * holding the master key that unwraps private keys, can read. The message names its key (pgp_key_id), which is how
 * the reader finds the private key.
 *
 * A person without a key of their own yet (an account loaded in bulk, or made while the spare pool was empty) gets
 * the current system key this time, and is queued for a key of their own (users_awaiting_key, keys__replenish).
 * Returns null for null input, and null (the value is dropped, never kept in the clear) when no key at all exists.
 */
create or replace function app_hidden.encrypt_personal(owner_id uuid, value text) returns bytea
language plpgsql volatile security definer
set search_path to pg_catalog, pg_temp as $$
declare
  v_key app_private.encryption_keys;
begin
  if encrypt_personal.value is null then
    return null;
  end if;
  v_key := app_hidden.encryption_key_for(encrypt_personal.owner_id);
  if v_key.public_key is null then
    return null;
  end if;
  if encrypt_personal.owner_id is not null and v_key.purpose = 'system'
     and not exists (select 1 from app_private.users_awaiting_key w where w.user_id = encrypt_personal.owner_id)
     and exists (select 1 from app_public.users u where u.id = encrypt_personal.owner_id and u.erased_at is null) then
    insert into app_private.users_awaiting_key (user_id) values (encrypt_personal.owner_id) on conflict do nothing;
    perform graphile_worker.add_job('keys__replenish', '{}'::json, job_key => 'keys__replenish', job_key_mode => 'preserve_run_at');
  end if;
  return extensions.pgp_pub_encrypt(encrypt_personal.value, v_key.public_key, 'cipher-algo=aes256, compress-algo=0');
end;
$$;
comment on function app_hidden.encrypt_personal(uuid, text) is
  'Personal data about a person, encrypted to their key (AES-256 data, RSA-wrapped session key).';
--! EndIncluded functions/app_hidden.encrypt_personal.sql
--! Included functions/app_hidden.encrypted_json.sql
/* How an encrypted value travels in a JSON document the gateway decrypts: {"$encrypted": "<base64 OpenPGP message>"}. */
create or replace function app_hidden.encrypted_json(ciphertext bytea) returns jsonb
language sql immutable
set search_path to pg_catalog, pg_temp as $$
  select case when ciphertext is not null then jsonb_build_object('$encrypted', encode(ciphertext, 'base64')) end
$$;
comment on function app_hidden.encrypted_json(bytea) is 'An encrypted value as a JSON marker for the gateway to decrypt.';
--! EndIncluded functions/app_hidden.encrypted_json.sql
--! Included functions/app_hidden.personal_data_document.sql
/*
 * Everything Gatehouse holds about one person (GDPR access and portability), as one JSON document: one section per
 * table, named schema.table, with the person's rows. Encrypted values appear as {"$encrypted": "<base64>"}; the
 * gateway decrypts them before the document leaves (the database cannot). Secrets (password and token hashes) are
 * left out: they are not information about the person, and handing them out would weaken the account. An audit
 * event's encrypted part is included only when the event is about this person (its subject, or its actor when it has
 * no subject): the personal part of an event about someone else belongs to that someone.
 * test/api/privacy/export.test.ts fails when a table listed in app_private.personal_data_columns has no section here.
 */
create or replace function app_hidden.personal_data_document(user_id uuid) returns jsonb
language sql stable security definer
set search_path to pg_catalog, pg_temp as $$
  select jsonb_build_object(
    'format', 'gatehouse-personal-data/1',
    'exported_at', app_hidden.clock_now(),
    'user_id', personal_data_document.user_id,
    'app_public.users', (select to_jsonb(u) from app_public.users u where u.id = personal_data_document.user_id),
    'app_private.user_personal_data', (
      select jsonb_build_object('phone', app_hidden.encrypted_json(p.phone), 'date_of_birth', app_hidden.encrypted_json(p.date_of_birth),
                                'updated_at', p.updated_at)
      from app_private.user_personal_data p where p.user_id = personal_data_document.user_id),
    'app_private.user_security', (
      select jsonb_build_object('password_changed_at', s.password_changed_at, 'last_login_at', s.last_login_at)
      from app_private.user_security s where s.user_id = personal_data_document.user_id),
    'app_private.sessions', coalesce((
      select jsonb_agg(jsonb_build_object('id', s.id, 'created_at', s.created_at, 'last_refreshed_at', s.last_refreshed_at,
                                          'absolute_expires_at', s.absolute_expires_at, 'revoked_at', s.revoked_at,
                                          'revoked_reason', s.revoked_reason, 'device_info', s.device_info,
                                          'personal', app_hidden.encrypted_json(s.personal)) order by s.created_at)
      from app_private.sessions s where s.user_id = personal_data_document.user_id), '[]'),
    'app_private.known_devices', coalesce((
      select jsonb_agg(jsonb_build_object('device_hash', encode(d.device_hash, 'hex'), 'first_seen_at', d.first_seen_at,
                                          'last_seen_at', d.last_seen_at) order by d.first_seen_at)
      from app_private.known_devices d where d.user_id = personal_data_document.user_id), '[]'),
    'app_private.consents', coalesce((
      select jsonb_agg(jsonb_build_object('id', c.id, 'purpose', c.purpose, 'version', c.version, 'granted', c.granted,
                                          'recorded_at', c.recorded_at, 'ip', app_hidden.encrypted_json(c.ip)) order by c.id)
      from app_private.consents c where c.user_id = personal_data_document.user_id), '[]'),
    'app_private.password_resets', coalesce((
      select jsonb_agg(jsonb_build_object('id', r.id, 'email', r.email, 'requested_at', r.requested_at, 'used_at', r.used_at,
                                          'requested_from', app_hidden.encrypted_json(r.requested_from)) order by r.requested_at)
      from app_private.password_resets r where r.user_id = personal_data_document.user_id), '[]'),
    'app_private.email_changes', coalesce((
      select jsonb_agg(jsonb_build_object('id', c.id, 'old_email', c.old_email, 'new_email', c.new_email,
                                          'requested_at', c.requested_at, 'used_at', c.used_at) order by c.requested_at)
      from app_private.email_changes c where c.user_id = personal_data_document.user_id), '[]'),
    'app_public.memberships', coalesce((
      select jsonb_agg(to_jsonb(m) order by m.joined_at) from app_public.memberships m where m.user_id = personal_data_document.user_id), '[]'),
    'app_public.user_roles', coalesce((
      select jsonb_agg(to_jsonb(g) || jsonb_build_object('role_name', r.name) order by g.assigned_at)
      from app_public.user_roles g join app_public.roles r on r.id = g.role_id where g.user_id = personal_data_document.user_id), '[]'),
    'app_public.invitations', coalesce((
      select jsonb_agg(to_jsonb(i) order by i.created_at) from app_public.invitations i
      where i.accepted_by = personal_data_document.user_id or i.invited_by = personal_data_document.user_id
         or i.email = (select u.email from app_public.users u where u.id = personal_data_document.user_id)), '[]'),
    'app_public.project_members', coalesce((
      select jsonb_agg(to_jsonb(m)) from app_public.project_members m where m.user_id = personal_data_document.user_id), '[]'),
    'app_public.posts', coalesce((
      select jsonb_agg(to_jsonb(p) order by p.created_at) from app_public.posts p where p.author_id = personal_data_document.user_id), '[]'),
    'app_public.comments', coalesce((
      select jsonb_agg(to_jsonb(c) order by c.created_at) from app_public.comments c where c.author_id = personal_data_document.user_id), '[]'),
    'app_public.tasks', coalesce((
      select jsonb_agg(to_jsonb(t) order by t.created_at) from app_public.tasks t
      where t.assignee_id = personal_data_document.user_id or t.created_by = personal_data_document.user_id), '[]'),
    'audit.events', coalesce((
      select jsonb_agg(jsonb_build_object(
               'id', e.id, 'occurred_at', e.occurred_at, 'event_type', e.event_type, 'outcome', e.outcome,
               'severity', e.severity, 'reason', e.reason, 'actor_id', e.actor_id, 'subject_id', e.subject_id,
               'organisation_id', e.organisation_id, 'entity_type', e.entity_type, 'entity_id', e.entity_id,
               'details', e.details, 'request_id', e.request_id,
               'personal', case when coalesce(e.subject_id, e.actor_id) = personal_data_document.user_id
                                then app_hidden.encrypted_json(e.personal) end) order by e.occurred_at, e.id)
      from (select * from audit.events x where x.subject_id = personal_data_document.user_id
            union
            select * from audit.events x where x.actor_id = personal_data_document.user_id) e), '[]')
  )
$$;
comment on function app_hidden.personal_data_document(uuid) is
  'Everything held about a person, one section per table; encrypted values as {"$encrypted": base64} for the gateway to decrypt.';
--! EndIncluded functions/app_hidden.personal_data_document.sql
--! Included functions/app_public.export_my_data.sql
/*
 * GDPR access and portability: everything Gatehouse holds about you, as one JSON document (one section per table),
 * decrypted by the gateway on the way out. Every export is audited.
 */
create or replace function app_public.export_my_data() returns app_public.data_export
language plpgsql volatile security definer
set search_path to pg_catalog, pg_temp as $$
declare
  v_user_id uuid := app_hidden.current_user_id();
begin
  if v_user_id is null then
    perform audit.record_event('user.export', 'refused', reason => 'LOGIN', severity => 'notice');
    return row(null, 'LOGIN', 'You must log in to export your data.')::app_public.data_export;
  end if;
  perform audit.record_event('user.export', 'success', subject_id => v_user_id, entity_type => 'user',
    entity_id => v_user_id::text, details => jsonb_build_object('requested_by', 'self'));
  return row(app_hidden.personal_data_document(v_user_id), null, null)::app_public.data_export;
end;
$$;
comment on function app_public.export_my_data() is
  'Everything held about you, as one JSON document (GDPR access and portability). Audited.';
grant execute on function app_public.export_my_data() to app_authenticated;
--! EndIncluded functions/app_public.export_my_data.sql
--! Included functions/app_public.export_user_data.sql
/*
 * An administrator's export of everything held about one account (answering a data subject request on their behalf):
 * needs users:export globally. Refusals and exports are audited, with the administrator as actor.
 */
create or replace function app_public.export_user_data(user_id uuid) returns app_public.data_export
language plpgsql volatile security definer
set search_path to pg_catalog, pg_temp as $$
declare
  v_actor uuid := app_hidden.current_user_id();
begin
  if v_actor is null or not app_hidden.user_has_permission(v_actor, 'users:export', null) then
    perform audit.record_event('user.export', 'refused', reason => 'PERMS', subject_id => export_user_data.user_id,
      severity => 'warning');
    return row(null, 'PERMS', 'You may not export accounts: this needs the users:export permission.')::app_public.data_export;
  end if;
  if not exists (select 1 from app_public.users u where u.id = export_user_data.user_id) then
    perform audit.record_event('user.export', 'refused', reason => 'NTFND', subject_id => export_user_data.user_id);
    return row(null, 'NTFND', 'There is no such account.')::app_public.data_export;
  end if;
  perform audit.record_event('user.export', 'success', subject_id => export_user_data.user_id, entity_type => 'user',
    entity_id => export_user_data.user_id::text, severity => 'notice', details => jsonb_build_object('requested_by', 'admin'));
  return row(app_hidden.personal_data_document(export_user_data.user_id), null, null)::app_public.data_export;
end;
$$;
comment on function app_public.export_user_data(uuid) is
  'Everything held about an account, as one JSON document (users:export, global). Audited.';
grant execute on function app_public.export_user_data(uuid) to app_authenticated;
--! EndIncluded functions/app_public.export_user_data.sql
--! Included functions/app_public.restrict_processing.sql
/*
 * GDPR restriction of processing (Art. 18), by an administrator holding users:manage globally: the account is frozen
 * (status suspended, every session ended, logging in refused) and its data kept as it is — retention-date erasure
 * waits until the restriction is lifted. Lifting it makes the account active again. Both are audited.
 */
create or replace function app_public.restrict_processing(user_id uuid, restricted boolean) returns app_public.outcome
language plpgsql volatile security definer
set search_path to pg_catalog, pg_temp as $$
declare
  v_actor uuid := app_hidden.current_user_id();
  v_user app_public.users;
begin
  if v_actor is null or not app_hidden.user_has_permission(v_actor, 'users:manage', null) then
    perform audit.record_event('user.restrict', 'refused', reason => 'PERMS', subject_id => restrict_processing.user_id,
      severity => 'warning');
    return row(false, 'PERMS', 'You may not restrict accounts.', null)::app_public.outcome;
  end if;
  select u.* into v_user from app_public.users u where u.id = restrict_processing.user_id for update;
  if not found or v_user.erased_at is not null then
    perform audit.record_event('user.restrict', 'refused', reason => 'NTFND', subject_id => restrict_processing.user_id);
    return row(false, 'NTFND', 'There is no such account.', null)::app_public.outcome;
  end if;
  if coalesce(restricted, false) then
    update app_public.users u set processing_restricted_at = coalesce(u.processing_restricted_at, app_hidden.clock_now()),
                                  status = case when u.status = 'deleted' then u.status else 'suspended' end
     where u.id = v_user.id;
    update app_private.sessions s set revoked_at = app_hidden.clock_now(), revoked_reason = 'processing_restricted'
     where s.user_id = v_user.id and s.revoked_at is null;
  else
    update app_public.users u set processing_restricted_at = null,
                                  status = case when u.status = 'suspended' then 'active' else u.status end
     where u.id = v_user.id;
  end if;
  perform audit.record_event('user.restrict', 'success', subject_id => v_user.id, entity_type => 'user',
    entity_id => v_user.id::text, severity => 'notice', details => jsonb_build_object('restricted', coalesce(restricted, false)));
  return row(true, null, null, null)::app_public.outcome;
end;
$$;
comment on function app_public.restrict_processing(uuid, boolean) is
  'Freezes an account and keeps its data as it is (GDPR restriction of processing), or lifts that (users:manage).';
grant execute on function app_public.restrict_processing(uuid, boolean) to app_authenticated;
--! EndIncluded functions/app_public.restrict_processing.sql
--! Included functions/app_hidden.begin_erasure.sql
/*
 * Step one of erasing an account (the worker's users__erase), when it is due: deleted and past its grace period, or
 * past its retention_until date. Anonymises every clear personal column (app_private.personal_data_columns says
 * which), removes what only identified the person (sessions, devices, memberships, role grants, encrypted profile
 * fields), and returns the keys to destroy in the key store. Idempotent: run again, it returns the keys not yet
 * destroyed, and nothing else changes. Returns nothing when the account is not due (restored in time, say) or its
 * processing is restricted (the data must be kept as it is until the restriction is lifted).
 */
create or replace function app_hidden.begin_erasure(user_id uuid) returns setof uuid
language plpgsql volatile security definer
set search_path to pg_catalog, extensions, pg_temp as $$
declare
  v_user app_public.users;
  v_short text := left(replace(begin_erasure.user_id::text, '-', ''), 12);
begin
  select u.* into v_user from app_public.users u where u.id = begin_erasure.user_id for update;
  if not found then
    return;
  end if;
  if v_user.erased_at is null then
    if v_user.processing_restricted_at is not null
       or not ((v_user.status = 'deleted' and v_user.erasure_due_at <= app_hidden.clock_now())
               or v_user.retention_until <= (app_hidden.clock_now() at time zone 'UTC')::date) then
      return;
    end if;
    update app_public.users u set
      username = 'erased_' || v_short, email = v_short || '@erased.invalid',
      first_name = null, last_name = null, display_name = 'Erased account', avatar_url = null, bio = null,
      preferences = '{}', metadata = '{}', email_verified = false, email_verified_at = null,
      status = 'deleted', deleted_at = coalesce(u.deleted_at, app_hidden.clock_now()), erased_at = app_hidden.clock_now()
     where u.id = v_user.id;
    update app_private.user_security s
       set password_hash = crypt(encode(gen_random_bytes(32), 'base64'), gen_salt('bf', 4)), password_scheme = 'bcrypt'
     where s.user_id = v_user.id;
    delete from app_private.user_personal_data p where p.user_id = v_user.id;
    delete from app_private.sessions s where s.user_id = v_user.id;
    delete from app_private.known_devices d where d.user_id = v_user.id;
    delete from app_private.password_history h where h.user_id = v_user.id;
    delete from app_private.password_resets r where r.user_id = v_user.id;
    delete from app_private.email_changes c where c.user_id = v_user.id;
    delete from app_private.email_verifications v where v.user_id = v_user.id;
    delete from app_private.users_awaiting_key w where w.user_id = v_user.id;
    delete from app_public.user_roles r where r.user_id = v_user.id;
    delete from app_public.project_members m where m.user_id = v_user.id;
    delete from app_public.memberships m where m.user_id = v_user.id;
    update app_public.invitations i set email = v_short || '@erased.invalid' where i.email = v_user.email;
  end if;
  return query
    select k.key_id from app_private.encryption_keys k where k.user_id = v_user.id and k.destroyed_at is null;
end;
$$;
comment on function app_hidden.begin_erasure(uuid) is
  'Anonymises a due account and returns its keys for the worker to destroy in the key store (step one of erasure).';
grant execute on function app_hidden.begin_erasure(uuid) to app_worker;
--! EndIncluded functions/app_hidden.begin_erasure.sql
--! Included functions/app_hidden.due_erasures.sql
/*
 * Accounts whose erasure is due and not done: deleted past their grace period, or past retention_until, and not
 * restricted. The daily
 * users__erase_due job queues users__erase for each (a deletion queues its own job; this catches what a lost job or
 * a retention date leaves).
 */
create or replace function app_hidden.due_erasures(batch integer default 1000) returns setof uuid
language sql stable security definer
set search_path to pg_catalog, pg_temp as $$
  (select u.id from app_public.users u
    where u.erased_at is null and u.processing_restricted_at is null
      and u.status = 'deleted' and u.erasure_due_at <= app_hidden.clock_now()
    limit due_erasures.batch)
  union
  (select u.id from app_public.users u
    where u.erased_at is null and u.processing_restricted_at is null
      and u.retention_until <= (app_hidden.clock_now() at time zone 'UTC')::date
    limit due_erasures.batch)
$$;
comment on function app_hidden.due_erasures(integer) is 'Accounts due for erasure (grace period over, or retention date passed).';
grant execute on function app_hidden.due_erasures(integer) to app_worker;
--! EndIncluded functions/app_hidden.due_erasures.sql

insert into app_private.personal_data_columns values
  ('app_private', 'sessions', 'device_info', 'clear_short_lived', 'describing the device a session runs on', 'deleted')
on conflict do nothing;
