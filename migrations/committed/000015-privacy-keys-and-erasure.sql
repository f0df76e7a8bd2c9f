--! Previous: sha1:14098b97b09d36542f9cefef62ee9219f4af8b28
--! Hash: sha1:bbc11661c0089a75c8532cdf230cd20068073c93
--! Message: privacy-keys-and-erasure

-- Privacy by design (issue 8): per-person encryption keys whose private halves live in a separate key store, personal
-- data stored only as ciphertext (phone, date of birth, consent addresses, the personal parts of audit events),
-- consents, and account erasure by crypto-shredding. docs/privacy.md explains the design.

drop trigger if exists _100_assign_key on app_public.users;
drop trigger if exists _900_assign_key on app_public.users;
drop function if exists audit.record_event(text, text, jsonb, text, uuid, text, text, text, uuid);
drop function if exists app_public.record_consent(text, text, boolean);
drop function if exists app_public.my_consents();
drop function if exists app_public.users_by_phone(text);
drop function if exists app_public.audit_events(uuid, uuid, text, timestamptz, timestamptz, text);
drop function if exists app_hidden.issue_password_reset_token(uuid, bytea);
drop type if exists app_public.consent cascade;
drop table if exists app_private.encryption_keys, app_private.users_awaiting_key, app_private.user_personal_data,
  app_private.consents, app_private.personal_data_columns cascade;
alter table app_public.users drop column if exists erasure_requested_at, drop column if exists erasure_due_at,
  drop column if exists erased_at;
alter table audit.events drop column if exists personal;
alter type app_public.audit_event drop attribute if exists personal;
alter type app_public.session_info drop attribute if exists personal;
alter type app_public.security_summary drop attribute if exists last_login_from;
delete from config.system_settings where key in ('keys.spare_pool_size', 'keys.system_key_lifetime', 'gdpr.erasure_grace_period');

insert into config.system_settings (key, value_type, default_value, value, min_value, max_value, is_public, description) values
  ('keys.spare_pool_size', 'integer', '100', '100', 1, 100000, false,
   'Key pairs the worker keeps ready for new accounts (making one takes about 0.1 s); refilled when half are used.'),
  ('keys.system_key_lifetime', 'interval', '"30 days"', '"30 days"', null, null, false,
   'How long a system key (for events about nobody in particular) is used before the worker makes the next one.'),
  ('gdpr.erasure_grace_period', 'interval', '"90 days"', '"90 days"', null, null, false,
   'How long a deleted account can be restored before it is erased (its keys destroyed, its clear data anonymised).');

/* ------------------------------------------------------------------------------------------------------------------
 * Keys. Public halves only: the private halves are wrapped by the master key in the key store, another database.
 */
create table app_private.encryption_keys (
  key_id uuid primary key,
  pgp_key_id text not null unique check (pgp_key_id ~ '^[0-9A-F]{16}$'),
  public_key bytea not null,
  purpose text not null check (purpose in ('user', 'system')),
  user_id uuid unique,
  created_at timestamptz not null default app_hidden.clock_now(),
  assigned_at timestamptz,
  destroyed_at timestamptz,
  check (purpose = 'user' or user_id is null),
  check ((user_id is null) = (assigned_at is null))
);
comment on table app_private.encryption_keys is
  'OpenPGP public keys personal data is encrypted to: one per account (spares wait with no user), and system keys for events about nobody. The private halves are in the key store; destroyed_at: shredded there.';
comment on column app_private.encryption_keys.pgp_key_id is 'The OpenPGP key id of the encryption subkey, as pgp_key_id() reads it from a message.';
create index encryption_keys_spare_idx on app_private.encryption_keys (created_at)
  where purpose = 'user' and user_id is null and destroyed_at is null;
create index encryption_keys_system_idx on app_private.encryption_keys (created_at desc)
  where purpose = 'system' and destroyed_at is null;

create table app_private.users_awaiting_key (
  user_id uuid primary key references app_public.users (id) on delete cascade,
  since timestamptz not null default app_hidden.clock_now()
);
comment on table app_private.users_awaiting_key is 'Accounts created while the spare key pool was empty; the worker makes their keys.';

alter table app_public.users
  add column erasure_requested_at timestamptz,
  add column erasure_due_at timestamptz,
  add column erased_at timestamptz,
  add constraint users_erasure_check check ((erasure_requested_at is null) = (erasure_due_at is null));
comment on column app_public.users.erasure_requested_at is 'When you asked for your account to be deleted.';
comment on column app_public.users.erasure_due_at is 'When your deleted account will be erased; until then it can be restored.';
comment on column app_public.users.erased_at is 'When the account was erased: its keys destroyed, its personal data anonymised.';

/* ------------------------------------------------------------------------------------------------------------------
 * Encrypted profile fields and consents.
 */
create table app_private.user_personal_data (
  user_id uuid primary key references app_public.users (id) on delete cascade,
  phone bytea,
  phone_lookup bytea check (length(phone_lookup) = 32),
  date_of_birth bytea,
  updated_at timestamptz not null default app_hidden.clock_now(),
  check ((phone is null) = (phone_lookup is null))
);
comment on table app_private.user_personal_data is
  'Profile fields kept only as OpenPGP ciphertext to the account''s key (AES-256). phone_lookup: HMAC-SHA-256 blind index, key outside the database.';
create index user_personal_data_phone_lookup_idx on app_private.user_personal_data (phone_lookup) where phone_lookup is not null;

create table app_private.consents (
  id bigint generated always as identity primary key,
  user_id uuid not null references app_public.users (id) on delete cascade,
  purpose text not null check (purpose in ('terms', 'marketing', 'analytics')),
  version text not null check (version ~ '^[A-Za-z0-9][A-Za-z0-9._-]{0,39}$'),
  granted boolean not null,
  recorded_at timestamptz not null default app_hidden.clock_now(),
  ip bytea
);
comment on table app_private.consents is
  'Consent history: every grant and withdrawal per purpose and version, append-only. ip: encrypted to the account''s key.';
create index consents_user_idx on app_private.consents (user_id, recorded_at desc);
create trigger _000_forbid_change before update or delete on app_private.consents
  for each row execute function audit.tg_events__forbid_change();

create type app_public.consent as (
  id bigint,
  purpose text,
  version text,
  granted boolean,
  recorded_at timestamptz
);
comment on type app_public.consent is 'A consent you gave or withdrew: purpose (terms, marketing, analytics), version of the text, when.';

/* ------------------------------------------------------------------------------------------------------------------
 * The record of processing, in the schema: every column holding personal data, how it is protected, and how it is
 * exported and erased. The row-change audit trigger moves the values of listed columns into the encrypted part of
 * its events; test/db/privacy/personal_columns.test.ts fails when a personal-looking column is missing here.
 */
create table app_private.personal_data_columns (
  table_schema text not null,
  table_name text not null,
  column_name text not null,
  protection text not null check (protection in ('encrypted', 'clear_identifier', 'clear_profile', 'clear_short_lived', 'blind_index')),
  purpose text not null,
  erasure text not null check (erasure in ('shredded', 'anonymised', 'deleted')),
  primary key (table_schema, table_name, column_name)
);
comment on table app_private.personal_data_columns is
  'Record of processing: each column holding personal data, its protection, purpose and what erasure does to it (docs/gdpr.md).';
insert into app_private.personal_data_columns values
  ('app_public', 'users', 'username', 'clear_identifier', 'login and mentions; unique, so searched in the clear', 'anonymised'),
  ('app_public', 'users', 'email', 'clear_identifier', 'login, recovery and notification mail', 'anonymised'),
  ('app_public', 'users', 'first_name', 'clear_profile', 'display and admin search', 'anonymised'),
  ('app_public', 'users', 'last_name', 'clear_profile', 'display and admin search', 'anonymised'),
  ('app_public', 'users', 'display_name', 'clear_profile', 'display', 'anonymised'),
  ('app_public', 'users', 'avatar_url', 'clear_profile', 'display', 'anonymised'),
  ('app_public', 'users', 'bio', 'clear_profile', 'display', 'anonymised'),
  ('app_public', 'invitations', 'email', 'clear_identifier', 'delivering an invitation', 'anonymised'),
  ('app_private', 'user_personal_data', 'phone', 'encrypted', 'contact and account recovery', 'deleted'),
  ('app_private', 'user_personal_data', 'phone_lookup', 'blind_index', 'finding an account by phone', 'deleted'),
  ('app_private', 'user_personal_data', 'date_of_birth', 'encrypted', 'age checks', 'deleted'),
  ('app_private', 'consents', 'ip', 'encrypted', 'proof of consent', 'shredded'),
  ('audit', 'events', 'personal', 'encrypted', 'security investigation: address, device, changed personal values', 'shredded'),
  ('app_private', 'sessions', 'personal', 'encrypted', 'showing your sessions: address and device it was opened from', 'deleted'),
  ('app_private', 'password_resets', 'requested_from', 'encrypted', 'the reset mail says where it was asked from', 'deleted'),
  ('app_private', 'password_resets', 'email', 'clear_short_lived', 'where the reset link goes', 'deleted'),
  ('app_private', 'email_changes', 'old_email', 'clear_short_lived', 'telling the old address', 'deleted'),
  ('app_private', 'email_changes', 'new_email', 'clear_short_lived', 'confirming the new address', 'deleted');

/* ------------------------------------------------------------------------------------------------------------------
 * Audit events: the personal part, encrypted. Older events keep what they had (their bytes are sealed).
 */
alter table audit.events add column personal bytea;
comment on column audit.events.personal is
  'OpenPGP ciphertext (AES-256) of the personal part: {ip, user_agent, values}, to the key of the person the event is about.';
comment on column audit.events.client_ip is 'Events before migration 000015 only: newer ones keep the address in personal, encrypted.';
comment on column audit.events.user_agent is 'Events before migration 000015 only: newer ones keep the user agent in personal, encrypted.';
alter type app_public.audit_event add attribute personal bytea;
comment on column app_public.audit_event.personal is '@behavior -*';
comment on column app_public.audit_event.client_ip is '@behavior -*';
comment on column app_public.audit_event.user_agent is '@behavior -*';

--! Included functions/app_hidden.encryption_key_for.sql
/*
 * The public key that personal data about a person is encrypted to: their own key while they have one, otherwise
 * (no person, a person whose key is not assigned yet, an erased person) the newest system key. Public keys only: the
 * private halves live in the key store, never in this database.
 */
create or replace function app_hidden.encryption_key_for(owner_id uuid) returns app_private.encryption_keys
language sql stable security definer
set search_path to pg_catalog, pg_temp as $$
  select k from (
    (select k, 1 as rank from app_private.encryption_keys k
      where k.user_id = encryption_key_for.owner_id and k.destroyed_at is null)
    union all
    (select k, 2 from app_private.encryption_keys k
      where k.purpose = 'system' and k.destroyed_at is null
      order by k.created_at desc limit 1)
  ) found
  order by found.rank
  limit 1
$$;
comment on function app_hidden.encryption_key_for(uuid) is
  'The key personal data about a person is encrypted to: theirs, or the current system key when they have none.';
--! EndIncluded functions/app_hidden.encryption_key_for.sql
--! Included functions/app_hidden.encrypt_personal.sql
/*
 * Encrypts personal data about a person with OpenPGP (pgcrypto): AES-256 for the data under a fresh session key, the
 * session key wrapped by the person's RSA public key. SQL needs no secret to write; only the gateway and worker,
 * holding the master key that unwraps private keys, can read. The message names its key (pgp_key_id), which is how
 * the reader finds the private key. Returns null for null input, and null (the value is dropped, never kept in the
 * clear) when no key at all is provisioned.
 */
create or replace function app_hidden.encrypt_personal(owner_id uuid, value text) returns bytea
language sql volatile security definer
set search_path to pg_catalog, pg_temp as $$
  select extensions.pgp_pub_encrypt(encrypt_personal.value, (app_hidden.encryption_key_for(encrypt_personal.owner_id)).public_key,
                                    'cipher-algo=aes256, compress-algo=0')
  where encrypt_personal.value is not null
    and (app_hidden.encryption_key_for(encrypt_personal.owner_id)).public_key is not null
$$;
comment on function app_hidden.encrypt_personal(uuid, text) is
  'Personal data about a person, encrypted to their key (AES-256 data, RSA-wrapped session key).';
--! EndIncluded functions/app_hidden.encrypt_personal.sql
--! Included functions/app_hidden.user_key_assigned.sql
/* Whether the person has a live key of their own (profile data such as the phone number is stored only under it). */
create or replace function app_hidden.user_key_assigned(user_id uuid) returns boolean
language sql stable security definer
set search_path to pg_catalog, pg_temp as $$
  select exists (select 1 from app_private.encryption_keys k
                 where k.user_id = user_key_assigned.user_id and k.destroyed_at is null)
$$;
comment on function app_hidden.user_key_assigned(uuid) is 'Whether the person has a live encryption key of their own.';
--! EndIncluded functions/app_hidden.user_key_assigned.sql
--! Included functions/app_hidden.add_encryption_key.sql
/*
 * Records the public half of a key pair the worker made (its private half is already wrapped in the key store):
 * a spare user key (user_id null, handed to the next new account), a key for a named account that has none, or a
 * new system key (which becomes the current one). Idempotent on key_id; an account that has a key meanwhile, or was
 * erased, is not given another.
 */
create or replace function app_hidden.add_encryption_key(
  key_id uuid, pgp_key_id text, public_key bytea, purpose text, user_id uuid default null
) returns boolean
language plpgsql volatile security definer
set search_path to pg_catalog, pg_temp as $$
begin
  if add_encryption_key.user_id is not null then
    delete from app_private.users_awaiting_key w where w.user_id = add_encryption_key.user_id;
    if app_hidden.user_key_assigned(add_encryption_key.user_id)
       or not exists (select 1 from app_public.users u where u.id = add_encryption_key.user_id and u.erased_at is null) then
      return false;
    end if;
  end if;
  insert into app_private.encryption_keys (key_id, pgp_key_id, public_key, purpose, user_id, assigned_at)
  values (add_encryption_key.key_id, add_encryption_key.pgp_key_id, add_encryption_key.public_key,
          add_encryption_key.purpose, add_encryption_key.user_id,
          case when add_encryption_key.user_id is not null then app_hidden.clock_now() end)
  on conflict on constraint encryption_keys_pkey do nothing;
  return found;
end;
$$;
comment on function app_hidden.add_encryption_key(uuid, text, bytea, text, uuid) is
  'Records the public half of a key pair whose private half the worker has wrapped into the key store.';
grant execute on function app_hidden.add_encryption_key(uuid, text, bytea, text, uuid) to app_worker;
--! EndIncluded functions/app_hidden.add_encryption_key.sql
--! Included functions/app_hidden.encryption_key_demand.sql
/*
 * What the key worker should make: a system key when none is current or the current one is older than
 * keys.system_key_lifetime, spare user keys up to keys.spare_pool_size, and keys for accounts that have none (they
 * registered while the spare pool was empty: app_private.users_awaiting_key), a bounded batch at a time.
 */
create or replace function app_hidden.encryption_key_demand(batch integer default 100)
returns table (system_key_needed boolean, spare_keys_needed integer, users_without_key uuid[])
language sql stable security definer
set search_path to pg_catalog, pg_temp as $$
  select
    not exists (select 1 from app_private.encryption_keys k
                where k.purpose = 'system' and k.destroyed_at is null
                  and k.created_at > app_hidden.clock_now() - config.setting_interval('keys.system_key_lifetime')),
    greatest(0, config.setting_integer('keys.spare_pool_size')
                - (select count(*)::integer from app_private.encryption_keys k
                   where k.purpose = 'user' and k.user_id is null and k.destroyed_at is null)),
    array(select w.user_id from app_private.users_awaiting_key w
          order by w.since limit encryption_key_demand.batch)
$$;
comment on function app_hidden.encryption_key_demand(integer) is
  'How many keys the worker should make: a system key, spare user keys, keys for accounts that have none.';
grant execute on function app_hidden.encryption_key_demand(integer) to app_worker;
--! EndIncluded functions/app_hidden.encryption_key_demand.sql
--! Included functions/app_private.tg_users__assign_key.sql
/*
 * A new account takes a spare key from the pool the worker keeps filled (SKIP LOCKED: concurrent registrations never
 * wait on each other). With the pool empty it waits in users_awaiting_key, and events about it are encrypted to the
 * system key until the worker has made its key. Either way, when the pool runs below half, the worker is asked to
 * refill it (one queued job however many registrations ask).
 */
create or replace function app_private.tg_users__assign_key() returns trigger
language plpgsql security definer
set search_path to pg_catalog, pg_temp as $$
declare
  v_key_id uuid;
  v_spare integer;
begin
  update app_private.encryption_keys k set user_id = new.id, assigned_at = app_hidden.clock_now()
   where k.key_id = (select s.key_id from app_private.encryption_keys s
                     where s.purpose = 'user' and s.user_id is null and s.destroyed_at is null
                     order by s.created_at limit 1 for update skip locked)
  returning k.key_id into v_key_id;
  if v_key_id is null then
    insert into app_private.users_awaiting_key (user_id) values (new.id) on conflict do nothing;
  end if;
  select count(*) into v_spare from (
    select 1 from app_private.encryption_keys s
     where s.purpose = 'user' and s.user_id is null and s.destroyed_at is null
     limit config.setting_integer('keys.spare_pool_size') / 2 + 1) spare;
  if v_key_id is null or v_spare <= config.setting_integer('keys.spare_pool_size') / 2 then
    perform graphile_worker.add_job('keys__replenish', '{}'::json, job_key => 'keys__replenish', job_key_mode => 'preserve_run_at');
  end if;
  return null;
end;
$$;
comment on function app_private.tg_users__assign_key() is
  'Gives a new account a spare encryption key, or queues it for one; asks the worker to refill the spare pool.';
--! EndIncluded functions/app_private.tg_users__assign_key.sql
/* _100: before the row-change audit trigger (_800), so even the account's own insert event is encrypted to its key. */
create trigger _100_assign_key after insert on app_public.users
  for each row execute function app_private.tg_users__assign_key();

--! Included functions/audit.record_event.sql
/*
 * The single entry point for writing the audit trail. Callers pass what happened; the request context (request id,
 * client address, user agent, database role, acting user) is read here so that no caller can forget or forge it.
 *
 * The personal parts of an event (client address, user agent, and any personal values the caller passes) are never
 * stored in the clear: they go, as one JSON document, into `personal`, encrypted to the key of the person the event
 * is about (the subject, else the actor; the system key when there is neither). Erasing that person destroys the key,
 * which makes the personal part unreadable without touching the row, so the hash chain still verifies.
 */
create or replace function audit.record_event(
  event_type text,
  outcome text default 'success',
  details jsonb default '{}',
  reason text default null,
  subject_id uuid default null,
  severity text default 'info',
  entity_type text default null,
  entity_id text default null,
  organisation_id uuid default null,
  personal_values jsonb default null
) returns bigint
language plpgsql volatile security definer
set search_path to pg_catalog, pg_temp as $$
declare
  v_id bigint;
  v_actor_id uuid := app_hidden.current_user_id();
  v_personal jsonb := jsonb_strip_nulls(jsonb_build_object(
    'ip', host(app_hidden.current_client_ip()),
    'user_agent', left(app_hidden.current_user_agent(), 512),
    'values', nullif(record_event.personal_values, '{}'::jsonb)));
begin
  insert into audit.events (
    event_type, outcome, severity, reason, actor_id, subject_id, organisation_id, entity_type, entity_id,
    details, request_id, db_role, personal
  ) values (
    record_event.event_type, record_event.outcome, coalesce(record_event.severity, 'info'), record_event.reason,
    v_actor_id, record_event.subject_id, record_event.organisation_id, record_event.entity_type,
    record_event.entity_id, coalesce(record_event.details, '{}'), app_hidden.current_request_id(),
    nullif(pg_catalog.current_setting('role', true), 'none'),
    case when v_personal <> '{}'::jsonb
         then app_hidden.encrypt_personal(coalesce(record_event.subject_id, v_actor_id), v_personal::text) end
  )
  returning id into v_id;
  return v_id;
end;
$$;
comment on function audit.record_event(text, text, jsonb, text, uuid, text, text, text, uuid, jsonb) is
  'Appends one event to the audit trail, with the request context of the current transaction; personal parts encrypted. Returns the event id.';
grant execute on function audit.record_event(text, text, jsonb, text, uuid, text, text, text, uuid, jsonb) to app_worker;
--! EndIncluded functions/audit.record_event.sql
--! Included functions/audit.event_bytes.sql
/*
 * What the chain hashes for an event: its stored values, column by column in a fixed order, as JSON text that does not
 * depend on the session (time zone and date style are fixed here). A fixed list, not the whole row, so that adding a
 * column to audit.events later does not change the bytes, and so the hash, of events sealed before. The encrypted
 * personal part (added in migration 000015) is appended, as base64 of the ciphertext, only when present: events
 * written before it keep their bytes, and the chain covers the ciphertext exactly as stored.
 */
create or replace function audit.event_bytes(e audit.events) returns bytea
language sql stable
set search_path to pg_catalog, pg_temp
set timezone to 'UTC'
set datestyle to 'ISO, YMD'
set intervalstyle to 'postgres' as $$
  select pg_catalog.convert_to((pg_catalog.jsonb_build_array(
    e.id, e.occurred_at, e.event_type, e.outcome, e.severity, e.reason, e.actor_id, e.subject_id, e.organisation_id,
    e.entity_type, e.entity_id, e.details, e.request_id, e.client_ip, e.user_agent, e.db_role
  ) || case when e.personal is null then '[]'::jsonb
            else pg_catalog.jsonb_build_array(pg_catalog.encode(e.personal, 'base64')) end)::text, 'UTF8')
$$;
comment on function audit.event_bytes(audit.events) is 'The canonical bytes of an audit event, as the hash chain reads them.';
--! EndIncluded functions/audit.event_bytes.sql
--! Included functions/audit.tg__row_change.sql
/*
 * Row-change events, beside the decision events the functions write: one event per inserted, updated or deleted row
 * of an exposed table, `row.<table>.<insert|update|delete>`, with the values (for an update, only the columns that
 * changed, old and new). Columns whose names say they hold secrets (hash, token, secret, password) are redacted;
 * exposed tables keep none, but a future column must not leak through here. Values of personal columns (listed in
 * app_private.personal_data_columns) leave the clear details and go into the event's encrypted personal part.
 * Trigger arguments name the primary-key columns when they are not `id`. Security definer, since the writer (a
 * client role) may not call record_event.
 */
create or replace function audit.tg__row_change() returns trigger
language plpgsql security definer
set search_path to pg_catalog, pg_temp as $$
declare
  v_old jsonb := case when tg_op in ('UPDATE', 'DELETE') then to_jsonb(old) end;
  v_new jsonb := case when tg_op in ('INSERT', 'UPDATE') then to_jsonb(new) end;
  v_row jsonb := coalesce(v_new, v_old);
  v_secret_keys text[];
  v_changed text[];
  v_key_columns text[] := coalesce(tg_argv::text[], '{}');
  v_details jsonb;
  v_personal_keys text[];
  v_personal jsonb;
begin
  select coalesce(array_agg(k), '{}') into v_secret_keys
  from jsonb_object_keys(v_row) k where k ~ '(hash|token|secret|password)';
  v_old := v_old - v_secret_keys;
  v_new := v_new - v_secret_keys;
  if tg_op = 'UPDATE' then
    select coalesce(array_agg(k), '{}') into v_changed
    from jsonb_object_keys(v_new) k where v_new -> k is distinct from v_old -> k and k <> 'updated_at';
    if cardinality(v_changed) = 0 then
      return null;
    end if;
    v_details := jsonb_build_object(
      'old', (select jsonb_object_agg(k, v_old -> k) from unnest(v_changed) k),
      'new', (select jsonb_object_agg(k, v_new -> k) from unnest(v_changed) k));
  else
    v_details := jsonb_build_object(case when tg_op = 'INSERT' then 'new' else 'old' end, coalesce(v_new, v_old));
  end if;
  select coalesce(array_agg(p.column_name), '{}') into v_personal_keys
  from app_private.personal_data_columns p
  where p.table_schema = tg_table_schema and p.table_name = tg_table_name;
  if cardinality(v_personal_keys) > 0 then
    select jsonb_object_agg(part.side, part.value_object) into v_personal
    from (select d.key as side, (select jsonb_object_agg(c.key, c.value) from jsonb_each(d.value) c
                                 where c.key = any(v_personal_keys)) as value_object
          from jsonb_each(v_details) d) part
    where part.value_object is not null;
    select jsonb_object_agg(d.key, d.value - v_personal_keys) into v_details from jsonb_each(v_details) d;
  end if;
  if cardinality(v_key_columns) = 0 then
    v_key_columns := array['id'];
  end if;
  perform audit.record_event(
    format('row.%s.%s', tg_table_name, lower(tg_op)), 'success', v_details,
    entity_type => tg_table_name,
    entity_id => (select string_agg(v_row ->> c, ',' order by n) from unnest(v_key_columns) with ordinality as u (c, n)),
    organisation_id => (v_row ->> 'organization_id')::uuid,
    subject_id => case when tg_table_name = 'users' then (v_row ->> 'id')::uuid else (v_row ->> 'user_id')::uuid end,
    personal_values => v_personal
  );
  return null;
end;
$$;
comment on function audit.tg__row_change() is
  'Records a row-change event for each changed row of an exposed table, secrets redacted; arguments: primary-key columns.';
--! EndIncluded functions/audit.tg__row_change.sql
--! Included functions/app_public.audit_events.sql
/*
 * The audit trail for auditors, newest first, narrowed by any of: the user it concerns (as actor or subject), event
 * type, time range (since, until), request id. Holders of audit:read in an organisation see only that organisation's events (pass
 * organizationId); global holders see all. Each filter has its index (actor, subject, type, request, time, organisation);
 * the query is built from the filters given, so each call is planned for them (never a generic plan full of ORs).
 * The personal part comes out encrypted; the gateway decrypts it for the auditor (clientIp, userAgent, personalValues).
 */
create or replace function app_public.audit_events(
  organization_id uuid default null,
  user_id uuid default null,
  event_type text default null,
  since timestamptz default null,
  until timestamptz default null,
  request_id text default null
) returns setof app_public.audit_event
language plpgsql stable security definer
set search_path to pg_catalog, pg_temp as $$
begin
  if not app_hidden.can_read_audit(audit_events.organization_id) then
    return;
  end if;
  return query execute
    'select e.id, e.occurred_at, e.event_type, e.outcome, e.severity, e.reason, e.actor_id, e.subject_id,
            e.organisation_id, e.entity_type, e.entity_id, e.details, e.request_id, e.client_ip, e.user_agent, e.personal
     from audit.events e where true'
    || case when audit_events.organization_id is not null then ' and e.organisation_id = $1' else '' end
    || case when audit_events.user_id is not null then ' and (e.actor_id = $2 or e.subject_id = $2)' else '' end
    || case when audit_events.event_type is not null then ' and e.event_type = $3' else '' end
    || case when audit_events.since is not null then ' and e.occurred_at >= $4' else '' end
    || case when audit_events.until is not null then ' and e.occurred_at < $5' else '' end
    || case when audit_events.request_id is not null then ' and e.request_id = $6' else '' end
    || ' order by e.occurred_at desc, e.id desc'
    using audit_events.organization_id, audit_events.user_id, audit_events.event_type, audit_events.since,
          audit_events.until, audit_events.request_id;
end;
$$;
comment on function app_public.audit_events(uuid, uuid, text, timestamptz, timestamptz, text) is
  'Audit events, newest first, by organisation, user, type, time range or request id (audit:read).';
grant execute on function app_public.audit_events(uuid, uuid, text, timestamptz, timestamptz, text) to app_authenticated;
--! EndIncluded functions/app_public.audit_events.sql

--! Included functions/app_hidden.phone_lookup.sql
/*
 * The blind index of a phone number: HMAC-SHA-256 under a key that never enters the database. The gateway computes it
 * for every E.164 number in a request and hands the results over in the transaction-local setting
 * `gatehouse.phone_lookups` (a JSON object from number to hex digest); SQL only looks the number up. A number the
 * gateway did not index is an error (NOKEY), never a silent fallback to the clear number.
 */
create or replace function app_hidden.phone_lookup(phone text) returns bytea
language plpgsql stable
set search_path to pg_catalog, pg_temp as $$
declare
  v_digest text := nullif(current_setting('gatehouse.phone_lookups', true), '')::jsonb ->> phone_lookup.phone;
begin
  if v_digest is null or v_digest !~ '^[0-9a-f]{64}$' then
    raise exception 'Phone numbers cannot be handled right now.' using errcode = 'NOKEY',
      hint = 'The gateway did not index this number; call through the API.';
  end if;
  return decode(v_digest, 'hex');
end;
$$;
comment on function app_hidden.phone_lookup(text) is
  'The blind index (keyed HMAC, computed by the gateway) of an E.164 phone number in the current request.';
--! EndIncluded functions/app_hidden.phone_lookup.sql
--! Included functions/app_public.change_phone.sql
/*
 * Sets (or, with null, removes) your phone number. Needs your password (re-authentication), takes E.164 only
 * (+ and 7 to 15 digits, no spaces). The number is stored only encrypted to your own key, beside its blind index for
 * lookups; the audit event carries the new number in its encrypted part. An account whose key the worker has not made
 * yet is asked to try again shortly (NOKEY) rather than have its number stored under any other key.
 */
create or replace function app_public.change_phone(new_phone text, password text) returns app_public.outcome
language plpgsql volatile security definer
set search_path to pg_catalog, extensions, pg_temp as $$
declare
  v_user_id uuid := app_hidden.current_user_id();
  v_security app_private.user_security;
  v_phone text := nullif(btrim(change_phone.new_phone), '');
  v_retry integer;
begin
  if v_user_id is null then
    perform audit.record_event('user.phone_change', 'refused', reason => 'LOGIN', severity => 'notice');
    return row(false, 'LOGIN', 'You must log in to change your phone number.', null)::app_public.outcome;
  end if;
  if v_phone is not null and v_phone !~ '^\+[1-9][0-9]{6,14}$' then
    raise exception 'That is not a phone number in international format.' using errcode = 'INVAL',
      hint = 'Write it as + country code and number, digits only, for example +14155550123.';
  end if;

  v_retry := app_private.rate_limit_hit('phone_change:account:' || v_user_id::text,
    config.setting_integer('rate_limit.email_change_per_account.max'),
    config.setting_interval('rate_limit.email_change_per_account.window'));
  if v_retry is not null then
    perform audit.record_event('user.phone_change', 'refused', reason => 'LIMIT', subject_id => v_user_id,
      severity => 'warning');
    return row(false, 'LIMIT', format('Too many requests: try again in %s seconds.', v_retry), v_retry)::app_public.outcome;
  end if;

  select s.* into v_security from app_private.user_security s where s.user_id = v_user_id;
  if password is null or not app_private.verify_password(password, v_security.password_hash, v_security.password_scheme) then
    perform audit.record_event('user.phone_change', 'refused', reason => 'wrong_password', subject_id => v_user_id,
      severity => 'warning');
    return row(false, 'WRONG', 'Your password is not correct.', null)::app_public.outcome;
  end if;
  if not app_hidden.user_key_assigned(v_user_id) then
    raise exception 'Your phone number cannot be stored yet: try again in a minute.' using errcode = 'NOKEY',
      hint = 'Your account''s encryption key is still being made.';
  end if;

  insert into app_private.user_personal_data as p (user_id, phone, phone_lookup)
  values (v_user_id, app_hidden.encrypt_personal(v_user_id, v_phone),
          case when v_phone is not null then app_hidden.phone_lookup(v_phone) end)
  on conflict (user_id) do update
    set phone = excluded.phone, phone_lookup = excluded.phone_lookup, updated_at = app_hidden.clock_now();
  perform audit.record_event('user.phone_change', 'success', subject_id => v_user_id,
    entity_type => 'user', entity_id => v_user_id::text,
    details => jsonb_build_object('removed', v_phone is null),
    personal_values => jsonb_build_object('phone', v_phone));
  return row(true, null, null, null)::app_public.outcome;
end;
$$;
comment on function app_public.change_phone(text, text) is
  'Sets your phone number (E.164, e.g. +14155550123), or removes it with null. Needs your password.';
grant execute on function app_public.change_phone(text, text) to app_authenticated;
--! EndIncluded functions/app_public.change_phone.sql
--! Included functions/app_public.set_date_of_birth.sql
/*
 * Sets (or, with null, removes) your date of birth: stored only encrypted to your own key. Rectification needs no
 * password; the change is audited with the new value in the event's encrypted part.
 */
create or replace function app_public.set_date_of_birth(date_of_birth date) returns app_public.outcome
language plpgsql volatile security definer
set search_path to pg_catalog, pg_temp as $$
declare
  v_user_id uuid := app_hidden.current_user_id();
begin
  if v_user_id is null then
    return row(false, 'LOGIN', 'You must log in to change your date of birth.', null)::app_public.outcome;
  end if;
  if set_date_of_birth.date_of_birth is not null
     and (set_date_of_birth.date_of_birth < date '1900-01-01'
          or set_date_of_birth.date_of_birth > (app_hidden.clock_now() at time zone 'UTC')::date) then
    raise exception 'That date of birth is not possible.' using errcode = 'INVAL',
      hint = 'Give a date between 1900-01-01 and today.';
  end if;
  if not app_hidden.user_key_assigned(v_user_id) then
    raise exception 'Your date of birth cannot be stored yet: try again in a minute.' using errcode = 'NOKEY',
      hint = 'Your account''s encryption key is still being made.';
  end if;
  insert into app_private.user_personal_data as p (user_id, date_of_birth)
  values (v_user_id, app_hidden.encrypt_personal(v_user_id, set_date_of_birth.date_of_birth::text))
  on conflict (user_id) do update set date_of_birth = excluded.date_of_birth, updated_at = app_hidden.clock_now();
  perform audit.record_event('user.profile_update', 'success', subject_id => v_user_id,
    entity_type => 'user', entity_id => v_user_id::text, details => jsonb_build_object('fields', jsonb_build_array('date_of_birth')),
    personal_values => jsonb_build_object('date_of_birth', set_date_of_birth.date_of_birth));
  return row(true, null, null, null)::app_public.outcome;
end;
$$;
comment on function app_public.set_date_of_birth(date) is 'Sets your date of birth, or removes it with null.';
grant execute on function app_public.set_date_of_birth(date) to app_authenticated;
--! EndIncluded functions/app_public.set_date_of_birth.sql
--! Included functions/app_hidden.user_personal_ciphertext.sql
/*
 * The encrypted personal fields of an account, for the gateway to decrypt: only when the caller may read that account
 * (app_hidden.can_read_account, the same rule as the users table's row-level security), otherwise nothing.
 */
create or replace function app_hidden.user_personal_ciphertext(user_id uuid, field text) returns bytea
language sql stable security definer
set search_path to pg_catalog, pg_temp as $$
  select case user_personal_ciphertext.field when 'phone' then p.phone when 'date_of_birth' then p.date_of_birth end
  from app_private.user_personal_data p
  where p.user_id = user_personal_ciphertext.user_id
    and app_hidden.can_read_account(user_personal_ciphertext.user_id)
$$;
comment on function app_hidden.user_personal_ciphertext(uuid, text) is
  'An encrypted personal field (phone, date_of_birth) of an account the caller may read; null otherwise.';
grant execute on function app_hidden.user_personal_ciphertext(uuid, text) to app_authenticated;
--! EndIncluded functions/app_hidden.user_personal_ciphertext.sql
--! Included functions/app_public.users_by_phone.sql
/*
 * Accounts with this phone number, found through the blind index (never by decrypting): for holders of users:read,
 * within the accounts they may read. Numbers are not unique: a refusal for a number in use elsewhere would tell
 * whose it is.
 */
create or replace function app_public.users_by_phone(phone text) returns setof app_public.users
language sql stable security definer
set search_path to pg_catalog, pg_temp as $$
  select u.* from app_private.user_personal_data p
  join app_public.users u on u.id = p.user_id
  where users_by_phone.phone ~ '^\+[1-9][0-9]{6,14}$'
    and p.phone_lookup = app_hidden.phone_lookup(users_by_phone.phone)
    and app_hidden.can_read_account(u.id)
$$;
comment on function app_public.users_by_phone(text) is
  'Accounts you may read whose phone number is this one (E.164), found by its blind index.';
grant execute on function app_public.users_by_phone(text) to app_authenticated;
--! EndIncluded functions/app_public.users_by_phone.sql
--! Included functions/app_public.record_consent.sql
/*
 * Records that you gave (granted = true) or withdrew (false) consent for a purpose (terms, marketing, analytics) at a
 * version of its text. Consents are an append-only history: the current state of a purpose is its newest record. The
 * client address of each record is kept encrypted to your key, like every personal value.
 */
create or replace function app_public.record_consent(purpose text, version text, granted boolean) returns app_public.consent
language plpgsql volatile security definer
set search_path to pg_catalog, pg_temp as $$
declare
  v_user_id uuid := app_hidden.current_user_id();
  v_row app_private.consents;
begin
  if v_user_id is null then
    raise exception 'You must log in to record a consent.' using errcode = 'LOGIN';
  end if;
  if record_consent.purpose is null or record_consent.purpose not in ('terms', 'marketing', 'analytics') then
    raise exception 'Unknown consent purpose.' using errcode = 'INVAL', hint = 'Use terms, marketing or analytics.';
  end if;
  if record_consent.version is null or record_consent.version !~ '^[A-Za-z0-9][A-Za-z0-9._-]{0,39}$' or record_consent.granted is null then
    raise exception 'A consent needs the version of the text and whether it is given.' using errcode = 'INVAL',
      hint = 'version: 1 to 40 letters, digits, dots, dashes; granted: true or false.';
  end if;
  insert into app_private.consents (user_id, purpose, version, granted, ip)
  values (v_user_id, record_consent.purpose, record_consent.version, record_consent.granted,
          app_hidden.encrypt_personal(v_user_id, host(app_hidden.current_client_ip())))
  returning * into v_row;
  perform audit.record_event(case when record_consent.granted then 'consent.grant' else 'consent.withdraw' end, 'success',
    subject_id => v_user_id, entity_type => 'consent', entity_id => v_row.id::text,
    details => jsonb_build_object('purpose', v_row.purpose, 'version', v_row.version));
  return row(v_row.id, v_row.purpose, v_row.version, v_row.granted, v_row.recorded_at)::app_public.consent;
end;
$$;
comment on function app_public.record_consent(text, text, boolean) is
  'Gives (granted: true) or withdraws (false) your consent for a purpose: terms, marketing or analytics.';
grant execute on function app_public.record_consent(text, text, boolean) to app_authenticated;
--! EndIncluded functions/app_public.record_consent.sql
--! Included functions/app_public.my_consents.sql
/* Your consent history, newest first: every grant and withdrawal, per purpose and version. */
create or replace function app_public.my_consents() returns setof app_public.consent
language sql stable security definer
set search_path to pg_catalog, pg_temp as $$
  select row(c.id, c.purpose, c.version, c.granted, c.recorded_at)::app_public.consent
  from app_private.consents c
  where c.user_id = app_hidden.current_user_id()
  order by c.recorded_at desc, c.id desc
$$;
comment on function app_public.my_consents() is 'Your consent history, newest first.';
grant execute on function app_public.my_consents() to app_authenticated;
--! EndIncluded functions/app_public.my_consents.sql

--! Included functions/app_public.delete_my_account.sql
/*
 * GDPR erasure, asked by the account holder. Needs the current password. At once: the account is marked deleted,
 * every session ends and logging in is refused; the address and username stay reserved (a registration with them is
 * answered as usual, without telling). After gdpr.erasure_grace_period the worker erases the account
 * (users__erase): the keys are destroyed, which makes every encrypted value about the person unreadable in the
 * database and in every backup, and the remaining clear personal columns are anonymised. With `immediate` the grace
 * period is waived and erasure is queued now. Until erasure, restoreAccount brings the account back.
 */
create or replace function app_public.delete_my_account(password text, immediate boolean default false)
returns app_public.outcome
language plpgsql volatile security definer
set search_path to pg_catalog, pg_temp as $$
declare
  v_user_id uuid := app_hidden.current_user_id();
  v_security app_private.user_security;
  v_due timestamptz;
begin
  if v_user_id is null then
    perform audit.record_event('user.delete', 'refused', reason => 'LOGIN', severity => 'notice');
    return row(false, 'LOGIN', 'You must log in to delete your account.', null)::app_public.outcome;
  end if;
  select s.* into v_security from app_private.user_security s where s.user_id = v_user_id for update;
  if password is null or not app_private.verify_password(password, v_security.password_hash, v_security.password_scheme) then
    perform audit.record_event('user.delete', 'refused', reason => 'wrong_password', subject_id => v_user_id,
      severity => 'warning');
    return row(false, 'WRONG', 'Your password is not correct.', null)::app_public.outcome;
  end if;

  v_due := app_hidden.clock_now()
           + case when coalesce(immediate, false) then interval '0' else config.setting_interval('gdpr.erasure_grace_period') end;
  update app_public.users u set status = 'deleted', erasure_requested_at = app_hidden.clock_now(), erasure_due_at = v_due
   where u.id = v_user_id;
  update app_private.sessions s set revoked_at = app_hidden.clock_now(), revoked_reason = 'account_deleted'
   where s.user_id = v_user_id and s.revoked_at is null;
  perform graphile_worker.add_job('users__erase', json_build_object('user_id', v_user_id), run_at => v_due,
    job_key => 'users__erase:' || v_user_id::text, job_key_mode => 'replace');
  if not coalesce(immediate, false) then
    perform app_private.notify('account_deleted', v_user_id, jsonb_build_object('erasure_due_at', v_due));
  end if;
  perform audit.record_event('user.delete', 'success', subject_id => v_user_id, entity_type => 'user',
    entity_id => v_user_id::text, severity => 'notice',
    details => jsonb_build_object('immediate', coalesce(immediate, false), 'erasure_due_at', v_due));
  return row(true, null, null, null)::app_public.outcome;
end;
$$;
comment on function app_public.delete_my_account(text, boolean) is
  'Deletes your account: you are logged out everywhere now, and your data is erased after the grace period (or at once with immediate). Needs your password.';
grant execute on function app_public.delete_my_account(text, boolean) to app_authenticated;
--! EndIncluded functions/app_public.delete_my_account.sql
--! Included functions/app_public.restore_account.sql
/*
 * Brings back an account deleted less than the grace period ago, for whoever knows its address (or username) and
 * password. Every other case (no such account, wrong password, not deleted, already erased) gets the same WRONG, after
 * the same bcrypt work, so the answer tells nothing about which accounts exist. Then log in as usual.
 */
create or replace function app_public.restore_account(identifier text, password text) returns app_public.outcome
language plpgsql volatile security definer
set search_path to pg_catalog, extensions, pg_temp as $$
declare
  v_user app_public.users;
  v_security app_private.user_security;
  v_ok boolean;
  v_retry integer;
begin
  v_retry := app_private.rate_limit_hit('restore:ip:' || coalesce(host(app_hidden.current_client_ip()), 'unknown'),
    config.setting_integer('rate_limit.login_per_ip.max'), config.setting_interval('rate_limit.login_per_ip.window'));
  if v_retry is not null then
    perform audit.record_event('user.restore', 'refused', reason => 'LIMIT', severity => 'warning');
    return row(false, 'LIMIT', format('Too many attempts: try again in %s seconds.', v_retry), v_retry)::app_public.outcome;
  end if;
  select u.* into v_user from app_public.users u
   where (u.email = btrim(restore_account.identifier)::citext or u.username = btrim(restore_account.identifier)::citext)
     and u.deleted_at is null
   limit 1;
  select s.* into v_security from app_private.user_security s where s.user_id = v_user.id;
  /* Unknown accounts are checked against a dummy hash: the same work either way. */
  v_ok := app_private.verify_password(coalesce(password, ''),
            coalesce(v_security.password_hash, app_private.hash_password('no such account')),
            coalesce(v_security.password_scheme, 'bcrypt-sha384'))
          and v_user.status = 'deleted' and v_user.erasure_due_at > app_hidden.clock_now();
  if not coalesce(v_ok, false) then
    perform audit.record_event('user.restore', 'refused', reason => 'WRONG', subject_id => v_user.id, severity => 'notice');
    return row(false, 'WRONG', 'That account cannot be restored with these details.', null)::app_public.outcome;
  end if;
  update app_public.users u set status = 'active', erasure_requested_at = null, erasure_due_at = null where u.id = v_user.id;
  perform graphile_worker.remove_job('users__erase:' || v_user.id::text);
  perform app_private.notify('account_restored', v_user.id);
  perform audit.record_event('user.restore', 'success', subject_id => v_user.id, entity_type => 'user',
    entity_id => v_user.id::text, severity => 'notice');
  return row(true, null, null, null)::app_public.outcome;
end;
$$;
comment on function app_public.restore_account(text, text) is
  'Restores your account within the grace period after you deleted it: give your email address (or username) and password.';
grant execute on function app_public.restore_account(text, text) to app_anonymous;
--! EndIncluded functions/app_public.restore_account.sql
--! Included functions/app_hidden.begin_erasure.sql
/*
 * Step one of erasing an account (the worker's users__erase), when it is due: deleted and past its grace period, or
 * past its retention_until date. Anonymises every clear personal column (app_private.personal_data_columns says
 * which), removes what only identified the person (sessions, devices, memberships, role grants, encrypted profile
 * fields), and returns the keys to destroy in the key store. Idempotent: run again, it returns the keys not yet
 * destroyed, and nothing else changes. Returns nothing when the account is not due (restored in time, say).
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
    if not ((v_user.status = 'deleted' and v_user.erasure_due_at <= app_hidden.clock_now())
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
  end if;
  return query
    select k.key_id from app_private.encryption_keys k where k.user_id = v_user.id and k.destroyed_at is null;
end;
$$;
comment on function app_hidden.begin_erasure(uuid) is
  'Anonymises a due account and returns its keys for the worker to destroy in the key store (step one of erasure).';
grant execute on function app_hidden.begin_erasure(uuid) to app_worker;
--! EndIncluded functions/app_hidden.begin_erasure.sql
--! Included functions/app_hidden.finish_erasure.sql
/*
 * Step two of erasure, after the worker has deleted the keys from the key store: the keys are marked destroyed (their
 * public halves stay: they are public, and they name what was shredded) and the erasure is audited. Idempotent.
 */
create or replace function app_hidden.finish_erasure(user_id uuid, destroyed_key_ids uuid[]) returns integer
language plpgsql volatile security definer
set search_path to pg_catalog, pg_temp as $$
declare
  v_count integer;
begin
  update app_private.encryption_keys k set destroyed_at = app_hidden.clock_now()
   where k.user_id = finish_erasure.user_id and k.key_id = any(finish_erasure.destroyed_key_ids) and k.destroyed_at is null;
  get diagnostics v_count = row_count;
  if v_count > 0 then
    perform audit.record_event('user.erase', 'success', subject_id => finish_erasure.user_id, entity_type => 'user',
      entity_id => finish_erasure.user_id::text, severity => 'notice', details => jsonb_build_object('keys_destroyed', v_count));
  end if;
  return v_count;
end;
$$;
comment on function app_hidden.finish_erasure(uuid, uuid[]) is
  'Marks an erased account''s keys destroyed once the key store no longer holds them, and audits the erasure.';
grant execute on function app_hidden.finish_erasure(uuid, uuid[]) to app_worker;
--! EndIncluded functions/app_hidden.finish_erasure.sql
--! Included functions/app_hidden.due_erasures.sql
/*
 * Accounts whose erasure is due and not done: deleted past their grace period, or past retention_until. The daily
 * users__erase_due job queues users__erase for each (a deletion queues its own job; this catches what a lost job or
 * a retention date leaves).
 */
create or replace function app_hidden.due_erasures(batch integer default 1000) returns setof uuid
language sql stable security definer
set search_path to pg_catalog, pg_temp as $$
  (select u.id from app_public.users u
    where u.erased_at is null and u.status = 'deleted' and u.erasure_due_at <= app_hidden.clock_now()
    limit due_erasures.batch)
  union
  (select u.id from app_public.users u
    where u.erased_at is null and u.retention_until <= (app_hidden.clock_now() at time zone 'UTC')::date
    limit due_erasures.batch)
$$;
comment on function app_hidden.due_erasures(integer) is 'Accounts due for erasure (grace period over, or retention date passed).';
grant execute on function app_hidden.due_erasures(integer) to app_worker;
--! EndIncluded functions/app_hidden.due_erasures.sql

/* ------------------------------------------------------------------------------------------------------------------
 * Where sessions and reset requests came from, and the last login address: encrypted too (existing rows are
 * encrypted in place, then the clear columns go).
 */
alter table app_private.sessions add column if not exists personal bytea;
comment on column app_private.sessions.personal is 'OpenPGP ciphertext of {ip, user_agent} the session was opened from, to the account''s key.';
do $$
begin
  if exists (select 1 from information_schema.columns where table_schema = 'app_private' and table_name = 'sessions' and column_name = 'ip') then
    execute $q$update app_private.sessions set personal = app_hidden.encrypt_personal(user_id,
      jsonb_strip_nulls(jsonb_build_object('ip', host(ip), 'user_agent', user_agent))::text)
      where ip is not null or user_agent is not null$q$;
  end if;
end
$$;
alter table app_private.sessions drop column if exists ip, drop column if exists user_agent;
alter table app_private.user_security drop column if exists last_login_ip;

alter table app_private.password_resets add column if not exists requested_from bytea;
comment on column app_private.password_resets.requested_from is 'OpenPGP ciphertext of {ip, user_agent} the reset was asked from, to the account''s key.';
do $$
begin
  if exists (select 1 from information_schema.columns where table_schema = 'app_private' and table_name = 'password_resets' and column_name = 'requested_ip') then
    execute $q$update app_private.password_resets set requested_from = app_hidden.encrypt_personal(user_id,
      jsonb_strip_nulls(jsonb_build_object('ip', host(requested_ip), 'user_agent', requested_user_agent))::text)
      where requested_ip is not null or requested_user_agent is not null$q$;
  end if;
end
$$;
alter table app_private.password_resets drop column if exists requested_ip, drop column if exists requested_user_agent;
alter table app_private.email_changes drop column if exists requested_ip, drop column if exists requested_user_agent;

alter type app_public.session_info add attribute personal bytea;
comment on column app_public.session_info.personal is '@behavior -*';
comment on column app_public.session_info.ip is '@behavior -*';
comment on column app_public.session_info.user_agent is '@behavior -*';
alter type app_public.security_summary add attribute last_login_from bytea;
comment on column app_public.security_summary.last_login_from is '@behavior -*';
comment on column app_public.security_summary.last_login_ip is '@behavior -*';

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
    perform audit.record_event('auth.login', 'refused', personal_values => jsonb_build_object('identifier', left(v_identifier::text, 254)),
      reason => 'LIMIT', severity => 'warning');
    return row(null, null, null, null, null, 'LIMIT',
      format('Too many login attempts: try again in %s seconds.', v_retry), v_retry, null)::app_public.login_result;
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
    perform audit.record_event('auth.login', 'refused', personal_values => jsonb_build_object('identifier', left(v_identifier::text, 254)),
      reason => v_reason, subject_id => v_user.id, severity => 'notice');
    return row(null, null, null, null, null, 'WRONG', v_refusal, null, null)::app_public.login_result;
  end if;

  update app_private.login_attempts a set failed_count = 0, lock_count = 0, locked_until = null where a.key = v_key;
  /* A legacy hash, or one made at another cost, is replaced now that the password is known to be right. */
  if v_security.password_scheme <> 'bcrypt-sha384'
     or substr(v_security.password_hash, 5, 2)::integer <> config.setting_integer('auth.bcrypt_cost') then
    update app_private.user_security s
       set password_hash = app_private.hash_password(password), password_scheme = 'bcrypt-sha384'
     where s.user_id = v_user.id;
  end if;
  update app_private.user_security s set last_login_at = v_now where s.user_id = v_user.id;

  perform app_private.note_login_device(v_user.id);
  /* Where the session was opened from is personal data: stored only encrypted to the account's key. */
  insert into app_private.sessions (user_id, personal)
  values (v_user.id, app_hidden.encrypt_personal(v_user.id, jsonb_strip_nulls(jsonb_build_object(
            'ip', host(app_hidden.current_client_ip()), 'user_agent', left(app_hidden.current_user_agent(), 512)))::text))
  returning id, absolute_expires_at into v_session_id, v_session_expires;

  perform audit.record_event('auth.login', 'success', '{}', subject_id => v_user.id,
    entity_type => 'session', entity_id => v_session_id::text);
  return row(
    v_user.id, v_session_id, app_private.issue_refresh_token(v_session_id, null), v_now,
    date_trunc('second', least(v_now + config.setting_interval('auth.access_token_ttl'), v_session_expires)),
    null, null, null, null
  )::app_public.login_result;
end;
$$;
comment on function app_public.login(text, text) is
  'Logs in with a username or email address and a password, starting a new session.';
grant execute on function app_public.login(text, text) to app_anonymous;
--! EndIncluded functions/app_public.login.sql
--! Included functions/app_public.my_sessions.sql
/* Your live sessions; where each was opened from comes encrypted (personal) and the gateway decrypts it (ip, userAgent). */
create or replace function app_public.my_sessions() returns setof app_public.session_info
language sql stable security definer
set search_path to pg_catalog, pg_temp as $$
  select s.id, s.created_at, s.last_refreshed_at, s.absolute_expires_at, null::inet, null::text, s.device_info,
         s.id = app_hidden.current_session_id(), s.personal
  from app_private.sessions s
  where s.user_id = app_hidden.current_user_id()
    and s.revoked_at is null
    and s.absolute_expires_at > app_hidden.clock_now()
    and s.last_refreshed_at + config.setting_interval('auth.session_idle_timeout') > app_hidden.clock_now()
  order by s.created_at desc
$$;
comment on function app_public.my_sessions() is
  'Your live sessions, newest first: where and when each started, when it was last refreshed, and which is this one.';
grant execute on function app_public.my_sessions() to app_authenticated;
--! EndIncluded functions/app_public.my_sessions.sql
--! Included functions/app_public.current_user_security.sql
/* Your account's security facts. Where the last login came from is read from the newest session's encrypted part. */
create or replace function app_public.current_user_security() returns app_public.security_summary
language sql stable security definer
set search_path to pg_catalog, pg_temp as $$
  select row(
    s.password_changed_at, s.last_login_at, null::inet,
    (select count(*)::integer from app_private.sessions x
      where x.user_id = s.user_id and x.revoked_at is null and x.absolute_expires_at > app_hidden.clock_now()),
    (select x.personal from app_private.sessions x where x.user_id = s.user_id order by x.created_at desc limit 1)
  )::app_public.security_summary
  from app_private.user_security s
  where s.user_id = app_hidden.current_user_id()
$$;
comment on function app_public.current_user_security() is
  'When your password last changed, your last login and from where, and how many sessions are live.';
grant execute on function app_public.current_user_security() to app_authenticated;
--! EndIncluded functions/app_public.current_user_security.sql
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
    insert into app_private.password_resets (user_id, email, requested_from)
    values (v_user_id, v_email, app_hidden.encrypt_personal(v_user_id, jsonb_strip_nulls(jsonb_build_object(
              'ip', host(app_hidden.current_client_ip()), 'user_agent', left(app_hidden.current_user_agent(), 512)))::text))
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
 * (when and from where it was requested: encrypted, for the worker to decrypt), or no row when there is nothing to
 * send. A retry replaces the token.
 */
create or replace function app_hidden.issue_password_reset_token(reset_id uuid, token_hash bytea)
returns table (email text, username text, display_name text, expires_at timestamptz, requested_at timestamptz,
               requested_from bytea)
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
  returning u.email::text, u.username::text, u.display_name, r.token_expires_at, r.requested_at, r.requested_from;
end;
$$;
comment on function app_hidden.issue_password_reset_token(uuid, bytea) is
  'Stores the hash of a password reset token minted by the worker and says where to mail it.';
grant execute on function app_hidden.issue_password_reset_token(uuid, bytea) to app_worker;
--! EndIncluded functions/app_hidden.issue_password_reset_token.sql
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

  insert into app_private.email_changes (user_id, old_email, new_email)
  values (v_user_id, v_user.email, v_new)
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

/* Submitted identifiers, usernames and addresses in decision events move into the encrypted part too. */
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
    perform audit.record_event('user.register', 'refused', personal_values => jsonb_build_object('username', v_username), reason => 'WEAKP');
    return row(v_email, v_verification_required, 'WEAKP', v_violation, null)::app_public.registration;
  end if;

  /* Hash first: whatever follows, every registration has spent the same bcrypt work. */
  v_hash := app_private.hash_password(password);

  if exists (select 1 from app_public.users u where u.username = v_username and u.deleted_at is null) then
    perform audit.record_event('user.register', 'refused', personal_values => jsonb_build_object('username', v_username), reason => 'TAKEN');
    return row(v_email, v_verification_required, 'TAKEN', 'That username is taken: choose another.', null)::app_public.registration;
  end if;

  select u.id into v_user_id from app_public.users u where u.email = v_email and u.deleted_at is null;
  if found then
    perform app_private.notify('duplicate_registration', v_user_id);
    perform audit.record_event('user.register', 'refused', personal_values => jsonb_build_object('username', v_username),
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
      perform audit.record_event('user.register', 'refused', personal_values => jsonb_build_object('username', v_username), reason => 'TAKEN');
      return row(v_email, v_verification_required, 'TAKEN', 'That username is taken: choose another.', null)::app_public.registration;
    end if;
    perform audit.record_event('user.register', 'refused', personal_values => jsonb_build_object('username', v_username),
      reason => 'email_in_use', severity => 'notice');
    return row(v_email, v_verification_required, null, null, null)::app_public.registration;
  end;

  insert into app_private.user_security (user_id, password_hash, password_scheme)
  values (v_user_id, v_hash, 'bcrypt-sha384');
  perform app_private.request_email_verification(v_user_id);
  perform audit.record_event('user.register', 'success', personal_values => jsonb_build_object('username', v_username),
    subject_id => v_user_id, entity_type => 'user', entity_id => v_user_id::text);
  return row(v_email, v_verification_required, null, null, null)::app_public.registration;
end;
$$;
comment on function app_public.register(text, text, text, text, text, text, boolean) is
  'Creates an account and mails a link to verify the address. The answer does not tell whether the address already had an account.';
grant execute on function app_public.register(text, text, text, text, text, text, boolean) to app_anonymous;
--! EndIncluded functions/app_public.register.sql
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
    personal_values => jsonb_build_object('old_email', v_change.old_email, 'new_email', v_change.new_email),
    subject_id => v_change.user_id, entity_type => 'email_change', entity_id => v_change.id::text);
  return row(true, null, null, null)::app_public.outcome;
end;
$$;
comment on function app_public.confirm_email_change(text) is
  'Confirms your new email address with the token mailed to it; from then on Gatehouse writes to the new address.';
grant execute on function app_public.confirm_email_change(text) to app_anonymous;
--! EndIncluded functions/app_public.confirm_email_change.sql
--! Included functions/app_public.invite_member.sql
/* Invites an address to an organisation (members:invite). The worker mints the token and mails the link. */
create or replace function app_public.invite_member(organization_id uuid, email text) returns app_public.organization_change
language plpgsql volatile security definer
set search_path to pg_catalog, extensions, pg_temp as $$
declare
  v_actor uuid := app_hidden.current_user_id();
  v_email citext := btrim(invite_member.email);
  v_id uuid;
  v_event constant text := 'invitation.create';
begin
  if v_actor is null then
    return row(invite_member.organization_id, 'LOGIN', app_private.refuse(v_event, 'LOGIN', 'You must log in first.'), null)::app_public.organization_change;
  end if;
  if not app_hidden.user_has_permission(v_actor, 'members:invite', invite_member.organization_id) then
    return row(invite_member.organization_id, 'PERMS', app_private.refuse(v_event, 'PERMS',
      'You may not invite people to this organisation.', 'organization', invite_member.organization_id::text),
      null)::app_public.organization_change;
  end if;
  if v_email is null or length(v_email) > 254 or v_email !~ '^[^@[:space:]]+@[^@[:space:]]+\.[^@[:space:]]+$' then
    raise exception 'That is not an email address.' using errcode = 'INVAL', hint = 'Check the address.';
  end if;
  insert into app_public.invitations (organization_id, email, invited_by, expires_at)
  values (invite_member.organization_id, v_email, v_actor,
          app_hidden.clock_now() + config.setting_interval('auth.invitation_ttl'))
  returning id into v_id;
  perform graphile_worker.add_job('invitations__send', json_build_object('invitation_id', v_id));
  perform audit.record_event(v_event, 'success', personal_values => jsonb_build_object('email', v_email),
    organisation_id => invite_member.organization_id, entity_type => 'invitation', entity_id => v_id::text);
  return row(invite_member.organization_id, null, null, null)::app_public.organization_change;
end;
$$;
comment on function app_public.invite_member(uuid, text) is 'Invites someone to an organisation by email (members:invite).';
grant execute on function app_public.invite_member(uuid, text) to app_anonymous;
--! EndIncluded functions/app_public.invite_member.sql

/* Rate-limit buckets and lockout keys of unknown identifiers hold only SHA-256 pseudonyms of addresses and identifiers. */
--! Included functions/app_private.rate_limit_hit.sql
/*
 * A sliding-window rate limit over a log of hits. Returns null and records the hit when the request may proceed;
 * otherwise records nothing and returns how many seconds to wait. Callers check limits before any hashing, so a flood
 * cannot spend the database's CPU on bcrypt.
 *
 * Concurrency: a transaction-scoped advisory lock on the bucket makes count-then-insert atomic, so parallel requests
 * cannot slip past the limit. The lock is held until the caller commits: requests of one bucket (one client address,
 * say) run one after another. Take buckets in a fixed order (client address, then identifier) to avoid deadlocks.
 *
 * Buckets name client addresses and submitted identifiers, which are personal data: the log stores only the SHA-256
 * of the bucket name (a pseudonym; the rows are purged within hours).
 */
create or replace function app_private.rate_limit_hit(bucket text, max_hits integer, period interval)
returns integer
language plpgsql volatile security definer
set search_path to pg_catalog, pg_temp as $$
declare
  v_now timestamptz := app_hidden.clock_now();
  v_count integer;
  v_oldest timestamptz;
  v_bucket text := encode(extensions.digest(rate_limit_hit.bucket, 'sha256'), 'hex');
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
--! EndIncluded functions/app_private.rate_limit_hit.sql
--! Included functions/app_private.login_attempt_key.sql
/*
 * Failures of a real account are counted per account, whichever identifier was typed; others per identifier, kept as
 * its SHA-256 (a pseudonym: what someone typed may be personal data).
 */
create or replace function app_private.login_attempt_key(user_id uuid, identifier text) returns text
language sql immutable as $$
  select case when user_id is not null then 'account:' || user_id::text
              else 'identifier:' || encode(extensions.digest(lower(left(coalesce(identifier, ''), 254)), 'sha256'), 'hex') end
$$;
comment on function app_private.login_attempt_key(uuid, text) is 'The key of app_private.login_attempts for a login attempt.';
--! EndIncluded functions/app_private.login_attempt_key.sql
delete from app_private.rate_limit_hits where bucket !~ '^[0-9a-f]{64}$';
delete from app_private.login_attempts where key like 'identifier:%' and key !~ '^identifier:[0-9a-f]{64}$';
