--! Previous: -
--! Hash: sha1:9603c7c0eafe192c3528acb935958412c58fbb79
--! Message: foundation

-- Foundation: schemas, extensions, privileges, instance mode, clock, settings, feature flags, audit core.
--
-- Cluster-level roles (app_owner, authenticator, app_anonymous, app_authenticated, app_worker, app_analytics) are
-- created before any migration runs, by src/db/bootstrap.ts; migrations only grant to them.

/* current.sql is re-run on every save by `npm run db:watch`: start from a clean slate so it stays idempotent. */
drop schema if exists app_public, app_hidden, app_private, audit, config cascade;

/*
 * Extensions live in their own schema so that `app_public` holds only what the API exposes. pgcrypto and citext are
 * trusted extensions: the database owner may create them without superuser rights.
 */
create schema if not exists extensions;
comment on schema extensions is 'Extensions (pgcrypto, citext). Every project role may use them.';
create extension if not exists pgcrypto with schema extensions;
create extension if not exists citext with schema extensions;
grant usage on schema extensions to app_anonymous, app_authenticated, app_worker, app_analytics;

/* citext's operators must resolve without schema-qualification, so the database's search path includes extensions. */
do $$
begin
  execute format('alter database %I set search_path to "$user", public, extensions', current_database());
end
$$;

/* Nothing in this database is granted to PUBLIC unless a migration says so explicitly. */
revoke all on schema public from public;
alter default privileges revoke execute on functions from public;

create schema app_public;
comment on schema app_public is 'What the GraphQL API exposes. Every table here has row-level security.';
create schema app_hidden;
comment on schema app_hidden is 'Helpers that client roles may call from SQL but that GraphQL does not expose.';
create schema app_private;
comment on schema app_private is 'Secrets and security state (hashes, tokens, admin lists). No client role has any privilege here.';
create schema audit;
comment on schema audit is 'The append-only audit trail. Written only through audit.record_event; never updated or deleted.';
create schema config;
comment on schema config is 'Instance mode, clock, system settings and feature flags. Read through functions.';

alter default privileges in schema app_public, app_hidden, app_private, audit, config revoke execute on functions from public;

grant usage on schema app_public to app_anonymous, app_authenticated, app_analytics;
grant usage on schema app_hidden to app_anonymous, app_authenticated, app_worker;
grant usage on schema audit to app_worker;
grant usage on schema config to app_worker;
/* The gateway's own login role may call exactly one function: the readiness check's schema version. */
grant usage on schema app_hidden to authenticator;

/* ------------------------------------------------------------------------------------------------------------------
 * Instance mode: fixed when the database is created. Only development and test databases honour the clock offset.
 */
create table config.instance (
  singleton boolean primary key default true check (singleton),
  mode text not null check (mode in ('development', 'test', 'production')),
  created_at timestamptz not null default now()
);
comment on table config.instance is 'One row: the mode this database was created in. It can never change.';
insert into config.instance (mode) values (':GATEHOUSE_ENV');

create table config.clock (
  singleton boolean primary key default true check (singleton),
  offset_by interval not null default interval '0',
  updated_at timestamptz not null default now()
);
comment on table config.clock is
  'Offset added to the clock in development and test databases, so expiry and retention can be tested without sleeping.';
insert into config.clock default values;

--! Included functions/config.tg_instance__forbid_change.sql
/* The instance row records the mode the database was created in; changing it would switch test-only behaviour on. */
create or replace function config.tg_instance__forbid_change() returns trigger
language plpgsql as $$
begin
  raise exception 'The instance mode is fixed when the database is created and cannot be changed.'
    using errcode = 'IMMUT', hint = 'Create a new database in the mode you need.';
end;
$$;
comment on function config.tg_instance__forbid_change() is 'Refuses every UPDATE, DELETE and TRUNCATE of config.instance.';
--! EndIncluded functions/config.tg_instance__forbid_change.sql
create trigger _000_forbid_change before update or delete on config.instance
  for each row execute function config.tg_instance__forbid_change();
create trigger _000_forbid_truncate before truncate on config.instance
  for each statement execute function config.tg_instance__forbid_change();

--! Included functions/config.instance_mode.sql
create or replace function config.instance_mode() returns text
language sql stable security definer
set search_path to pg_catalog, pg_temp as $$
  select i.mode from config.instance i
$$;
comment on function config.instance_mode() is 'The mode this database was created in: development, test or production.';
grant execute on function config.instance_mode() to app_worker;
--! EndIncluded functions/config.instance_mode.sql
--! Included functions/app_hidden.clock_now.sql
/*
 * The one clock every time rule reads. In development and test databases it adds the offset kept in config.clock, so a
 * test can move time forward for every later transaction (HTTP requests, worker jobs) without sleeping. Production
 * databases ignore the offset, whatever it says.
 */
create or replace function app_hidden.clock_now() returns timestamptz
language sql stable security definer
set search_path to pg_catalog, pg_temp as $$
  select pg_catalog.now() + coalesce(
    (select c.offset_by from config.clock c join config.instance i on i.mode <> 'production'),
    interval '0'
  )
$$;
comment on function app_hidden.clock_now() is
  'The current transaction time, moved by the test clock offset in development and test databases only.';
grant execute on function app_hidden.clock_now() to app_anonymous, app_authenticated, app_worker, app_analytics;
--! EndIncluded functions/app_hidden.clock_now.sql
--! Included functions/config.set_clock_offset.sql
create or replace function config.set_clock_offset(offset_by interval) returns timestamptz
language plpgsql volatile security definer
set search_path to pg_catalog, pg_temp as $$
begin
  if config.instance_mode() = 'production' then
    raise exception 'The clock cannot be moved in a production database.'
      using errcode = 'PRODN', hint = 'Only development and test databases have a movable clock.';
  end if;
  update config.clock set offset_by = set_clock_offset.offset_by, updated_at = pg_catalog.now();
  return app_hidden.clock_now();
end;
$$;
comment on function config.set_clock_offset(interval) is
  'Moves the clock of a development or test database (the offset from real time). Owner only; refused in production.';
--! EndIncluded functions/config.set_clock_offset.sql

/* ------------------------------------------------------------------------------------------------------------------
 * Request context: the gateway sets these transaction-local settings on every request.
 */
--! Included functions/app_hidden.current_request_id.sql
create or replace function app_hidden.current_request_id() returns text
language sql stable as $$
  select nullif(pg_catalog.current_setting('request.id', true), '')
$$;
comment on function app_hidden.current_request_id() is 'The request id the gateway set for this transaction (null outside a request).';
grant execute on function app_hidden.current_request_id() to app_anonymous, app_authenticated, app_worker;
--! EndIncluded functions/app_hidden.current_request_id.sql
--! Included functions/app_hidden.current_client_ip.sql
create or replace function app_hidden.current_client_ip() returns inet
language sql stable as $$
  select nullif(pg_catalog.current_setting('request.ip', true), '')::inet
$$;
comment on function app_hidden.current_client_ip() is
  'The client address the gateway set for this transaction (trusted-proxy header or socket address).';
grant execute on function app_hidden.current_client_ip() to app_anonymous, app_authenticated, app_worker;
--! EndIncluded functions/app_hidden.current_client_ip.sql
--! Included functions/app_hidden.current_user_agent.sql
create or replace function app_hidden.current_user_agent() returns text
language sql stable as $$
  select nullif(pg_catalog.current_setting('request.user_agent', true), '')
$$;
comment on function app_hidden.current_user_agent() is 'The client''s User-Agent header for this transaction, cut to 512 characters by the gateway.';
grant execute on function app_hidden.current_user_agent() to app_anonymous, app_authenticated, app_worker;
--! EndIncluded functions/app_hidden.current_user_agent.sql
--! Included functions/app_hidden.current_user_id.sql
/*
 * The caller's account id, from the verified token's subject that the gateway places in `jwt.claims.sub`.
 * The authentication issue narrows this to sessions that are still live.
 */
create or replace function app_hidden.current_user_id() returns uuid
language sql stable as $$
  select nullif(pg_catalog.current_setting('jwt.claims.sub', true), '')::uuid
$$;
comment on function app_hidden.current_user_id() is 'The id of the account making this request, or null for anonymous callers.';
grant execute on function app_hidden.current_user_id() to app_anonymous, app_authenticated, app_worker;
--! EndIncluded functions/app_hidden.current_user_id.sql

/* ------------------------------------------------------------------------------------------------------------------
 * Platform administrators: the few accounts allowed to change system settings. Organisation roles come later.
 */
create table app_private.platform_admins (
  user_id uuid primary key,
  granted_at timestamptz not null default now(),
  granted_by uuid
);
comment on table app_private.platform_admins is 'Accounts with platform-wide administrative rights (system settings, flags).';
--! Included functions/app_hidden.current_user_is_platform_admin.sql
create or replace function app_hidden.current_user_is_platform_admin() returns boolean
language sql stable security definer
set search_path to pg_catalog, pg_temp as $$
  select exists (
    select 1 from app_private.platform_admins a where a.user_id = app_hidden.current_user_id()
  )
$$;
comment on function app_hidden.current_user_is_platform_admin() is 'Whether the caller is a platform administrator.';
grant execute on function app_hidden.current_user_is_platform_admin() to app_anonymous, app_authenticated;
--! EndIncluded functions/app_hidden.current_user_is_platform_admin.sql

/* ------------------------------------------------------------------------------------------------------------------
 * System settings: typed values with defaults; every tunable rule reads them through the config.setting_* functions.
 */
create table config.system_settings (
  key text primary key check (key ~ '^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)+$' and length(key) <= 100),
  value_type text not null check (value_type in ('boolean', 'integer', 'number', 'interval', 'text')),
  value jsonb not null,
  default_value jsonb not null,
  min_value numeric,
  max_value numeric,
  is_public boolean not null default false,
  description text not null,
  updated_at timestamptz not null default now(),
  updated_by uuid
);
comment on table config.system_settings is 'Tunable rules (token lifetimes, bcrypt cost, lockout thresholds). Read with config.setting_*().';

--! Included functions/config.setting_value_is_valid.sql
create or replace function config.setting_value_is_valid(
  value_type text, value jsonb, min_value numeric, max_value numeric
) returns boolean
language plpgsql stable as $$
declare
  v_number numeric;
begin
  case value_type
    when 'boolean' then
      return jsonb_typeof(value) = 'boolean';
    when 'text' then
      return jsonb_typeof(value) = 'string';
    when 'interval' then
      if jsonb_typeof(value) <> 'string' then
        return false;
      end if;
      /* Raises on text that is not an interval; caught below. */
      return (value #>> '{}')::interval >= interval '0';
    when 'integer', 'number' then
      if jsonb_typeof(value) <> 'number' then
        return false;
      end if;
      v_number := (value #>> '{}')::numeric;
      if value_type = 'integer' and v_number <> trunc(v_number) then
        return false;
      end if;
      return (min_value is null or v_number >= min_value) and (max_value is null or v_number <= max_value);
    else
      return false;
  end case;
exception
  when invalid_datetime_format or datetime_field_overflow or interval_field_overflow or invalid_text_representation then
    return false;
end;
$$;
comment on function config.setting_value_is_valid(text, jsonb, numeric, numeric) is
  'Whether a JSON value fits a setting''s type and bounds. Intervals must be non-negative.';
--! EndIncluded functions/config.setting_value_is_valid.sql
--! Included functions/config.tg_system_settings__validate.sql
create or replace function config.tg_system_settings__validate() returns trigger
language plpgsql as $$
begin
  if not config.setting_value_is_valid(new.value_type, new.default_value, new.min_value, new.max_value) then
    raise exception 'The default value of setting % is not a valid %.', new.key, new.value_type
      using errcode = 'INVAL', hint = 'Fix the default value in the migration.';
  end if;
  if not config.setting_value_is_valid(new.value_type, new.value, new.min_value, new.max_value) then
    raise exception 'The value % is not valid for setting % (a % %).', new.value, new.key, new.value_type,
        case when new.min_value is not null or new.max_value is not null
          then format('from %s to %s', coalesce(new.min_value::text, 'any'), coalesce(new.max_value::text, 'any'))
          else '' end
      using errcode = 'INVAL', hint = format('Give a %s value.', new.value_type);
  end if;
  new.updated_at := pg_catalog.now();
  return new;
end;
$$;
comment on function config.tg_system_settings__validate() is 'Keeps every setting''s value within its type and bounds.';
--! EndIncluded functions/config.tg_system_settings__validate.sql
create trigger _200_validate before insert or update on config.system_settings
  for each row execute function config.tg_system_settings__validate();

insert into config.system_settings (key, value_type, default_value, value, min_value, max_value, is_public, description)
select key, value_type, default_value, default_value, min_value, max_value, is_public, description
from (values
  ('audit.partition_months_ahead', 'integer', '3'::jsonb, 1, 24, false,
    'How many monthly audit partitions exist ahead of the current month.'),
  ('auth.bcrypt_cost', 'integer', '12', 4, 16, false,
    'bcrypt work factor for new password hashes. 12 or more in production; tests may lower it.'),
  ('auth.password_min_length', 'integer', '12', 8, 128, true,
    'Shortest password accepted (characters, after Unicode normalisation).'),
  ('auth.password_max_length', 'integer', '256', 64, 4096, true,
    'Longest password accepted (characters). Every character counts: long passwords are pre-hashed, never truncated.'),
  ('auth.require_email_verification', 'boolean', 'true', null, null, true,
    'Whether an account must verify its email address before it can log in.'),
  ('auth.access_token_ttl', 'interval', '"15 minutes"', null, null, true,
    'Lifetime of an access token (JWT).'),
  ('auth.session_idle_timeout', 'interval', '"7 days"', null, null, false,
    'A session not refreshed for this long ends.'),
  ('auth.session_absolute_lifetime', 'interval', '"30 days"', null, null, false,
    'A session ends this long after login, however active it is.'),
  ('auth.lockout_threshold', 'integer', '5', 1, 100, false,
    'Failed logins for one identifier before it is locked.'),
  ('auth.lockout_duration', 'interval', '"15 minutes"', null, null, false,
    'How long a locked identifier stays locked.'),
  ('auth.verification_token_ttl', 'interval', '"24 hours"', null, null, false,
    'Lifetime of an email verification token.')
) as defaults (key, value_type, default_value, min_value, max_value, is_public, description);

--! Included functions/config.setting.sql
create or replace function config.setting(key text) returns jsonb
language plpgsql stable security definer
set search_path to pg_catalog, pg_temp as $$
declare
  v_value jsonb;
begin
  select s.value into v_value from config.system_settings s where s.key = setting.key;
  if not found then
    raise exception 'There is no system setting named %.', key
      using errcode = 'NOSET', hint = 'See config.system_settings for the known settings.';
  end if;
  return v_value;
end;
$$;
comment on function config.setting(text) is 'The current value of a system setting as JSON; refuses unknown keys (NOSET).';
grant execute on function config.setting(text) to app_worker;
--! EndIncluded functions/config.setting.sql
--! Included functions/config.setting_integer.sql
create or replace function config.setting_integer(key text) returns integer
language sql stable as $$
  select (config.setting(key) #>> '{}')::integer
$$;
comment on function config.setting_integer(text) is 'The current value of an integer system setting.';
grant execute on function config.setting_integer(text) to app_worker;
--! EndIncluded functions/config.setting_integer.sql
--! Included functions/config.setting_number.sql
create or replace function config.setting_number(key text) returns numeric
language sql stable as $$
  select (config.setting(key) #>> '{}')::numeric
$$;
comment on function config.setting_number(text) is 'The current value of a number (numeric) system setting.';
grant execute on function config.setting_number(text) to app_worker;
--! EndIncluded functions/config.setting_number.sql
--! Included functions/config.setting_boolean.sql
create or replace function config.setting_boolean(key text) returns boolean
language sql stable as $$
  select (config.setting(key) #>> '{}')::boolean
$$;
comment on function config.setting_boolean(text) is 'The current value of a boolean system setting.';
grant execute on function config.setting_boolean(text) to app_worker;
--! EndIncluded functions/config.setting_boolean.sql
--! Included functions/config.setting_interval.sql
create or replace function config.setting_interval(key text) returns interval
language sql stable as $$
  select (config.setting(key) #>> '{}')::interval
$$;
comment on function config.setting_interval(text) is 'The current value of an interval system setting.';
grant execute on function config.setting_interval(text) to app_worker;
--! EndIncluded functions/config.setting_interval.sql
--! Included functions/config.setting_text.sql
create or replace function config.setting_text(key text) returns text
language sql stable as $$
  select (config.setting(key) #>> '{}')::text
$$;
comment on function config.setting_text(text) is 'The current value of a text system setting.';
grant execute on function config.setting_text(text) to app_worker;
--! EndIncluded functions/config.setting_text.sql
--! Included policies/config.system_settings.sql
/*
 * Settings are read through config.setting*() and changed through app_public.set_system_setting(). The worker reads
 * them directly for its jobs; client roles have no table privilege at all.
 */
alter table config.system_settings enable row level security;
drop policy if exists select_worker on config.system_settings;
create policy select_worker on config.system_settings for select to app_worker using (true);
revoke all on config.system_settings from public, authenticator, app_anonymous, app_authenticated, app_analytics;
grant select on config.system_settings to app_worker;
--! EndIncluded policies/config.system_settings.sql

/* ------------------------------------------------------------------------------------------------------------------
 * Audit core: a monthly-partitioned, append-only events table.
 */
create sequence audit.events_id_seq as bigint;
create table audit.events (
  id bigint not null default nextval('audit.events_id_seq'),
  occurred_at timestamptz not null default app_hidden.clock_now(),
  event_type text not null check (event_type ~ '^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)+$' and length(event_type) <= 100),
  outcome text not null check (outcome in ('success', 'refused', 'failure')),
  severity text not null default 'info' check (severity in ('debug', 'info', 'notice', 'warning', 'critical')),
  reason text check (length(reason) <= 100),
  actor_id uuid,
  subject_id uuid,
  organisation_id uuid,
  entity_type text check (length(entity_type) <= 100),
  entity_id text check (length(entity_id) <= 200),
  details jsonb not null default '{}' check (jsonb_typeof(details) = 'object'),
  request_id text check (length(request_id) <= 200),
  client_ip inet,
  user_agent text check (length(user_agent) <= 512),
  db_role text,
  primary key (id, occurred_at)
) partition by range (occurred_at);
alter sequence audit.events_id_seq owned by audit.events.id;
comment on table audit.events is
  'Append-only record of authentication and authorization events. Rows are never updated or deleted; old partitions leave only through the retention procedure.';
comment on column audit.events.outcome is 'success, refused (a rule said no: see reason) or failure (something broke).';
comment on column audit.events.reason is 'For refusals: the error code the caller received (docs/error_codes.md).';
comment on column audit.events.db_role is 'The database role the request ran as (app_anonymous, app_authenticated, app_worker, ...).';

create table audit.events_default partition of audit.events default;
comment on table audit.events_default is 'Catches events outside every monthly partition; rows here mean partition upkeep fell behind.';

create index events_actor_idx on audit.events (actor_id, occurred_at desc) where actor_id is not null;
create index events_subject_idx on audit.events (subject_id, occurred_at desc) where subject_id is not null;
create index events_type_idx on audit.events (event_type, occurred_at desc);
create index events_request_idx on audit.events (request_id) where request_id is not null;

--! Included functions/audit.tg_events__forbid_change.sql
/* Fires for every role, the table owner included: audit rows are written once and never changed or removed. */
create or replace function audit.tg_events__forbid_change() returns trigger
language plpgsql as $$
begin
  raise exception 'Audit events cannot be changed or removed.'
    using errcode = 'RDONL', hint = 'Old partitions leave only through the audit retention procedure.';
end;
$$;
comment on function audit.tg_events__forbid_change() is 'Refuses UPDATE, DELETE and TRUNCATE on audit events.';
--! EndIncluded functions/audit.tg_events__forbid_change.sql
create trigger _000_forbid_change before update or delete on audit.events
  for each row execute function audit.tg_events__forbid_change();
create trigger _000_forbid_truncate before truncate on audit.events
  for each statement execute function audit.tg_events__forbid_change();
create trigger _000_forbid_truncate before truncate on audit.events_default
  for each statement execute function audit.tg_events__forbid_change();

--! Included functions/audit.record_event.sql
/*
 * The single entry point for writing the audit trail. Callers pass what happened; the request context (request id,
 * client address, user agent, database role, acting user) is read here so that no caller can forget or forge it.
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
  organisation_id uuid default null
) returns bigint
language plpgsql volatile security definer
set search_path to pg_catalog, pg_temp as $$
declare
  v_id bigint;
begin
  insert into audit.events (
    event_type, outcome, severity, reason, actor_id, subject_id, organisation_id, entity_type, entity_id,
    details, request_id, client_ip, user_agent, db_role
  ) values (
    record_event.event_type, record_event.outcome, coalesce(record_event.severity, 'info'), record_event.reason,
    app_hidden.current_user_id(), record_event.subject_id, record_event.organisation_id, record_event.entity_type,
    record_event.entity_id, coalesce(record_event.details, '{}'), app_hidden.current_request_id(),
    app_hidden.current_client_ip(), left(app_hidden.current_user_agent(), 512),
    nullif(pg_catalog.current_setting('role', true), 'none')
  )
  returning id into v_id;
  return v_id;
end;
$$;
comment on function audit.record_event(text, text, jsonb, text, uuid, text, text, text, uuid) is
  'Appends one event to the audit trail, with the request context of the current transaction. Returns the event id.';
grant execute on function audit.record_event(text, text, jsonb, text, uuid, text, text, text, uuid) to app_worker;
--! EndIncluded functions/audit.record_event.sql
--! Included functions/audit.ensure_partitions.sql
/*
 * Creates the monthly partitions of audit.events from the current month (by the Gatehouse clock) through
 * `months_ahead` months ahead (setting audit.partition_months_ahead by default). Safe to run any number of times,
 * concurrently too: partition creation is serialised by an advisory lock. A month whose rows already landed in the
 * default partition is skipped with a warning, since creating it would fail and rows are never moved.
 */
create or replace function audit.ensure_partitions(months_ahead integer default null) returns integer
language plpgsql volatile security definer
set search_path to pg_catalog, pg_temp as $$
declare
  v_ahead integer := coalesce(months_ahead, config.setting_integer('audit.partition_months_ahead'));
  /* Month arithmetic in UTC wall time, so the session's time zone cannot shift a boundary. */
  v_first timestamp := date_trunc('month', app_hidden.clock_now() at time zone 'UTC');
  v_from timestamptz;
  v_to timestamptz;
  v_name text;
  v_created integer := 0;
begin
  if v_ahead < 0 or v_ahead > 120 then
    raise exception 'months_ahead must be between 0 and 120, not %.', v_ahead
      using errcode = 'INVAL', hint = 'Pass a number of months between 0 and 120.';
  end if;
  perform pg_advisory_xact_lock(hashtext('audit.ensure_partitions'));
  for i in 0 .. v_ahead loop
    v_from := (v_first + make_interval(months => i)) at time zone 'UTC';
    v_to := (v_first + make_interval(months => i + 1)) at time zone 'UTC';
    v_name := 'events_' || to_char(v_first + make_interval(months => i), '"y"YYYY"m"MM');
    continue when to_regclass('audit.' || v_name) is not null;
    if exists (select 1 from audit.events_default d where d.occurred_at >= v_from and d.occurred_at < v_to) then
      raise warning 'audit.events_default holds events for %; partition % not created', v_from, v_name;
      continue;
    end if;
    execute format('create table audit.%I partition of audit.events for values from (%L) to (%L)', v_name, v_from, v_to);
    execute format('create trigger _000_forbid_truncate before truncate on audit.%I '
                   'for each statement execute function audit.tg_events__forbid_change()', v_name);
    v_created := v_created + 1;
  end loop;
  return v_created;
end;
$$;
comment on function audit.ensure_partitions(integer) is
  'Creates missing monthly audit partitions from this month to months_ahead ahead; returns how many it created.';
grant execute on function audit.ensure_partitions(integer) to app_worker;
--! EndIncluded functions/audit.ensure_partitions.sql
select audit.ensure_partitions();
--! Included policies/audit.events.sql
/*
 * The audit trail is written only through audit.record_event (security definer) and read only through the auditor's
 * functions. No application role holds a table privilege, and row-level security is on as a second wall.
 */
alter table audit.events enable row level security;
revoke all on audit.events from public, authenticator, app_anonymous, app_authenticated, app_worker, app_analytics;
revoke all on audit.events_default from public, authenticator, app_anonymous, app_authenticated, app_worker, app_analytics;
revoke all on sequence audit.events_id_seq from public, authenticator, app_anonymous, app_authenticated, app_worker, app_analytics;
--! EndIncluded policies/audit.events.sql

/* ------------------------------------------------------------------------------------------------------------------
 * Feature flags: a name, a switch, and rules (user list, percentage rollout) evaluated by config.feature_enabled.
 */
create table config.feature_flags (
  name text primary key check (name ~ '^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)*$' and length(name) <= 100),
  description text not null,
  enabled boolean not null default false,
  is_public boolean not null default false,
  rules jsonb not null default '{}' check (jsonb_typeof(rules) = 'object'),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
comment on table config.feature_flags is
  'Feature switches. rules: {"users": [uuid, ...], "percentage": 0-100}; public flags are visible to clients.';
comment on column config.feature_flags.rules is
  'Empty: on for everyone when enabled. "users": on for these accounts. "percentage": on for a stable share of accounts.';

--! Included functions/config.feature_enabled.sql
/*
 * A flag is on for an account when it is enabled and either has no rules, lists the account in "users", or puts the
 * account in its rollout share: "percentage" compares a stable hash of flag name and account id with the share, so an
 * account keeps its answer as the share grows.
 */
create or replace function config.feature_enabled(flag_name text, user_id uuid default app_hidden.current_user_id())
returns boolean
language sql stable security definer
set search_path to pg_catalog, pg_temp as $$
  select coalesce((
    select f.enabled and (
      f.rules = '{}'::jsonb
      or (feature_enabled.user_id is not null and coalesce(f.rules -> 'users', '[]'::jsonb) ? feature_enabled.user_id::text)
      or (
        feature_enabled.user_id is not null
        and jsonb_typeof(f.rules -> 'percentage') = 'number'
        and ('x' || left(md5(f.name || ':' || feature_enabled.user_id::text), 8))::bit(32)::bigint % 100
            < (f.rules ->> 'percentage')::numeric
      )
    )
    from config.feature_flags f
    where f.name = feature_enabled.flag_name
  ), false)
$$;
comment on function config.feature_enabled(text, uuid) is
  'Whether a feature flag is on for an account (the caller by default). Unknown flags are off.';
grant execute on function config.feature_enabled(text, uuid) to app_worker;
--! EndIncluded functions/config.feature_enabled.sql
--! Included functions/app_public.enabled_features.sql
create or replace function app_public.enabled_features() returns text[]
language sql stable security definer
set search_path to pg_catalog, pg_temp as $$
  select coalesce(array_agg(f.name order by f.name), '{}')
  from config.feature_flags f
  where f.is_public and config.feature_enabled(f.name, app_hidden.current_user_id())
$$;
comment on function app_public.enabled_features() is
  'The names of the public feature flags that are switched on for you. Flags that are not public are never listed.';
grant execute on function app_public.enabled_features() to app_anonymous, app_authenticated;
--! EndIncluded functions/app_public.enabled_features.sql

/* ------------------------------------------------------------------------------------------------------------------
 * The refusal pattern, shown on a real operation: changing a system setting. See docs/refusals.md.
 */
create type app_public.system_setting_change as (
  key text,
  value jsonb,
  refusal_code text,
  refusal_message text
);
comment on type app_public.system_setting_change is 'The outcome of setSystemSetting.';
comment on column app_public.system_setting_change.refusal_code is '@behavior -attribute:select';
comment on column app_public.system_setting_change.refusal_message is '@behavior -attribute:select';
--! Included functions/app_public.set_system_setting.sql
/*
 * Changing a system setting is the foundation's example of a refusal that must stick (docs/refusals.md): a refused
 * caller gets a result carrying refusal_code instead of an exception, so this transaction commits and the audit row of
 * the refusal survives. The gateway turns refusal_code into a coded GraphQL error. Invalid values still raise: nothing
 * needs to survive those.
 */
create or replace function app_public.set_system_setting(key text, value jsonb)
returns app_public.system_setting_change
language plpgsql volatile security definer
set search_path to pg_catalog, pg_temp as $$
declare
  v_old jsonb;
begin
  if app_hidden.current_user_id() is null then
    perform audit.record_event('config.setting_change', 'refused', jsonb_build_object('key', key),
      reason => 'LOGIN', severity => 'notice', entity_type => 'system_setting', entity_id => key);
    return row(key, null, 'LOGIN', 'You must log in to change system settings.')::app_public.system_setting_change;
  end if;

  if not app_hidden.current_user_is_platform_admin() then
    perform audit.record_event('config.setting_change', 'refused', jsonb_build_object('key', key),
      reason => 'PERMS', severity => 'warning', entity_type => 'system_setting', entity_id => key);
    return row(key, null, 'PERMS', 'Only platform administrators can change system settings.')::app_public.system_setting_change;
  end if;

  select s.value into v_old from config.system_settings s where s.key = set_system_setting.key for update;
  if not found then
    raise exception 'There is no system setting named %.', key
      using errcode = 'NOSET', hint = 'Check the setting''s name.';
  end if;

  update config.system_settings s
     set value = set_system_setting.value, updated_by = app_hidden.current_user_id()
   where s.key = set_system_setting.key;

  perform audit.record_event('config.setting_change', 'success',
    jsonb_build_object('key', key, 'old', v_old, 'new', value),
    entity_type => 'system_setting', entity_id => key);
  return row(key, value, null, null)::app_public.system_setting_change;
end;
$$;
comment on function app_public.set_system_setting(text, jsonb) is
  'Changes a system setting (platform administrators only). The value must fit the setting''s type and bounds.';
grant execute on function app_public.set_system_setting(text, jsonb) to app_anonymous, app_authenticated;
--! EndIncluded functions/app_public.set_system_setting.sql

/* ------------------------------------------------------------------------------------------------------------------
 * Operations helpers.
 */
--! Included functions/app_public.server_time.sql
create or replace function app_public.server_time() returns timestamptz
language sql stable as $$
  select app_hidden.clock_now()
$$;
comment on function app_public.server_time() is
  'The server''s current time. Clients can use it to correct for a wrong device clock when reading expiry times.';
grant execute on function app_public.server_time() to app_anonymous, app_authenticated;
--! EndIncluded functions/app_public.server_time.sql
--! Included functions/app_hidden.schema_version.sql
/* Lets the gateway's readiness check compare the database's latest migration with the code's, without any table rights. */
create or replace function app_hidden.schema_version() returns text
language plpgsql stable security definer
set search_path to pg_catalog, pg_temp as $$
begin
  return (select m.filename from graphile_migrate.migrations m order by m.date desc, m.filename desc limit 1);
end;
$$;
comment on function app_hidden.schema_version() is 'The file name of the latest committed migration applied to this database.';
grant execute on function app_hidden.schema_version() to authenticator;
--! EndIncluded functions/app_hidden.schema_version.sql
