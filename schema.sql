--
-- PostgreSQL database dump
--

\restrict gatehouse


SET statement_timeout = 0;
SET lock_timeout = 0;
SET idle_in_transaction_session_timeout = 0;
SET client_encoding = 'UTF8';
SET standard_conforming_strings = on;
SELECT pg_catalog.set_config('search_path', '', false);
SET check_function_bodies = false;
SET xmloption = content;
SET client_min_messages = warning;
SET row_security = off;

--
-- Name: app_hidden; Type: SCHEMA; Schema: -; Owner: app_owner
--

CREATE SCHEMA app_hidden;


ALTER SCHEMA app_hidden OWNER TO app_owner;

--
-- Name: SCHEMA app_hidden; Type: COMMENT; Schema: -; Owner: app_owner
--

COMMENT ON SCHEMA app_hidden IS 'Helpers that client roles may call from SQL but that GraphQL does not expose.';


--
-- Name: app_private; Type: SCHEMA; Schema: -; Owner: app_owner
--

CREATE SCHEMA app_private;


ALTER SCHEMA app_private OWNER TO app_owner;

--
-- Name: SCHEMA app_private; Type: COMMENT; Schema: -; Owner: app_owner
--

COMMENT ON SCHEMA app_private IS 'Secrets and security state (hashes, tokens, admin lists). No client role has any privilege here.';


--
-- Name: app_public; Type: SCHEMA; Schema: -; Owner: app_owner
--

CREATE SCHEMA app_public;


ALTER SCHEMA app_public OWNER TO app_owner;

--
-- Name: SCHEMA app_public; Type: COMMENT; Schema: -; Owner: app_owner
--

COMMENT ON SCHEMA app_public IS 'What the GraphQL API exposes. Every table here has row-level security.';


--
-- Name: audit; Type: SCHEMA; Schema: -; Owner: app_owner
--

CREATE SCHEMA audit;


ALTER SCHEMA audit OWNER TO app_owner;

--
-- Name: SCHEMA audit; Type: COMMENT; Schema: -; Owner: app_owner
--

COMMENT ON SCHEMA audit IS 'The append-only audit trail. Written only through audit.record_event; never updated or deleted.';


--
-- Name: config; Type: SCHEMA; Schema: -; Owner: app_owner
--

CREATE SCHEMA config;


ALTER SCHEMA config OWNER TO app_owner;

--
-- Name: SCHEMA config; Type: COMMENT; Schema: -; Owner: app_owner
--

COMMENT ON SCHEMA config IS 'Instance mode, clock, system settings and feature flags. Read through functions.';


--
-- Name: extensions; Type: SCHEMA; Schema: -; Owner: app_owner
--

CREATE SCHEMA extensions;


ALTER SCHEMA extensions OWNER TO app_owner;

--
-- Name: SCHEMA extensions; Type: COMMENT; Schema: -; Owner: app_owner
--

COMMENT ON SCHEMA extensions IS 'Extensions (pgcrypto, citext). Every project role may use them.';


--
-- Name: citext; Type: EXTENSION; Schema: -; Owner: -
--

CREATE EXTENSION IF NOT EXISTS citext WITH SCHEMA extensions;


--
-- Name: EXTENSION citext; Type: COMMENT; Schema: -; Owner: 
--

COMMENT ON EXTENSION citext IS 'data type for case-insensitive character strings';


--
-- Name: pgcrypto; Type: EXTENSION; Schema: -; Owner: -
--

CREATE EXTENSION IF NOT EXISTS pgcrypto WITH SCHEMA extensions;


--
-- Name: EXTENSION pgcrypto; Type: COMMENT; Schema: -; Owner: 
--

COMMENT ON EXTENSION pgcrypto IS 'cryptographic functions';


--
-- Name: system_setting_change; Type: TYPE; Schema: app_public; Owner: app_owner
--

CREATE TYPE app_public.system_setting_change AS (
	key text,
	value jsonb,
	refusal_code text,
	refusal_message text
);


ALTER TYPE app_public.system_setting_change OWNER TO app_owner;

--
-- Name: TYPE system_setting_change; Type: COMMENT; Schema: app_public; Owner: app_owner
--

COMMENT ON TYPE app_public.system_setting_change IS 'The outcome of setSystemSetting.';


--
-- Name: COLUMN system_setting_change.refusal_code; Type: COMMENT; Schema: app_public; Owner: app_owner
--

COMMENT ON COLUMN app_public.system_setting_change.refusal_code IS '@behavior -attribute:select';


--
-- Name: COLUMN system_setting_change.refusal_message; Type: COMMENT; Schema: app_public; Owner: app_owner
--

COMMENT ON COLUMN app_public.system_setting_change.refusal_message IS '@behavior -attribute:select';


--
-- Name: clock_now(); Type: FUNCTION; Schema: app_hidden; Owner: app_owner
--

CREATE FUNCTION app_hidden.clock_now() RETURNS timestamp with time zone
    LANGUAGE sql STABLE SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
  select pg_catalog.now() + coalesce(
    (select c.offset_by from config.clock c join config.instance i on i.mode <> 'production'),
    interval '0'
  )
$$;


ALTER FUNCTION app_hidden.clock_now() OWNER TO app_owner;

--
-- Name: FUNCTION clock_now(); Type: COMMENT; Schema: app_hidden; Owner: app_owner
--

COMMENT ON FUNCTION app_hidden.clock_now() IS 'The current transaction time, moved by the test clock offset in development and test databases only.';


--
-- Name: current_client_ip(); Type: FUNCTION; Schema: app_hidden; Owner: app_owner
--

CREATE FUNCTION app_hidden.current_client_ip() RETURNS inet
    LANGUAGE sql STABLE
    AS $$
  select nullif(pg_catalog.current_setting('request.ip', true), '')::inet
$$;


ALTER FUNCTION app_hidden.current_client_ip() OWNER TO app_owner;

--
-- Name: FUNCTION current_client_ip(); Type: COMMENT; Schema: app_hidden; Owner: app_owner
--

COMMENT ON FUNCTION app_hidden.current_client_ip() IS 'The client address the gateway set for this transaction (trusted-proxy header or socket address).';


--
-- Name: current_request_id(); Type: FUNCTION; Schema: app_hidden; Owner: app_owner
--

CREATE FUNCTION app_hidden.current_request_id() RETURNS text
    LANGUAGE sql STABLE
    AS $$
  select nullif(pg_catalog.current_setting('request.id', true), '')
$$;


ALTER FUNCTION app_hidden.current_request_id() OWNER TO app_owner;

--
-- Name: FUNCTION current_request_id(); Type: COMMENT; Schema: app_hidden; Owner: app_owner
--

COMMENT ON FUNCTION app_hidden.current_request_id() IS 'The request id the gateway set for this transaction (null outside a request).';


--
-- Name: current_user_agent(); Type: FUNCTION; Schema: app_hidden; Owner: app_owner
--

CREATE FUNCTION app_hidden.current_user_agent() RETURNS text
    LANGUAGE sql STABLE
    AS $$
  select nullif(pg_catalog.current_setting('request.user_agent', true), '')
$$;


ALTER FUNCTION app_hidden.current_user_agent() OWNER TO app_owner;

--
-- Name: FUNCTION current_user_agent(); Type: COMMENT; Schema: app_hidden; Owner: app_owner
--

COMMENT ON FUNCTION app_hidden.current_user_agent() IS 'The client''s User-Agent header for this transaction, cut to 512 characters by the gateway.';


--
-- Name: current_user_id(); Type: FUNCTION; Schema: app_hidden; Owner: app_owner
--

CREATE FUNCTION app_hidden.current_user_id() RETURNS uuid
    LANGUAGE sql STABLE
    AS $$
  select nullif(pg_catalog.current_setting('jwt.claims.sub', true), '')::uuid
$$;


ALTER FUNCTION app_hidden.current_user_id() OWNER TO app_owner;

--
-- Name: FUNCTION current_user_id(); Type: COMMENT; Schema: app_hidden; Owner: app_owner
--

COMMENT ON FUNCTION app_hidden.current_user_id() IS 'The id of the account making this request, or null for anonymous callers.';


--
-- Name: current_user_is_platform_admin(); Type: FUNCTION; Schema: app_hidden; Owner: app_owner
--

CREATE FUNCTION app_hidden.current_user_is_platform_admin() RETURNS boolean
    LANGUAGE sql STABLE SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
  select exists (
    select 1 from app_private.platform_admins a where a.user_id = app_hidden.current_user_id()
  )
$$;


ALTER FUNCTION app_hidden.current_user_is_platform_admin() OWNER TO app_owner;

--
-- Name: FUNCTION current_user_is_platform_admin(); Type: COMMENT; Schema: app_hidden; Owner: app_owner
--

COMMENT ON FUNCTION app_hidden.current_user_is_platform_admin() IS 'Whether the caller is a platform administrator.';


--
-- Name: schema_version(); Type: FUNCTION; Schema: app_hidden; Owner: app_owner
--

CREATE FUNCTION app_hidden.schema_version() RETURNS text
    LANGUAGE plpgsql STABLE SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
begin
  return (select m.filename from graphile_migrate.migrations m order by m.date desc, m.filename desc limit 1);
end;
$$;


ALTER FUNCTION app_hidden.schema_version() OWNER TO app_owner;

--
-- Name: FUNCTION schema_version(); Type: COMMENT; Schema: app_hidden; Owner: app_owner
--

COMMENT ON FUNCTION app_hidden.schema_version() IS 'The file name of the latest committed migration applied to this database.';


--
-- Name: enabled_features(); Type: FUNCTION; Schema: app_public; Owner: app_owner
--

CREATE FUNCTION app_public.enabled_features() RETURNS text[]
    LANGUAGE sql STABLE SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
  select coalesce(array_agg(f.name order by f.name), '{}')
  from config.feature_flags f
  where f.is_public and config.feature_enabled(f.name, app_hidden.current_user_id())
$$;


ALTER FUNCTION app_public.enabled_features() OWNER TO app_owner;

--
-- Name: FUNCTION enabled_features(); Type: COMMENT; Schema: app_public; Owner: app_owner
--

COMMENT ON FUNCTION app_public.enabled_features() IS 'The names of the public feature flags that are switched on for you. Flags that are not public are never listed.';


--
-- Name: server_time(); Type: FUNCTION; Schema: app_public; Owner: app_owner
--

CREATE FUNCTION app_public.server_time() RETURNS timestamp with time zone
    LANGUAGE sql STABLE
    AS $$
  select app_hidden.clock_now()
$$;


ALTER FUNCTION app_public.server_time() OWNER TO app_owner;

--
-- Name: FUNCTION server_time(); Type: COMMENT; Schema: app_public; Owner: app_owner
--

COMMENT ON FUNCTION app_public.server_time() IS 'The server''s current time. Clients can use it to correct for a wrong device clock when reading expiry times.';


--
-- Name: set_system_setting(text, jsonb); Type: FUNCTION; Schema: app_public; Owner: app_owner
--

CREATE FUNCTION app_public.set_system_setting(key text, value jsonb) RETURNS app_public.system_setting_change
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
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


ALTER FUNCTION app_public.set_system_setting(key text, value jsonb) OWNER TO app_owner;

--
-- Name: FUNCTION set_system_setting(key text, value jsonb); Type: COMMENT; Schema: app_public; Owner: app_owner
--

COMMENT ON FUNCTION app_public.set_system_setting(key text, value jsonb) IS 'Changes a system setting (platform administrators only). The value must fit the setting''s type and bounds.';


--
-- Name: ensure_partitions(integer); Type: FUNCTION; Schema: audit; Owner: app_owner
--

CREATE FUNCTION audit.ensure_partitions(months_ahead integer DEFAULT NULL::integer) RETURNS integer
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
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


ALTER FUNCTION audit.ensure_partitions(months_ahead integer) OWNER TO app_owner;

--
-- Name: FUNCTION ensure_partitions(months_ahead integer); Type: COMMENT; Schema: audit; Owner: app_owner
--

COMMENT ON FUNCTION audit.ensure_partitions(months_ahead integer) IS 'Creates missing monthly audit partitions from this month to months_ahead ahead; returns how many it created.';


--
-- Name: record_event(text, text, jsonb, text, uuid, text, text, text, uuid); Type: FUNCTION; Schema: audit; Owner: app_owner
--

CREATE FUNCTION audit.record_event(event_type text, outcome text DEFAULT 'success'::text, details jsonb DEFAULT '{}'::jsonb, reason text DEFAULT NULL::text, subject_id uuid DEFAULT NULL::uuid, severity text DEFAULT 'info'::text, entity_type text DEFAULT NULL::text, entity_id text DEFAULT NULL::text, organisation_id uuid DEFAULT NULL::uuid) RETURNS bigint
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
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


ALTER FUNCTION audit.record_event(event_type text, outcome text, details jsonb, reason text, subject_id uuid, severity text, entity_type text, entity_id text, organisation_id uuid) OWNER TO app_owner;

--
-- Name: FUNCTION record_event(event_type text, outcome text, details jsonb, reason text, subject_id uuid, severity text, entity_type text, entity_id text, organisation_id uuid); Type: COMMENT; Schema: audit; Owner: app_owner
--

COMMENT ON FUNCTION audit.record_event(event_type text, outcome text, details jsonb, reason text, subject_id uuid, severity text, entity_type text, entity_id text, organisation_id uuid) IS 'Appends one event to the audit trail, with the request context of the current transaction. Returns the event id.';


--
-- Name: tg_events__forbid_change(); Type: FUNCTION; Schema: audit; Owner: app_owner
--

CREATE FUNCTION audit.tg_events__forbid_change() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
begin
  raise exception 'Audit events cannot be changed or removed.'
    using errcode = 'RDONL', hint = 'Old partitions leave only through the audit retention procedure.';
end;
$$;


ALTER FUNCTION audit.tg_events__forbid_change() OWNER TO app_owner;

--
-- Name: FUNCTION tg_events__forbid_change(); Type: COMMENT; Schema: audit; Owner: app_owner
--

COMMENT ON FUNCTION audit.tg_events__forbid_change() IS 'Refuses UPDATE, DELETE and TRUNCATE on audit events.';


--
-- Name: feature_enabled(text, uuid); Type: FUNCTION; Schema: config; Owner: app_owner
--

CREATE FUNCTION config.feature_enabled(flag_name text, user_id uuid DEFAULT app_hidden.current_user_id()) RETURNS boolean
    LANGUAGE sql STABLE SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
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


ALTER FUNCTION config.feature_enabled(flag_name text, user_id uuid) OWNER TO app_owner;

--
-- Name: FUNCTION feature_enabled(flag_name text, user_id uuid); Type: COMMENT; Schema: config; Owner: app_owner
--

COMMENT ON FUNCTION config.feature_enabled(flag_name text, user_id uuid) IS 'Whether a feature flag is on for an account (the caller by default). Unknown flags are off.';


--
-- Name: instance_mode(); Type: FUNCTION; Schema: config; Owner: app_owner
--

CREATE FUNCTION config.instance_mode() RETURNS text
    LANGUAGE sql STABLE SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
  select i.mode from config.instance i
$$;


ALTER FUNCTION config.instance_mode() OWNER TO app_owner;

--
-- Name: FUNCTION instance_mode(); Type: COMMENT; Schema: config; Owner: app_owner
--

COMMENT ON FUNCTION config.instance_mode() IS 'The mode this database was created in: development, test or production.';


--
-- Name: set_clock_offset(interval); Type: FUNCTION; Schema: config; Owner: app_owner
--

CREATE FUNCTION config.set_clock_offset(offset_by interval) RETURNS timestamp with time zone
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
begin
  if config.instance_mode() = 'production' then
    raise exception 'The clock cannot be moved in a production database.'
      using errcode = 'PRODN', hint = 'Only development and test databases have a movable clock.';
  end if;
  update config.clock set offset_by = set_clock_offset.offset_by, updated_at = pg_catalog.now();
  return app_hidden.clock_now();
end;
$$;


ALTER FUNCTION config.set_clock_offset(offset_by interval) OWNER TO app_owner;

--
-- Name: FUNCTION set_clock_offset(offset_by interval); Type: COMMENT; Schema: config; Owner: app_owner
--

COMMENT ON FUNCTION config.set_clock_offset(offset_by interval) IS 'Moves the clock of a development or test database (the offset from real time). Owner only; refused in production.';


--
-- Name: setting(text); Type: FUNCTION; Schema: config; Owner: app_owner
--

CREATE FUNCTION config.setting(key text) RETURNS jsonb
    LANGUAGE plpgsql STABLE SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
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


ALTER FUNCTION config.setting(key text) OWNER TO app_owner;

--
-- Name: FUNCTION setting(key text); Type: COMMENT; Schema: config; Owner: app_owner
--

COMMENT ON FUNCTION config.setting(key text) IS 'The current value of a system setting as JSON; refuses unknown keys (NOSET).';


--
-- Name: setting_boolean(text); Type: FUNCTION; Schema: config; Owner: app_owner
--

CREATE FUNCTION config.setting_boolean(key text) RETURNS boolean
    LANGUAGE sql STABLE
    AS $$
  select (config.setting(key) #>> '{}')::boolean
$$;


ALTER FUNCTION config.setting_boolean(key text) OWNER TO app_owner;

--
-- Name: FUNCTION setting_boolean(key text); Type: COMMENT; Schema: config; Owner: app_owner
--

COMMENT ON FUNCTION config.setting_boolean(key text) IS 'The current value of a boolean system setting.';


--
-- Name: setting_integer(text); Type: FUNCTION; Schema: config; Owner: app_owner
--

CREATE FUNCTION config.setting_integer(key text) RETURNS integer
    LANGUAGE sql STABLE
    AS $$
  select (config.setting(key) #>> '{}')::integer
$$;


ALTER FUNCTION config.setting_integer(key text) OWNER TO app_owner;

--
-- Name: FUNCTION setting_integer(key text); Type: COMMENT; Schema: config; Owner: app_owner
--

COMMENT ON FUNCTION config.setting_integer(key text) IS 'The current value of an integer system setting.';


--
-- Name: setting_interval(text); Type: FUNCTION; Schema: config; Owner: app_owner
--

CREATE FUNCTION config.setting_interval(key text) RETURNS interval
    LANGUAGE sql STABLE
    AS $$
  select (config.setting(key) #>> '{}')::interval
$$;


ALTER FUNCTION config.setting_interval(key text) OWNER TO app_owner;

--
-- Name: FUNCTION setting_interval(key text); Type: COMMENT; Schema: config; Owner: app_owner
--

COMMENT ON FUNCTION config.setting_interval(key text) IS 'The current value of an interval system setting.';


--
-- Name: setting_number(text); Type: FUNCTION; Schema: config; Owner: app_owner
--

CREATE FUNCTION config.setting_number(key text) RETURNS numeric
    LANGUAGE sql STABLE
    AS $$
  select (config.setting(key) #>> '{}')::numeric
$$;


ALTER FUNCTION config.setting_number(key text) OWNER TO app_owner;

--
-- Name: FUNCTION setting_number(key text); Type: COMMENT; Schema: config; Owner: app_owner
--

COMMENT ON FUNCTION config.setting_number(key text) IS 'The current value of a number (numeric) system setting.';


--
-- Name: setting_text(text); Type: FUNCTION; Schema: config; Owner: app_owner
--

CREATE FUNCTION config.setting_text(key text) RETURNS text
    LANGUAGE sql STABLE
    AS $$
  select (config.setting(key) #>> '{}')::text
$$;


ALTER FUNCTION config.setting_text(key text) OWNER TO app_owner;

--
-- Name: FUNCTION setting_text(key text); Type: COMMENT; Schema: config; Owner: app_owner
--

COMMENT ON FUNCTION config.setting_text(key text) IS 'The current value of a text system setting.';


--
-- Name: setting_value_is_valid(text, jsonb, numeric, numeric); Type: FUNCTION; Schema: config; Owner: app_owner
--

CREATE FUNCTION config.setting_value_is_valid(value_type text, value jsonb, min_value numeric, max_value numeric) RETURNS boolean
    LANGUAGE plpgsql STABLE
    AS $$
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


ALTER FUNCTION config.setting_value_is_valid(value_type text, value jsonb, min_value numeric, max_value numeric) OWNER TO app_owner;

--
-- Name: FUNCTION setting_value_is_valid(value_type text, value jsonb, min_value numeric, max_value numeric); Type: COMMENT; Schema: config; Owner: app_owner
--

COMMENT ON FUNCTION config.setting_value_is_valid(value_type text, value jsonb, min_value numeric, max_value numeric) IS 'Whether a JSON value fits a setting''s type and bounds. Intervals must be non-negative.';


--
-- Name: tg_instance__forbid_change(); Type: FUNCTION; Schema: config; Owner: app_owner
--

CREATE FUNCTION config.tg_instance__forbid_change() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
begin
  raise exception 'The instance mode is fixed when the database is created and cannot be changed.'
    using errcode = 'IMMUT', hint = 'Create a new database in the mode you need.';
end;
$$;


ALTER FUNCTION config.tg_instance__forbid_change() OWNER TO app_owner;

--
-- Name: FUNCTION tg_instance__forbid_change(); Type: COMMENT; Schema: config; Owner: app_owner
--

COMMENT ON FUNCTION config.tg_instance__forbid_change() IS 'Refuses every UPDATE, DELETE and TRUNCATE of config.instance.';


--
-- Name: tg_system_settings__validate(); Type: FUNCTION; Schema: config; Owner: app_owner
--

CREATE FUNCTION config.tg_system_settings__validate() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
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


ALTER FUNCTION config.tg_system_settings__validate() OWNER TO app_owner;

--
-- Name: FUNCTION tg_system_settings__validate(); Type: COMMENT; Schema: config; Owner: app_owner
--

COMMENT ON FUNCTION config.tg_system_settings__validate() IS 'Keeps every setting''s value within its type and bounds.';


SET default_tablespace = '';

SET default_table_access_method = heap;

--
-- Name: platform_admins; Type: TABLE; Schema: app_private; Owner: app_owner
--

CREATE TABLE app_private.platform_admins (
    user_id uuid NOT NULL,
    granted_at timestamp with time zone DEFAULT now() NOT NULL,
    granted_by uuid
);


ALTER TABLE app_private.platform_admins OWNER TO app_owner;

--
-- Name: TABLE platform_admins; Type: COMMENT; Schema: app_private; Owner: app_owner
--

COMMENT ON TABLE app_private.platform_admins IS 'Accounts with platform-wide administrative rights (system settings, flags).';


--
-- Name: events; Type: TABLE; Schema: audit; Owner: app_owner
--

CREATE TABLE audit.events (
    id bigint NOT NULL,
    occurred_at timestamp with time zone DEFAULT app_hidden.clock_now() NOT NULL,
    event_type text NOT NULL,
    outcome text NOT NULL,
    severity text DEFAULT 'info'::text NOT NULL,
    reason text,
    actor_id uuid,
    subject_id uuid,
    organisation_id uuid,
    entity_type text,
    entity_id text,
    details jsonb DEFAULT '{}'::jsonb NOT NULL,
    request_id text,
    client_ip inet,
    user_agent text,
    db_role text,
    CONSTRAINT events_details_check CHECK ((jsonb_typeof(details) = 'object'::text)),
    CONSTRAINT events_entity_id_check CHECK ((length(entity_id) <= 200)),
    CONSTRAINT events_entity_type_check CHECK ((length(entity_type) <= 100)),
    CONSTRAINT events_event_type_check CHECK (((event_type ~ '^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)+$'::text) AND (length(event_type) <= 100))),
    CONSTRAINT events_outcome_check CHECK ((outcome = ANY (ARRAY['success'::text, 'refused'::text, 'failure'::text]))),
    CONSTRAINT events_reason_check CHECK ((length(reason) <= 100)),
    CONSTRAINT events_request_id_check CHECK ((length(request_id) <= 200)),
    CONSTRAINT events_severity_check CHECK ((severity = ANY (ARRAY['debug'::text, 'info'::text, 'notice'::text, 'warning'::text, 'critical'::text]))),
    CONSTRAINT events_user_agent_check CHECK ((length(user_agent) <= 512))
)
PARTITION BY RANGE (occurred_at);


ALTER TABLE audit.events OWNER TO app_owner;

--
-- Name: TABLE events; Type: COMMENT; Schema: audit; Owner: app_owner
--

COMMENT ON TABLE audit.events IS 'Append-only record of authentication and authorization events. Rows are never updated or deleted; old partitions leave only through the retention procedure.';


--
-- Name: COLUMN events.outcome; Type: COMMENT; Schema: audit; Owner: app_owner
--

COMMENT ON COLUMN audit.events.outcome IS 'success, refused (a rule said no: see reason) or failure (something broke).';


--
-- Name: COLUMN events.reason; Type: COMMENT; Schema: audit; Owner: app_owner
--

COMMENT ON COLUMN audit.events.reason IS 'For refusals: the error code the caller received (docs/error_codes.md).';


--
-- Name: COLUMN events.db_role; Type: COMMENT; Schema: audit; Owner: app_owner
--

COMMENT ON COLUMN audit.events.db_role IS 'The database role the request ran as (app_anonymous, app_authenticated, app_worker, ...).';


--
-- Name: events_id_seq; Type: SEQUENCE; Schema: audit; Owner: app_owner
--

CREATE SEQUENCE audit.events_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


ALTER TABLE audit.events_id_seq OWNER TO app_owner;

--
-- Name: events_id_seq; Type: SEQUENCE OWNED BY; Schema: audit; Owner: app_owner
--

ALTER SEQUENCE audit.events_id_seq OWNED BY audit.events.id;


--
-- Name: events_default; Type: TABLE; Schema: audit; Owner: app_owner
--

CREATE TABLE audit.events_default (
    id bigint DEFAULT nextval('audit.events_id_seq'::regclass) NOT NULL,
    occurred_at timestamp with time zone DEFAULT app_hidden.clock_now() NOT NULL,
    event_type text NOT NULL,
    outcome text NOT NULL,
    severity text DEFAULT 'info'::text NOT NULL,
    reason text,
    actor_id uuid,
    subject_id uuid,
    organisation_id uuid,
    entity_type text,
    entity_id text,
    details jsonb DEFAULT '{}'::jsonb NOT NULL,
    request_id text,
    client_ip inet,
    user_agent text,
    db_role text,
    CONSTRAINT events_details_check CHECK ((jsonb_typeof(details) = 'object'::text)),
    CONSTRAINT events_entity_id_check CHECK ((length(entity_id) <= 200)),
    CONSTRAINT events_entity_type_check CHECK ((length(entity_type) <= 100)),
    CONSTRAINT events_event_type_check CHECK (((event_type ~ '^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)+$'::text) AND (length(event_type) <= 100))),
    CONSTRAINT events_outcome_check CHECK ((outcome = ANY (ARRAY['success'::text, 'refused'::text, 'failure'::text]))),
    CONSTRAINT events_reason_check CHECK ((length(reason) <= 100)),
    CONSTRAINT events_request_id_check CHECK ((length(request_id) <= 200)),
    CONSTRAINT events_severity_check CHECK ((severity = ANY (ARRAY['debug'::text, 'info'::text, 'notice'::text, 'warning'::text, 'critical'::text]))),
    CONSTRAINT events_user_agent_check CHECK ((length(user_agent) <= 512))
);


ALTER TABLE audit.events_default OWNER TO app_owner;

--
-- Name: TABLE events_default; Type: COMMENT; Schema: audit; Owner: app_owner
--

COMMENT ON TABLE audit.events_default IS 'Catches events outside every monthly partition; rows here mean partition upkeep fell behind.';


--
-- Name: events_y2026m11; Type: TABLE; Schema: audit; Owner: app_owner
--

CREATE TABLE audit.events_y2026m11 (
    id bigint DEFAULT nextval('audit.events_id_seq'::regclass) NOT NULL,
    occurred_at timestamp with time zone DEFAULT app_hidden.clock_now() NOT NULL,
    event_type text NOT NULL,
    outcome text NOT NULL,
    severity text DEFAULT 'info'::text NOT NULL,
    reason text,
    actor_id uuid,
    subject_id uuid,
    organisation_id uuid,
    entity_type text,
    entity_id text,
    details jsonb DEFAULT '{}'::jsonb NOT NULL,
    request_id text,
    client_ip inet,
    user_agent text,
    db_role text,
    CONSTRAINT events_details_check CHECK ((jsonb_typeof(details) = 'object'::text)),
    CONSTRAINT events_entity_id_check CHECK ((length(entity_id) <= 200)),
    CONSTRAINT events_entity_type_check CHECK ((length(entity_type) <= 100)),
    CONSTRAINT events_event_type_check CHECK (((event_type ~ '^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)+$'::text) AND (length(event_type) <= 100))),
    CONSTRAINT events_outcome_check CHECK ((outcome = ANY (ARRAY['success'::text, 'refused'::text, 'failure'::text]))),
    CONSTRAINT events_reason_check CHECK ((length(reason) <= 100)),
    CONSTRAINT events_request_id_check CHECK ((length(request_id) <= 200)),
    CONSTRAINT events_severity_check CHECK ((severity = ANY (ARRAY['debug'::text, 'info'::text, 'notice'::text, 'warning'::text, 'critical'::text]))),
    CONSTRAINT events_user_agent_check CHECK ((length(user_agent) <= 512))
);


ALTER TABLE audit.events_y2026m11 OWNER TO app_owner;

--
-- Name: events_y2026m12; Type: TABLE; Schema: audit; Owner: app_owner
--

CREATE TABLE audit.events_y2026m12 (
    id bigint DEFAULT nextval('audit.events_id_seq'::regclass) NOT NULL,
    occurred_at timestamp with time zone DEFAULT app_hidden.clock_now() NOT NULL,
    event_type text NOT NULL,
    outcome text NOT NULL,
    severity text DEFAULT 'info'::text NOT NULL,
    reason text,
    actor_id uuid,
    subject_id uuid,
    organisation_id uuid,
    entity_type text,
    entity_id text,
    details jsonb DEFAULT '{}'::jsonb NOT NULL,
    request_id text,
    client_ip inet,
    user_agent text,
    db_role text,
    CONSTRAINT events_details_check CHECK ((jsonb_typeof(details) = 'object'::text)),
    CONSTRAINT events_entity_id_check CHECK ((length(entity_id) <= 200)),
    CONSTRAINT events_entity_type_check CHECK ((length(entity_type) <= 100)),
    CONSTRAINT events_event_type_check CHECK (((event_type ~ '^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)+$'::text) AND (length(event_type) <= 100))),
    CONSTRAINT events_outcome_check CHECK ((outcome = ANY (ARRAY['success'::text, 'refused'::text, 'failure'::text]))),
    CONSTRAINT events_reason_check CHECK ((length(reason) <= 100)),
    CONSTRAINT events_request_id_check CHECK ((length(request_id) <= 200)),
    CONSTRAINT events_severity_check CHECK ((severity = ANY (ARRAY['debug'::text, 'info'::text, 'notice'::text, 'warning'::text, 'critical'::text]))),
    CONSTRAINT events_user_agent_check CHECK ((length(user_agent) <= 512))
);


ALTER TABLE audit.events_y2026m12 OWNER TO app_owner;

--
-- Name: events_y2027m01; Type: TABLE; Schema: audit; Owner: app_owner
--

CREATE TABLE audit.events_y2027m01 (
    id bigint DEFAULT nextval('audit.events_id_seq'::regclass) NOT NULL,
    occurred_at timestamp with time zone DEFAULT app_hidden.clock_now() NOT NULL,
    event_type text NOT NULL,
    outcome text NOT NULL,
    severity text DEFAULT 'info'::text NOT NULL,
    reason text,
    actor_id uuid,
    subject_id uuid,
    organisation_id uuid,
    entity_type text,
    entity_id text,
    details jsonb DEFAULT '{}'::jsonb NOT NULL,
    request_id text,
    client_ip inet,
    user_agent text,
    db_role text,
    CONSTRAINT events_details_check CHECK ((jsonb_typeof(details) = 'object'::text)),
    CONSTRAINT events_entity_id_check CHECK ((length(entity_id) <= 200)),
    CONSTRAINT events_entity_type_check CHECK ((length(entity_type) <= 100)),
    CONSTRAINT events_event_type_check CHECK (((event_type ~ '^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)+$'::text) AND (length(event_type) <= 100))),
    CONSTRAINT events_outcome_check CHECK ((outcome = ANY (ARRAY['success'::text, 'refused'::text, 'failure'::text]))),
    CONSTRAINT events_reason_check CHECK ((length(reason) <= 100)),
    CONSTRAINT events_request_id_check CHECK ((length(request_id) <= 200)),
    CONSTRAINT events_severity_check CHECK ((severity = ANY (ARRAY['debug'::text, 'info'::text, 'notice'::text, 'warning'::text, 'critical'::text]))),
    CONSTRAINT events_user_agent_check CHECK ((length(user_agent) <= 512))
);


ALTER TABLE audit.events_y2027m01 OWNER TO app_owner;

--
-- Name: events_y2027m02; Type: TABLE; Schema: audit; Owner: app_owner
--

CREATE TABLE audit.events_y2027m02 (
    id bigint DEFAULT nextval('audit.events_id_seq'::regclass) NOT NULL,
    occurred_at timestamp with time zone DEFAULT app_hidden.clock_now() NOT NULL,
    event_type text NOT NULL,
    outcome text NOT NULL,
    severity text DEFAULT 'info'::text NOT NULL,
    reason text,
    actor_id uuid,
    subject_id uuid,
    organisation_id uuid,
    entity_type text,
    entity_id text,
    details jsonb DEFAULT '{}'::jsonb NOT NULL,
    request_id text,
    client_ip inet,
    user_agent text,
    db_role text,
    CONSTRAINT events_details_check CHECK ((jsonb_typeof(details) = 'object'::text)),
    CONSTRAINT events_entity_id_check CHECK ((length(entity_id) <= 200)),
    CONSTRAINT events_entity_type_check CHECK ((length(entity_type) <= 100)),
    CONSTRAINT events_event_type_check CHECK (((event_type ~ '^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)+$'::text) AND (length(event_type) <= 100))),
    CONSTRAINT events_outcome_check CHECK ((outcome = ANY (ARRAY['success'::text, 'refused'::text, 'failure'::text]))),
    CONSTRAINT events_reason_check CHECK ((length(reason) <= 100)),
    CONSTRAINT events_request_id_check CHECK ((length(request_id) <= 200)),
    CONSTRAINT events_severity_check CHECK ((severity = ANY (ARRAY['debug'::text, 'info'::text, 'notice'::text, 'warning'::text, 'critical'::text]))),
    CONSTRAINT events_user_agent_check CHECK ((length(user_agent) <= 512))
);


ALTER TABLE audit.events_y2027m02 OWNER TO app_owner;

--
-- Name: clock; Type: TABLE; Schema: config; Owner: app_owner
--

CREATE TABLE config.clock (
    singleton boolean DEFAULT true NOT NULL,
    offset_by interval DEFAULT '00:00:00'::interval NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT clock_singleton_check CHECK (singleton)
);


ALTER TABLE config.clock OWNER TO app_owner;

--
-- Name: TABLE clock; Type: COMMENT; Schema: config; Owner: app_owner
--

COMMENT ON TABLE config.clock IS 'Offset added to the clock in development and test databases, so expiry and retention can be tested without sleeping.';


--
-- Name: feature_flags; Type: TABLE; Schema: config; Owner: app_owner
--

CREATE TABLE config.feature_flags (
    name text NOT NULL,
    description text NOT NULL,
    enabled boolean DEFAULT false NOT NULL,
    is_public boolean DEFAULT false NOT NULL,
    rules jsonb DEFAULT '{}'::jsonb NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT feature_flags_name_check CHECK (((name ~ '^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)*$'::text) AND (length(name) <= 100))),
    CONSTRAINT feature_flags_rules_check CHECK ((jsonb_typeof(rules) = 'object'::text))
);


ALTER TABLE config.feature_flags OWNER TO app_owner;

--
-- Name: TABLE feature_flags; Type: COMMENT; Schema: config; Owner: app_owner
--

COMMENT ON TABLE config.feature_flags IS 'Feature switches. rules: {"users": [uuid, ...], "percentage": 0-100}; public flags are visible to clients.';


--
-- Name: COLUMN feature_flags.rules; Type: COMMENT; Schema: config; Owner: app_owner
--

COMMENT ON COLUMN config.feature_flags.rules IS 'Empty: on for everyone when enabled. "users": on for these accounts. "percentage": on for a stable share of accounts.';


--
-- Name: instance; Type: TABLE; Schema: config; Owner: app_owner
--

CREATE TABLE config.instance (
    singleton boolean DEFAULT true NOT NULL,
    mode text NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT instance_mode_check CHECK ((mode = ANY (ARRAY['development'::text, 'test'::text, 'production'::text]))),
    CONSTRAINT instance_singleton_check CHECK (singleton)
);


ALTER TABLE config.instance OWNER TO app_owner;

--
-- Name: TABLE instance; Type: COMMENT; Schema: config; Owner: app_owner
--

COMMENT ON TABLE config.instance IS 'One row: the mode this database was created in. It can never change.';


--
-- Name: system_settings; Type: TABLE; Schema: config; Owner: app_owner
--

CREATE TABLE config.system_settings (
    key text NOT NULL,
    value_type text NOT NULL,
    value jsonb NOT NULL,
    default_value jsonb NOT NULL,
    min_value numeric,
    max_value numeric,
    is_public boolean DEFAULT false NOT NULL,
    description text NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_by uuid,
    CONSTRAINT system_settings_key_check CHECK (((key ~ '^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)+$'::text) AND (length(key) <= 100))),
    CONSTRAINT system_settings_value_type_check CHECK ((value_type = ANY (ARRAY['boolean'::text, 'integer'::text, 'number'::text, 'interval'::text, 'text'::text])))
);


ALTER TABLE config.system_settings OWNER TO app_owner;

--
-- Name: TABLE system_settings; Type: COMMENT; Schema: config; Owner: app_owner
--

COMMENT ON TABLE config.system_settings IS 'Tunable rules (token lifetimes, bcrypt cost, lockout thresholds). Read with config.setting_*().';


--
-- Name: events_default; Type: TABLE ATTACH; Schema: audit; Owner: app_owner
--

ALTER TABLE ONLY audit.events ATTACH PARTITION audit.events_default DEFAULT;


--
-- Name: events_y2026m11; Type: TABLE ATTACH; Schema: audit; Owner: app_owner
--

ALTER TABLE ONLY audit.events ATTACH PARTITION audit.events_y2026m11 FOR VALUES FROM ('2026-11-01 00:00:00+00') TO ('2026-12-01 00:00:00+00');


--
-- Name: events_y2026m12; Type: TABLE ATTACH; Schema: audit; Owner: app_owner
--

ALTER TABLE ONLY audit.events ATTACH PARTITION audit.events_y2026m12 FOR VALUES FROM ('2026-12-01 00:00:00+00') TO ('2027-01-01 00:00:00+00');


--
-- Name: events_y2027m01; Type: TABLE ATTACH; Schema: audit; Owner: app_owner
--

ALTER TABLE ONLY audit.events ATTACH PARTITION audit.events_y2027m01 FOR VALUES FROM ('2027-01-01 00:00:00+00') TO ('2027-02-01 00:00:00+00');


--
-- Name: events_y2027m02; Type: TABLE ATTACH; Schema: audit; Owner: app_owner
--

ALTER TABLE ONLY audit.events ATTACH PARTITION audit.events_y2027m02 FOR VALUES FROM ('2027-02-01 00:00:00+00') TO ('2027-03-01 00:00:00+00');


--
-- Name: events id; Type: DEFAULT; Schema: audit; Owner: app_owner
--

ALTER TABLE ONLY audit.events ALTER COLUMN id SET DEFAULT nextval('audit.events_id_seq'::regclass);


--
-- Name: platform_admins platform_admins_pkey; Type: CONSTRAINT; Schema: app_private; Owner: app_owner
--

ALTER TABLE ONLY app_private.platform_admins
    ADD CONSTRAINT platform_admins_pkey PRIMARY KEY (user_id);


--
-- Name: events events_pkey; Type: CONSTRAINT; Schema: audit; Owner: app_owner
--

ALTER TABLE ONLY audit.events
    ADD CONSTRAINT events_pkey PRIMARY KEY (id, occurred_at);


--
-- Name: events_default events_default_pkey; Type: CONSTRAINT; Schema: audit; Owner: app_owner
--

ALTER TABLE ONLY audit.events_default
    ADD CONSTRAINT events_default_pkey PRIMARY KEY (id, occurred_at);


--
-- Name: events_y2026m11 events_y2026m11_pkey; Type: CONSTRAINT; Schema: audit; Owner: app_owner
--

ALTER TABLE ONLY audit.events_y2026m11
    ADD CONSTRAINT events_y2026m11_pkey PRIMARY KEY (id, occurred_at);


--
-- Name: events_y2026m12 events_y2026m12_pkey; Type: CONSTRAINT; Schema: audit; Owner: app_owner
--

ALTER TABLE ONLY audit.events_y2026m12
    ADD CONSTRAINT events_y2026m12_pkey PRIMARY KEY (id, occurred_at);


--
-- Name: events_y2027m01 events_y2027m01_pkey; Type: CONSTRAINT; Schema: audit; Owner: app_owner
--

ALTER TABLE ONLY audit.events_y2027m01
    ADD CONSTRAINT events_y2027m01_pkey PRIMARY KEY (id, occurred_at);


--
-- Name: events_y2027m02 events_y2027m02_pkey; Type: CONSTRAINT; Schema: audit; Owner: app_owner
--

ALTER TABLE ONLY audit.events_y2027m02
    ADD CONSTRAINT events_y2027m02_pkey PRIMARY KEY (id, occurred_at);


--
-- Name: clock clock_pkey; Type: CONSTRAINT; Schema: config; Owner: app_owner
--

ALTER TABLE ONLY config.clock
    ADD CONSTRAINT clock_pkey PRIMARY KEY (singleton);


--
-- Name: feature_flags feature_flags_pkey; Type: CONSTRAINT; Schema: config; Owner: app_owner
--

ALTER TABLE ONLY config.feature_flags
    ADD CONSTRAINT feature_flags_pkey PRIMARY KEY (name);


--
-- Name: instance instance_pkey; Type: CONSTRAINT; Schema: config; Owner: app_owner
--

ALTER TABLE ONLY config.instance
    ADD CONSTRAINT instance_pkey PRIMARY KEY (singleton);


--
-- Name: system_settings system_settings_pkey; Type: CONSTRAINT; Schema: config; Owner: app_owner
--

ALTER TABLE ONLY config.system_settings
    ADD CONSTRAINT system_settings_pkey PRIMARY KEY (key);


--
-- Name: events_actor_idx; Type: INDEX; Schema: audit; Owner: app_owner
--

CREATE INDEX events_actor_idx ON ONLY audit.events USING btree (actor_id, occurred_at DESC) WHERE (actor_id IS NOT NULL);


--
-- Name: events_default_actor_id_occurred_at_idx; Type: INDEX; Schema: audit; Owner: app_owner
--

CREATE INDEX events_default_actor_id_occurred_at_idx ON audit.events_default USING btree (actor_id, occurred_at DESC) WHERE (actor_id IS NOT NULL);


--
-- Name: events_type_idx; Type: INDEX; Schema: audit; Owner: app_owner
--

CREATE INDEX events_type_idx ON ONLY audit.events USING btree (event_type, occurred_at DESC);


--
-- Name: events_default_event_type_occurred_at_idx; Type: INDEX; Schema: audit; Owner: app_owner
--

CREATE INDEX events_default_event_type_occurred_at_idx ON audit.events_default USING btree (event_type, occurred_at DESC);


--
-- Name: events_request_idx; Type: INDEX; Schema: audit; Owner: app_owner
--

CREATE INDEX events_request_idx ON ONLY audit.events USING btree (request_id) WHERE (request_id IS NOT NULL);


--
-- Name: events_default_request_id_idx; Type: INDEX; Schema: audit; Owner: app_owner
--

CREATE INDEX events_default_request_id_idx ON audit.events_default USING btree (request_id) WHERE (request_id IS NOT NULL);


--
-- Name: events_subject_idx; Type: INDEX; Schema: audit; Owner: app_owner
--

CREATE INDEX events_subject_idx ON ONLY audit.events USING btree (subject_id, occurred_at DESC) WHERE (subject_id IS NOT NULL);


--
-- Name: events_default_subject_id_occurred_at_idx; Type: INDEX; Schema: audit; Owner: app_owner
--

CREATE INDEX events_default_subject_id_occurred_at_idx ON audit.events_default USING btree (subject_id, occurred_at DESC) WHERE (subject_id IS NOT NULL);


--
-- Name: events_y2026m11_actor_id_occurred_at_idx; Type: INDEX; Schema: audit; Owner: app_owner
--

CREATE INDEX events_y2026m11_actor_id_occurred_at_idx ON audit.events_y2026m11 USING btree (actor_id, occurred_at DESC) WHERE (actor_id IS NOT NULL);


--
-- Name: events_y2026m11_event_type_occurred_at_idx; Type: INDEX; Schema: audit; Owner: app_owner
--

CREATE INDEX events_y2026m11_event_type_occurred_at_idx ON audit.events_y2026m11 USING btree (event_type, occurred_at DESC);


--
-- Name: events_y2026m11_request_id_idx; Type: INDEX; Schema: audit; Owner: app_owner
--

CREATE INDEX events_y2026m11_request_id_idx ON audit.events_y2026m11 USING btree (request_id) WHERE (request_id IS NOT NULL);


--
-- Name: events_y2026m11_subject_id_occurred_at_idx; Type: INDEX; Schema: audit; Owner: app_owner
--

CREATE INDEX events_y2026m11_subject_id_occurred_at_idx ON audit.events_y2026m11 USING btree (subject_id, occurred_at DESC) WHERE (subject_id IS NOT NULL);


--
-- Name: events_y2026m12_actor_id_occurred_at_idx; Type: INDEX; Schema: audit; Owner: app_owner
--

CREATE INDEX events_y2026m12_actor_id_occurred_at_idx ON audit.events_y2026m12 USING btree (actor_id, occurred_at DESC) WHERE (actor_id IS NOT NULL);


--
-- Name: events_y2026m12_event_type_occurred_at_idx; Type: INDEX; Schema: audit; Owner: app_owner
--

CREATE INDEX events_y2026m12_event_type_occurred_at_idx ON audit.events_y2026m12 USING btree (event_type, occurred_at DESC);


--
-- Name: events_y2026m12_request_id_idx; Type: INDEX; Schema: audit; Owner: app_owner
--

CREATE INDEX events_y2026m12_request_id_idx ON audit.events_y2026m12 USING btree (request_id) WHERE (request_id IS NOT NULL);


--
-- Name: events_y2026m12_subject_id_occurred_at_idx; Type: INDEX; Schema: audit; Owner: app_owner
--

CREATE INDEX events_y2026m12_subject_id_occurred_at_idx ON audit.events_y2026m12 USING btree (subject_id, occurred_at DESC) WHERE (subject_id IS NOT NULL);


--
-- Name: events_y2027m01_actor_id_occurred_at_idx; Type: INDEX; Schema: audit; Owner: app_owner
--

CREATE INDEX events_y2027m01_actor_id_occurred_at_idx ON audit.events_y2027m01 USING btree (actor_id, occurred_at DESC) WHERE (actor_id IS NOT NULL);


--
-- Name: events_y2027m01_event_type_occurred_at_idx; Type: INDEX; Schema: audit; Owner: app_owner
--

CREATE INDEX events_y2027m01_event_type_occurred_at_idx ON audit.events_y2027m01 USING btree (event_type, occurred_at DESC);


--
-- Name: events_y2027m01_request_id_idx; Type: INDEX; Schema: audit; Owner: app_owner
--

CREATE INDEX events_y2027m01_request_id_idx ON audit.events_y2027m01 USING btree (request_id) WHERE (request_id IS NOT NULL);


--
-- Name: events_y2027m01_subject_id_occurred_at_idx; Type: INDEX; Schema: audit; Owner: app_owner
--

CREATE INDEX events_y2027m01_subject_id_occurred_at_idx ON audit.events_y2027m01 USING btree (subject_id, occurred_at DESC) WHERE (subject_id IS NOT NULL);


--
-- Name: events_y2027m02_actor_id_occurred_at_idx; Type: INDEX; Schema: audit; Owner: app_owner
--

CREATE INDEX events_y2027m02_actor_id_occurred_at_idx ON audit.events_y2027m02 USING btree (actor_id, occurred_at DESC) WHERE (actor_id IS NOT NULL);


--
-- Name: events_y2027m02_event_type_occurred_at_idx; Type: INDEX; Schema: audit; Owner: app_owner
--

CREATE INDEX events_y2027m02_event_type_occurred_at_idx ON audit.events_y2027m02 USING btree (event_type, occurred_at DESC);


--
-- Name: events_y2027m02_request_id_idx; Type: INDEX; Schema: audit; Owner: app_owner
--

CREATE INDEX events_y2027m02_request_id_idx ON audit.events_y2027m02 USING btree (request_id) WHERE (request_id IS NOT NULL);


--
-- Name: events_y2027m02_subject_id_occurred_at_idx; Type: INDEX; Schema: audit; Owner: app_owner
--

CREATE INDEX events_y2027m02_subject_id_occurred_at_idx ON audit.events_y2027m02 USING btree (subject_id, occurred_at DESC) WHERE (subject_id IS NOT NULL);


--
-- Name: events_default_actor_id_occurred_at_idx; Type: INDEX ATTACH; Schema: audit; Owner: app_owner
--

ALTER INDEX audit.events_actor_idx ATTACH PARTITION audit.events_default_actor_id_occurred_at_idx;


--
-- Name: events_default_event_type_occurred_at_idx; Type: INDEX ATTACH; Schema: audit; Owner: app_owner
--

ALTER INDEX audit.events_type_idx ATTACH PARTITION audit.events_default_event_type_occurred_at_idx;


--
-- Name: events_default_pkey; Type: INDEX ATTACH; Schema: audit; Owner: app_owner
--

ALTER INDEX audit.events_pkey ATTACH PARTITION audit.events_default_pkey;


--
-- Name: events_default_request_id_idx; Type: INDEX ATTACH; Schema: audit; Owner: app_owner
--

ALTER INDEX audit.events_request_idx ATTACH PARTITION audit.events_default_request_id_idx;


--
-- Name: events_default_subject_id_occurred_at_idx; Type: INDEX ATTACH; Schema: audit; Owner: app_owner
--

ALTER INDEX audit.events_subject_idx ATTACH PARTITION audit.events_default_subject_id_occurred_at_idx;


--
-- Name: events_y2026m11_actor_id_occurred_at_idx; Type: INDEX ATTACH; Schema: audit; Owner: app_owner
--

ALTER INDEX audit.events_actor_idx ATTACH PARTITION audit.events_y2026m11_actor_id_occurred_at_idx;


--
-- Name: events_y2026m11_event_type_occurred_at_idx; Type: INDEX ATTACH; Schema: audit; Owner: app_owner
--

ALTER INDEX audit.events_type_idx ATTACH PARTITION audit.events_y2026m11_event_type_occurred_at_idx;


--
-- Name: events_y2026m11_pkey; Type: INDEX ATTACH; Schema: audit; Owner: app_owner
--

ALTER INDEX audit.events_pkey ATTACH PARTITION audit.events_y2026m11_pkey;


--
-- Name: events_y2026m11_request_id_idx; Type: INDEX ATTACH; Schema: audit; Owner: app_owner
--

ALTER INDEX audit.events_request_idx ATTACH PARTITION audit.events_y2026m11_request_id_idx;


--
-- Name: events_y2026m11_subject_id_occurred_at_idx; Type: INDEX ATTACH; Schema: audit; Owner: app_owner
--

ALTER INDEX audit.events_subject_idx ATTACH PARTITION audit.events_y2026m11_subject_id_occurred_at_idx;


--
-- Name: events_y2026m12_actor_id_occurred_at_idx; Type: INDEX ATTACH; Schema: audit; Owner: app_owner
--

ALTER INDEX audit.events_actor_idx ATTACH PARTITION audit.events_y2026m12_actor_id_occurred_at_idx;


--
-- Name: events_y2026m12_event_type_occurred_at_idx; Type: INDEX ATTACH; Schema: audit; Owner: app_owner
--

ALTER INDEX audit.events_type_idx ATTACH PARTITION audit.events_y2026m12_event_type_occurred_at_idx;


--
-- Name: events_y2026m12_pkey; Type: INDEX ATTACH; Schema: audit; Owner: app_owner
--

ALTER INDEX audit.events_pkey ATTACH PARTITION audit.events_y2026m12_pkey;


--
-- Name: events_y2026m12_request_id_idx; Type: INDEX ATTACH; Schema: audit; Owner: app_owner
--

ALTER INDEX audit.events_request_idx ATTACH PARTITION audit.events_y2026m12_request_id_idx;


--
-- Name: events_y2026m12_subject_id_occurred_at_idx; Type: INDEX ATTACH; Schema: audit; Owner: app_owner
--

ALTER INDEX audit.events_subject_idx ATTACH PARTITION audit.events_y2026m12_subject_id_occurred_at_idx;


--
-- Name: events_y2027m01_actor_id_occurred_at_idx; Type: INDEX ATTACH; Schema: audit; Owner: app_owner
--

ALTER INDEX audit.events_actor_idx ATTACH PARTITION audit.events_y2027m01_actor_id_occurred_at_idx;


--
-- Name: events_y2027m01_event_type_occurred_at_idx; Type: INDEX ATTACH; Schema: audit; Owner: app_owner
--

ALTER INDEX audit.events_type_idx ATTACH PARTITION audit.events_y2027m01_event_type_occurred_at_idx;


--
-- Name: events_y2027m01_pkey; Type: INDEX ATTACH; Schema: audit; Owner: app_owner
--

ALTER INDEX audit.events_pkey ATTACH PARTITION audit.events_y2027m01_pkey;


--
-- Name: events_y2027m01_request_id_idx; Type: INDEX ATTACH; Schema: audit; Owner: app_owner
--

ALTER INDEX audit.events_request_idx ATTACH PARTITION audit.events_y2027m01_request_id_idx;


--
-- Name: events_y2027m01_subject_id_occurred_at_idx; Type: INDEX ATTACH; Schema: audit; Owner: app_owner
--

ALTER INDEX audit.events_subject_idx ATTACH PARTITION audit.events_y2027m01_subject_id_occurred_at_idx;


--
-- Name: events_y2027m02_actor_id_occurred_at_idx; Type: INDEX ATTACH; Schema: audit; Owner: app_owner
--

ALTER INDEX audit.events_actor_idx ATTACH PARTITION audit.events_y2027m02_actor_id_occurred_at_idx;


--
-- Name: events_y2027m02_event_type_occurred_at_idx; Type: INDEX ATTACH; Schema: audit; Owner: app_owner
--

ALTER INDEX audit.events_type_idx ATTACH PARTITION audit.events_y2027m02_event_type_occurred_at_idx;


--
-- Name: events_y2027m02_pkey; Type: INDEX ATTACH; Schema: audit; Owner: app_owner
--

ALTER INDEX audit.events_pkey ATTACH PARTITION audit.events_y2027m02_pkey;


--
-- Name: events_y2027m02_request_id_idx; Type: INDEX ATTACH; Schema: audit; Owner: app_owner
--

ALTER INDEX audit.events_request_idx ATTACH PARTITION audit.events_y2027m02_request_id_idx;


--
-- Name: events_y2027m02_subject_id_occurred_at_idx; Type: INDEX ATTACH; Schema: audit; Owner: app_owner
--

ALTER INDEX audit.events_subject_idx ATTACH PARTITION audit.events_y2027m02_subject_id_occurred_at_idx;


--
-- Name: events _000_forbid_change; Type: TRIGGER; Schema: audit; Owner: app_owner
--

CREATE TRIGGER _000_forbid_change BEFORE DELETE OR UPDATE ON audit.events FOR EACH ROW EXECUTE FUNCTION audit.tg_events__forbid_change();


--
-- Name: events _000_forbid_truncate; Type: TRIGGER; Schema: audit; Owner: app_owner
--

CREATE TRIGGER _000_forbid_truncate BEFORE TRUNCATE ON audit.events FOR EACH STATEMENT EXECUTE FUNCTION audit.tg_events__forbid_change();


--
-- Name: events_default _000_forbid_truncate; Type: TRIGGER; Schema: audit; Owner: app_owner
--

CREATE TRIGGER _000_forbid_truncate BEFORE TRUNCATE ON audit.events_default FOR EACH STATEMENT EXECUTE FUNCTION audit.tg_events__forbid_change();


--
-- Name: events_y2026m11 _000_forbid_truncate; Type: TRIGGER; Schema: audit; Owner: app_owner
--

CREATE TRIGGER _000_forbid_truncate BEFORE TRUNCATE ON audit.events_y2026m11 FOR EACH STATEMENT EXECUTE FUNCTION audit.tg_events__forbid_change();


--
-- Name: events_y2026m12 _000_forbid_truncate; Type: TRIGGER; Schema: audit; Owner: app_owner
--

CREATE TRIGGER _000_forbid_truncate BEFORE TRUNCATE ON audit.events_y2026m12 FOR EACH STATEMENT EXECUTE FUNCTION audit.tg_events__forbid_change();


--
-- Name: events_y2027m01 _000_forbid_truncate; Type: TRIGGER; Schema: audit; Owner: app_owner
--

CREATE TRIGGER _000_forbid_truncate BEFORE TRUNCATE ON audit.events_y2027m01 FOR EACH STATEMENT EXECUTE FUNCTION audit.tg_events__forbid_change();


--
-- Name: events_y2027m02 _000_forbid_truncate; Type: TRIGGER; Schema: audit; Owner: app_owner
--

CREATE TRIGGER _000_forbid_truncate BEFORE TRUNCATE ON audit.events_y2027m02 FOR EACH STATEMENT EXECUTE FUNCTION audit.tg_events__forbid_change();


--
-- Name: instance _000_forbid_change; Type: TRIGGER; Schema: config; Owner: app_owner
--

CREATE TRIGGER _000_forbid_change BEFORE DELETE OR UPDATE ON config.instance FOR EACH ROW EXECUTE FUNCTION config.tg_instance__forbid_change();


--
-- Name: instance _000_forbid_truncate; Type: TRIGGER; Schema: config; Owner: app_owner
--

CREATE TRIGGER _000_forbid_truncate BEFORE TRUNCATE ON config.instance FOR EACH STATEMENT EXECUTE FUNCTION config.tg_instance__forbid_change();


--
-- Name: system_settings _200_validate; Type: TRIGGER; Schema: config; Owner: app_owner
--

CREATE TRIGGER _200_validate BEFORE INSERT OR UPDATE ON config.system_settings FOR EACH ROW EXECUTE FUNCTION config.tg_system_settings__validate();


--
-- Name: events; Type: ROW SECURITY; Schema: audit; Owner: app_owner
--

ALTER TABLE audit.events ENABLE ROW LEVEL SECURITY;

--
-- Name: system_settings select_worker; Type: POLICY; Schema: config; Owner: app_owner
--

CREATE POLICY select_worker ON config.system_settings FOR SELECT TO app_worker USING (true);


--
-- Name: system_settings; Type: ROW SECURITY; Schema: config; Owner: app_owner
--

ALTER TABLE config.system_settings ENABLE ROW LEVEL SECURITY;

--
-- Name: SCHEMA app_hidden; Type: ACL; Schema: -; Owner: app_owner
--

GRANT USAGE ON SCHEMA app_hidden TO app_anonymous;
GRANT USAGE ON SCHEMA app_hidden TO app_authenticated;
GRANT USAGE ON SCHEMA app_hidden TO app_worker;
GRANT USAGE ON SCHEMA app_hidden TO authenticator;


--
-- Name: SCHEMA app_public; Type: ACL; Schema: -; Owner: app_owner
--

GRANT USAGE ON SCHEMA app_public TO app_anonymous;
GRANT USAGE ON SCHEMA app_public TO app_authenticated;
GRANT USAGE ON SCHEMA app_public TO app_analytics;


--
-- Name: SCHEMA audit; Type: ACL; Schema: -; Owner: app_owner
--

GRANT USAGE ON SCHEMA audit TO app_worker;


--
-- Name: SCHEMA config; Type: ACL; Schema: -; Owner: app_owner
--

GRANT USAGE ON SCHEMA config TO app_worker;


--
-- Name: SCHEMA extensions; Type: ACL; Schema: -; Owner: app_owner
--

GRANT USAGE ON SCHEMA extensions TO app_anonymous;
GRANT USAGE ON SCHEMA extensions TO app_authenticated;
GRANT USAGE ON SCHEMA extensions TO app_worker;
GRANT USAGE ON SCHEMA extensions TO app_analytics;


--
-- Name: SCHEMA public; Type: ACL; Schema: -; Owner: pg_database_owner
--

REVOKE USAGE ON SCHEMA public FROM PUBLIC;


--
-- Name: FUNCTION clock_now(); Type: ACL; Schema: app_hidden; Owner: app_owner
--

REVOKE ALL ON FUNCTION app_hidden.clock_now() FROM PUBLIC;
GRANT ALL ON FUNCTION app_hidden.clock_now() TO app_anonymous;
GRANT ALL ON FUNCTION app_hidden.clock_now() TO app_authenticated;
GRANT ALL ON FUNCTION app_hidden.clock_now() TO app_worker;
GRANT ALL ON FUNCTION app_hidden.clock_now() TO app_analytics;


--
-- Name: FUNCTION current_client_ip(); Type: ACL; Schema: app_hidden; Owner: app_owner
--

REVOKE ALL ON FUNCTION app_hidden.current_client_ip() FROM PUBLIC;
GRANT ALL ON FUNCTION app_hidden.current_client_ip() TO app_anonymous;
GRANT ALL ON FUNCTION app_hidden.current_client_ip() TO app_authenticated;
GRANT ALL ON FUNCTION app_hidden.current_client_ip() TO app_worker;


--
-- Name: FUNCTION current_request_id(); Type: ACL; Schema: app_hidden; Owner: app_owner
--

REVOKE ALL ON FUNCTION app_hidden.current_request_id() FROM PUBLIC;
GRANT ALL ON FUNCTION app_hidden.current_request_id() TO app_anonymous;
GRANT ALL ON FUNCTION app_hidden.current_request_id() TO app_authenticated;
GRANT ALL ON FUNCTION app_hidden.current_request_id() TO app_worker;


--
-- Name: FUNCTION current_user_agent(); Type: ACL; Schema: app_hidden; Owner: app_owner
--

REVOKE ALL ON FUNCTION app_hidden.current_user_agent() FROM PUBLIC;
GRANT ALL ON FUNCTION app_hidden.current_user_agent() TO app_anonymous;
GRANT ALL ON FUNCTION app_hidden.current_user_agent() TO app_authenticated;
GRANT ALL ON FUNCTION app_hidden.current_user_agent() TO app_worker;


--
-- Name: FUNCTION current_user_id(); Type: ACL; Schema: app_hidden; Owner: app_owner
--

REVOKE ALL ON FUNCTION app_hidden.current_user_id() FROM PUBLIC;
GRANT ALL ON FUNCTION app_hidden.current_user_id() TO app_anonymous;
GRANT ALL ON FUNCTION app_hidden.current_user_id() TO app_authenticated;
GRANT ALL ON FUNCTION app_hidden.current_user_id() TO app_worker;


--
-- Name: FUNCTION current_user_is_platform_admin(); Type: ACL; Schema: app_hidden; Owner: app_owner
--

REVOKE ALL ON FUNCTION app_hidden.current_user_is_platform_admin() FROM PUBLIC;
GRANT ALL ON FUNCTION app_hidden.current_user_is_platform_admin() TO app_anonymous;
GRANT ALL ON FUNCTION app_hidden.current_user_is_platform_admin() TO app_authenticated;


--
-- Name: FUNCTION schema_version(); Type: ACL; Schema: app_hidden; Owner: app_owner
--

REVOKE ALL ON FUNCTION app_hidden.schema_version() FROM PUBLIC;
GRANT ALL ON FUNCTION app_hidden.schema_version() TO authenticator;


--
-- Name: FUNCTION enabled_features(); Type: ACL; Schema: app_public; Owner: app_owner
--

REVOKE ALL ON FUNCTION app_public.enabled_features() FROM PUBLIC;
GRANT ALL ON FUNCTION app_public.enabled_features() TO app_anonymous;
GRANT ALL ON FUNCTION app_public.enabled_features() TO app_authenticated;


--
-- Name: FUNCTION server_time(); Type: ACL; Schema: app_public; Owner: app_owner
--

REVOKE ALL ON FUNCTION app_public.server_time() FROM PUBLIC;
GRANT ALL ON FUNCTION app_public.server_time() TO app_anonymous;
GRANT ALL ON FUNCTION app_public.server_time() TO app_authenticated;


--
-- Name: FUNCTION set_system_setting(key text, value jsonb); Type: ACL; Schema: app_public; Owner: app_owner
--

REVOKE ALL ON FUNCTION app_public.set_system_setting(key text, value jsonb) FROM PUBLIC;
GRANT ALL ON FUNCTION app_public.set_system_setting(key text, value jsonb) TO app_anonymous;
GRANT ALL ON FUNCTION app_public.set_system_setting(key text, value jsonb) TO app_authenticated;


--
-- Name: FUNCTION ensure_partitions(months_ahead integer); Type: ACL; Schema: audit; Owner: app_owner
--

REVOKE ALL ON FUNCTION audit.ensure_partitions(months_ahead integer) FROM PUBLIC;
GRANT ALL ON FUNCTION audit.ensure_partitions(months_ahead integer) TO app_worker;


--
-- Name: FUNCTION record_event(event_type text, outcome text, details jsonb, reason text, subject_id uuid, severity text, entity_type text, entity_id text, organisation_id uuid); Type: ACL; Schema: audit; Owner: app_owner
--

REVOKE ALL ON FUNCTION audit.record_event(event_type text, outcome text, details jsonb, reason text, subject_id uuid, severity text, entity_type text, entity_id text, organisation_id uuid) FROM PUBLIC;
GRANT ALL ON FUNCTION audit.record_event(event_type text, outcome text, details jsonb, reason text, subject_id uuid, severity text, entity_type text, entity_id text, organisation_id uuid) TO app_worker;


--
-- Name: FUNCTION tg_events__forbid_change(); Type: ACL; Schema: audit; Owner: app_owner
--

REVOKE ALL ON FUNCTION audit.tg_events__forbid_change() FROM PUBLIC;


--
-- Name: FUNCTION feature_enabled(flag_name text, user_id uuid); Type: ACL; Schema: config; Owner: app_owner
--

REVOKE ALL ON FUNCTION config.feature_enabled(flag_name text, user_id uuid) FROM PUBLIC;
GRANT ALL ON FUNCTION config.feature_enabled(flag_name text, user_id uuid) TO app_worker;


--
-- Name: FUNCTION instance_mode(); Type: ACL; Schema: config; Owner: app_owner
--

REVOKE ALL ON FUNCTION config.instance_mode() FROM PUBLIC;
GRANT ALL ON FUNCTION config.instance_mode() TO app_worker;


--
-- Name: FUNCTION set_clock_offset(offset_by interval); Type: ACL; Schema: config; Owner: app_owner
--

REVOKE ALL ON FUNCTION config.set_clock_offset(offset_by interval) FROM PUBLIC;


--
-- Name: FUNCTION setting(key text); Type: ACL; Schema: config; Owner: app_owner
--

REVOKE ALL ON FUNCTION config.setting(key text) FROM PUBLIC;
GRANT ALL ON FUNCTION config.setting(key text) TO app_worker;


--
-- Name: FUNCTION setting_boolean(key text); Type: ACL; Schema: config; Owner: app_owner
--

REVOKE ALL ON FUNCTION config.setting_boolean(key text) FROM PUBLIC;
GRANT ALL ON FUNCTION config.setting_boolean(key text) TO app_worker;


--
-- Name: FUNCTION setting_integer(key text); Type: ACL; Schema: config; Owner: app_owner
--

REVOKE ALL ON FUNCTION config.setting_integer(key text) FROM PUBLIC;
GRANT ALL ON FUNCTION config.setting_integer(key text) TO app_worker;


--
-- Name: FUNCTION setting_interval(key text); Type: ACL; Schema: config; Owner: app_owner
--

REVOKE ALL ON FUNCTION config.setting_interval(key text) FROM PUBLIC;
GRANT ALL ON FUNCTION config.setting_interval(key text) TO app_worker;


--
-- Name: FUNCTION setting_number(key text); Type: ACL; Schema: config; Owner: app_owner
--

REVOKE ALL ON FUNCTION config.setting_number(key text) FROM PUBLIC;
GRANT ALL ON FUNCTION config.setting_number(key text) TO app_worker;


--
-- Name: FUNCTION setting_text(key text); Type: ACL; Schema: config; Owner: app_owner
--

REVOKE ALL ON FUNCTION config.setting_text(key text) FROM PUBLIC;
GRANT ALL ON FUNCTION config.setting_text(key text) TO app_worker;


--
-- Name: FUNCTION setting_value_is_valid(value_type text, value jsonb, min_value numeric, max_value numeric); Type: ACL; Schema: config; Owner: app_owner
--

REVOKE ALL ON FUNCTION config.setting_value_is_valid(value_type text, value jsonb, min_value numeric, max_value numeric) FROM PUBLIC;


--
-- Name: FUNCTION tg_instance__forbid_change(); Type: ACL; Schema: config; Owner: app_owner
--

REVOKE ALL ON FUNCTION config.tg_instance__forbid_change() FROM PUBLIC;


--
-- Name: FUNCTION tg_system_settings__validate(); Type: ACL; Schema: config; Owner: app_owner
--

REVOKE ALL ON FUNCTION config.tg_system_settings__validate() FROM PUBLIC;


--
-- Name: TABLE system_settings; Type: ACL; Schema: config; Owner: app_owner
--

GRANT SELECT ON TABLE config.system_settings TO app_worker;


--
-- Name: DEFAULT PRIVILEGES FOR FUNCTIONS; Type: DEFAULT ACL; Schema: -; Owner: app_owner
--

ALTER DEFAULT PRIVILEGES FOR ROLE app_owner REVOKE ALL ON FUNCTIONS  FROM PUBLIC;


--
-- PostgreSQL database dump complete
--

\unrestrict gatehouse

