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
-- Name: analytics; Type: SCHEMA; Schema: -; Owner: app_owner
--

CREATE SCHEMA analytics;


ALTER SCHEMA analytics OWNER TO app_owner;

--
-- Name: SCHEMA analytics; Type: COMMENT; Schema: -; Owner: app_owner
--

COMMENT ON SCHEMA analytics IS 'Reporting for app_analytics only: fixed aggregates (small groups suppressed) and consenting accounts under a pseudonym. Not in GraphQL.';


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
-- Name: audit_event; Type: TYPE; Schema: app_public; Owner: app_owner
--

CREATE TYPE app_public.audit_event AS (
	id bigint,
	occurred_at timestamp with time zone,
	event_type text,
	outcome text,
	severity text,
	reason text,
	actor_id uuid,
	subject_id uuid,
	organization_id uuid,
	entity_type text,
	entity_id text,
	details jsonb,
	request_id text,
	client_ip inet,
	user_agent text,
	personal bytea
);


ALTER TYPE app_public.audit_event OWNER TO app_owner;

--
-- Name: TYPE audit_event; Type: COMMENT; Schema: app_public; Owner: app_owner
--

COMMENT ON TYPE app_public.audit_event IS 'An entry of the audit trail: what happened, to whom, by whom, when and from where.';


--
-- Name: COLUMN audit_event.client_ip; Type: COMMENT; Schema: app_public; Owner: app_owner
--

COMMENT ON COLUMN app_public.audit_event.client_ip IS '@behavior -*';


--
-- Name: COLUMN audit_event.user_agent; Type: COMMENT; Schema: app_public; Owner: app_owner
--

COMMENT ON COLUMN app_public.audit_event.user_agent IS '@behavior -*';


--
-- Name: COLUMN audit_event.personal; Type: COMMENT; Schema: app_public; Owner: app_owner
--

COMMENT ON COLUMN app_public.audit_event.personal IS '@behavior -*';


--
-- Name: audit_event_count; Type: TYPE; Schema: app_public; Owner: app_owner
--

CREATE TYPE app_public.audit_event_count AS (
	day date,
	event_type text,
	outcome text,
	events bigint
);


ALTER TYPE app_public.audit_event_count OWNER TO app_owner;

--
-- Name: TYPE audit_event_count; Type: COMMENT; Schema: app_public; Owner: app_owner
--

COMMENT ON TYPE app_public.audit_event_count IS 'How many events of a type and outcome happened on a day (UTC).';


--
-- Name: consent; Type: TYPE; Schema: app_public; Owner: app_owner
--

CREATE TYPE app_public.consent AS (
	id bigint,
	purpose text,
	version text,
	granted boolean,
	recorded_at timestamp with time zone
);


ALTER TYPE app_public.consent OWNER TO app_owner;

--
-- Name: TYPE consent; Type: COMMENT; Schema: app_public; Owner: app_owner
--

COMMENT ON TYPE app_public.consent IS 'A consent you gave or withdrew: purpose (terms, marketing, analytics), version of the text, when.';


--
-- Name: data_export; Type: TYPE; Schema: app_public; Owner: app_owner
--

CREATE TYPE app_public.data_export AS (
	document jsonb,
	refusal_code text,
	refusal_message text
);


ALTER TYPE app_public.data_export OWNER TO app_owner;

--
-- Name: TYPE data_export; Type: COMMENT; Schema: app_public; Owner: app_owner
--

COMMENT ON TYPE app_public.data_export IS 'Everything held about a person, as one JSON document: one section per table, decrypted.';


--
-- Name: COLUMN data_export.document; Type: COMMENT; Schema: app_public; Owner: app_owner
--

COMMENT ON COLUMN app_public.data_export.document IS 'Sections named schema.table, each with the person''s rows; format gatehouse-personal-data/1.';


--
-- Name: COLUMN data_export.refusal_code; Type: COMMENT; Schema: app_public; Owner: app_owner
--

COMMENT ON COLUMN app_public.data_export.refusal_code IS '@behavior -attribute:select';


--
-- Name: COLUMN data_export.refusal_message; Type: COMMENT; Schema: app_public; Owner: app_owner
--

COMMENT ON COLUMN app_public.data_export.refusal_message IS '@behavior -attribute:select';


--
-- Name: login_result; Type: TYPE; Schema: app_public; Owner: app_owner
--

CREATE TYPE app_public.login_result AS (
	user_id uuid,
	session_id uuid,
	refresh_token text,
	access_token_issued_at timestamp with time zone,
	access_token_expires_at timestamp with time zone,
	refusal_code text,
	refusal_message text,
	refusal_retry_after integer,
	organization_id uuid
);


ALTER TYPE app_public.login_result OWNER TO app_owner;

--
-- Name: TYPE login_result; Type: COMMENT; Schema: app_public; Owner: app_owner
--

COMMENT ON TYPE app_public.login_result IS 'A new session: tokens to call the API with, and the account.';


--
-- Name: COLUMN login_result.user_id; Type: COMMENT; Schema: app_public; Owner: app_owner
--

COMMENT ON COLUMN app_public.login_result.user_id IS '@behavior -attribute:select';


--
-- Name: COLUMN login_result.session_id; Type: COMMENT; Schema: app_public; Owner: app_owner
--

COMMENT ON COLUMN app_public.login_result.session_id IS 'The new session''s id (the access token''s sid claim).';


--
-- Name: COLUMN login_result.refresh_token; Type: COMMENT; Schema: app_public; Owner: app_owner
--

COMMENT ON COLUMN app_public.login_result.refresh_token IS 'Exchange it for new tokens when the access token expires. Shown only this once: store it safely.';


--
-- Name: COLUMN login_result.access_token_issued_at; Type: COMMENT; Schema: app_public; Owner: app_owner
--

COMMENT ON COLUMN app_public.login_result.access_token_issued_at IS '@behavior -attribute:select';


--
-- Name: COLUMN login_result.access_token_expires_at; Type: COMMENT; Schema: app_public; Owner: app_owner
--

COMMENT ON COLUMN app_public.login_result.access_token_expires_at IS 'When the access token stops working.';


--
-- Name: COLUMN login_result.refusal_code; Type: COMMENT; Schema: app_public; Owner: app_owner
--

COMMENT ON COLUMN app_public.login_result.refusal_code IS '@behavior -attribute:select';


--
-- Name: COLUMN login_result.refusal_message; Type: COMMENT; Schema: app_public; Owner: app_owner
--

COMMENT ON COLUMN app_public.login_result.refusal_message IS '@behavior -attribute:select';


--
-- Name: COLUMN login_result.refusal_retry_after; Type: COMMENT; Schema: app_public; Owner: app_owner
--

COMMENT ON COLUMN app_public.login_result.refusal_retry_after IS '@behavior -attribute:select';


--
-- Name: COLUMN login_result.organization_id; Type: COMMENT; Schema: app_public; Owner: app_owner
--

COMMENT ON COLUMN app_public.login_result.organization_id IS 'The organisation the access token acts in (its tid claim); null for your personal context.';


--
-- Name: organization_change; Type: TYPE; Schema: app_public; Owner: app_owner
--

CREATE TYPE app_public.organization_change AS (
	organization_id uuid,
	refusal_code text,
	refusal_message text,
	refusal_retry_after integer
);


ALTER TYPE app_public.organization_change OWNER TO app_owner;

--
-- Name: TYPE organization_change; Type: COMMENT; Schema: app_public; Owner: app_owner
--

COMMENT ON TYPE app_public.organization_change IS 'The organisation an operation created or changed.';


--
-- Name: COLUMN organization_change.refusal_code; Type: COMMENT; Schema: app_public; Owner: app_owner
--

COMMENT ON COLUMN app_public.organization_change.refusal_code IS '@behavior -attribute:select';


--
-- Name: COLUMN organization_change.refusal_message; Type: COMMENT; Schema: app_public; Owner: app_owner
--

COMMENT ON COLUMN app_public.organization_change.refusal_message IS '@behavior -attribute:select';


--
-- Name: COLUMN organization_change.refusal_retry_after; Type: COMMENT; Schema: app_public; Owner: app_owner
--

COMMENT ON COLUMN app_public.organization_change.refusal_retry_after IS '@behavior -attribute:select';


--
-- Name: outcome; Type: TYPE; Schema: app_public; Owner: app_owner
--

CREATE TYPE app_public.outcome AS (
	ok boolean,
	refusal_code text,
	refusal_message text,
	refusal_retry_after integer
);


ALTER TYPE app_public.outcome OWNER TO app_owner;

--
-- Name: TYPE outcome; Type: COMMENT; Schema: app_public; Owner: app_owner
--

COMMENT ON TYPE app_public.outcome IS 'The result of an operation that returns nothing else.';


--
-- Name: COLUMN outcome.ok; Type: COMMENT; Schema: app_public; Owner: app_owner
--

COMMENT ON COLUMN app_public.outcome.ok IS 'True when the operation was carried out.';


--
-- Name: COLUMN outcome.refusal_code; Type: COMMENT; Schema: app_public; Owner: app_owner
--

COMMENT ON COLUMN app_public.outcome.refusal_code IS '@behavior -attribute:select';


--
-- Name: COLUMN outcome.refusal_message; Type: COMMENT; Schema: app_public; Owner: app_owner
--

COMMENT ON COLUMN app_public.outcome.refusal_message IS '@behavior -attribute:select';


--
-- Name: COLUMN outcome.refusal_retry_after; Type: COMMENT; Schema: app_public; Owner: app_owner
--

COMMENT ON COLUMN app_public.outcome.refusal_retry_after IS '@behavior -attribute:select';


--
-- Name: permission_path; Type: TYPE; Schema: app_public; Owner: app_owner
--

CREATE TYPE app_public.permission_path AS (
	path text[]
);


ALTER TYPE app_public.permission_path OWNER TO app_owner;

--
-- Name: TYPE permission_path; Type: COMMENT; Schema: app_public; Owner: app_owner
--

COMMENT ON TYPE app_public.permission_path IS 'A chain of roles by which a user holds a permission: the role they were given first, the role granting it last.';


--
-- Name: registration; Type: TYPE; Schema: app_public; Owner: app_owner
--

CREATE TYPE app_public.registration AS (
	email extensions.citext,
	verification_required boolean,
	refusal_code text,
	refusal_message text,
	refusal_retry_after integer
);


ALTER TYPE app_public.registration OWNER TO app_owner;

--
-- Name: TYPE registration; Type: COMMENT; Schema: app_public; Owner: app_owner
--

COMMENT ON TYPE app_public.registration IS 'Registration accepted: if the address can be used, a mail is on its way to it. The answer is the same whether or not the address already has an account.';


--
-- Name: COLUMN registration.refusal_code; Type: COMMENT; Schema: app_public; Owner: app_owner
--

COMMENT ON COLUMN app_public.registration.refusal_code IS '@behavior -attribute:select';


--
-- Name: COLUMN registration.refusal_message; Type: COMMENT; Schema: app_public; Owner: app_owner
--

COMMENT ON COLUMN app_public.registration.refusal_message IS '@behavior -attribute:select';


--
-- Name: COLUMN registration.refusal_retry_after; Type: COMMENT; Schema: app_public; Owner: app_owner
--

COMMENT ON COLUMN app_public.registration.refusal_retry_after IS '@behavior -attribute:select';


--
-- Name: role_change; Type: TYPE; Schema: app_public; Owner: app_owner
--

CREATE TYPE app_public.role_change AS (
	role_id uuid,
	refusal_code text,
	refusal_message text,
	refusal_retry_after integer
);


ALTER TYPE app_public.role_change OWNER TO app_owner;

--
-- Name: TYPE role_change; Type: COMMENT; Schema: app_public; Owner: app_owner
--

COMMENT ON TYPE app_public.role_change IS 'The role a management operation changed.';


--
-- Name: COLUMN role_change.refusal_code; Type: COMMENT; Schema: app_public; Owner: app_owner
--

COMMENT ON COLUMN app_public.role_change.refusal_code IS '@behavior -attribute:select';


--
-- Name: COLUMN role_change.refusal_message; Type: COMMENT; Schema: app_public; Owner: app_owner
--

COMMENT ON COLUMN app_public.role_change.refusal_message IS '@behavior -attribute:select';


--
-- Name: COLUMN role_change.refusal_retry_after; Type: COMMENT; Schema: app_public; Owner: app_owner
--

COMMENT ON COLUMN app_public.role_change.refusal_retry_after IS '@behavior -attribute:select';


--
-- Name: security_summary; Type: TYPE; Schema: app_public; Owner: app_owner
--

CREATE TYPE app_public.security_summary AS (
	password_changed_at timestamp with time zone,
	last_login_at timestamp with time zone,
	last_login_ip inet,
	live_sessions integer,
	last_login_from bytea
);


ALTER TYPE app_public.security_summary OWNER TO app_owner;

--
-- Name: TYPE security_summary; Type: COMMENT; Schema: app_public; Owner: app_owner
--

COMMENT ON TYPE app_public.security_summary IS 'What Gatehouse knows about the security of your account.';


--
-- Name: COLUMN security_summary.last_login_ip; Type: COMMENT; Schema: app_public; Owner: app_owner
--

COMMENT ON COLUMN app_public.security_summary.last_login_ip IS '@behavior -*';


--
-- Name: COLUMN security_summary.last_login_from; Type: COMMENT; Schema: app_public; Owner: app_owner
--

COMMENT ON COLUMN app_public.security_summary.last_login_from IS '@behavior -*';


--
-- Name: session_info; Type: TYPE; Schema: app_public; Owner: app_owner
--

CREATE TYPE app_public.session_info AS (
	id uuid,
	created_at timestamp with time zone,
	last_refreshed_at timestamp with time zone,
	expires_at timestamp with time zone,
	ip inet,
	user_agent text,
	device_info jsonb,
	is_current boolean,
	personal bytea
);


ALTER TYPE app_public.session_info OWNER TO app_owner;

--
-- Name: TYPE session_info; Type: COMMENT; Schema: app_public; Owner: app_owner
--

COMMENT ON TYPE app_public.session_info IS 'One of your live sessions.';


--
-- Name: COLUMN session_info.expires_at; Type: COMMENT; Schema: app_public; Owner: app_owner
--

COMMENT ON COLUMN app_public.session_info.expires_at IS 'When the session ends at the latest (its absolute lifetime).';


--
-- Name: COLUMN session_info.ip; Type: COMMENT; Schema: app_public; Owner: app_owner
--

COMMENT ON COLUMN app_public.session_info.ip IS '@behavior -*';


--
-- Name: COLUMN session_info.user_agent; Type: COMMENT; Schema: app_public; Owner: app_owner
--

COMMENT ON COLUMN app_public.session_info.user_agent IS '@behavior -*';


--
-- Name: COLUMN session_info.is_current; Type: COMMENT; Schema: app_public; Owner: app_owner
--

COMMENT ON COLUMN app_public.session_info.is_current IS 'True for the session this request is made with.';


--
-- Name: COLUMN session_info.personal; Type: COMMENT; Schema: app_public; Owner: app_owner
--

COMMENT ON COLUMN app_public.session_info.personal IS '@behavior -*';


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
-- Name: consenting_user_activity(); Type: FUNCTION; Schema: analytics; Owner: app_owner
--

CREATE FUNCTION analytics.consenting_user_activity() RETURNS TABLE(pseudonym text, day date, logins integer, refreshes integer)
    LANGUAGE sql STABLE SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
  with consenting as materialized (
    select u.id
    from app_public.users u
    where u.deleted_at is null and u.processing_restricted_at is null
      and app_private.consent_granted(u.id, 'analytics')
  )
  select app_private.analytics_pseudonym(c.id), (e.occurred_at at time zone 'UTC')::date,
         count(*) filter (where e.event_type = 'auth.login')::integer,
         count(*) filter (where e.event_type = 'auth.refresh')::integer
  from consenting c
  join audit.events e on e.subject_id = c.id
  where e.event_type in ('auth.login', 'auth.refresh') and e.outcome = 'success'
  group by c.id, 2
  order by 1, 2
$$;


ALTER FUNCTION analytics.consenting_user_activity() OWNER TO app_owner;

--
-- Name: FUNCTION consenting_user_activity(); Type: COMMENT; Schema: analytics; Owner: app_owner
--

COMMENT ON FUNCTION analytics.consenting_user_activity() IS 'Logins and refreshes per day (UTC) of each account whose latest analytics consent is granted, under its pseudonym.';


--
-- Name: consenting_users(); Type: FUNCTION; Schema: analytics; Owner: app_owner
--

CREATE FUNCTION analytics.consenting_users() RETURNS TABLE(pseudonym text, signed_up_on date)
    LANGUAGE sql STABLE SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
  select app_private.analytics_pseudonym(u.id), (u.created_at at time zone 'UTC')::date
  from app_public.users u
  where u.deleted_at is null and u.processing_restricted_at is null
    and app_private.consent_granted(u.id, 'analytics')
  order by 1
$$;


ALTER FUNCTION analytics.consenting_users() OWNER TO app_owner;

--
-- Name: FUNCTION consenting_users(); Type: COMMENT; Schema: analytics; Owner: app_owner
--

COMMENT ON FUNCTION analytics.consenting_users() IS 'Accounts whose latest analytics consent is granted, under a pseudonym (HMAC of the account id), with their sign-up day.';


--
-- Name: daily_activity(); Type: FUNCTION; Schema: analytics; Owner: app_owner
--

CREATE FUNCTION analytics.daily_activity() RETURNS TABLE(day date, sign_ups integer, logins integer, active_users integer)
    LANGUAGE sql STABLE SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
  with k as (
    select config.setting_integer('analytics.min_group_size') as min_people
  ), sign_ups as (
    select (u.created_at at time zone 'UTC')::date as day, count(*)::integer as people
    from app_public.users u
    group by 1
  ), activity as (
    select (e.occurred_at at time zone 'UTC')::date as day,
           count(*) filter (where e.event_type = 'auth.login')::integer as logins,
           count(distinct e.subject_id) filter (where e.event_type = 'auth.login')::integer as login_people,
           count(distinct e.subject_id)::integer as active_people
    from audit.events e
    where e.event_type in ('auth.login', 'auth.refresh') and e.outcome = 'success' and e.subject_id is not null
    group by 1
  ), shown as (
    select d.day,
           case when s.people >= k.min_people then s.people end as sign_ups,
           case when a.login_people >= k.min_people then a.logins end as logins,
           case when a.active_people >= k.min_people then a.active_people end as active_users
    from (select day from sign_ups union select day from activity) d
    cross join k
    left join sign_ups s on s.day = d.day
    left join activity a on a.day = d.day
  )
  select * from shown
  where sign_ups is not null or logins is not null or active_users is not null
  order by day
$$;


ALTER FUNCTION analytics.daily_activity() OWNER TO app_owner;

--
-- Name: FUNCTION daily_activity(); Type: COMMENT; Schema: analytics; Owner: app_owner
--

COMMENT ON FUNCTION analytics.daily_activity() IS 'Sign-ups, logins and active users per day (UTC); a count of fewer people than analytics.min_group_size is null.';


--
-- Name: organization_daily_activity(); Type: FUNCTION; Schema: analytics; Owner: app_owner
--

CREATE FUNCTION analytics.organization_daily_activity() RETURNS TABLE(organization_id uuid, day date, new_members integer, logins integer, active_users integer)
    LANGUAGE sql STABLE SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
  with k as (
    select config.setting_integer('analytics.min_group_size') as min_people
  ), members as (
    select m.organization_id, m.user_id, m.joined_at, m.ended_at
    from app_public.memberships m
    where m.joined_at is not null
  ), joins as (
    select m.organization_id, (m.joined_at at time zone 'UTC')::date as day, count(distinct m.user_id)::integer as people
    from members m
    group by 1, 2
  ), activity as (
    select m.organization_id, (e.occurred_at at time zone 'UTC')::date as day,
           count(*) filter (where e.event_type = 'auth.login')::integer as logins,
           count(distinct e.subject_id) filter (where e.event_type = 'auth.login')::integer as login_people,
           count(distinct e.subject_id)::integer as active_people
    from audit.events e
    join members m on m.user_id = e.subject_id and m.joined_at <= e.occurred_at
                  and (m.ended_at is null or m.ended_at > e.occurred_at)
    where e.event_type in ('auth.login', 'auth.refresh') and e.outcome = 'success'
    group by 1, 2
  ), shown as (
    select g.organization_id, g.day,
           case when j.people >= k.min_people then j.people end as new_members,
           case when a.login_people >= k.min_people then a.logins end as logins,
           case when a.active_people >= k.min_people then a.active_people end as active_users
    from (select organization_id, day from joins union select organization_id, day from activity) g
    cross join k
    left join joins j on j.organization_id = g.organization_id and j.day = g.day
    left join activity a on a.organization_id = g.organization_id and a.day = g.day
  )
  select * from shown
  where new_members is not null or logins is not null or active_users is not null
  order by organization_id, day
$$;


ALTER FUNCTION analytics.organization_daily_activity() OWNER TO app_owner;

--
-- Name: FUNCTION organization_daily_activity(); Type: COMMENT; Schema: analytics; Owner: app_owner
--

COMMENT ON FUNCTION analytics.organization_daily_activity() IS 'New members, logins and active members per organisation and day (UTC); counts of fewer people than analytics.min_group_size are null.';


--
-- Name: add_encryption_key(uuid, text, bytea, text, uuid); Type: FUNCTION; Schema: app_hidden; Owner: app_owner
--

CREATE FUNCTION app_hidden.add_encryption_key(key_id uuid, pgp_key_id text, public_key bytea, purpose text, user_id uuid DEFAULT NULL::uuid) RETURNS boolean
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
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


ALTER FUNCTION app_hidden.add_encryption_key(key_id uuid, pgp_key_id text, public_key bytea, purpose text, user_id uuid) OWNER TO app_owner;

--
-- Name: FUNCTION add_encryption_key(key_id uuid, pgp_key_id text, public_key bytea, purpose text, user_id uuid); Type: COMMENT; Schema: app_hidden; Owner: app_owner
--

COMMENT ON FUNCTION app_hidden.add_encryption_key(key_id uuid, pgp_key_id text, public_key bytea, purpose text, user_id uuid) IS 'Records the public half of a key pair whose private half the worker has wrapped into the key store.';


--
-- Name: begin_erasure(uuid); Type: FUNCTION; Schema: app_hidden; Owner: app_owner
--

CREATE FUNCTION app_hidden.begin_erasure(user_id uuid) RETURNS SETOF uuid
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'extensions', 'pg_temp'
    AS $$
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
    delete from app_private.marketing_deliveries d where d.user_id = v_user.id;
    delete from app_public.user_roles r where r.user_id = v_user.id;
    delete from app_public.project_members m where m.user_id = v_user.id;
    delete from app_public.memberships m where m.user_id = v_user.id;
    update app_public.invitations i set email = v_short || '@erased.invalid' where i.email = v_user.email;
  end if;
  return query
    select k.key_id from app_private.encryption_keys k where k.user_id = v_user.id and k.destroyed_at is null;
end;
$$;


ALTER FUNCTION app_hidden.begin_erasure(user_id uuid) OWNER TO app_owner;

--
-- Name: FUNCTION begin_erasure(user_id uuid); Type: COMMENT; Schema: app_hidden; Owner: app_owner
--

COMMENT ON FUNCTION app_hidden.begin_erasure(user_id uuid) IS 'Anonymises a due account and returns its keys for the worker to destroy in the key store (step one of erasure).';


--
-- Name: can_read_account(uuid); Type: FUNCTION; Schema: app_hidden; Owner: app_owner
--

CREATE FUNCTION app_hidden.can_read_account(user_id uuid) RETURNS boolean
    LANGUAGE sql STABLE SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
  select can_read_account.user_id = app_hidden.current_user_id()
      or app_hidden.user_has_permission(app_hidden.current_user_id(), 'users:read', null)
      or exists (
        select 1 from app_public.memberships m
        where m.user_id = can_read_account.user_id and m.status = 'active'
          and app_hidden.user_has_permission(app_hidden.current_user_id(), 'users:read', m.organization_id)
      )
$$;


ALTER FUNCTION app_hidden.can_read_account(user_id uuid) OWNER TO app_owner;

--
-- Name: FUNCTION can_read_account(user_id uuid); Type: COMMENT; Schema: app_hidden; Owner: app_owner
--

COMMENT ON FUNCTION app_hidden.can_read_account(user_id uuid) IS 'Whether the caller may read the account fields of a user.';


--
-- Name: can_read_audit(uuid); Type: FUNCTION; Schema: app_hidden; Owner: app_owner
--

CREATE FUNCTION app_hidden.can_read_audit(organization_id uuid) RETURNS boolean
    LANGUAGE sql STABLE SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
  select app_hidden.user_has_permission(app_hidden.current_user_id(), 'audit:read', null)
      or (can_read_audit.organization_id is not null
          and app_hidden.user_has_permission(app_hidden.current_user_id(), 'audit:read', can_read_audit.organization_id))
$$;


ALTER FUNCTION app_hidden.can_read_audit(organization_id uuid) OWNER TO app_owner;

--
-- Name: FUNCTION can_read_audit(organization_id uuid); Type: COMMENT; Schema: app_hidden; Owner: app_owner
--

COMMENT ON FUNCTION app_hidden.can_read_audit(organization_id uuid) IS 'Whether the caller may read the audit events of an organisation (null: all events).';


--
-- Name: can_see_project(uuid); Type: FUNCTION; Schema: app_hidden; Owner: app_owner
--

CREATE FUNCTION app_hidden.can_see_project(project_id uuid) RETURNS boolean
    LANGUAGE sql STABLE SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
  select exists (
    select 1 from app_public.projects p
    where p.id = can_see_project.project_id
      and app_hidden.current_user_id() is not null
      and (p.visibility = 'public'
           or (p.visibility = 'internal' and app_hidden.user_has_permission(app_hidden.current_user_id(), 'projects:read', p.organization_id))
           or app_hidden.project_role(p.id) is not null)
  )
$$;


ALTER FUNCTION app_hidden.can_see_project(project_id uuid) OWNER TO app_owner;

--
-- Name: FUNCTION can_see_project(project_id uuid); Type: COMMENT; Schema: app_hidden; Owner: app_owner
--

COMMENT ON FUNCTION app_hidden.can_see_project(project_id uuid) IS 'Whether the caller may see a project (and its members and tasks).';


--
-- Name: can_write_project(uuid); Type: FUNCTION; Schema: app_hidden; Owner: app_owner
--

CREATE FUNCTION app_hidden.can_write_project(project_id uuid) RETURNS boolean
    LANGUAGE sql STABLE SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
  select exists (
    select 1 from app_public.projects p
    where p.id = can_write_project.project_id
      and app_hidden.project_role(p.id) is not null
      and app_hidden.user_has_permission(app_hidden.current_user_id(), 'projects:write', p.organization_id)
  )
$$;


ALTER FUNCTION app_hidden.can_write_project(project_id uuid) OWNER TO app_owner;

--
-- Name: FUNCTION can_write_project(project_id uuid); Type: COMMENT; Schema: app_hidden; Owner: app_owner
--

COMMENT ON FUNCTION app_hidden.can_write_project(project_id uuid) IS 'Whether the caller may create and change the tasks of a project.';


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
-- Name: current_organization_id(); Type: FUNCTION; Schema: app_hidden; Owner: app_owner
--

CREATE FUNCTION app_hidden.current_organization_id() RETURNS uuid
    LANGUAGE sql STABLE SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
  select s.organization_id
  from app_private.sessions s
  where s.id = app_hidden.current_session_id()
    and s.organization_id = nullif(pg_catalog.current_setting('jwt.claims.tid', true), '')::uuid
    and app_hidden.is_member(s.user_id, s.organization_id)
$$;


ALTER FUNCTION app_hidden.current_organization_id() OWNER TO app_owner;

--
-- Name: FUNCTION current_organization_id(); Type: COMMENT; Schema: app_hidden; Owner: app_owner
--

COMMENT ON FUNCTION app_hidden.current_organization_id() IS 'The organisation this request acts in (the token''s tid), while the membership is live; null for the personal context.';


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
-- Name: current_session_id(); Type: FUNCTION; Schema: app_hidden; Owner: app_owner
--

CREATE FUNCTION app_hidden.current_session_id() RETURNS uuid
    LANGUAGE sql STABLE SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
  select s.id
  from (select x.id, x.user_id, x.revoked_at, x.absolute_expires_at from app_private.sessions x
        where x.id = nullif(pg_catalog.current_setting('jwt.claims.sid', true), '')::uuid offset 0) s
  join app_public.users u on u.id = s.user_id
  where s.user_id = nullif(pg_catalog.current_setting('jwt.claims.sub', true), '')::uuid
    and s.revoked_at is null
    and s.absolute_expires_at > app_hidden.clock_now()
    and u.status = 'active'
    and u.deleted_at is null
$$;


ALTER FUNCTION app_hidden.current_session_id() OWNER TO app_owner;

--
-- Name: FUNCTION current_session_id(); Type: COMMENT; Schema: app_hidden; Owner: app_owner
--

COMMENT ON FUNCTION app_hidden.current_session_id() IS 'The caller''s session while it is live; null otherwise.';


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
  select case
    when app_hidden.current_session_id() is not null
      then nullif(pg_catalog.current_setting('jwt.claims.sub', true), '')::uuid
  end
$$;


ALTER FUNCTION app_hidden.current_user_id() OWNER TO app_owner;

--
-- Name: FUNCTION current_user_id(); Type: COMMENT; Schema: app_hidden; Owner: app_owner
--

COMMENT ON FUNCTION app_hidden.current_user_id() IS 'The id of the account making this request while its session is live; null for anonymous callers and ended sessions.';


--
-- Name: current_user_is_platform_admin(); Type: FUNCTION; Schema: app_hidden; Owner: app_owner
--

CREATE FUNCTION app_hidden.current_user_is_platform_admin() RETURNS boolean
    LANGUAGE sql STABLE SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
  select coalesce(app_hidden.user_has_permission(app_hidden.current_user_id(), 'settings:manage', null), false)
$$;


ALTER FUNCTION app_hidden.current_user_is_platform_admin() OWNER TO app_owner;

--
-- Name: FUNCTION current_user_is_platform_admin(); Type: COMMENT; Schema: app_hidden; Owner: app_owner
--

COMMENT ON FUNCTION app_hidden.current_user_is_platform_admin() IS 'Whether the caller may change system settings (settings:manage, globally).';


--
-- Name: due_erasures(integer); Type: FUNCTION; Schema: app_hidden; Owner: app_owner
--

CREATE FUNCTION app_hidden.due_erasures(batch integer DEFAULT 1000) RETURNS SETOF uuid
    LANGUAGE sql STABLE SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
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


ALTER FUNCTION app_hidden.due_erasures(batch integer) OWNER TO app_owner;

--
-- Name: FUNCTION due_erasures(batch integer); Type: COMMENT; Schema: app_hidden; Owner: app_owner
--

COMMENT ON FUNCTION app_hidden.due_erasures(batch integer) IS 'Accounts due for erasure (grace period over, or retention date passed).';


--
-- Name: encrypt_personal(uuid, text); Type: FUNCTION; Schema: app_hidden; Owner: app_owner
--

CREATE FUNCTION app_hidden.encrypt_personal(owner_id uuid, value text) RETURNS bytea
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
declare
  v_key app_private.encryption_keys;
  v_digest text;
  v_last jsonb;
  v_ciphertext bytea;
begin
  if encrypt_personal.value is null then
    return null;
  end if;
  /* Their own key (one lookup by the unique user_id), else the newest system key (app_hidden.encryption_key_for). */
  select k.* into v_key from app_private.encryption_keys k
  where k.user_id = encrypt_personal.owner_id and k.destroyed_at is null;
  if not found then
    v_key := app_hidden.encryption_key_for(null);
    if v_key.public_key is null then
      return null;
    end if;
    if encrypt_personal.owner_id is not null
       and not exists (select 1 from app_private.users_awaiting_key w where w.user_id = encrypt_personal.owner_id)
       and exists (select 1 from app_public.users u where u.id = encrypt_personal.owner_id and u.erased_at is null) then
      insert into app_private.users_awaiting_key (user_id) values (encrypt_personal.owner_id) on conflict do nothing;
      perform graphile_worker.add_job('keys__replenish', '{}'::json, job_key => 'keys__replenish', job_key_mode => 'preserve_run_at');
    end if;
  end if;

  v_digest := encode(sha256(convert_to(encrypt_personal.value, 'UTF8')), 'hex');
  v_last := nullif(current_setting('gatehouse.last_personal_ciphertext', true), '')::jsonb;
  if v_last ->> 'key' = v_key.pgp_key_id and v_last ->> 'digest' = v_digest then
    v_ciphertext := decode(v_last ->> 'ciphertext', 'base64');
    if extensions.pgp_key_id(v_ciphertext) = v_key.pgp_key_id then
      return v_ciphertext;
    end if;
  end if;
  v_ciphertext := extensions.pgp_pub_encrypt(encrypt_personal.value, v_key.public_key, 'cipher-algo=aes256, compress-algo=0');
  perform set_config('gatehouse.last_personal_ciphertext',
    jsonb_build_object('key', v_key.pgp_key_id, 'digest', v_digest, 'ciphertext', encode(v_ciphertext, 'base64'))::text, true);
  return v_ciphertext;
end;
$$;


ALTER FUNCTION app_hidden.encrypt_personal(owner_id uuid, value text) OWNER TO app_owner;

--
-- Name: FUNCTION encrypt_personal(owner_id uuid, value text); Type: COMMENT; Schema: app_hidden; Owner: app_owner
--

COMMENT ON FUNCTION app_hidden.encrypt_personal(owner_id uuid, value text) IS 'Personal data about a person, encrypted to their key (AES-256 data, RSA-wrapped session key); the same value to the same key gets the same ciphertext within a transaction.';


--
-- Name: encrypted_json(bytea); Type: FUNCTION; Schema: app_hidden; Owner: app_owner
--

CREATE FUNCTION app_hidden.encrypted_json(ciphertext bytea) RETURNS jsonb
    LANGUAGE sql IMMUTABLE
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $_$
  select case when ciphertext is not null then jsonb_build_object('$encrypted', encode(ciphertext, 'base64')) end
$_$;


ALTER FUNCTION app_hidden.encrypted_json(ciphertext bytea) OWNER TO app_owner;

--
-- Name: FUNCTION encrypted_json(ciphertext bytea); Type: COMMENT; Schema: app_hidden; Owner: app_owner
--

COMMENT ON FUNCTION app_hidden.encrypted_json(ciphertext bytea) IS 'An encrypted value as a JSON marker for the gateway to decrypt.';


--
-- Name: encryption_key_demand(integer); Type: FUNCTION; Schema: app_hidden; Owner: app_owner
--

CREATE FUNCTION app_hidden.encryption_key_demand(batch integer DEFAULT 100) RETURNS TABLE(system_key_needed boolean, spare_keys_needed integer, users_without_key uuid[])
    LANGUAGE sql STABLE SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
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


ALTER FUNCTION app_hidden.encryption_key_demand(batch integer) OWNER TO app_owner;

--
-- Name: FUNCTION encryption_key_demand(batch integer); Type: COMMENT; Schema: app_hidden; Owner: app_owner
--

COMMENT ON FUNCTION app_hidden.encryption_key_demand(batch integer) IS 'How many keys the worker should make: a system key, spare user keys, keys for accounts that have none.';


SET default_tablespace = '';

SET default_table_access_method = heap;

--
-- Name: encryption_keys; Type: TABLE; Schema: app_private; Owner: app_owner
--

CREATE TABLE app_private.encryption_keys (
    key_id uuid NOT NULL,
    pgp_key_id text NOT NULL,
    public_key bytea NOT NULL,
    purpose text NOT NULL,
    user_id uuid,
    created_at timestamp with time zone DEFAULT app_hidden.clock_now() NOT NULL,
    assigned_at timestamp with time zone,
    destroyed_at timestamp with time zone,
    CONSTRAINT encryption_keys_check CHECK (((purpose = 'user'::text) OR (user_id IS NULL))),
    CONSTRAINT encryption_keys_check1 CHECK (((user_id IS NULL) = (assigned_at IS NULL))),
    CONSTRAINT encryption_keys_pgp_key_id_check CHECK ((pgp_key_id ~ '^[0-9A-F]{16}$'::text)),
    CONSTRAINT encryption_keys_purpose_check CHECK ((purpose = ANY (ARRAY['user'::text, 'system'::text])))
);


ALTER TABLE app_private.encryption_keys OWNER TO app_owner;

--
-- Name: TABLE encryption_keys; Type: COMMENT; Schema: app_private; Owner: app_owner
--

COMMENT ON TABLE app_private.encryption_keys IS 'OpenPGP public keys personal data is encrypted to: one per account (spares wait with no user), and system keys for events about nobody. The private halves are in the key store; destroyed_at: shredded there.';


--
-- Name: COLUMN encryption_keys.pgp_key_id; Type: COMMENT; Schema: app_private; Owner: app_owner
--

COMMENT ON COLUMN app_private.encryption_keys.pgp_key_id IS 'The OpenPGP key id of the encryption subkey, as pgp_key_id() reads it from a message.';


--
-- Name: encryption_key_for(uuid); Type: FUNCTION; Schema: app_hidden; Owner: app_owner
--

CREATE FUNCTION app_hidden.encryption_key_for(owner_id uuid) RETURNS app_private.encryption_keys
    LANGUAGE sql STABLE SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
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


ALTER FUNCTION app_hidden.encryption_key_for(owner_id uuid) OWNER TO app_owner;

--
-- Name: FUNCTION encryption_key_for(owner_id uuid); Type: COMMENT; Schema: app_hidden; Owner: app_owner
--

COMMENT ON FUNCTION app_hidden.encryption_key_for(owner_id uuid) IS 'The key personal data about a person is encrypted to: theirs, or the current system key when they have none.';


--
-- Name: expire_auth_records(integer); Type: FUNCTION; Schema: app_hidden; Owner: app_owner
--

CREATE FUNCTION app_hidden.expire_auth_records(batch_size integer DEFAULT 1000) RETURNS integer
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
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


ALTER FUNCTION app_hidden.expire_auth_records(batch_size integer) OWNER TO app_owner;

--
-- Name: FUNCTION expire_auth_records(batch_size integer); Type: COMMENT; Schema: app_hidden; Owner: app_owner
--

COMMENT ON FUNCTION app_hidden.expire_auth_records(batch_size integer) IS 'Deletes one bounded batch of each kind of expired authentication record; returns how many rows it deleted.';


--
-- Name: finish_erasure(uuid, uuid[]); Type: FUNCTION; Schema: app_hidden; Owner: app_owner
--

CREATE FUNCTION app_hidden.finish_erasure(user_id uuid, destroyed_key_ids uuid[]) RETURNS integer
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
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


ALTER FUNCTION app_hidden.finish_erasure(user_id uuid, destroyed_key_ids uuid[]) OWNER TO app_owner;

--
-- Name: FUNCTION finish_erasure(user_id uuid, destroyed_key_ids uuid[]); Type: COMMENT; Schema: app_hidden; Owner: app_owner
--

COMMENT ON FUNCTION app_hidden.finish_erasure(user_id uuid, destroyed_key_ids uuid[]) IS 'Marks an erased account''s keys destroyed once the key store no longer holds them, and audits the erasure.';


--
-- Name: holds_role_permissions(uuid, uuid, uuid); Type: FUNCTION; Schema: app_hidden; Owner: app_owner
--

CREATE FUNCTION app_hidden.holds_role_permissions(user_id uuid, role_id uuid, organization_id uuid) RETURNS boolean
    LANGUAGE sql STABLE SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
  select not exists (
    select rp.permission
    from app_private.role_ancestors ra
    join app_public.role_permissions rp on rp.role_id = ra.ancestor_id
    where ra.role_id = holds_role_permissions.role_id
    except
    select p from app_hidden.user_permissions(holds_role_permissions.user_id, holds_role_permissions.organization_id) p
  )
$$;


ALTER FUNCTION app_hidden.holds_role_permissions(user_id uuid, role_id uuid, organization_id uuid) OWNER TO app_owner;

--
-- Name: FUNCTION holds_role_permissions(user_id uuid, role_id uuid, organization_id uuid); Type: COMMENT; Schema: app_hidden; Owner: app_owner
--

COMMENT ON FUNCTION app_hidden.holds_role_permissions(user_id uuid, role_id uuid, organization_id uuid) IS 'Whether a user holds every permission of a role (and its ancestors) in an organisation.';


--
-- Name: is_member(uuid, uuid); Type: FUNCTION; Schema: app_hidden; Owner: app_owner
--

CREATE FUNCTION app_hidden.is_member(user_id uuid, organization_id uuid) RETURNS boolean
    LANGUAGE sql STABLE SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
  select exists (
    select 1 from app_public.memberships m
    where m.user_id = is_member.user_id and m.organization_id = is_member.organization_id and m.status = 'active'
  )
$$;


ALTER FUNCTION app_hidden.is_member(user_id uuid, organization_id uuid) OWNER TO app_owner;

--
-- Name: FUNCTION is_member(user_id uuid, organization_id uuid); Type: COMMENT; Schema: app_hidden; Owner: app_owner
--

COMMENT ON FUNCTION app_hidden.is_member(user_id uuid, organization_id uuid) IS 'Whether a user is an active member of an organisation.';


--
-- Name: issue_email_change_token(uuid, bytea); Type: FUNCTION; Schema: app_hidden; Owner: app_owner
--

CREATE FUNCTION app_hidden.issue_email_change_token(change_id uuid, token_hash bytea) RETURNS TABLE(email text, username text, display_name text, expires_at timestamp with time zone)
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
begin
  return query
  update app_private.email_changes c
     set token_hash = issue_email_change_token.token_hash,
         token_expires_at = app_hidden.clock_now() + config.setting_interval('auth.email_change_token_ttl')
    from app_public.users u
   where c.id = issue_email_change_token.change_id
     and c.used_at is null
     and u.id = c.user_id
     and u.email = c.old_email
     and u.deleted_at is null
  returning c.new_email::text, u.username::text, u.display_name, c.token_expires_at;
end;
$$;


ALTER FUNCTION app_hidden.issue_email_change_token(change_id uuid, token_hash bytea) OWNER TO app_owner;

--
-- Name: FUNCTION issue_email_change_token(change_id uuid, token_hash bytea); Type: COMMENT; Schema: app_hidden; Owner: app_owner
--

COMMENT ON FUNCTION app_hidden.issue_email_change_token(change_id uuid, token_hash bytea) IS 'Stores the hash of an email-change token minted by the worker and returns the new address to mail it to.';


--
-- Name: issue_invitation_token(uuid, bytea); Type: FUNCTION; Schema: app_hidden; Owner: app_owner
--

CREATE FUNCTION app_hidden.issue_invitation_token(invitation_id uuid, token_hash bytea) RETURNS TABLE(email text, organization_name text, invited_by text, expires_at timestamp with time zone)
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
begin
  if not exists (select 1 from app_public.invitations i
                 where i.id = issue_invitation_token.invitation_id and i.accepted_at is null
                   and i.expires_at > app_hidden.clock_now()) then
    return;
  end if;
  insert into app_private.invitation_tokens (invitation_id, token_hash)
  values (issue_invitation_token.invitation_id, issue_invitation_token.token_hash)
  on conflict on constraint invitation_tokens_pkey do update set token_hash = excluded.token_hash;
  return query
  select i.email::text, o.name, coalesce(u.display_name, u.username::text, 'Someone'), i.expires_at
  from app_public.invitations i
  join app_public.organizations o on o.id = i.organization_id
  left join app_public.users u on u.id = i.invited_by
  where i.id = issue_invitation_token.invitation_id;
end;
$$;


ALTER FUNCTION app_hidden.issue_invitation_token(invitation_id uuid, token_hash bytea) OWNER TO app_owner;

--
-- Name: FUNCTION issue_invitation_token(invitation_id uuid, token_hash bytea); Type: COMMENT; Schema: app_hidden; Owner: app_owner
--

COMMENT ON FUNCTION app_hidden.issue_invitation_token(invitation_id uuid, token_hash bytea) IS 'Stores the hash of an invitation token minted by the worker and says where and what to mail.';


--
-- Name: issue_password_reset_token(uuid, bytea); Type: FUNCTION; Schema: app_hidden; Owner: app_owner
--

CREATE FUNCTION app_hidden.issue_password_reset_token(reset_id uuid, token_hash bytea) RETURNS TABLE(email text, username text, display_name text, expires_at timestamp with time zone, requested_at timestamp with time zone, requested_from bytea)
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
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


ALTER FUNCTION app_hidden.issue_password_reset_token(reset_id uuid, token_hash bytea) OWNER TO app_owner;

--
-- Name: FUNCTION issue_password_reset_token(reset_id uuid, token_hash bytea); Type: COMMENT; Schema: app_hidden; Owner: app_owner
--

COMMENT ON FUNCTION app_hidden.issue_password_reset_token(reset_id uuid, token_hash bytea) IS 'Stores the hash of a password reset token minted by the worker and says where to mail it.';


--
-- Name: issue_unsubscribe_token(uuid, uuid, bytea); Type: FUNCTION; Schema: app_hidden; Owner: app_owner
--

CREATE FUNCTION app_hidden.issue_unsubscribe_token(message_id uuid, user_id uuid, token_hash bytea) RETURNS timestamp with time zone
    LANGUAGE sql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
  insert into app_private.marketing_deliveries as d (message_id, user_id, token_hash, token_expires_at)
  values (issue_unsubscribe_token.message_id, issue_unsubscribe_token.user_id, issue_unsubscribe_token.token_hash,
          app_hidden.clock_now() + config.setting_interval('marketing.unsubscribe_link_ttl'))
  on conflict (message_id, user_id) do update
    set token_hash = excluded.token_hash, token_expires_at = excluded.token_expires_at
    where d.sent_at is null
  returning d.token_expires_at
$$;


ALTER FUNCTION app_hidden.issue_unsubscribe_token(message_id uuid, user_id uuid, token_hash bytea) OWNER TO app_owner;

--
-- Name: FUNCTION issue_unsubscribe_token(message_id uuid, user_id uuid, token_hash bytea); Type: COMMENT; Schema: app_hidden; Owner: app_owner
--

COMMENT ON FUNCTION app_hidden.issue_unsubscribe_token(message_id uuid, user_id uuid, token_hash bytea) IS 'Records a marketing delivery with the hash of its unsubscribe token; null when that mail was sent already.';


--
-- Name: issue_verification_token(uuid, bytea); Type: FUNCTION; Schema: app_hidden; Owner: app_owner
--

CREATE FUNCTION app_hidden.issue_verification_token(verification_id uuid, token_hash bytea) RETURNS TABLE(email text, username text, display_name text, expires_at timestamp with time zone)
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
begin
  return query
  update app_private.email_verifications v
     set token_hash = issue_verification_token.token_hash,
         token_expires_at = app_hidden.clock_now() + config.setting_interval('auth.verification_token_ttl')
    from app_public.users u
   where v.id = issue_verification_token.verification_id
     and v.used_at is null
     and u.id = v.user_id
     and u.email = v.email
     and not u.email_verified
     and u.deleted_at is null
  returning u.email::text, u.username::text, u.display_name, v.token_expires_at;
end;
$$;


ALTER FUNCTION app_hidden.issue_verification_token(verification_id uuid, token_hash bytea) OWNER TO app_owner;

--
-- Name: FUNCTION issue_verification_token(verification_id uuid, token_hash bytea); Type: COMMENT; Schema: app_hidden; Owner: app_owner
--

COMMENT ON FUNCTION app_hidden.issue_verification_token(verification_id uuid, token_hash bytea) IS 'Stores the hash of a verification token minted by the worker and says where to mail it.';


--
-- Name: mail_recipient(uuid); Type: FUNCTION; Schema: app_hidden; Owner: app_owner
--

CREATE FUNCTION app_hidden.mail_recipient(user_id uuid) RETURNS TABLE(email text, username text, display_name text)
    LANGUAGE sql STABLE SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
  select u.email::text, u.username::text, u.display_name
  from app_public.users u
  where u.id = mail_recipient.user_id and u.deleted_at is null
$$;


ALTER FUNCTION app_hidden.mail_recipient(user_id uuid) OWNER TO app_owner;

--
-- Name: FUNCTION mail_recipient(user_id uuid); Type: COMMENT; Schema: app_hidden; Owner: app_owner
--

COMMENT ON FUNCTION app_hidden.mail_recipient(user_id uuid) IS 'Where the worker sends an account''s notifications; no row once it is deleted.';


--
-- Name: mail_recipient(uuid, text); Type: FUNCTION; Schema: app_hidden; Owner: app_owner
--

CREATE FUNCTION app_hidden.mail_recipient(user_id uuid, purpose text) RETURNS TABLE(email text, username text, display_name text)
    LANGUAGE plpgsql STABLE SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
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


ALTER FUNCTION app_hidden.mail_recipient(user_id uuid, purpose text) OWNER TO app_owner;

--
-- Name: FUNCTION mail_recipient(user_id uuid, purpose text); Type: COMMENT; Schema: app_hidden; Owner: app_owner
--

COMMENT ON FUNCTION app_hidden.mail_recipient(user_id uuid, purpose text) IS 'Where to send mail for a purpose that needs consent (marketing): a row only while the newest consent for it is granted.';


--
-- Name: mark_marketing_sent(uuid, uuid); Type: FUNCTION; Schema: app_hidden; Owner: app_owner
--

CREATE FUNCTION app_hidden.mark_marketing_sent(message_id uuid, user_id uuid) RETURNS void
    LANGUAGE sql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
  update app_private.marketing_deliveries d set sent_at = app_hidden.clock_now()
  where d.message_id = mark_marketing_sent.message_id and d.user_id = mark_marketing_sent.user_id and d.sent_at is null
$$;


ALTER FUNCTION app_hidden.mark_marketing_sent(message_id uuid, user_id uuid) OWNER TO app_owner;

--
-- Name: FUNCTION mark_marketing_sent(message_id uuid, user_id uuid); Type: COMMENT; Schema: app_hidden; Owner: app_owner
--

COMMENT ON FUNCTION app_hidden.mark_marketing_sent(message_id uuid, user_id uuid) IS 'Records that a marketing mail was handed to the mail server.';


--
-- Name: marketing_message(uuid); Type: FUNCTION; Schema: app_hidden; Owner: app_owner
--

CREATE FUNCTION app_hidden.marketing_message(message_id uuid) RETURNS TABLE(subject text, body text)
    LANGUAGE sql STABLE SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
  select m.subject, m.body from app_private.marketing_messages m where m.id = marketing_message.message_id
$$;


ALTER FUNCTION app_hidden.marketing_message(message_id uuid) OWNER TO app_owner;

--
-- Name: FUNCTION marketing_message(message_id uuid); Type: COMMENT; Schema: app_hidden; Owner: app_owner
--

COMMENT ON FUNCTION app_hidden.marketing_message(message_id uuid) IS 'The subject and body of a marketing message, for the job that sends it.';


--
-- Name: personal_data_document(uuid); Type: FUNCTION; Schema: app_hidden; Owner: app_owner
--

CREATE FUNCTION app_hidden.personal_data_document(user_id uuid) RETURNS jsonb
    LANGUAGE sql STABLE SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
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


ALTER FUNCTION app_hidden.personal_data_document(user_id uuid) OWNER TO app_owner;

--
-- Name: FUNCTION personal_data_document(user_id uuid); Type: COMMENT; Schema: app_hidden; Owner: app_owner
--

COMMENT ON FUNCTION app_hidden.personal_data_document(user_id uuid) IS 'Everything held about a person, one section per table; encrypted values as {"$encrypted": base64} for the gateway to decrypt.';


--
-- Name: phone_lookup(text); Type: FUNCTION; Schema: app_hidden; Owner: app_owner
--

CREATE FUNCTION app_hidden.phone_lookup(phone text) RETURNS bytea
    LANGUAGE plpgsql STABLE
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $_$
declare
  v_digest text := nullif(current_setting('gatehouse.phone_lookups', true), '')::jsonb ->> phone_lookup.phone;
begin
  if v_digest is null or v_digest !~ '^[0-9a-f]{64}$' then
    raise exception 'Phone numbers cannot be handled right now.' using errcode = 'NOKEY',
      hint = 'The gateway did not index this number; call through the API.';
  end if;
  return decode(v_digest, 'hex');
end;
$_$;


ALTER FUNCTION app_hidden.phone_lookup(phone text) OWNER TO app_owner;

--
-- Name: FUNCTION phone_lookup(phone text); Type: COMMENT; Schema: app_hidden; Owner: app_owner
--

COMMENT ON FUNCTION app_hidden.phone_lookup(phone text) IS 'The blind index (keyed HMAC, computed by the gateway) of an E.164 phone number in the current request.';


--
-- Name: project_role(uuid); Type: FUNCTION; Schema: app_hidden; Owner: app_owner
--

CREATE FUNCTION app_hidden.project_role(project_id uuid) RETURNS text
    LANGUAGE sql STABLE SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
  select pm.role
  from app_public.project_members pm
  join app_public.projects p on p.id = pm.project_id
  where pm.project_id = project_role.project_id
    and pm.user_id = app_hidden.current_user_id()
    and app_hidden.is_member(pm.user_id, p.organization_id)
$$;


ALTER FUNCTION app_hidden.project_role(project_id uuid) OWNER TO app_owner;

--
-- Name: FUNCTION project_role(project_id uuid); Type: COMMENT; Schema: app_hidden; Owner: app_owner
--

COMMENT ON FUNCTION app_hidden.project_role(project_id uuid) IS 'Your role in a project (owner, member), or null.';


--
-- Name: purge_login_throttles(integer); Type: FUNCTION; Schema: app_hidden; Owner: app_owner
--

CREATE FUNCTION app_hidden.purge_login_throttles(batch_size integer DEFAULT 10000) RETURNS integer
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
declare
  v_now timestamptz := app_hidden.clock_now();
  v_oldest_window interval;
  v_hits integer;
  v_attempts integer;
  v_reservations integer;
begin
  select max((s.value #>> '{}')::interval) into v_oldest_window
  from config.system_settings s where s.key like 'rate_limit.%.window';
  delete from app_private.rate_limit_hits h
   where h.id in (select x.id from app_private.rate_limit_hits x
                  where x.hit_at < v_now - coalesce(v_oldest_window, interval '1 day')
                  order by x.hit_at limit batch_size for update skip locked);
  get diagnostics v_hits = row_count;
  delete from app_private.login_attempts a
   where a.key in (select x.key from app_private.login_attempts x
                   where (x.locked_until is null or x.locked_until < v_now)
                     and x.last_failure_at < v_now - config.setting_interval('auth.lockout_max_duration')
                   limit batch_size for update skip locked);
  get diagnostics v_attempts = row_count;
  /* Reservations never taken over (a gateway that died mid-login) count as failures only within the window. */
  delete from app_private.login_reservations r
   where r.id in (select x.id from app_private.login_reservations x
                  where x.created_at < v_now - coalesce(v_oldest_window, interval '1 day')
                  limit batch_size for update skip locked);
  get diagnostics v_reservations = row_count;
  return v_hits + v_attempts + v_reservations;
end;
$$;


ALTER FUNCTION app_hidden.purge_login_throttles(batch_size integer) OWNER TO app_owner;

--
-- Name: FUNCTION purge_login_throttles(batch_size integer); Type: COMMENT; Schema: app_hidden; Owner: app_owner
--

COMMENT ON FUNCTION app_hidden.purge_login_throttles(batch_size integer) IS 'Deletes expired rate-limit hits and stale lockout rows in one bounded batch; returns how many it deleted.';


--
-- Name: reserve_login(text, uuid); Type: FUNCTION; Schema: app_hidden; Owner: app_owner
--

CREATE FUNCTION app_hidden.reserve_login(identifier text, attempt_id uuid DEFAULT NULL::uuid) RETURNS app_public.login_result
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'extensions', 'pg_temp'
    AS $$
declare
  v_identifier citext := btrim(reserve_login.identifier);
  v_attempt_id uuid := coalesce(reserve_login.attempt_id,
                                nullif(pg_catalog.current_setting('request.attempt_id', true), '')::uuid);
  v_now timestamptz := app_hidden.clock_now();
  v_ip_bucket text := app_private.bucket_hash(app_private.client_ip_bucket('login_failure'));
  v_window interval := config.setting_interval('rate_limit.login_failures_per_client_ip.window');
  v_count integer;
  v_oldest timestamptz;
  v_retry integer;
  v_user_id uuid;
  v_event constant text := 'auth.login';
  v_personal jsonb := jsonb_build_object('identifier', left(v_identifier::text, 254));
begin
  if v_attempt_id is null then
    raise exception 'A login reservation needs the request attempt id.' using errcode = 'INVAL',
      hint = 'The gateway sets request.attempt_id for every request.';
  end if;

  perform pg_advisory_xact_lock(hashtextextended('login_reservation:' || v_ip_bucket, 0));
  select count(*), min(x.at) into v_count, v_oldest from (
    select h.hit_at as at from app_private.rate_limit_hits h
     where h.bucket = v_ip_bucket and h.hit_at > v_now - v_window
    union all
    select r.created_at from app_private.login_reservations r
     where r.client_ip_bucket = v_ip_bucket and r.created_at > v_now - v_window
  ) x;
  if v_count >= config.setting_integer('rate_limit.login_failures_per_client_ip.max') then
    v_retry := greatest(1, ceil(extract(epoch from v_oldest + v_window - v_now)))::integer;
    return app_private.refuse(null::app_public.login_result, v_event, 'LIMIT',
      format('Too many failed logins from your network: try again in %s seconds.', v_retry),
      reason => 'client_ip_limit', retry_after => v_retry, personal_values => v_personal);
  end if;

  v_retry := app_private.rate_limit_hit('login:identifier:' || lower(left(coalesce(v_identifier::text, ''), 254)),
    config.setting_integer('rate_limit.login_per_identifier.max'),
    config.setting_interval('rate_limit.login_per_identifier.window'));
  if v_retry is not null then
    return app_private.refuse(null::app_public.login_result, v_event, 'LIMIT',
      format('Too many login attempts: try again in %s seconds.', v_retry),
      reason => 'identifier_limit', retry_after => v_retry, personal_values => v_personal);
  end if;

  if length(v_identifier) <= 254 then
    select u.id into v_user_id from app_public.users u
    where (u.email = v_identifier or u.username = v_identifier) and u.deleted_at is null
    order by (u.email = v_identifier) desc
    limit 1;
  end if;

  insert into app_private.login_reservations (attempt_id, client_ip_bucket, attempt_key, user_id, created_at, expires_at)
  values (v_attempt_id, v_ip_bucket, app_private.login_attempt_key(v_user_id, v_identifier::text), v_user_id, v_now,
          v_now + config.setting_interval('auth.login_reservation_ttl'));
  return null;
end;
$$;


ALTER FUNCTION app_hidden.reserve_login(identifier text, attempt_id uuid) OWNER TO app_owner;

--
-- Name: FUNCTION reserve_login(identifier text, attempt_id uuid); Type: COMMENT; Schema: app_hidden; Owner: app_owner
--

COMMENT ON FUNCTION app_hidden.reserve_login(identifier text, attempt_id uuid) IS 'First transaction of a login: limits and lockout checked, the attempt reserved; null when reserved, else the refusal.';


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
-- Name: tg__timestamps(); Type: FUNCTION; Schema: app_hidden; Owner: app_owner
--

CREATE FUNCTION app_hidden.tg__timestamps() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
begin
  new.created_at := case when tg_op = 'INSERT' then app_hidden.clock_now() else old.created_at end;
  new.updated_at := case
    when tg_op = 'UPDATE' and old.updated_at >= app_hidden.clock_now() then old.updated_at + interval '1 millisecond'
    else app_hidden.clock_now()
  end;
  return new;
end;
$$;


ALTER FUNCTION app_hidden.tg__timestamps() OWNER TO app_owner;

--
-- Name: FUNCTION tg__timestamps(); Type: COMMENT; Schema: app_hidden; Owner: app_owner
--

COMMENT ON FUNCTION app_hidden.tg__timestamps() IS 'Sets created_at on insert and updated_at on every write.';


--
-- Name: unsubscribe(text); Type: FUNCTION; Schema: app_hidden; Owner: app_owner
--

CREATE FUNCTION app_hidden.unsubscribe(token text) RETURNS app_public.outcome
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
declare
  v_event constant text := 'consent.withdraw';
  v_delivery app_private.marketing_deliveries;
  v_version text;
begin
  update app_private.marketing_deliveries d set token_used_at = app_hidden.clock_now()
   where d.token_hash = app_private.link_token_hash(unsubscribe.token)
     and d.token_used_at is null
     and d.token_expires_at > app_hidden.clock_now()
  returning d.* into v_delivery;
  if v_delivery.user_id is null then
    return app_private.refuse(null::app_public.outcome, v_event, 'LINKX',
      'This unsubscribe link is not valid: it may have been used already or have expired.',
      details => jsonb_build_object('purpose', 'marketing', 'via', 'unsubscribe_link'));
  end if;
  select c.version into v_version from app_private.consents c
   where c.user_id = v_delivery.user_id and c.purpose = 'marketing'
   order by c.recorded_at desc, c.id desc limit 1;
  perform app_private.append_consent(v_delivery.user_id, 'marketing', coalesce(v_version, 'unknown'), false,
    jsonb_build_object('via', 'unsubscribe_link', 'message_id', v_delivery.message_id));
  return row(true, null, null, null)::app_public.outcome;
end;
$$;


ALTER FUNCTION app_hidden.unsubscribe(token text) OWNER TO app_owner;

--
-- Name: FUNCTION unsubscribe(token text); Type: COMMENT; Schema: app_hidden; Owner: app_owner
--

COMMENT ON FUNCTION app_hidden.unsubscribe(token text) IS 'Withdraws the marketing consent of the account a one-click unsubscribe token was sent to (once, without signing in).';


--
-- Name: user_has_permission(uuid, text, uuid); Type: FUNCTION; Schema: app_hidden; Owner: app_owner
--

CREATE FUNCTION app_hidden.user_has_permission(user_id uuid, permission text, organization_id uuid) RETURNS boolean
    LANGUAGE sql STABLE SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
  select exists (
    select 1
    from app_public.user_roles ur
    join app_private.role_ancestors ra on ra.role_id = ur.role_id
    join app_public.role_permissions rp on rp.role_id = ra.ancestor_id and rp.permission = user_has_permission.permission
    where ur.user_id = user_has_permission.user_id
      and (ur.expires_at is null or ur.expires_at > app_hidden.clock_now())
      and (ur.organization_id is null
           or (ur.organization_id = user_has_permission.organization_id
               and app_hidden.is_member(user_has_permission.user_id, user_has_permission.organization_id)))
  )
$$;


ALTER FUNCTION app_hidden.user_has_permission(user_id uuid, permission text, organization_id uuid) OWNER TO app_owner;

--
-- Name: FUNCTION user_has_permission(user_id uuid, permission text, organization_id uuid); Type: COMMENT; Schema: app_hidden; Owner: app_owner
--

COMMENT ON FUNCTION app_hidden.user_has_permission(user_id uuid, permission text, organization_id uuid) IS 'Whether a user holds a permission in an organisation (null: global grants only), through any role and its ancestors.';


--
-- Name: user_key_assigned(uuid); Type: FUNCTION; Schema: app_hidden; Owner: app_owner
--

CREATE FUNCTION app_hidden.user_key_assigned(user_id uuid) RETURNS boolean
    LANGUAGE sql STABLE SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
  select exists (select 1 from app_private.encryption_keys k
                 where k.user_id = user_key_assigned.user_id and k.destroyed_at is null)
$$;


ALTER FUNCTION app_hidden.user_key_assigned(user_id uuid) OWNER TO app_owner;

--
-- Name: FUNCTION user_key_assigned(user_id uuid); Type: COMMENT; Schema: app_hidden; Owner: app_owner
--

COMMENT ON FUNCTION app_hidden.user_key_assigned(user_id uuid) IS 'Whether the person has a live encryption key of their own.';


--
-- Name: user_permissions(uuid, uuid); Type: FUNCTION; Schema: app_hidden; Owner: app_owner
--

CREATE FUNCTION app_hidden.user_permissions(user_id uuid, organization_id uuid) RETURNS SETOF text
    LANGUAGE sql STABLE SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
  select distinct rp.permission
  from app_public.user_roles ur
  join app_private.role_ancestors ra on ra.role_id = ur.role_id
  join app_public.role_permissions rp on rp.role_id = ra.ancestor_id
  where ur.user_id = user_permissions.user_id
    and (ur.expires_at is null or ur.expires_at > app_hidden.clock_now())
    and (ur.organization_id is null
         or (ur.organization_id = user_permissions.organization_id
             and app_hidden.is_member(user_permissions.user_id, user_permissions.organization_id)))
$$;


ALTER FUNCTION app_hidden.user_permissions(user_id uuid, organization_id uuid) OWNER TO app_owner;

--
-- Name: FUNCTION user_permissions(user_id uuid, organization_id uuid); Type: COMMENT; Schema: app_hidden; Owner: app_owner
--

COMMENT ON FUNCTION app_hidden.user_permissions(user_id uuid, organization_id uuid) IS 'Every permission a user holds in an organisation.';


--
-- Name: user_personal_ciphertext(uuid, text); Type: FUNCTION; Schema: app_hidden; Owner: app_owner
--

CREATE FUNCTION app_hidden.user_personal_ciphertext(user_id uuid, field text) RETURNS bytea
    LANGUAGE sql STABLE SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
  select case user_personal_ciphertext.field when 'phone' then p.phone when 'date_of_birth' then p.date_of_birth end
  from app_private.user_personal_data p
  where p.user_id = user_personal_ciphertext.user_id
    and app_hidden.can_read_account(user_personal_ciphertext.user_id)
$$;


ALTER FUNCTION app_hidden.user_personal_ciphertext(user_id uuid, field text) OWNER TO app_owner;

--
-- Name: FUNCTION user_personal_ciphertext(user_id uuid, field text); Type: COMMENT; Schema: app_hidden; Owner: app_owner
--

COMMENT ON FUNCTION app_hidden.user_personal_ciphertext(user_id uuid, field text) IS 'An encrypted personal field (phone, date_of_birth) of an account the caller may read; null otherwise.';


--
-- Name: user_search_document(text, text, text, text, text); Type: FUNCTION; Schema: app_hidden; Owner: app_owner
--

CREATE FUNCTION app_hidden.user_search_document(username text, email text, first_name text, last_name text, display_name text) RETURNS tsvector
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    AS $$
  select pg_catalog.to_tsvector('pg_catalog.simple'::pg_catalog.regconfig,
    app_hidden.user_search_words(user_search_document.username) || ' ' ||
    app_hidden.user_search_words(pg_catalog.split_part(coalesce(user_search_document.email, ''), '@', 1)) || ' ' ||
    app_hidden.user_search_words(user_search_document.first_name) || ' ' ||
    app_hidden.user_search_words(user_search_document.last_name) || ' ' ||
    app_hidden.user_search_words(user_search_document.display_name))
$$;


ALTER FUNCTION app_hidden.user_search_document(username text, email text, first_name text, last_name text, display_name text) OWNER TO app_owner;

--
-- Name: FUNCTION user_search_document(username text, email text, first_name text, last_name text, display_name text); Type: COMMENT; Schema: app_hidden; Owner: app_owner
--

COMMENT ON FUNCTION app_hidden.user_search_document(username text, email text, first_name text, last_name text, display_name text) IS 'The searchable words of an account (username, email local part, names), indexed by users_search_idx.';


--
-- Name: user_search_query(text); Type: FUNCTION; Schema: app_hidden; Owner: app_owner
--

CREATE FUNCTION app_hidden.user_search_query(query text) RETURNS tsquery
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
    AS $$
  with w as (
    select t.lexeme, (select pg_catalog.max(p) from pg_catalog.unnest(t.positions) as p) as last_at
    from pg_catalog.unnest(pg_catalog.to_tsvector('pg_catalog.simple'::pg_catalog.regconfig, app_hidden.user_search_words(
           case when pg_catalog.strpos(user_search_query.query, '@') > 0
                then pg_catalog.split_part(user_search_query.query, '@', 1) else user_search_query.query end))) as t
  )
  select pg_catalog.to_tsquery('pg_catalog.simple'::pg_catalog.regconfig, pg_catalog.string_agg(
           pg_catalog.quote_literal(w.lexeme)
           || case when w.last_at = (select pg_catalog.max(l.last_at) from w as l) and pg_catalog.length(w.lexeme) >= 3
                   then ':*' else '' end, ' & '))
  from w
$$;


ALTER FUNCTION app_hidden.user_search_query(query text) OWNER TO app_owner;

--
-- Name: FUNCTION user_search_query(query text); Type: COMMENT; Schema: app_hidden; Owner: app_owner
--

COMMENT ON FUNCTION app_hidden.user_search_query(query text) IS 'A user search as typed, made a tsquery: all words, the last one also as a prefix from three characters.';


--
-- Name: user_search_words(text); Type: FUNCTION; Schema: app_hidden; Owner: app_owner
--

CREATE FUNCTION app_hidden.user_search_words(words text) RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    AS $$
  select pg_catalog.regexp_replace(
    pg_catalog.translate(coalesce(user_search_words.words, ''), '._-+@', '     '),
    '([[:alpha:]])(?=[[:digit:]])|([[:digit:]])(?=[[:alpha:]])', '\1\2 ', 'g')
$$;


ALTER FUNCTION app_hidden.user_search_words(words text) OWNER TO app_owner;

--
-- Name: FUNCTION user_search_words(words text); Type: COMMENT; Schema: app_hidden; Owner: app_owner
--

COMMENT ON FUNCTION app_hidden.user_search_words(words text) IS 'The searchable words of a username, email local part or name: separators to spaces, letters and digits apart.';


--
-- Name: analytics_pseudonym(uuid); Type: FUNCTION; Schema: app_private; Owner: app_owner
--

CREATE FUNCTION app_private.analytics_pseudonym(user_id uuid) RETURNS text
    LANGUAGE sql STABLE STRICT SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'extensions', 'pg_temp'
    AS $$
  select encode(extensions.hmac(convert_to(analytics_pseudonym.user_id::text, 'UTF8'), k.hmac_key, 'sha256'), 'hex')
  from app_private.analytics_keys k
$$;


ALTER FUNCTION app_private.analytics_pseudonym(user_id uuid) OWNER TO app_owner;

--
-- Name: FUNCTION analytics_pseudonym(user_id uuid); Type: COMMENT; Schema: app_private; Owner: app_owner
--

COMMENT ON FUNCTION app_private.analytics_pseudonym(user_id uuid) IS 'HMAC-SHA-256 (hex) of an account id under the analytics key: the account as the analytics schema names it.';


--
-- Name: consents; Type: TABLE; Schema: app_private; Owner: app_owner
--

CREATE TABLE app_private.consents (
    id bigint NOT NULL,
    user_id uuid NOT NULL,
    purpose text NOT NULL,
    version text NOT NULL,
    granted boolean NOT NULL,
    recorded_at timestamp with time zone DEFAULT app_hidden.clock_now() NOT NULL,
    ip bytea,
    CONSTRAINT consents_purpose_check CHECK ((purpose = ANY (ARRAY['terms'::text, 'marketing'::text, 'analytics'::text]))),
    CONSTRAINT consents_version_check CHECK ((version ~ '^[A-Za-z0-9][A-Za-z0-9._-]{0,39}$'::text))
);


ALTER TABLE app_private.consents OWNER TO app_owner;

--
-- Name: TABLE consents; Type: COMMENT; Schema: app_private; Owner: app_owner
--

COMMENT ON TABLE app_private.consents IS 'Consent history: every grant and withdrawal per purpose and version, append-only. ip: encrypted to the account''s key.';


--
-- Name: append_consent(uuid, text, text, boolean, jsonb); Type: FUNCTION; Schema: app_private; Owner: app_owner
--

CREATE FUNCTION app_private.append_consent(user_id uuid, purpose text, version text, granted boolean, details jsonb DEFAULT '{}'::jsonb) RETURNS app_private.consents
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
declare
  v_row app_private.consents;
begin
  insert into app_private.consents (user_id, purpose, version, granted, ip)
  values (append_consent.user_id, append_consent.purpose, append_consent.version, append_consent.granted,
          app_hidden.encrypt_personal(append_consent.user_id, host(app_hidden.current_client_ip())))
  returning * into v_row;
  perform audit.record_event(case when v_row.granted then 'consent.grant' else 'consent.withdraw' end, 'success',
    subject_id => v_row.user_id, entity_type => 'consent', entity_id => v_row.id::text,
    details => coalesce(append_consent.details, '{}') || jsonb_build_object('purpose', v_row.purpose, 'version', v_row.version));
  return v_row;
end;
$$;


ALTER FUNCTION app_private.append_consent(user_id uuid, purpose text, version text, granted boolean, details jsonb) OWNER TO app_owner;

--
-- Name: FUNCTION append_consent(user_id uuid, purpose text, version text, granted boolean, details jsonb); Type: COMMENT; Schema: app_private; Owner: app_owner
--

COMMENT ON FUNCTION app_private.append_consent(user_id uuid, purpose text, version text, granted boolean, details jsonb) IS 'Appends a consent grant or withdrawal to the history and audits it (the one writer of app_private.consents).';


--
-- Name: bucket_hash(text); Type: FUNCTION; Schema: app_private; Owner: app_owner
--

CREATE FUNCTION app_private.bucket_hash(bucket text) RETURNS text
    LANGUAGE sql IMMUTABLE STRICT
    AS $$
  select encode(extensions.digest(bucket, 'sha256'), 'hex')
$$;


ALTER FUNCTION app_private.bucket_hash(bucket text) OWNER TO app_owner;

--
-- Name: FUNCTION bucket_hash(bucket text); Type: COMMENT; Schema: app_private; Owner: app_owner
--

COMMENT ON FUNCTION app_private.bucket_hash(bucket text) IS 'The stored form of a rate-limit bucket name: SHA-256, hex.';


--
-- Name: client_ip_bucket(text); Type: FUNCTION; Schema: app_private; Owner: app_owner
--

CREATE FUNCTION app_private.client_ip_bucket(purpose text) RETURNS text
    LANGUAGE sql STABLE
    AS $$
  select client_ip_bucket.purpose || ':client_ip:' || coalesce(
    pg_catalog.network(pg_catalog.set_masklen(c.ip,
      case when pg_catalog.family(c.ip) = 4 or c.ip << inet '::ffff:0:0/96' then pg_catalog.masklen(c.ip) else 64 end))::text,
    'unknown')
  from (select app_hidden.current_client_ip() as ip) c
$$;


ALTER FUNCTION app_private.client_ip_bucket(purpose text) OWNER TO app_owner;

--
-- Name: FUNCTION client_ip_bucket(purpose text); Type: COMMENT; Schema: app_private; Owner: app_owner
--

COMMENT ON FUNCTION app_private.client_ip_bucket(purpose text) IS 'The rate-limit bucket name of the client IP for a purpose (IPv6 grouped by /64); stored only hashed.';


--
-- Name: consent_granted(uuid, text); Type: FUNCTION; Schema: app_private; Owner: app_owner
--

CREATE FUNCTION app_private.consent_granted(user_id uuid, purpose text) RETURNS boolean
    LANGUAGE sql STABLE SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
  select coalesce((
    select c.granted from app_private.consents c
    where c.user_id = consent_granted.user_id and c.purpose = consent_granted.purpose
    order by c.recorded_at desc, c.id desc
    limit 1), false)
$$;


ALTER FUNCTION app_private.consent_granted(user_id uuid, purpose text) OWNER TO app_owner;

--
-- Name: FUNCTION consent_granted(user_id uuid, purpose text); Type: COMMENT; Schema: app_private; Owner: app_owner
--

COMMENT ON FUNCTION app_private.consent_granted(user_id uuid, purpose text) IS 'True while the newest consent record of the account for the purpose grants it; false with no record.';


--
-- Name: hash_password(text); Type: FUNCTION; Schema: app_private; Owner: app_owner
--

CREATE FUNCTION app_private.hash_password(password text) RETURNS text
    LANGUAGE sql STRICT
    AS $$
  select extensions.crypt(
    app_private.password_prehash(password),
    extensions.gen_salt('bf', config.setting_integer('auth.bcrypt_cost'))
  )
$$;


ALTER FUNCTION app_private.hash_password(password text) OWNER TO app_owner;

--
-- Name: FUNCTION hash_password(password text); Type: COMMENT; Schema: app_private; Owner: app_owner
--

COMMENT ON FUNCTION app_private.hash_password(password text) IS 'A new bcrypt-sha384 hash at the cost in setting auth.bcrypt_cost. Also spends the same work for unknown accounts at login.';


--
-- Name: is_last_admin(uuid, uuid); Type: FUNCTION; Schema: app_private; Owner: app_owner
--

CREATE FUNCTION app_private.is_last_admin(organization_id uuid, user_id uuid) RETURNS boolean
    LANGUAGE sql STABLE SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
  with admins as (
    select distinct ur.user_id
    from app_public.user_roles ur
    join app_public.roles r on r.id = ur.role_id and r.name = 'org_admin' and r.is_system
    join app_public.memberships m on m.organization_id = ur.organization_id and m.user_id = ur.user_id and m.status = 'active'
    where ur.organization_id = is_last_admin.organization_id
      and (ur.expires_at is null or ur.expires_at > app_hidden.clock_now())
  )
  select exists (select 1 from admins a where a.user_id = is_last_admin.user_id)
     and not exists (select 1 from admins a where a.user_id <> is_last_admin.user_id)
$$;


ALTER FUNCTION app_private.is_last_admin(organization_id uuid, user_id uuid) OWNER TO app_owner;

--
-- Name: FUNCTION is_last_admin(organization_id uuid, user_id uuid); Type: COMMENT; Schema: app_private; Owner: app_owner
--

COMMENT ON FUNCTION app_private.is_last_admin(organization_id uuid, user_id uuid) IS 'Whether the user is the last org_admin of the organisation.';


--
-- Name: issue_refresh_token(uuid, uuid); Type: FUNCTION; Schema: app_private; Owner: app_owner
--

CREATE FUNCTION app_private.issue_refresh_token(session_id uuid, parent_id uuid) RETURNS text
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
declare
  v_token text := app_private.new_token();
  v_id uuid;
begin
  insert into app_private.refresh_tokens (session_id, parent_id, token_hash, expires_at)
  select s.id, issue_refresh_token.parent_id, app_private.token_hash(v_token),
         least(app_hidden.clock_now() + config.setting_interval('auth.refresh_token_ttl'), s.absolute_expires_at)
  from app_private.sessions s
  where s.id = issue_refresh_token.session_id
  returning id into v_id;
  if parent_id is not null then
    update app_private.refresh_tokens t
       set used_at = coalesce(t.used_at, app_hidden.clock_now()), replaced_by = v_id
     where t.id = issue_refresh_token.parent_id;
  end if;
  return v_token;
end;
$$;


ALTER FUNCTION app_private.issue_refresh_token(session_id uuid, parent_id uuid) OWNER TO app_owner;

--
-- Name: FUNCTION issue_refresh_token(session_id uuid, parent_id uuid); Type: COMMENT; Schema: app_private; Owner: app_owner
--

COMMENT ON FUNCTION app_private.issue_refresh_token(session_id uuid, parent_id uuid) IS 'Issues a refresh token for a session, marking its parent used. Returns the token; only its SHA-256 is stored.';


--
-- Name: link_token_hash(text); Type: FUNCTION; Schema: app_private; Owner: app_owner
--

CREATE FUNCTION app_private.link_token_hash(token text) RETURNS bytea
    LANGUAGE sql IMMUTABLE
    AS $$
  select case when length(token) between 20 and 200 then app_private.token_hash(token) end
$$;


ALTER FUNCTION app_private.link_token_hash(token text) OWNER TO app_owner;

--
-- Name: FUNCTION link_token_hash(token text); Type: COMMENT; Schema: app_private; Owner: app_owner
--

COMMENT ON FUNCTION app_private.link_token_hash(token text) IS 'The stored hash of a link or refresh token of a plausible shape (20 to 200 characters); null otherwise.';


--
-- Name: login_attempt_key(uuid, text); Type: FUNCTION; Schema: app_private; Owner: app_owner
--

CREATE FUNCTION app_private.login_attempt_key(user_id uuid, identifier text) RETURNS text
    LANGUAGE sql IMMUTABLE
    AS $$
  select case when user_id is not null then 'account:' || user_id::text
              else 'identifier:' || encode(extensions.digest(lower(left(coalesce(identifier, ''), 254)), 'sha256'), 'hex') end
$$;


ALTER FUNCTION app_private.login_attempt_key(user_id uuid, identifier text) OWNER TO app_owner;

--
-- Name: FUNCTION login_attempt_key(user_id uuid, identifier text); Type: COMMENT; Schema: app_private; Owner: app_owner
--

COMMENT ON FUNCTION app_private.login_attempt_key(user_id uuid, identifier text) IS 'The key of app_private.login_attempts for a login attempt.';


--
-- Name: make_super_admin(text); Type: FUNCTION; Schema: app_private; Owner: app_owner
--

CREATE FUNCTION app_private.make_super_admin(email text) RETURNS uuid
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'extensions', 'pg_temp'
    AS $$
declare
  v_user_id uuid;
begin
  select u.id into v_user_id from app_public.users u
  where u.email = make_super_admin.email::citext and u.deleted_at is null and u.email_verified;
  if v_user_id is null then
    raise exception 'There is no verified account with the address %.', email
      using errcode = 'NTFND', hint = 'Register and verify the account first.';
  end if;
  insert into app_public.user_roles (user_id, role_id, organization_id)
  select v_user_id, r.id, null from app_public.roles r where r.name = 'super_admin' and r.is_system
  on conflict on constraint user_roles_user_id_role_id_organization_id_key do update set expires_at = null;
  perform audit.record_event('role.assign', 'success', jsonb_build_object('role', 'super_admin', 'via', 'create-admin'),
    subject_id => v_user_id, severity => 'notice', entity_type => 'user', entity_id => v_user_id::text);
  return v_user_id;
end;
$$;


ALTER FUNCTION app_private.make_super_admin(email text) OWNER TO app_owner;

--
-- Name: FUNCTION make_super_admin(email text); Type: COMMENT; Schema: app_private; Owner: app_owner
--

COMMENT ON FUNCTION app_private.make_super_admin(email text) IS 'Grants super_admin globally to a verified account (command line only).';


--
-- Name: new_token(); Type: FUNCTION; Schema: app_private; Owner: app_owner
--

CREATE FUNCTION app_private.new_token() RETURNS text
    LANGUAGE sql
    AS $$
  select pg_catalog.translate(pg_catalog.encode(extensions.gen_random_bytes(32), 'base64'), '+/=', '-_')
$$;


ALTER FUNCTION app_private.new_token() OWNER TO app_owner;

--
-- Name: FUNCTION new_token(); Type: COMMENT; Schema: app_private; Owner: app_owner
--

COMMENT ON FUNCTION app_private.new_token() IS 'A new 256-bit random token, base64url without padding (43 characters).';


--
-- Name: note_login_device(uuid); Type: FUNCTION; Schema: app_private; Owner: app_owner
--

CREATE FUNCTION app_private.note_login_device(user_id uuid) RETURNS void
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'extensions', 'pg_temp'
    AS $$
declare
  v_hash bytea := extensions.digest(coalesce(app_hidden.current_user_agent(), ''), 'sha256');
begin
  insert into app_private.known_devices (user_id, device_hash) values (note_login_device.user_id, v_hash)
  on conflict do nothing;
  if not found then
    update app_private.known_devices d set last_seen_at = app_hidden.clock_now()
     where d.user_id = note_login_device.user_id and d.device_hash = v_hash;
  elsif exists (select 1 from app_private.known_devices d
                where d.user_id = note_login_device.user_id and d.device_hash <> v_hash) then
    perform app_private.notify('new_sign_in', note_login_device.user_id);
  end if;
end;
$$;


ALTER FUNCTION app_private.note_login_device(user_id uuid) OWNER TO app_owner;

--
-- Name: FUNCTION note_login_device(user_id uuid); Type: COMMENT; Schema: app_private; Owner: app_owner
--

COMMENT ON FUNCTION app_private.note_login_device(user_id uuid) IS 'Records the device of a login and queues a new-sign-in mail the first time a further device is used.';


--
-- Name: notify(text, uuid, jsonb, text); Type: FUNCTION; Schema: app_private; Owner: app_owner
--

CREATE FUNCTION app_private.notify(kind text, user_id uuid, details jsonb DEFAULT '{}'::jsonb, recipient_email text DEFAULT NULL::text) RETURNS void
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
begin
  perform graphile_worker.add_job('users__notify', jsonb_build_object(
    'kind', kind,
    'user_id', user_id,
    'to', recipient_email,
    'at', app_hidden.clock_now(),
    'ip', host(app_hidden.current_client_ip()),
    'user_agent', app_hidden.current_user_agent(),
    'details', coalesce(details, '{}')
  )::json);
end;
$$;


ALTER FUNCTION app_private.notify(kind text, user_id uuid, details jsonb, recipient_email text) OWNER TO app_owner;

--
-- Name: FUNCTION notify(kind text, user_id uuid, details jsonb, recipient_email text); Type: COMMENT; Schema: app_private; Owner: app_owner
--

COMMENT ON FUNCTION app_private.notify(kind text, user_id uuid, details jsonb, recipient_email text) IS 'Queues a notification mail of the given kind for an account, with the time, address and device of this request.';


--
-- Name: password_policy_violation(text, text, text); Type: FUNCTION; Schema: app_private; Owner: app_owner
--

CREATE FUNCTION app_private.password_policy_violation(password text, username text, email text) RETURNS text
    LANGUAGE plpgsql STABLE
    AS $$
declare
  v_password text := normalize(coalesce(password, ''), NFKC);
  v_lower text := lower(v_password);
  v_length integer := char_length(v_password);
  v_min integer := config.setting_integer('auth.password_min_length');
  v_max integer := config.setting_integer('auth.password_max_length');
  v_local text := lower(split_part(coalesce(email, ''), '@', 1));
begin
  if v_length < v_min then
    return format('Use at least %s characters.', v_min);
  end if;
  if v_length > v_max then
    return format('Use at most %s characters.', v_max);
  end if;
  if char_length(coalesce(username, '')) >= 3 and strpos(v_lower, lower(username)) > 0 then
    return 'Do not use your username in your password.';
  end if;
  if char_length(v_local) >= 3 and strpos(v_lower, v_local) > 0 then
    return 'Do not use your email address in your password.';
  end if;
  if exists (select 1 from app_private.common_passwords c where c.password = v_lower) then
    return 'This password is too common: choose one that is harder to guess.';
  end if;
  if config.setting_boolean('auth.password_require_composition')
     and not (v_password ~ '[[:upper:]]' and v_password ~ '[[:lower:]]' and v_password ~ '[[:digit:]]'
              and v_password ~ '[^[:alnum:]]') then
    return 'Use upper- and lower-case letters, digits and symbols.';
  end if;
  return null;
end;
$$;


ALTER FUNCTION app_private.password_policy_violation(password text, username text, email text) OWNER TO app_owner;

--
-- Name: FUNCTION password_policy_violation(password text, username text, email text); Type: COMMENT; Schema: app_private; Owner: app_owner
--

COMMENT ON FUNCTION app_private.password_policy_violation(password text, username text, email text) IS 'Why a password is not acceptable (a sentence for the user), or null when it is.';


--
-- Name: password_prehash(text); Type: FUNCTION; Schema: app_private; Owner: app_owner
--

CREATE FUNCTION app_private.password_prehash(password text) RETURNS text
    LANGUAGE sql IMMUTABLE STRICT
    AS $$
  select pg_catalog.encode(
    extensions.digest(pg_catalog.convert_to(normalize(password, NFKC), 'UTF8'), 'sha384'),
    'base64'
  )
$$;


ALTER FUNCTION app_private.password_prehash(password text) OWNER TO app_owner;

--
-- Name: FUNCTION password_prehash(password text); Type: COMMENT; Schema: app_private; Owner: app_owner
--

COMMENT ON FUNCTION app_private.password_prehash(password text) IS 'What bcrypt hashes: base64(SHA-384(NFKC(password))).';


--
-- Name: queue_marketing_mail(text, text, uuid[]); Type: FUNCTION; Schema: app_private; Owner: app_owner
--

CREATE FUNCTION app_private.queue_marketing_mail(subject text, body text, user_ids uuid[]) RETURNS uuid
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
declare
  v_batch constant integer := 100;
  v_id uuid;
  v_ids uuid[];
  v_jobs integer := 0;
begin
  select coalesce(array_agg(distinct x) filter (where x is not null), '{}') into v_ids from unnest(queue_marketing_mail.user_ids) x;
  if cardinality(v_ids) = 0 then
    raise exception 'A marketing mail needs at least one recipient.' using errcode = 'INVAL', hint = 'Pass the account ids.';
  end if;
  if queue_marketing_mail.subject is null or length(queue_marketing_mail.subject) not between 1 and 200
     or queue_marketing_mail.subject ~ '[[:cntrl:]]'
     or queue_marketing_mail.body is null or length(queue_marketing_mail.body) not between 1 and 20000 then
    raise exception 'A marketing mail needs a subject (one line, up to 200 characters) and a body (up to 20000).'
      using errcode = 'INVAL', hint = 'Shorten the subject or the body.';
  end if;
  insert into app_private.marketing_messages (subject, body)
  values (queue_marketing_mail.subject, queue_marketing_mail.body)
  returning id into v_id;
  for i in 1 .. cardinality(v_ids) by v_batch loop
    perform graphile_worker.add_job('marketing__send',
      json_build_object('message_id', v_id, 'user_ids', v_ids[i : i + v_batch - 1]));
    v_jobs := v_jobs + 1;
  end loop;
  perform audit.record_event('marketing.queue', 'success',
    jsonb_build_object('recipients', cardinality(v_ids), 'jobs', v_jobs),
    entity_type => 'marketing_message', entity_id => v_id::text);
  return v_id;
end;
$$;


ALTER FUNCTION app_private.queue_marketing_mail(subject text, body text, user_ids uuid[]) OWNER TO app_owner;

--
-- Name: FUNCTION queue_marketing_mail(subject text, body text, user_ids uuid[]); Type: COMMENT; Schema: app_private; Owner: app_owner
--

COMMENT ON FUNCTION app_private.queue_marketing_mail(subject text, body text, user_ids uuid[]) IS 'Stores a marketing message and queues its sending to the given accounts (those that consent when it goes).';


--
-- Name: rate_limit_hit(text, integer, interval); Type: FUNCTION; Schema: app_private; Owner: app_owner
--

CREATE FUNCTION app_private.rate_limit_hit(bucket text, max_hits integer, period interval) RETURNS integer
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
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


ALTER FUNCTION app_private.rate_limit_hit(bucket text, max_hits integer, period interval) OWNER TO app_owner;

--
-- Name: FUNCTION rate_limit_hit(bucket text, max_hits integer, period interval); Type: COMMENT; Schema: app_private; Owner: app_owner
--

COMMENT ON FUNCTION app_private.rate_limit_hit(bucket text, max_hits integer, period interval) IS 'Counts a request against a sliding-window limit: null when allowed, else the seconds to wait.';


--
-- Name: rebuild_role_ancestors(); Type: FUNCTION; Schema: app_private; Owner: app_owner
--

CREATE FUNCTION app_private.rebuild_role_ancestors() RETURNS void
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
begin
  perform pg_advisory_xact_lock(hashtextextended('app_public.role_parents', 0));
  delete from app_private.role_ancestors;
  insert into app_private.role_ancestors (role_id, ancestor_id)
  with recursive walk (role_id, ancestor_id) as (
    select r.id, r.id from app_public.roles r
    union
    select w.role_id, p.parent_id from walk w join app_public.role_parents p on p.role_id = w.ancestor_id
  )
  select w.role_id, w.ancestor_id from walk w;
end;
$$;


ALTER FUNCTION app_private.rebuild_role_ancestors() OWNER TO app_owner;

--
-- Name: FUNCTION rebuild_role_ancestors(); Type: COMMENT; Schema: app_private; Owner: app_owner
--

COMMENT ON FUNCTION app_private.rebuild_role_ancestors() IS 'Rebuilds app_private.role_ancestors from app_public.role_parents.';


--
-- Name: record_login_failure(text, uuid); Type: FUNCTION; Schema: app_private; Owner: app_owner
--

CREATE FUNCTION app_private.record_login_failure(key text, user_id uuid) RETURNS void
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
declare
  v_now timestamptz := app_hidden.clock_now();
  v_attempt app_private.login_attempts;
  v_duration interval;
begin
  update app_private.login_attempts a
     set failed_count = a.failed_count + 1, last_failure_at = v_now
   where a.key = record_login_failure.key
  returning a.* into v_attempt;
  if v_attempt.failed_count < config.setting_integer('auth.lockout_threshold') then
    return;
  end if;
  v_duration := least(
    config.setting_interval('auth.lockout_duration') * power(2, least(v_attempt.lock_count, 20)),
    config.setting_interval('auth.lockout_max_duration')
  );
  update app_private.login_attempts a
     set failed_count = 0, lock_count = a.lock_count + 1, locked_until = v_now + v_duration
   where a.key = record_login_failure.key;
  perform audit.record_event('auth.lockout', 'success', jsonb_build_object('duration', v_duration::text),
    subject_id => user_id, severity => 'warning');
  if user_id is not null then
    perform app_private.notify('account_locked', user_id, jsonb_build_object('locked_until', v_now + v_duration));
  end if;
end;
$$;


ALTER FUNCTION app_private.record_login_failure(key text, user_id uuid) OWNER TO app_owner;

--
-- Name: FUNCTION record_login_failure(key text, user_id uuid); Type: COMMENT; Schema: app_private; Owner: app_owner
--

COMMENT ON FUNCTION app_private.record_login_failure(key text, user_id uuid) IS 'Counts a failed login against a key and locks it at the threshold, for longer on every repeat.';


--
-- Name: record_refusal(text, text, text, uuid, uuid, text, text, jsonb, jsonb); Type: FUNCTION; Schema: app_private; Owner: app_owner
--

CREATE FUNCTION app_private.record_refusal(event_type text, code text, reason text DEFAULT NULL::text, subject_id uuid DEFAULT NULL::uuid, organisation_id uuid DEFAULT NULL::uuid, entity_type text DEFAULT NULL::text, entity_id text DEFAULT NULL::text, details jsonb DEFAULT '{}'::jsonb, personal_values jsonb DEFAULT NULL::jsonb) RETURNS void
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
begin
  perform audit.record_event(record_refusal.event_type, 'refused', coalesce(record_refusal.details, '{}'),
    reason => coalesce(record_refusal.reason, record_refusal.code),
    severity => app_private.refusal_severity(record_refusal.code),
    subject_id => record_refusal.subject_id, organisation_id => record_refusal.organisation_id,
    entity_type => record_refusal.entity_type, entity_id => record_refusal.entity_id,
    personal_values => record_refusal.personal_values);
end;
$$;


ALTER FUNCTION app_private.record_refusal(event_type text, code text, reason text, subject_id uuid, organisation_id uuid, entity_type text, entity_id text, details jsonb, personal_values jsonb) OWNER TO app_owner;

--
-- Name: FUNCTION record_refusal(event_type text, code text, reason text, subject_id uuid, organisation_id uuid, entity_type text, entity_id text, details jsonb, personal_values jsonb); Type: COMMENT; Schema: app_private; Owner: app_owner
--

COMMENT ON FUNCTION app_private.record_refusal(event_type text, code text, reason text, subject_id uuid, organisation_id uuid, entity_type text, entity_id text, details jsonb, personal_values jsonb) IS 'Audits a refused attempt with the severity of its code (reason: the code, unless a more precise one is given).';


--
-- Name: refusal_severity(text); Type: FUNCTION; Schema: app_private; Owner: app_owner
--

CREATE FUNCTION app_private.refusal_severity(code text) RETURNS text
    LANGUAGE sql IMMUTABLE
    AS $$
  select case
    when code = 'REUSE' then 'critical'
    when code in ('PERMS', 'LASTA', 'LIMIT', 'WRONG') then 'warning'
    else 'notice'
  end
$$;


ALTER FUNCTION app_private.refusal_severity(code text) OWNER TO app_owner;

--
-- Name: FUNCTION refusal_severity(code text); Type: COMMENT; Schema: app_private; Owner: app_owner
--

COMMENT ON FUNCTION app_private.refusal_severity(code text) IS 'The audit severity of a refusal with this code.';


--
-- Name: refuse(anyelement, text, text, text, text, uuid, uuid, text, text, jsonb, jsonb, integer); Type: FUNCTION; Schema: app_private; Owner: app_owner
--

CREATE FUNCTION app_private.refuse(result anyelement, event_type text, code text, message text, reason text DEFAULT NULL::text, subject_id uuid DEFAULT NULL::uuid, organisation_id uuid DEFAULT NULL::uuid, entity_type text DEFAULT NULL::text, entity_id text DEFAULT NULL::text, details jsonb DEFAULT '{}'::jsonb, personal_values jsonb DEFAULT NULL::jsonb, retry_after integer DEFAULT NULL::integer) RETURNS anyelement
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
declare
  v_retry integer;
begin
  if refuse.organisation_id is not null then
    v_retry := app_private.rate_limit_hit(
      'organization_refusals:actor:' || coalesce(app_hidden.current_user_id()::text, 'anonymous'),
      config.setting_integer('rate_limit.organization_refusals_per_actor.max'),
      config.setting_interval('rate_limit.organization_refusals_per_actor.window'));
    if v_retry is not null then
      perform app_private.record_refusal(refuse.event_type, 'LIMIT', 'organization_refusals_limit', refuse.subject_id,
        null, refuse.entity_type, refuse.entity_id,
        coalesce(refuse.details, '{}') || jsonb_build_object('organization_id', refuse.organisation_id, 'code', refuse.code),
        refuse.personal_values);
      return jsonb_populate_record(refuse.result, jsonb_build_object(
        'ok', false, 'refusal_code', 'LIMIT',
        'refusal_message', format('Too many refused attempts: try again in %s seconds.', v_retry),
        'refusal_retry_after', v_retry));
    end if;
  end if;
  perform app_private.record_refusal(refuse.event_type, refuse.code, refuse.reason, refuse.subject_id,
    refuse.organisation_id, refuse.entity_type, refuse.entity_id, refuse.details, refuse.personal_values);
  /* Fields the result type lacks (ok, refusal_retry_after) are ignored. */
  return jsonb_populate_record(refuse.result, jsonb_build_object(
    'ok', false, 'refusal_code', refuse.code, 'refusal_message', refuse.message,
    'refusal_retry_after', refuse.retry_after));
end;
$$;


ALTER FUNCTION app_private.refuse(result anyelement, event_type text, code text, message text, reason text, subject_id uuid, organisation_id uuid, entity_type text, entity_id text, details jsonb, personal_values jsonb, retry_after integer) OWNER TO app_owner;

--
-- Name: FUNCTION refuse(result anyelement, event_type text, code text, message text, reason text, subject_id uuid, organisation_id uuid, entity_type text, entity_id text, details jsonb, personal_values jsonb, retry_after integer); Type: COMMENT; Schema: app_private; Owner: app_owner
--

COMMENT ON FUNCTION app_private.refuse(result anyelement, event_type text, code text, message text, reason text, subject_id uuid, organisation_id uuid, entity_type text, entity_id text, details jsonb, personal_values jsonb, retry_after integer) IS 'Audits a refusal and returns the given result row carrying its code and message (the one refusal idiom).';


--
-- Name: request_email_verification(uuid); Type: FUNCTION; Schema: app_private; Owner: app_owner
--

CREATE FUNCTION app_private.request_email_verification(user_id uuid) RETURNS uuid
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
declare
  v_id uuid;
begin
  if exists (
    select 1 from app_private.email_verifications v
    where v.user_id = request_email_verification.user_id
      and v.created_at > app_hidden.clock_now() - config.setting_interval('auth.verification_resend_interval')
  ) then
    return null;
  end if;
  insert into app_private.email_verifications (user_id, email)
  select u.id, u.email from app_public.users u
  where u.id = request_email_verification.user_id and not u.email_verified and u.deleted_at is null
  returning id into v_id;
  if v_id is not null then
    perform graphile_worker.add_job('users__send_verification', json_build_object('verification_id', v_id));
  end if;
  return v_id;
end;
$$;


ALTER FUNCTION app_private.request_email_verification(user_id uuid) OWNER TO app_owner;

--
-- Name: FUNCTION request_email_verification(user_id uuid); Type: COMMENT; Schema: app_private; Owner: app_owner
--

COMMENT ON FUNCTION app_private.request_email_verification(user_id uuid) IS 'Queues a verification mail for an unverified account (throttled); returns the request id, or null when dropped.';


--
-- Name: require_login(anyelement, text, text); Type: FUNCTION; Schema: app_private; Owner: app_owner
--

CREATE FUNCTION app_private.require_login(result anyelement, event_type text, message text DEFAULT 'You must log in first.'::text) RETURNS anyelement
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
begin
  if app_hidden.current_user_id() is not null then
    return null;
  end if;
  return app_private.refuse(require_login.result, require_login.event_type, 'LOGIN', require_login.message);
end;
$$;


ALTER FUNCTION app_private.require_login(result anyelement, event_type text, message text) OWNER TO app_owner;

--
-- Name: FUNCTION require_login(result anyelement, event_type text, message text); Type: COMMENT; Schema: app_private; Owner: app_owner
--

COMMENT ON FUNCTION app_private.require_login(result anyelement, event_type text, message text) IS 'Gate: null when the caller is signed in, else the audited LOGIN refusal as the given result row.';


--
-- Name: require_password(anyelement, text, uuid, text, text); Type: FUNCTION; Schema: app_private; Owner: app_owner
--

CREATE FUNCTION app_private.require_password(result anyelement, event_type text, user_id uuid, password text, message text DEFAULT 'Your password is not correct.'::text) RETURNS anyelement
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
declare
  v_key text := app_private.login_attempt_key(require_password.user_id, null);
  v_now timestamptz := app_hidden.clock_now();
  v_attempt app_private.login_attempts;
  v_security app_private.user_security;
  v_wait integer;
begin
  insert into app_private.login_attempts (key) values (v_key) on conflict do nothing;
  select a.* into v_attempt from app_private.login_attempts a where a.key = v_key for update;
  if v_attempt.locked_until > v_now then
    v_wait := greatest(1, ceil(extract(epoch from v_attempt.locked_until - v_now)))::integer;
    return app_private.refuse(require_password.result, require_password.event_type, 'LIMIT',
      format('Too many wrong passwords: try again in %s seconds.', v_wait), reason => 'locked',
      subject_id => require_password.user_id, retry_after => v_wait);
  end if;
  select s.* into v_security from app_private.user_security s where s.user_id = require_password.user_id;
  if require_password.password is null
     or char_length(require_password.password) > config.setting_integer('auth.password_max_length')
     or not app_private.verify_password(require_password.password, v_security.password_hash, v_security.password_scheme) then
    perform app_private.record_login_failure(v_key, require_password.user_id);
    return app_private.refuse(require_password.result, require_password.event_type, 'WRONG', require_password.message,
      reason => 'wrong_password', subject_id => require_password.user_id);
  end if;
  update app_private.login_attempts a set failed_count = 0 where a.key = v_key and a.failed_count > 0;
  return null;
end;
$$;


ALTER FUNCTION app_private.require_password(result anyelement, event_type text, user_id uuid, password text, message text) OWNER TO app_owner;

--
-- Name: FUNCTION require_password(result anyelement, event_type text, user_id uuid, password text, message text); Type: COMMENT; Schema: app_private; Owner: app_owner
--

COMMENT ON FUNCTION app_private.require_password(result anyelement, event_type text, user_id uuid, password text, message text) IS 'Gate: null when the account password is right, else the audited refusal (WRONG, or LIMIT while the account is locked).';


--
-- Name: require_permission(anyelement, text, text, uuid, text, text, text, jsonb, uuid, text); Type: FUNCTION; Schema: app_private; Owner: app_owner
--

CREATE FUNCTION app_private.require_permission(result anyelement, event_type text, permission text, organization_id uuid, message text, entity_type text DEFAULT NULL::text, entity_id text DEFAULT NULL::text, details jsonb DEFAULT '{}'::jsonb, subject_id uuid DEFAULT NULL::uuid, login_message text DEFAULT 'You must log in first.'::text) RETURNS anyelement
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
declare
  v_actor uuid := app_hidden.current_user_id();
begin
  if v_actor is null then
    return app_private.refuse(require_permission.result, require_permission.event_type, 'LOGIN',
      require_permission.login_message);
  end if;
  if not app_hidden.user_has_permission(v_actor, require_permission.permission, require_permission.organization_id) then
    return app_private.refuse(require_permission.result, require_permission.event_type, 'PERMS',
      require_permission.message, subject_id => require_permission.subject_id,
      organisation_id => require_permission.organization_id,
      entity_type => require_permission.entity_type, entity_id => require_permission.entity_id,
      details => require_permission.details);
  end if;
  return null;
end;
$$;


ALTER FUNCTION app_private.require_permission(result anyelement, event_type text, permission text, organization_id uuid, message text, entity_type text, entity_id text, details jsonb, subject_id uuid, login_message text) OWNER TO app_owner;

--
-- Name: FUNCTION require_permission(result anyelement, event_type text, permission text, organization_id uuid, message text, entity_type text, entity_id text, details jsonb, subject_id uuid, login_message text); Type: COMMENT; Schema: app_private; Owner: app_owner
--

COMMENT ON FUNCTION app_private.require_permission(result anyelement, event_type text, permission text, organization_id uuid, message text, entity_type text, entity_id text, details jsonb, subject_id uuid, login_message text) IS 'Gate: null when the caller is signed in and holds the permission in the organisation, else the audited refusal.';


--
-- Name: require_role_management(anyelement, text, uuid); Type: FUNCTION; Schema: app_private; Owner: app_owner
--

CREATE FUNCTION app_private.require_role_management(result anyelement, event_type text, role_id uuid) RETURNS anyelement
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
declare
  v_actor uuid := app_hidden.current_user_id();
  v_role app_public.roles;
begin
  if v_actor is null then
    return app_private.refuse(require_role_management.result, require_role_management.event_type, 'LOGIN',
      'You must log in first.');
  end if;
  select r.* into v_role from app_public.roles r where r.id = require_role_management.role_id;
  if v_role.id is null or (v_role.organization_id is not null and not app_hidden.is_member(v_actor, v_role.organization_id)
                           and not app_hidden.user_has_permission(v_actor, 'roles:manage', null)) then
    return app_private.refuse(require_role_management.result, require_role_management.event_type, 'NTFND',
      'There is no such role.', entity_type => 'role', entity_id => require_role_management.role_id::text);
  end if;
  if v_role.is_system then
    return app_private.refuse(require_role_management.result, require_role_management.event_type, 'PERMS',
      'System roles cannot be changed.', organisation_id => v_role.organization_id, entity_type => 'role',
      entity_id => require_role_management.role_id::text);
  end if;
  if not app_hidden.user_has_permission(v_actor, 'roles:manage', v_role.organization_id) then
    return app_private.refuse(require_role_management.result, require_role_management.event_type, 'PERMS',
      'You may not manage roles in this organisation.', organisation_id => v_role.organization_id, entity_type => 'role',
      entity_id => require_role_management.role_id::text);
  end if;
  return null;
end;
$$;


ALTER FUNCTION app_private.require_role_management(result anyelement, event_type text, role_id uuid) OWNER TO app_owner;

--
-- Name: FUNCTION require_role_management(result anyelement, event_type text, role_id uuid); Type: COMMENT; Schema: app_private; Owner: app_owner
--

COMMENT ON FUNCTION app_private.require_role_management(result anyelement, event_type text, role_id uuid) IS 'Gate: null when the caller may change the role, else the audited refusal (LOGIN, NTFND or PERMS).';


--
-- Name: set_password(uuid, text); Type: FUNCTION; Schema: app_private; Owner: app_owner
--

CREATE FUNCTION app_private.set_password(user_id uuid, new_password text) RETURNS app_public.outcome
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'extensions', 'pg_temp'
    AS $$
declare
  v_user app_public.users;
  v_security app_private.user_security;
  v_violation text;
  v_keep integer := config.setting_integer('auth.password_history_count');
begin
  select u.* into v_user from app_public.users u where u.id = set_password.user_id;
  select s.* into v_security from app_private.user_security s where s.user_id = set_password.user_id for update;

  v_violation := app_private.password_policy_violation(new_password, v_user.username::text, v_user.email::text);
  if v_violation is not null then
    return row(false, 'WEAKP', v_violation, null)::app_public.outcome;
  end if;

  if v_keep > 0 and (
       app_private.verify_password(new_password, v_security.password_hash, v_security.password_scheme)
       or exists (
         select 1 from (
           select h.password_hash, h.password_scheme from app_private.password_history h
           where h.user_id = set_password.user_id order by h.created_at desc, h.id desc limit v_keep - 1
         ) recent
         where app_private.verify_password(new_password, recent.password_hash, recent.password_scheme)
       )) then
    return row(false, 'REUSD', format('Choose a password you have not used for your last %s passwords.', v_keep), null)::app_public.outcome;
  end if;

  insert into app_private.password_history (user_id, password_hash, password_scheme, created_at)
  values (set_password.user_id, v_security.password_hash, v_security.password_scheme, v_security.password_changed_at);
  delete from app_private.password_history h
   where h.user_id = set_password.user_id
     and h.id not in (select k.id from app_private.password_history k where k.user_id = set_password.user_id
                      order by k.created_at desc, k.id desc limit greatest(v_keep - 1, 0));
  update app_private.user_security s
     set password_hash = app_private.hash_password(new_password), password_scheme = 'bcrypt-sha384',
         password_changed_at = app_hidden.clock_now()
   where s.user_id = set_password.user_id;
  return row(true, null, null, null)::app_public.outcome;
end;
$$;


ALTER FUNCTION app_private.set_password(user_id uuid, new_password text) OWNER TO app_owner;

--
-- Name: FUNCTION set_password(user_id uuid, new_password text); Type: COMMENT; Schema: app_private; Owner: app_owner
--

COMMENT ON FUNCTION app_private.set_password(user_id uuid, new_password text) IS 'Sets a new password under the policy and the history rule; returns ok or the refusal (WEAKP, REUSD).';


--
-- Name: tg_projects__add_owner(); Type: FUNCTION; Schema: app_private; Owner: app_owner
--

CREATE FUNCTION app_private.tg_projects__add_owner() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
begin
  if new.created_by is not null then
    insert into app_public.project_members (project_id, user_id, role) values (new.id, new.created_by, 'owner');
  end if;
  perform audit.record_event('project.create', 'success', jsonb_build_object('name', new.name, 'visibility', new.visibility),
    organisation_id => new.organization_id, entity_type => 'project', entity_id => new.id::text);
  return null;
end;
$$;


ALTER FUNCTION app_private.tg_projects__add_owner() OWNER TO app_owner;

--
-- Name: FUNCTION tg_projects__add_owner(); Type: COMMENT; Schema: app_private; Owner: app_owner
--

COMMENT ON FUNCTION app_private.tg_projects__add_owner() IS 'Makes the creator of a project its owner, and audits the creation.';


--
-- Name: tg_role_parents__guard(); Type: FUNCTION; Schema: app_private; Owner: app_owner
--

CREATE FUNCTION app_private.tg_role_parents__guard() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
begin
  perform pg_advisory_xact_lock(hashtextextended('app_public.role_parents', 0));
  if exists (
    with recursive up (id) as (
      select new.parent_id
      union
      select p.parent_id from app_public.role_parents p join up on p.role_id = up.id
    )
    select 1 from up where up.id = new.role_id
  ) then
    raise exception 'That would make a role inherit from itself.'
      using errcode = 'LOOPS', hint = 'Choose parents that are not below this role in the hierarchy.';
  end if;
  return new;
end;
$$;


ALTER FUNCTION app_private.tg_role_parents__guard() OWNER TO app_owner;

--
-- Name: FUNCTION tg_role_parents__guard(); Type: COMMENT; Schema: app_private; Owner: app_owner
--

COMMENT ON FUNCTION app_private.tg_role_parents__guard() IS 'Serialises hierarchy changes and refuses cycles (LOOPS).';


--
-- Name: tg_role_parents__rebuild(); Type: FUNCTION; Schema: app_private; Owner: app_owner
--

CREATE FUNCTION app_private.tg_role_parents__rebuild() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
begin
  perform app_private.rebuild_role_ancestors();
  return null;
end;
$$;


ALTER FUNCTION app_private.tg_role_parents__rebuild() OWNER TO app_owner;

--
-- Name: FUNCTION tg_role_parents__rebuild(); Type: COMMENT; Schema: app_private; Owner: app_owner
--

COMMENT ON FUNCTION app_private.tg_role_parents__rebuild() IS 'Keeps the closure table exact after every change to the hierarchy.';


--
-- Name: tg_roles__add_self(); Type: FUNCTION; Schema: app_private; Owner: app_owner
--

CREATE FUNCTION app_private.tg_roles__add_self() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
begin
  insert into app_private.role_ancestors (role_id, ancestor_id) values (new.id, new.id);
  return null;
end;
$$;


ALTER FUNCTION app_private.tg_roles__add_self() OWNER TO app_owner;

--
-- Name: FUNCTION tg_roles__add_self(); Type: COMMENT; Schema: app_private; Owner: app_owner
--

COMMENT ON FUNCTION app_private.tg_roles__add_self() IS 'A new role is its own ancestor in the closure table.';


--
-- Name: tg_sessions__set_expiry(); Type: FUNCTION; Schema: app_private; Owner: app_owner
--

CREATE FUNCTION app_private.tg_sessions__set_expiry() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
begin
  new.created_at := app_hidden.clock_now();
  new.last_refreshed_at := new.created_at;
  new.absolute_expires_at := new.created_at + config.setting_interval('auth.session_absolute_lifetime');
  return new;
end;
$$;


ALTER FUNCTION app_private.tg_sessions__set_expiry() OWNER TO app_owner;

--
-- Name: FUNCTION tg_sessions__set_expiry(); Type: COMMENT; Schema: app_private; Owner: app_owner
--

COMMENT ON FUNCTION app_private.tg_sessions__set_expiry() IS 'A session ends auth.session_absolute_lifetime after login, however active it is.';


--
-- Name: tg_users__assign_key(); Type: FUNCTION; Schema: app_private; Owner: app_owner
--

CREATE FUNCTION app_private.tg_users__assign_key() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
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


ALTER FUNCTION app_private.tg_users__assign_key() OWNER TO app_owner;

--
-- Name: FUNCTION tg_users__assign_key(); Type: COMMENT; Schema: app_private; Owner: app_owner
--

COMMENT ON FUNCTION app_private.tg_users__assign_key() IS 'Gives a new account a spare encryption key, or queues it for one; asks the worker to refill the spare pool.';


--
-- Name: token_hash(text); Type: FUNCTION; Schema: app_private; Owner: app_owner
--

CREATE FUNCTION app_private.token_hash(token text) RETURNS bytea
    LANGUAGE sql IMMUTABLE STRICT
    AS $$
  select extensions.digest(token, 'sha256')
$$;


ALTER FUNCTION app_private.token_hash(token text) OWNER TO app_owner;

--
-- Name: FUNCTION token_hash(token text); Type: COMMENT; Schema: app_private; Owner: app_owner
--

COMMENT ON FUNCTION app_private.token_hash(token text) IS 'How tokens are stored: SHA-256 of the token text.';


--
-- Name: verify_password(text, text, text); Type: FUNCTION; Schema: app_private; Owner: app_owner
--

CREATE FUNCTION app_private.verify_password(password text, hash text, scheme text) RETURNS boolean
    LANGUAGE plpgsql STRICT
    AS $_$
declare
  v_hash text;
begin
  if scheme = 'bcrypt-sha384' then
    return extensions.crypt(app_private.password_prehash(password), hash) = hash;
  elsif scheme = 'bcrypt' then
    v_hash := pg_catalog.regexp_replace(hash, '^\$2[aby]\$', '$2a$');
    return extensions.crypt(password, v_hash) = v_hash;
  end if;
  return false;
end;
$_$;


ALTER FUNCTION app_private.verify_password(password text, hash text, scheme text) OWNER TO app_owner;

--
-- Name: FUNCTION verify_password(password text, hash text, scheme text); Type: COMMENT; Schema: app_private; Owner: app_owner
--

COMMENT ON FUNCTION app_private.verify_password(password text, hash text, scheme text) IS 'Whether a password matches a stored hash of the given scheme.';


--
-- Name: accept_invitation(text); Type: FUNCTION; Schema: app_public; Owner: app_owner
--

CREATE FUNCTION app_public.accept_invitation(token text) RETURNS app_public.organization_change
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'extensions', 'pg_temp'
    AS $$
declare
  v_actor uuid := app_hidden.current_user_id();
  v_invitation app_public.invitations;
  v_event constant text := 'invitation.accept';
  v_refused app_public.organization_change;
begin
  v_refused := app_private.require_login(null::app_public.organization_change, v_event, 'Log in to accept the invitation.');
  if v_refused.refusal_code is not null then return v_refused; end if;
  select i.* into v_invitation
  from app_private.invitation_tokens t
  join app_public.invitations i on i.id = t.invitation_id
  where t.token_hash = app_private.link_token_hash(accept_invitation.token)
  for update of i;
  /* A real invitation that is not for the caller (or no longer valid) is refused in its organisation trail. */
  if v_invitation.id is null or v_invitation.accepted_at is not null or v_invitation.expires_at <= app_hidden.clock_now()
     or not exists (select 1 from app_public.users u where u.id = v_actor and u.email = v_invitation.email and u.email_verified) then
    return app_private.refuse(null::app_public.organization_change, v_event, 'LINKX',
      'This invitation is not valid for you: it may have expired, been used, or been sent to another address.',
      organisation_id => v_invitation.organization_id, entity_type => 'invitation', entity_id => v_invitation.id::text);
  end if;

  insert into app_public.memberships (organization_id, user_id, invited_at)
  values (v_invitation.organization_id, v_actor, v_invitation.created_at)
  on conflict on constraint memberships_organization_id_user_id_key do update
    set status = 'active', ended_at = null, joined_at = app_hidden.clock_now(), invited_at = excluded.invited_at;
  insert into app_public.user_roles (user_id, role_id, organization_id, assigned_by)
  select v_actor, r.id, v_invitation.organization_id, v_invitation.invited_by
  from app_public.roles r where r.name = 'member' and r.is_system
  on conflict on constraint user_roles_user_id_role_id_organization_id_key do nothing;
  update app_public.invitations i set accepted_at = app_hidden.clock_now(), accepted_by = v_actor where i.id = v_invitation.id;
  perform audit.record_event(v_event, 'success', subject_id => v_actor, organisation_id => v_invitation.organization_id,
    entity_type => 'invitation', entity_id => v_invitation.id::text);
  return row(v_invitation.organization_id, null, null, null)::app_public.organization_change;
end;
$$;


ALTER FUNCTION app_public.accept_invitation(token text) OWNER TO app_owner;

--
-- Name: FUNCTION accept_invitation(token text); Type: COMMENT; Schema: app_public; Owner: app_owner
--

COMMENT ON FUNCTION app_public.accept_invitation(token text) IS 'Joins an organisation with the token from your invitation mail.';


--
-- Name: add_project_member(uuid, uuid, text); Type: FUNCTION; Schema: app_public; Owner: app_owner
--

CREATE FUNCTION app_public.add_project_member(project_id uuid, user_id uuid, role text DEFAULT 'member'::text) RETURNS app_public.outcome
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
declare
  v_org uuid;
  v_event constant text := 'project.add_member';
  v_refused app_public.outcome;
begin
  v_refused := app_private.require_login(null::app_public.outcome, v_event);
  if v_refused.refusal_code is not null then return v_refused; end if;
  if app_hidden.project_role(add_project_member.project_id) is distinct from 'owner' then
    return app_private.refuse(null::app_public.outcome, v_event, 'PERMS', 'Only the project''s owners can add members.',
      entity_type => 'project', entity_id => add_project_member.project_id::text);
  end if;
  if add_project_member.role not in ('owner', 'member') then
    raise exception 'A project role is owner or member.' using errcode = 'INVAL', hint = 'Choose owner or member.';
  end if;
  select p.organization_id into v_org from app_public.projects p where p.id = add_project_member.project_id;
  if not app_hidden.is_member(add_project_member.user_id, v_org) then
    return app_private.refuse(null::app_public.outcome, v_event, 'NTFND', 'That person is not a member of the organisation.',
      entity_type => 'project', entity_id => add_project_member.project_id::text);
  end if;
  insert into app_public.project_members (project_id, user_id, role)
  values (add_project_member.project_id, add_project_member.user_id, add_project_member.role)
  on conflict on constraint project_members_pkey do update set role = excluded.role;
  perform audit.record_event(v_event, 'success', jsonb_build_object('role', add_project_member.role),
    subject_id => add_project_member.user_id, organisation_id => v_org,
    entity_type => 'project', entity_id => add_project_member.project_id::text);
  return row(true, null, null, null)::app_public.outcome;
end;
$$;


ALTER FUNCTION app_public.add_project_member(project_id uuid, user_id uuid, role text) OWNER TO app_owner;

--
-- Name: FUNCTION add_project_member(project_id uuid, user_id uuid, role text); Type: COMMENT; Schema: app_public; Owner: app_owner
--

COMMENT ON FUNCTION app_public.add_project_member(project_id uuid, user_id uuid, role text) IS 'Adds a member of the organisation to a project, as owner or member (project owners only).';


--
-- Name: assign_role(uuid, uuid, uuid, timestamp with time zone); Type: FUNCTION; Schema: app_public; Owner: app_owner
--

CREATE FUNCTION app_public.assign_role(user_id uuid, role_id uuid, organization_id uuid DEFAULT NULL::uuid, expires_at timestamp with time zone DEFAULT NULL::timestamp with time zone) RETURNS app_public.role_change
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
declare
  v_actor uuid := app_hidden.current_user_id();
  v_role app_public.roles;
  v_event constant text := 'role.assign';
  v_details jsonb := jsonb_build_object('user_id', assign_role.user_id, 'expires_at', assign_role.expires_at);
  v_base app_public.role_change := row(assign_role.role_id, null, null, null);
  v_refused app_public.role_change;
begin
  v_refused := app_private.require_permission(v_base, v_event, 'roles:assign', assign_role.organization_id,
    'You may not assign roles here.', 'role', assign_role.role_id::text, v_details);
  if v_refused.refusal_code is not null then return v_refused; end if;
  select r.* into v_role from app_public.roles r where r.id = assign_role.role_id;
  if v_role.id is null or (v_role.organization_id is not null and v_role.organization_id is distinct from assign_role.organization_id) then
    return app_private.refuse(v_base, v_event, 'NTFND', 'There is no such role here.', organisation_id => assign_role.organization_id,
      entity_type => 'role', entity_id => assign_role.role_id::text, details => v_details);
  end if;
  if assign_role.organization_id is not null and not app_hidden.is_member(assign_role.user_id, assign_role.organization_id) then
    return app_private.refuse(v_base, v_event, 'NTFND', 'That person is not a member here.',
      organisation_id => assign_role.organization_id,
      entity_type => 'role', entity_id => assign_role.role_id::text, details => v_details);
  end if;
  if not app_hidden.holds_role_permissions(v_actor, v_role.id, assign_role.organization_id) then
    return app_private.refuse(v_base, v_event, 'PERMS',
      format('You cannot give the role %s: it has permissions you do not hold.', v_role.name),
      organisation_id => assign_role.organization_id,
      entity_type => 'role', entity_id => assign_role.role_id::text, details => v_details);
  end if;
  if assign_role.expires_at is not null and assign_role.expires_at <= app_hidden.clock_now() then
    raise exception 'The expiry must be in the future.' using errcode = 'INVAL', hint = 'Give a later time, or none.';
  end if;

  insert into app_public.user_roles (user_id, role_id, organization_id, assigned_by, expires_at)
  values (assign_role.user_id, v_role.id, assign_role.organization_id, v_actor, assign_role.expires_at)
  on conflict on constraint user_roles_user_id_role_id_organization_id_key do update
    set assigned_by = excluded.assigned_by, assigned_at = app_hidden.clock_now(), expires_at = excluded.expires_at;
  perform audit.record_event(v_event, 'success', v_details, subject_id => assign_role.user_id,
    organisation_id => assign_role.organization_id, entity_type => 'role', entity_id => v_role.id::text);
  return row(v_role.id, null, null, null)::app_public.role_change;
end;
$$;


ALTER FUNCTION app_public.assign_role(user_id uuid, role_id uuid, organization_id uuid, expires_at timestamp with time zone) OWNER TO app_owner;

--
-- Name: FUNCTION assign_role(user_id uuid, role_id uuid, organization_id uuid, expires_at timestamp with time zone); Type: COMMENT; Schema: app_public; Owner: app_owner
--

COMMENT ON FUNCTION app_public.assign_role(user_id uuid, role_id uuid, organization_id uuid, expires_at timestamp with time zone) IS 'Gives a member a role in an organisation, optionally until a time (roles:assign). You can only give roles whose permissions you hold.';


--
-- Name: audit_event_counts(timestamp with time zone, timestamp with time zone, uuid); Type: FUNCTION; Schema: app_public; Owner: app_owner
--

CREATE FUNCTION app_public.audit_event_counts(since timestamp with time zone, until timestamp with time zone, organization_id uuid DEFAULT NULL::uuid) RETURNS SETOF app_public.audit_event_count
    LANGUAGE plpgsql STABLE SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
begin
  if not app_hidden.can_read_audit(audit_event_counts.organization_id) then
    return;
  end if;
  if audit_event_counts.until - audit_event_counts.since > interval '400 days' then
    raise exception 'Ask for at most 400 days at a time.' using errcode = 'INVAL', hint = 'Narrow the time range.';
  end if;
  return query
  select (e.occurred_at at time zone 'UTC')::date, e.event_type, e.outcome, count(*)
  from audit.events e
  where e.occurred_at >= audit_event_counts.since and e.occurred_at < audit_event_counts.until
    and (audit_event_counts.organization_id is null or e.organisation_id = audit_event_counts.organization_id)
  group by 1, 2, 3
  order by 1, 2, 3;
end;
$$;


ALTER FUNCTION app_public.audit_event_counts(since timestamp with time zone, until timestamp with time zone, organization_id uuid) OWNER TO app_owner;

--
-- Name: FUNCTION audit_event_counts(since timestamp with time zone, until timestamp with time zone, organization_id uuid); Type: COMMENT; Schema: app_public; Owner: app_owner
--

COMMENT ON FUNCTION app_public.audit_event_counts(since timestamp with time zone, until timestamp with time zone, organization_id uuid) IS 'Events per type and outcome per day (UTC) from since until until, at most 400 days (audit:read).';


--
-- Name: audit_events(uuid, uuid, text, timestamp with time zone, timestamp with time zone, text); Type: FUNCTION; Schema: app_public; Owner: app_owner
--

CREATE FUNCTION app_public.audit_events(organization_id uuid DEFAULT NULL::uuid, user_id uuid DEFAULT NULL::uuid, event_type text DEFAULT NULL::text, since timestamp with time zone DEFAULT NULL::timestamp with time zone, until timestamp with time zone DEFAULT NULL::timestamp with time zone, request_id text DEFAULT NULL::text) RETURNS SETOF app_public.audit_event
    LANGUAGE plpgsql STABLE SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $_$
begin
  if not app_hidden.can_read_audit(audit_events.organization_id) then
    return;
  end if;
  return query execute
    'select e.id, e.occurred_at, e.event_type, e.outcome, e.severity, e.reason, e.actor_id, e.subject_id,
            e.organisation_id, e.entity_type, e.entity_id, e.details, e.request_id,
            case when $7 then e.client_ip end, case when $7 then e.user_agent end, case when $7 then e.personal end
     from audit.events e where true'
    || case when audit_events.organization_id is not null then ' and e.organisation_id = $1' else '' end
    || case when audit_events.user_id is not null then ' and (e.actor_id = $2 or e.subject_id = $2)' else '' end
    || case when audit_events.event_type is not null then ' and e.event_type = $3' else '' end
    || case when audit_events.since is not null then ' and e.occurred_at >= $4' else '' end
    || case when audit_events.until is not null then ' and e.occurred_at < $5' else '' end
    || case when audit_events.request_id is not null then ' and e.request_id = $6' else '' end
    || ' order by e.occurred_at desc, e.id desc limit 1000'
    using audit_events.organization_id, audit_events.user_id, audit_events.event_type, audit_events.since,
          audit_events.until, audit_events.request_id,
          /* The personal part (client IP, user agent, personal values) only to global auditors. */
          app_hidden.user_has_permission(app_hidden.current_user_id(), 'audit:read', null);
end;
$_$;


ALTER FUNCTION app_public.audit_events(organization_id uuid, user_id uuid, event_type text, since timestamp with time zone, until timestamp with time zone, request_id text) OWNER TO app_owner;

--
-- Name: FUNCTION audit_events(organization_id uuid, user_id uuid, event_type text, since timestamp with time zone, until timestamp with time zone, request_id text); Type: COMMENT; Schema: app_public; Owner: app_owner
--

COMMENT ON FUNCTION app_public.audit_events(organization_id uuid, user_id uuid, event_type text, since timestamp with time zone, until timestamp with time zone, request_id text) IS 'Audit events, newest first (at most 1,000: narrow by time for older ones), by organisation, user, type, time range or request id (audit:read).';


--
-- Name: change_email(text, text); Type: FUNCTION; Schema: app_public; Owner: app_owner
--

CREATE FUNCTION app_public.change_email(new_email text, password text) RETURNS app_public.outcome
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'extensions', 'pg_temp'
    AS $_$
declare
  v_user_id uuid := app_hidden.current_user_id();
  v_user app_public.users;
  v_new citext := btrim(change_email.new_email);
  v_owner uuid;
  v_change_id uuid;
  v_retry integer;
  v_event constant text := 'user.email_change_request';
  v_refused app_public.outcome;
begin
  v_refused := app_private.require_login(null::app_public.outcome, v_event, 'You must log in to change your email address.');
  if v_refused.refusal_code is not null then return v_refused; end if;
  if v_new is null or length(v_new) > 254 or v_new !~ '^[^@[:space:]]+@[^@[:space:]]+\.[^@[:space:]]+$' then
    raise exception 'That is not an email address.' using errcode = 'INVAL', hint = 'Check the address.';
  end if;

  v_retry := app_private.rate_limit_hit('email_change:account:' || v_user_id::text,
    config.setting_integer('rate_limit.email_change_per_account.max'),
    config.setting_interval('rate_limit.email_change_per_account.window'));
  if v_retry is not null then
    return app_private.refuse(null::app_public.outcome, v_event, 'LIMIT',
      format('Too many requests: try again in %s seconds.', v_retry), subject_id => v_user_id, retry_after => v_retry);
  end if;

  select u.* into v_user from app_public.users u where u.id = v_user_id;
  v_refused := app_private.require_password(null::app_public.outcome, v_event, v_user_id, password);
  if v_refused.refusal_code is not null then return v_refused; end if;
  if v_new = v_user.email then
    raise exception 'That is already your email address.' using errcode = 'INVAL', hint = 'Give a different address.';
  end if;

  select u.id into v_owner from app_public.users u where u.email = v_new and u.deleted_at is null;
  if v_owner is not null then
    perform app_private.notify('email_in_use_attempt', v_owner);
    /* Answered as a success: the caller must not learn that the address has an account. */
    perform app_private.record_refusal(v_event, null, 'email_in_use', subject_id => v_user_id);
    return row(true, null, null, null)::app_public.outcome;
  end if;

  insert into app_private.email_changes (user_id, old_email, new_email)
  values (v_user_id, v_user.email, v_new)
  returning id into v_change_id;
  perform graphile_worker.add_job('users__send_email_change', json_build_object('change_id', v_change_id));
  perform app_private.notify('email_change_requested', v_user_id, jsonb_build_object('new_email', v_new));
  perform audit.record_event(v_event, 'success', subject_id => v_user_id,
    entity_type => 'email_change', entity_id => v_change_id::text);
  return row(true, null, null, null)::app_public.outcome;
end;
$_$;


ALTER FUNCTION app_public.change_email(new_email text, password text) OWNER TO app_owner;

--
-- Name: FUNCTION change_email(new_email text, password text); Type: COMMENT; Schema: app_public; Owner: app_owner
--

COMMENT ON FUNCTION app_public.change_email(new_email text, password text) IS 'Starts moving your account to a new email address: needs your password; the address changes when you follow the link mailed to it.';


--
-- Name: change_password(text, text); Type: FUNCTION; Schema: app_public; Owner: app_owner
--

CREATE FUNCTION app_public.change_password(current_password text, new_password text) RETURNS app_public.outcome
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'extensions', 'pg_temp'
    AS $$
declare
  v_user_id uuid := app_hidden.current_user_id();
  v_result app_public.outcome;
  v_event constant text := 'auth.password_change';
begin
  v_result := app_private.require_login(null::app_public.outcome, v_event, 'You must log in to change your password.');
  if v_result.refusal_code is not null then return v_result; end if;
  v_result := app_private.require_password(null::app_public.outcome, v_event, v_user_id, current_password,
    'Your current password is not correct.');
  if v_result.refusal_code is not null then return v_result; end if;

  v_result := app_private.set_password(v_user_id, new_password);
  if not v_result.ok then
    return app_private.refuse(v_result, v_event, v_result.refusal_code, v_result.refusal_message, subject_id => v_user_id);
  end if;

  update app_private.sessions s set revoked_at = app_hidden.clock_now(), revoked_reason = 'password_changed'
   where s.user_id = v_user_id and s.revoked_at is null and s.id <> app_hidden.current_session_id();
  perform app_private.notify('password_changed', v_user_id);
  perform audit.record_event(v_event, 'success', subject_id => v_user_id,
    entity_type => 'user', entity_id => v_user_id::text);
  return v_result;
end;
$$;


ALTER FUNCTION app_public.change_password(current_password text, new_password text) OWNER TO app_owner;

--
-- Name: FUNCTION change_password(current_password text, new_password text); Type: COMMENT; Schema: app_public; Owner: app_owner
--

COMMENT ON FUNCTION app_public.change_password(current_password text, new_password text) IS 'Changes your password. Needs the current one; your other sessions end, and you are told by mail.';


--
-- Name: change_phone(text, text); Type: FUNCTION; Schema: app_public; Owner: app_owner
--

CREATE FUNCTION app_public.change_phone(new_phone text, password text) RETURNS app_public.outcome
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'extensions', 'pg_temp'
    AS $_$
declare
  v_user_id uuid := app_hidden.current_user_id();
  v_phone text := nullif(btrim(change_phone.new_phone), '');
  v_retry integer;
  v_event constant text := 'user.phone_change';
  v_refused app_public.outcome;
begin
  v_refused := app_private.require_login(null::app_public.outcome, v_event, 'You must log in to change your phone number.');
  if v_refused.refusal_code is not null then return v_refused; end if;
  if v_phone is not null and v_phone !~ '^\+[1-9][0-9]{6,14}$' then
    raise exception 'That is not a phone number in international format.' using errcode = 'INVAL',
      hint = 'Write it as + country code and number, digits only, for example +14155550123.';
  end if;

  v_retry := app_private.rate_limit_hit('phone_change:account:' || v_user_id::text,
    config.setting_integer('rate_limit.email_change_per_account.max'),
    config.setting_interval('rate_limit.email_change_per_account.window'));
  if v_retry is not null then
    return app_private.refuse(null::app_public.outcome, v_event, 'LIMIT',
      format('Too many requests: try again in %s seconds.', v_retry), subject_id => v_user_id, retry_after => v_retry);
  end if;

  v_refused := app_private.require_password(null::app_public.outcome, v_event, v_user_id, password);
  if v_refused.refusal_code is not null then return v_refused; end if;
  if not app_hidden.user_key_assigned(v_user_id) then
    raise exception 'Your phone number cannot be stored yet: try again in a minute.' using errcode = 'NOKEY',
      hint = 'Your account''s encryption key is still being made.';
  end if;

  insert into app_private.user_personal_data as p (user_id, phone, phone_lookup)
  values (v_user_id, app_hidden.encrypt_personal(v_user_id, v_phone),
          case when v_phone is not null then app_hidden.phone_lookup(v_phone) end)
  on conflict (user_id) do update
    set phone = excluded.phone, phone_lookup = excluded.phone_lookup, updated_at = app_hidden.clock_now();
  perform audit.record_event(v_event, 'success', subject_id => v_user_id,
    entity_type => 'user', entity_id => v_user_id::text,
    details => jsonb_build_object('removed', v_phone is null),
    personal_values => jsonb_build_object('phone', v_phone));
  return row(true, null, null, null)::app_public.outcome;
end;
$_$;


ALTER FUNCTION app_public.change_phone(new_phone text, password text) OWNER TO app_owner;

--
-- Name: FUNCTION change_phone(new_phone text, password text); Type: COMMENT; Schema: app_public; Owner: app_owner
--

COMMENT ON FUNCTION app_public.change_phone(new_phone text, password text) IS 'Sets your phone number (E.164, e.g. +14155550123), or removes it with null. Needs your password.';


--
-- Name: confirm_email_change(text); Type: FUNCTION; Schema: app_public; Owner: app_owner
--

CREATE FUNCTION app_public.confirm_email_change(token text) RETURNS app_public.outcome
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'extensions', 'pg_temp'
    AS $$
declare
  v_change app_private.email_changes;
  v_event constant text := 'user.email_change';
begin
  select c.* into v_change
  from app_private.email_changes c
  join app_public.users u on u.id = c.user_id and u.email = c.old_email and u.deleted_at is null
  where c.token_hash = app_private.link_token_hash(confirm_email_change.token)
    and c.used_at is null
    and c.token_expires_at > app_hidden.clock_now()
    and not exists (select 1 from app_public.users o where o.email = c.new_email and o.deleted_at is null)
  for update of c;
  if v_change.id is null then
    return app_private.refuse(null::app_public.outcome, v_event, 'LINKX',
      'This confirmation link is not valid: it may have been used already or have expired.');
  end if;

  update app_private.email_changes c set used_at = app_hidden.clock_now()
   where c.user_id = v_change.user_id and c.used_at is null;
  update app_public.users u
     set email = v_change.new_email, email_verified = true, email_verified_at = app_hidden.clock_now()
   where u.id = v_change.user_id;
  perform app_private.notify('email_changed', v_change.user_id, jsonb_build_object('new_email', v_change.new_email),
    recipient_email => v_change.old_email::text);
  perform app_private.notify('email_changed', v_change.user_id, jsonb_build_object('new_email', v_change.new_email));
  perform audit.record_event(v_event, 'success',
    personal_values => jsonb_build_object('old_email', v_change.old_email, 'new_email', v_change.new_email),
    subject_id => v_change.user_id, entity_type => 'email_change', entity_id => v_change.id::text);
  return row(true, null, null, null)::app_public.outcome;
end;
$$;


ALTER FUNCTION app_public.confirm_email_change(token text) OWNER TO app_owner;

--
-- Name: FUNCTION confirm_email_change(token text); Type: COMMENT; Schema: app_public; Owner: app_owner
--

COMMENT ON FUNCTION app_public.confirm_email_change(token text) IS 'Confirms your new email address with the token mailed to it; from then on Gatehouse writes to the new address.';


--
-- Name: create_organization(text, text); Type: FUNCTION; Schema: app_public; Owner: app_owner
--

CREATE FUNCTION app_public.create_organization(name text, slug text) RETURNS app_public.organization_change
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'extensions', 'pg_temp'
    AS $_$
declare
  v_actor uuid := app_hidden.current_user_id();
  v_slug citext := lower(btrim(create_organization.slug));
  v_id uuid;
  v_event constant text := 'organization.create';
  v_refused app_public.organization_change;
begin
  v_refused := app_private.require_login(null::app_public.organization_change, v_event);
  if v_refused.refusal_code is not null then return v_refused; end if;
  if not exists (select 1 from app_public.users u where u.id = v_actor and u.email_verified) then
    return app_private.refuse(null::app_public.organization_change, v_event, 'PERMS',
      'Verify your email address before creating an organisation.');
  end if;
  if length(btrim(coalesce(name, ''))) not between 1 and 100 then
    raise exception 'An organisation''s name has 1 to 100 characters.' using errcode = 'INVAL', hint = 'Choose another name.';
  end if;
  if v_slug is null or length(v_slug) not between 3 and 50 or v_slug !~ '^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$' then
    raise exception 'A slug has 3 to 50 lower-case letters, digits or dashes.' using errcode = 'INVAL', hint = 'Choose another slug.';
  end if;
  if exists (select 1 from app_public.organizations o where o.slug = v_slug) then
    return app_private.refuse(null::app_public.organization_change, v_event, 'TAKEN', 'That slug is taken: choose another.');
  end if;

  insert into app_public.organizations (name, slug, created_by) values (btrim(create_organization.name), v_slug, v_actor)
  returning id into v_id;
  insert into app_public.memberships (organization_id, user_id) values (v_id, v_actor);
  insert into app_public.user_roles (user_id, role_id, organization_id, assigned_by)
  select v_actor, r.id, v_id, v_actor from app_public.roles r where r.name = 'org_admin' and r.is_system;
  perform audit.record_event(v_event, 'success', jsonb_build_object('slug', v_slug),
    organisation_id => v_id, entity_type => 'organization', entity_id => v_id::text);
  return row(v_id, null, null, null)::app_public.organization_change;
end;
$_$;


ALTER FUNCTION app_public.create_organization(name text, slug text) OWNER TO app_owner;

--
-- Name: FUNCTION create_organization(name text, slug text); Type: COMMENT; Schema: app_public; Owner: app_owner
--

COMMENT ON FUNCTION app_public.create_organization(name text, slug text) IS 'Creates an organisation with you as its administrator.';


--
-- Name: create_role(uuid, text, text); Type: FUNCTION; Schema: app_public; Owner: app_owner
--

CREATE FUNCTION app_public.create_role(organization_id uuid, name text, description text DEFAULT ''::text) RETURNS app_public.role_change
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'extensions', 'pg_temp'
    AS $_$
declare
  v_id uuid;
  v_event constant text := 'role.create';
  v_refused app_public.role_change;
begin
  /* Only organisations have roles of their own: a null organisation is refused like a missing permission. */
  v_refused := app_private.require_permission(null::app_public.role_change, v_event, 'roles:manage',
    create_role.organization_id, 'You may not manage roles in this organisation.',
    'organization', create_role.organization_id::text);
  if v_refused.refusal_code is not null then return v_refused; end if;
  if create_role.organization_id is null then
    return app_private.refuse(null::app_public.role_change, v_event, 'PERMS', 'You may not manage roles in this organisation.',
      entity_type => 'organization');
  end if;
  if name is null or length(name) not between 1 and 60 or name !~ '^[a-z][a-z0-9_]*$' then
    raise exception 'A role''s name has 1 to 60 lower-case letters, digits or underscores, starting with a letter.'
      using errcode = 'INVAL', hint = 'Choose another name.';
  end if;
  if exists (select 1 from app_public.roles r
             where (r.organization_id = create_role.organization_id or r.organization_id is null) and r.name = create_role.name) then
    return app_private.refuse(null::app_public.role_change, v_event, 'TAKEN', 'There is already a role with that name.',
      entity_type => 'organization', entity_id => create_role.organization_id::text);
  end if;
  insert into app_public.roles (organization_id, name, description)
  values (create_role.organization_id, create_role.name, coalesce(left(create_role.description, 500), ''))
  returning id into v_id;
  perform audit.record_event(v_event, 'success', jsonb_build_object('name', create_role.name),
    organisation_id => create_role.organization_id, entity_type => 'role', entity_id => v_id::text);
  return row(v_id, null, null, null)::app_public.role_change;
end;
$_$;


ALTER FUNCTION app_public.create_role(organization_id uuid, name text, description text) OWNER TO app_owner;

--
-- Name: FUNCTION create_role(organization_id uuid, name text, description text); Type: COMMENT; Schema: app_public; Owner: app_owner
--

COMMENT ON FUNCTION app_public.create_role(organization_id uuid, name text, description text) IS 'Creates a role in an organisation (roles:manage).';


--
-- Name: users; Type: TABLE; Schema: app_public; Owner: app_owner
--

CREATE TABLE app_public.users (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    username extensions.citext NOT NULL,
    email extensions.citext NOT NULL,
    first_name text,
    last_name text,
    display_name text,
    avatar_url text,
    bio text,
    timezone text DEFAULT 'UTC'::text NOT NULL,
    language text DEFAULT 'en'::text NOT NULL,
    tier text DEFAULT 'free'::text NOT NULL,
    status text DEFAULT 'active'::text NOT NULL,
    email_verified boolean DEFAULT false NOT NULL,
    email_verified_at timestamp with time zone,
    gdpr_consent_at timestamp with time zone,
    retention_until date,
    deleted_at timestamp with time zone,
    preferences jsonb DEFAULT '{}'::jsonb NOT NULL,
    metadata jsonb DEFAULT '{}'::jsonb NOT NULL,
    created_at timestamp with time zone DEFAULT app_hidden.clock_now() NOT NULL,
    updated_at timestamp with time zone DEFAULT app_hidden.clock_now() NOT NULL,
    erasure_requested_at timestamp with time zone,
    erasure_due_at timestamp with time zone,
    erased_at timestamp with time zone,
    processing_restricted_at timestamp with time zone,
    CONSTRAINT users_avatar_url_check CHECK (((length(avatar_url) <= 2048) AND (avatar_url ~ '^https://[^[:space:]]+$'::text))),
    CONSTRAINT users_bio_check CHECK ((length(bio) <= 500)),
    CONSTRAINT users_check CHECK ((email_verified = (email_verified_at IS NOT NULL))),
    CONSTRAINT users_display_name_check CHECK (((length(display_name) >= 1) AND (length(display_name) <= 100))),
    CONSTRAINT users_email_check CHECK (((length((email)::text) <= 254) AND (email OPERATOR(extensions.~) '^[^@[:space:]]+@[^@[:space:]]+\.[^@[:space:]]+$'::extensions.citext))),
    CONSTRAINT users_erasure_check CHECK (((erasure_requested_at IS NULL) = (erasure_due_at IS NULL))),
    CONSTRAINT users_first_name_check CHECK (((length(first_name) >= 1) AND (length(first_name) <= 100))),
    CONSTRAINT users_language_check CHECK ((language ~ '^[a-z]{2,3}(-[A-Z]{2})?$'::text)),
    CONSTRAINT users_last_name_check CHECK (((length(last_name) >= 1) AND (length(last_name) <= 100))),
    CONSTRAINT users_metadata_check CHECK (((jsonb_typeof(metadata) = 'object'::text) AND (length((metadata)::text) <= 10000))),
    CONSTRAINT users_preferences_check CHECK (((jsonb_typeof(preferences) = 'object'::text) AND (length((preferences)::text) <= 10000))),
    CONSTRAINT users_status_check CHECK ((status = ANY (ARRAY['active'::text, 'inactive'::text, 'suspended'::text, 'deleted'::text]))),
    CONSTRAINT users_tier_check CHECK ((tier = ANY (ARRAY['free'::text, 'pro'::text, 'enterprise'::text]))),
    CONSTRAINT users_timezone_check CHECK (((length(timezone) <= 64) AND (timezone ~ '^[A-Za-z_]+(/[A-Za-z0-9_+-]+)*$'::text))),
    CONSTRAINT users_username_check CHECK ((((length((username)::text) >= 3) AND (length((username)::text) <= 50)) AND (username OPERATOR(extensions.~) '^[A-Za-z0-9](?:[A-Za-z0-9_.-]*[A-Za-z0-9])?$'::extensions.citext)))
);


ALTER TABLE app_public.users OWNER TO app_owner;

--
-- Name: TABLE users; Type: COMMENT; Schema: app_public; Owner: app_owner
--

COMMENT ON TABLE app_public.users IS '@behavior -insert -delete
An account. You can read and edit your own; other people see only your public profile (UserProfile).';


--
-- Name: COLUMN users.username; Type: COMMENT; Schema: app_public; Owner: app_owner
--

COMMENT ON COLUMN app_public.users.username IS 'Your public handle: 3 to 50 letters, digits, dots, dashes or underscores.';


--
-- Name: COLUMN users.email; Type: COMMENT; Schema: app_public; Owner: app_owner
--

COMMENT ON COLUMN app_public.users.email IS 'Where Gatehouse writes to you. Never shown to other users.';


--
-- Name: COLUMN users.tier; Type: COMMENT; Schema: app_public; Owner: app_owner
--

COMMENT ON COLUMN app_public.users.tier IS 'Your plan: free, pro or enterprise.';


--
-- Name: COLUMN users.status; Type: COMMENT; Schema: app_public; Owner: app_owner
--

COMMENT ON COLUMN app_public.users.status IS 'active, inactive, suspended or deleted. Only active accounts can log in.';


--
-- Name: COLUMN users.retention_until; Type: COMMENT; Schema: app_public; Owner: app_owner
--

COMMENT ON COLUMN app_public.users.retention_until IS 'When the account''s data may be erased under the retention policy.';


--
-- Name: COLUMN users.deleted_at; Type: COMMENT; Schema: app_public; Owner: app_owner
--

COMMENT ON COLUMN app_public.users.deleted_at IS 'When the account was deleted (soft delete).';


--
-- Name: COLUMN users.preferences; Type: COMMENT; Schema: app_public; Owner: app_owner
--

COMMENT ON COLUMN app_public.users.preferences IS 'Your own settings for client applications (a JSON object, up to 10 kB).';


--
-- Name: COLUMN users.metadata; Type: COMMENT; Schema: app_public; Owner: app_owner
--

COMMENT ON COLUMN app_public.users.metadata IS 'Data administrators keep about the account (a JSON object). Read-only for you.';


--
-- Name: COLUMN users.erasure_requested_at; Type: COMMENT; Schema: app_public; Owner: app_owner
--

COMMENT ON COLUMN app_public.users.erasure_requested_at IS 'When you asked for your account to be deleted.';


--
-- Name: COLUMN users.erasure_due_at; Type: COMMENT; Schema: app_public; Owner: app_owner
--

COMMENT ON COLUMN app_public.users.erasure_due_at IS 'When your deleted account will be erased; until then it can be restored.';


--
-- Name: COLUMN users.erased_at; Type: COMMENT; Schema: app_public; Owner: app_owner
--

COMMENT ON COLUMN app_public.users.erased_at IS 'When the account was erased: its keys destroyed, its personal data anonymised.';


--
-- Name: COLUMN users.processing_restricted_at; Type: COMMENT; Schema: app_public; Owner: app_owner
--

COMMENT ON COLUMN app_public.users.processing_restricted_at IS 'Set while processing of the account''s data is restricted (GDPR Art. 18): frozen, data kept as it is.';


--
-- Name: current_user(); Type: FUNCTION; Schema: app_public; Owner: app_owner
--

CREATE FUNCTION app_public."current_user"() RETURNS app_public.users
    LANGUAGE sql STABLE SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
  select u.* from app_public.users u where u.id = app_hidden.current_user_id()
$$;


ALTER FUNCTION app_public."current_user"() OWNER TO app_owner;

--
-- Name: FUNCTION "current_user"(); Type: COMMENT; Schema: app_public; Owner: app_owner
--

COMMENT ON FUNCTION app_public."current_user"() IS 'Your account, or null when you are not logged in (or your session has ended).';


--
-- Name: current_user_security(); Type: FUNCTION; Schema: app_public; Owner: app_owner
--

CREATE FUNCTION app_public.current_user_security() RETURNS app_public.security_summary
    LANGUAGE sql STABLE SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
  select row(
    s.password_changed_at, s.last_login_at, null::inet,
    (select count(*)::integer from app_private.sessions x
      where x.user_id = s.user_id and x.revoked_at is null and x.absolute_expires_at > app_hidden.clock_now()),
    (select x.personal from app_private.sessions x where x.user_id = s.user_id order by x.created_at desc limit 1)
  )::app_public.security_summary
  from app_private.user_security s
  where s.user_id = app_hidden.current_user_id()
$$;


ALTER FUNCTION app_public.current_user_security() OWNER TO app_owner;

--
-- Name: FUNCTION current_user_security(); Type: COMMENT; Schema: app_public; Owner: app_owner
--

COMMENT ON FUNCTION app_public.current_user_security() IS 'When your password last changed, your last login and from where, and how many sessions are live.';


--
-- Name: delete_my_account(text, boolean); Type: FUNCTION; Schema: app_public; Owner: app_owner
--

CREATE FUNCTION app_public.delete_my_account(password text, immediate boolean DEFAULT false) RETURNS app_public.outcome
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
declare
  v_user_id uuid := app_hidden.current_user_id();
  v_due timestamptz;
  v_event constant text := 'user.delete';
  v_refused app_public.outcome;
begin
  v_refused := app_private.require_login(null::app_public.outcome, v_event, 'You must log in to delete your account.');
  if v_refused.refusal_code is not null then return v_refused; end if;
  v_refused := app_private.require_password(null::app_public.outcome, v_event, v_user_id, password);
  if v_refused.refusal_code is not null then return v_refused; end if;

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
  perform audit.record_event(v_event, 'success', subject_id => v_user_id, entity_type => 'user',
    entity_id => v_user_id::text, severity => 'notice',
    details => jsonb_build_object('immediate', coalesce(immediate, false), 'erasure_due_at', v_due));
  return row(true, null, null, null)::app_public.outcome;
end;
$$;


ALTER FUNCTION app_public.delete_my_account(password text, immediate boolean) OWNER TO app_owner;

--
-- Name: FUNCTION delete_my_account(password text, immediate boolean); Type: COMMENT; Schema: app_public; Owner: app_owner
--

COMMENT ON FUNCTION app_public.delete_my_account(password text, immediate boolean) IS 'Deletes your account: you are logged out everywhere now, and your data is erased after the grace period (or at once with immediate). Needs your password.';


--
-- Name: delete_role(uuid); Type: FUNCTION; Schema: app_public; Owner: app_owner
--

CREATE FUNCTION app_public.delete_role(role_id uuid) RETURNS app_public.role_change
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
declare
  v_event constant text := 'role.delete';
  v_refused app_public.role_change;
begin
  v_refused := app_private.require_role_management(row(delete_role.role_id, null, null, null)::app_public.role_change,
    v_event, delete_role.role_id);
  if v_refused.refusal_code is not null then return v_refused; end if;
  delete from app_public.roles r where r.id = delete_role.role_id;
  perform audit.record_event(v_event, 'success', entity_type => 'role', entity_id => delete_role.role_id::text);
  return row(delete_role.role_id, null, null, null)::app_public.role_change;
end;
$$;


ALTER FUNCTION app_public.delete_role(role_id uuid) OWNER TO app_owner;

--
-- Name: FUNCTION delete_role(role_id uuid); Type: COMMENT; Schema: app_public; Owner: app_owner
--

COMMENT ON FUNCTION app_public.delete_role(role_id uuid) IS 'Deletes an organisation''s role; its holders lose what it gave them (roles:manage).';


--
-- Name: effective_permissions(uuid, uuid); Type: FUNCTION; Schema: app_public; Owner: app_owner
--

CREATE FUNCTION app_public.effective_permissions(user_id uuid, organization_id uuid DEFAULT NULL::uuid) RETURNS SETOF text
    LANGUAGE sql STABLE SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
  select p from app_hidden.user_permissions(effective_permissions.user_id, effective_permissions.organization_id) p
  where effective_permissions.user_id = app_hidden.current_user_id()
     or app_hidden.user_has_permission(app_hidden.current_user_id(), 'roles:read', effective_permissions.organization_id)
  order by 1
$$;


ALTER FUNCTION app_public.effective_permissions(user_id uuid, organization_id uuid) OWNER TO app_owner;

--
-- Name: FUNCTION effective_permissions(user_id uuid, organization_id uuid); Type: COMMENT; Schema: app_public; Owner: app_owner
--

COMMENT ON FUNCTION app_public.effective_permissions(user_id uuid, organization_id uuid) IS 'Every permission a user holds in an organisation, through all their roles and the roles those inherit from.';


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
-- Name: end_organization_sessions(uuid); Type: FUNCTION; Schema: app_public; Owner: app_owner
--

CREATE FUNCTION app_public.end_organization_sessions(organization_id uuid) RETURNS app_public.organization_change
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
declare
  v_event constant text := 'auth.sessions_end_organization';
  v_ended integer;
  v_refused app_public.organization_change;
begin
  v_refused := app_private.require_permission(
    row(end_organization_sessions.organization_id, null, null, null)::app_public.organization_change, v_event,
    'sessions:revoke', end_organization_sessions.organization_id, 'You may not end sessions in this organisation.',
    'organization', end_organization_sessions.organization_id::text);
  if v_refused.refusal_code is not null then return v_refused; end if;
  update app_private.sessions s set revoked_at = app_hidden.clock_now(), revoked_reason = 'ended_by_admin'
   where s.organization_id = end_organization_sessions.organization_id and s.revoked_at is null
     and s.id is distinct from app_hidden.current_session_id();
  get diagnostics v_ended = row_count;
  perform audit.record_event(v_event, 'success', jsonb_build_object('sessions_ended', v_ended),
    organisation_id => end_organization_sessions.organization_id, entity_type => 'organization',
    entity_id => end_organization_sessions.organization_id::text, severity => 'notice');
  return row(end_organization_sessions.organization_id, null, null, null)::app_public.organization_change;
end;
$$;


ALTER FUNCTION app_public.end_organization_sessions(organization_id uuid) OWNER TO app_owner;

--
-- Name: FUNCTION end_organization_sessions(organization_id uuid); Type: COMMENT; Schema: app_public; Owner: app_owner
--

COMMENT ON FUNCTION app_public.end_organization_sessions(organization_id uuid) IS 'Ends every session acting in the organisation except yours (sessions:revoke).';


--
-- Name: end_user_sessions(uuid, uuid); Type: FUNCTION; Schema: app_public; Owner: app_owner
--

CREATE FUNCTION app_public.end_user_sessions(user_id uuid, organization_id uuid DEFAULT NULL::uuid) RETURNS app_public.organization_change
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
declare
  v_event constant text := 'auth.sessions_end_user';
  v_ended integer;
  v_base app_public.organization_change := row(end_user_sessions.organization_id, null, null, null);
  v_refused app_public.organization_change;
begin
  v_refused := app_private.require_permission(v_base, v_event, 'sessions:revoke', end_user_sessions.organization_id,
    'You may not end this person''s sessions.', 'user', end_user_sessions.user_id::text);
  if v_refused.refusal_code is not null then return v_refused; end if;
  /* Within an organisation, only its own members: the same answer as a missing permission. */
  if end_user_sessions.organization_id is not null
     and not app_hidden.is_member(end_user_sessions.user_id, end_user_sessions.organization_id) then
    return app_private.refuse(v_base, v_event, 'PERMS', 'You may not end this person''s sessions.',
      organisation_id => end_user_sessions.organization_id,
      entity_type => 'user', entity_id => end_user_sessions.user_id::text);
  end if;
  update app_private.sessions s set revoked_at = app_hidden.clock_now(), revoked_reason = 'ended_by_admin'
   where s.user_id = end_user_sessions.user_id and s.revoked_at is null;
  get diagnostics v_ended = row_count;
  perform audit.record_event(v_event, 'success', jsonb_build_object('sessions_ended', v_ended),
    subject_id => end_user_sessions.user_id, organisation_id => end_user_sessions.organization_id,
    entity_type => 'user', entity_id => end_user_sessions.user_id::text, severity => 'notice');
  return row(end_user_sessions.organization_id, null, null, null)::app_public.organization_change;
end;
$$;


ALTER FUNCTION app_public.end_user_sessions(user_id uuid, organization_id uuid) OWNER TO app_owner;

--
-- Name: FUNCTION end_user_sessions(user_id uuid, organization_id uuid); Type: COMMENT; Schema: app_public; Owner: app_owner
--

COMMENT ON FUNCTION app_public.end_user_sessions(user_id uuid, organization_id uuid) IS 'Ends every session of a member (sessions:revoke).';


--
-- Name: explain_permission(uuid, text, uuid); Type: FUNCTION; Schema: app_public; Owner: app_owner
--

CREATE FUNCTION app_public.explain_permission(user_id uuid, permission text, organization_id uuid DEFAULT NULL::uuid) RETURNS SETOF app_public.permission_path
    LANGUAGE sql STABLE SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
  with recursive walk (role_id, path) as (
    select ur.role_id, array[ur.role_id]
    from app_public.user_roles ur
    where ur.user_id = explain_permission.user_id
      and (ur.expires_at is null or ur.expires_at > app_hidden.clock_now())
      and (ur.organization_id is null
           or (ur.organization_id = explain_permission.organization_id
               and app_hidden.is_member(explain_permission.user_id, explain_permission.organization_id)))
    union all
    select p.parent_id, w.path || p.parent_id
    from walk w join app_public.role_parents p on p.role_id = w.role_id
    where not p.parent_id = any (w.path)
  )
  select row(array(select r.name::text from unnest(w.path) with ordinality as u (id, n)
                   join app_public.roles r on r.id = u.id order by u.n))::app_public.permission_path
  from walk w
  join app_public.role_permissions rp on rp.role_id = w.role_id and rp.permission = explain_permission.permission
  where explain_permission.user_id = app_hidden.current_user_id()
     or app_hidden.user_has_permission(app_hidden.current_user_id(), 'roles:read', explain_permission.organization_id)
     or app_hidden.user_has_permission(app_hidden.current_user_id(), 'audit:read', explain_permission.organization_id)
  order by array_length(w.path, 1), 1
$$;


ALTER FUNCTION app_public.explain_permission(user_id uuid, permission text, organization_id uuid) OWNER TO app_owner;

--
-- Name: FUNCTION explain_permission(user_id uuid, permission text, organization_id uuid); Type: COMMENT; Schema: app_public; Owner: app_owner
--

COMMENT ON FUNCTION app_public.explain_permission(user_id uuid, permission text, organization_id uuid) IS 'The role paths by which a user holds a permission in an organisation, shortest first; none if they do not hold it.';


--
-- Name: export_my_data(); Type: FUNCTION; Schema: app_public; Owner: app_owner
--

CREATE FUNCTION app_public.export_my_data() RETURNS app_public.data_export
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
declare
  v_user_id uuid := app_hidden.current_user_id();
  v_event constant text := 'user.export';
  v_refused app_public.data_export;
begin
  v_refused := app_private.require_login(null::app_public.data_export, v_event, 'You must log in to export your data.');
  if v_refused.refusal_code is not null then return v_refused; end if;
  perform audit.record_event(v_event, 'success', subject_id => v_user_id, entity_type => 'user',
    entity_id => v_user_id::text, details => jsonb_build_object('requested_by', 'self'));
  return row(app_hidden.personal_data_document(v_user_id), null, null)::app_public.data_export;
end;
$$;


ALTER FUNCTION app_public.export_my_data() OWNER TO app_owner;

--
-- Name: FUNCTION export_my_data(); Type: COMMENT; Schema: app_public; Owner: app_owner
--

COMMENT ON FUNCTION app_public.export_my_data() IS 'Everything held about you, as one JSON document (GDPR access and portability). Audited.';


--
-- Name: export_user_data(uuid); Type: FUNCTION; Schema: app_public; Owner: app_owner
--

CREATE FUNCTION app_public.export_user_data(user_id uuid) RETURNS app_public.data_export
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
declare
  v_event constant text := 'user.export';
  v_refused app_public.data_export;
begin
  v_refused := app_private.require_permission(null::app_public.data_export, v_event, 'users:export', null,
    'You may not export accounts: this needs the users:export permission.', subject_id => export_user_data.user_id);
  if v_refused.refusal_code is not null then return v_refused; end if;
  if not exists (select 1 from app_public.users u where u.id = export_user_data.user_id) then
    return app_private.refuse(null::app_public.data_export, v_event, 'NTFND', 'There is no such account.',
      subject_id => export_user_data.user_id);
  end if;
  perform audit.record_event(v_event, 'success', subject_id => export_user_data.user_id, entity_type => 'user',
    entity_id => export_user_data.user_id::text, severity => 'notice', details => jsonb_build_object('requested_by', 'admin'));
  return row(app_hidden.personal_data_document(export_user_data.user_id), null, null)::app_public.data_export;
end;
$$;


ALTER FUNCTION app_public.export_user_data(user_id uuid) OWNER TO app_owner;

--
-- Name: FUNCTION export_user_data(user_id uuid); Type: COMMENT; Schema: app_public; Owner: app_owner
--

COMMENT ON FUNCTION app_public.export_user_data(user_id uuid) IS 'Everything held about an account, as one JSON document (users:export, global). Audited.';


--
-- Name: grant_role_permission(uuid, text); Type: FUNCTION; Schema: app_public; Owner: app_owner
--

CREATE FUNCTION app_public.grant_role_permission(role_id uuid, permission text) RETURNS app_public.role_change
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
declare
  v_actor uuid := app_hidden.current_user_id();
  v_event constant text := 'role.grant_permission';
  v_base app_public.role_change := row(grant_role_permission.role_id, null, null, null);
  v_refused app_public.role_change;
  v_org uuid;
begin
  v_refused := app_private.require_role_management(v_base, v_event, grant_role_permission.role_id);
  if v_refused.refusal_code is not null then return v_refused; end if;
  select r.organization_id into v_org from app_public.roles r where r.id = grant_role_permission.role_id;
  if not exists (select 1 from app_public.permissions p where p.name = grant_role_permission.permission) then
    return app_private.refuse(v_base, v_event, 'NTFND', 'There is no such permission.',
      entity_type => 'role', entity_id => grant_role_permission.role_id::text);
  end if;
  if not app_hidden.user_has_permission(v_actor, grant_role_permission.permission, v_org) then
    return app_private.refuse(v_base, v_event, 'PERMS', 'You can only grant permissions you hold yourself.',
      entity_type => 'role', entity_id => grant_role_permission.role_id::text,
      details => jsonb_build_object('permission', grant_role_permission.permission));
  end if;
  insert into app_public.role_permissions (role_id, permission)
  values (grant_role_permission.role_id, grant_role_permission.permission) on conflict do nothing;
  perform audit.record_event(v_event, 'success', jsonb_build_object('permission', grant_role_permission.permission),
    organisation_id => v_org, entity_type => 'role', entity_id => grant_role_permission.role_id::text);
  return row(grant_role_permission.role_id, null, null, null)::app_public.role_change;
end;
$$;


ALTER FUNCTION app_public.grant_role_permission(role_id uuid, permission text) OWNER TO app_owner;

--
-- Name: FUNCTION grant_role_permission(role_id uuid, permission text); Type: COMMENT; Schema: app_public; Owner: app_owner
--

COMMENT ON FUNCTION app_public.grant_role_permission(role_id uuid, permission text) IS 'Adds a permission to a role (roles:manage). You can only grant permissions you hold.';


--
-- Name: has_permission(text, uuid); Type: FUNCTION; Schema: app_public; Owner: app_owner
--

CREATE FUNCTION app_public.has_permission(permission text, organization_id uuid DEFAULT app_hidden.current_organization_id()) RETURNS boolean
    LANGUAGE sql STABLE
    AS $$
  select coalesce(app_hidden.user_has_permission(app_hidden.current_user_id(), permission, organization_id), false)
$$;


ALTER FUNCTION app_public.has_permission(permission text, organization_id uuid) OWNER TO app_owner;

--
-- Name: FUNCTION has_permission(permission text, organization_id uuid); Type: COMMENT; Schema: app_public; Owner: app_owner
--

COMMENT ON FUNCTION app_public.has_permission(permission text, organization_id uuid) IS 'Whether you hold a permission (resource:action) in an organisation: by default the one your token acts in.';


--
-- Name: invite_member(uuid, text); Type: FUNCTION; Schema: app_public; Owner: app_owner
--

CREATE FUNCTION app_public.invite_member(organization_id uuid, email text) RETURNS app_public.organization_change
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'extensions', 'pg_temp'
    AS $_$
declare
  v_actor uuid := app_hidden.current_user_id();
  v_email citext := btrim(invite_member.email);
  v_id uuid;
  v_event constant text := 'invitation.create';
  v_refused app_public.organization_change;
begin
  v_refused := app_private.require_permission(row(invite_member.organization_id, null, null, null)::app_public.organization_change,
    v_event, 'members:invite', invite_member.organization_id, 'You may not invite people to this organisation.',
    'organization', invite_member.organization_id::text);
  if v_refused.refusal_code is not null then return v_refused; end if;
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
$_$;


ALTER FUNCTION app_public.invite_member(organization_id uuid, email text) OWNER TO app_owner;

--
-- Name: FUNCTION invite_member(organization_id uuid, email text); Type: COMMENT; Schema: app_public; Owner: app_owner
--

COMMENT ON FUNCTION app_public.invite_member(organization_id uuid, email text) IS 'Invites someone to an organisation by email (members:invite).';


--
-- Name: leave_organization(uuid); Type: FUNCTION; Schema: app_public; Owner: app_owner
--

CREATE FUNCTION app_public.leave_organization(organization_id uuid) RETURNS app_public.organization_change
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
declare
  v_actor uuid := app_hidden.current_user_id();
  v_event constant text := 'membership.leave';
  v_base app_public.organization_change := row(leave_organization.organization_id, null, null, null);
  v_refused app_public.organization_change;
begin
  v_refused := app_private.require_login(v_base, v_event);
  if v_refused.refusal_code is not null then return v_refused; end if;
  if not app_hidden.is_member(v_actor, leave_organization.organization_id) then
    return app_private.refuse(v_base, v_event, 'NTFND', 'You are not a member.',
      entity_type => 'organization', entity_id => leave_organization.organization_id::text);
  end if;
  if app_private.is_last_admin(leave_organization.organization_id, v_actor) then
    return app_private.refuse(v_base, v_event, 'LASTA',
      'You are the last administrator: make someone else org_admin before you leave.',
      entity_type => 'organization', entity_id => leave_organization.organization_id::text);
  end if;
  update app_public.memberships m set status = 'left', ended_at = app_hidden.clock_now()
   where m.organization_id = leave_organization.organization_id and m.user_id = v_actor;
  delete from app_public.user_roles ur where ur.organization_id = leave_organization.organization_id and ur.user_id = v_actor;
  perform audit.record_event(v_event, 'success', subject_id => v_actor, organisation_id => leave_organization.organization_id,
    entity_type => 'organization', entity_id => leave_organization.organization_id::text);
  return row(leave_organization.organization_id, null, null, null)::app_public.organization_change;
end;
$$;


ALTER FUNCTION app_public.leave_organization(organization_id uuid) OWNER TO app_owner;

--
-- Name: FUNCTION leave_organization(organization_id uuid); Type: COMMENT; Schema: app_public; Owner: app_owner
--

COMMENT ON FUNCTION app_public.leave_organization(organization_id uuid) IS 'Leaves an organisation. The last administrator cannot leave.';


--
-- Name: login(text, text); Type: FUNCTION; Schema: app_public; Owner: app_owner
--

CREATE FUNCTION app_public.login(identifier text, password text) RETURNS app_public.login_result
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'extensions', 'pg_temp'
    AS $$
declare
  v_identifier citext := btrim(identifier);
  /* Whole seconds: JWT times have no fractions, and accessTokenExpiresAt must equal the token's exp. */
  v_now timestamptz := date_trunc('second', app_hidden.clock_now());
  v_attempt_id uuid := nullif(pg_catalog.current_setting('request.attempt_id', true), '')::uuid;
  v_reservation app_private.login_reservations;
  v_refused app_public.login_result;
  v_user app_public.users;
  v_security app_private.user_security;
  v_key text;
  v_attempt app_private.login_attempts;
  v_reason text;
  v_session_id uuid;
  v_session_expires timestamptz;
  v_refusal constant text := 'The username, email address or password is not correct.';
  v_event constant text := 'auth.login';
begin
  if v_attempt_id is not null then
    delete from app_private.login_reservations r where r.attempt_id = v_attempt_id returning r.* into v_reservation;
  end if;
  if v_reservation.id is null then
    v_attempt_id := gen_random_uuid();
    v_refused := app_hidden.reserve_login(identifier, v_attempt_id);
    if v_refused.refusal_code is not null then return v_refused; end if;
    delete from app_private.login_reservations r where r.attempt_id = v_attempt_id returning r.* into v_reservation;
  end if;
  if v_reservation.expires_at <= app_hidden.clock_now() then
    return app_private.refuse(null::app_public.login_result, v_event, 'LIMIT',
      'Too many login attempts at once: try again in a second.', reason => 'reservation_expired',
      subject_id => v_reservation.user_id, retry_after => 1);
  end if;

  select u.* into v_user from app_public.users u where u.id = v_reservation.user_id and u.deleted_at is null;
  select s.* into v_security from app_private.user_security s where s.user_id = v_user.id;
  v_key := v_reservation.attempt_key;
  /* One account (or unknown identifier) at a time from here: parallel guesses cannot pass the lockout threshold. */
  insert into app_private.login_attempts (key) values (v_key) on conflict do nothing;
  select a.* into v_attempt from app_private.login_attempts a where a.key = v_key for update;
  if v_identifier is null or password is null or length(v_identifier) > 254
     or char_length(password) > config.setting_integer('auth.password_max_length')
     or v_key <> app_private.login_attempt_key(v_reservation.user_id, v_identifier::text) then
    v_reason := 'malformed';
  elsif v_attempt.locked_until > app_hidden.clock_now() then
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

  if v_reason is not null then
    /* A failure of the client IP (rate_limit.login_failures_per_client_ip), in place of its reservation. */
    insert into app_private.rate_limit_hits (bucket, hit_at) values (v_reservation.client_ip_bucket, app_hidden.clock_now());
    return app_private.refuse(null::app_public.login_result, v_event, 'WRONG', v_refusal, reason => v_reason,
      subject_id => v_user.id, personal_values => jsonb_build_object('identifier', left(v_identifier::text, 254)));
  end if;

  if (v_attempt.failed_count, v_attempt.lock_count) <> (0, 0) then
    update app_private.login_attempts a set failed_count = 0, lock_count = 0, locked_until = null where a.key = v_key;
  end if;
  /* A legacy hash, or one made at another cost, is replaced now that the password is known to be right. */
  if v_security.password_scheme <> 'bcrypt-sha384'
     or substr(v_security.password_hash, 5, 2)::integer <> config.setting_integer('auth.bcrypt_cost') then
    update app_private.user_security s
       set password_hash = app_private.hash_password(password), password_scheme = 'bcrypt-sha384', last_login_at = v_now
     where s.user_id = v_user.id;
  else
    update app_private.user_security s set last_login_at = v_now where s.user_id = v_user.id;
  end if;

  perform app_private.note_login_device(v_user.id);
  /* Where the session was opened from is personal data: stored only encrypted to the account's key. */
  insert into app_private.sessions (user_id, personal)
  values (v_user.id, app_hidden.encrypt_personal(v_user.id, jsonb_strip_nulls(jsonb_build_object(
            'ip', host(app_hidden.current_client_ip()), 'user_agent', left(app_hidden.current_user_agent(), 512)))::text))
  returning id, absolute_expires_at into v_session_id, v_session_expires;

  perform audit.record_event(v_event, 'success', '{}', subject_id => v_user.id,
    entity_type => 'session', entity_id => v_session_id::text);
  return row(
    v_user.id, v_session_id, app_private.issue_refresh_token(v_session_id, null), v_now,
    date_trunc('second', least(v_now + config.setting_interval('auth.access_token_ttl'), v_session_expires)),
    null, null, null, null
  )::app_public.login_result;
end;
$$;


ALTER FUNCTION app_public.login(identifier text, password text) OWNER TO app_owner;

--
-- Name: FUNCTION login(identifier text, password text); Type: COMMENT; Schema: app_public; Owner: app_owner
--

COMMENT ON FUNCTION app_public.login(identifier text, password text) IS 'Logs in with a username or email address and a password, starting a new session.';


--
-- Name: login_result_user(app_public.login_result); Type: FUNCTION; Schema: app_public; Owner: app_owner
--

CREATE FUNCTION app_public.login_result_user(r app_public.login_result) RETURNS app_public.users
    LANGUAGE sql STABLE SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
  select u.*
  from app_public.users u
  join app_private.sessions s on s.user_id = u.id
  where u.id = r.user_id and s.id = r.session_id and s.revoked_at is null
$$;


ALTER FUNCTION app_public.login_result_user(r app_public.login_result) OWNER TO app_owner;

--
-- Name: FUNCTION login_result_user(r app_public.login_result); Type: COMMENT; Schema: app_public; Owner: app_owner
--

COMMENT ON FUNCTION app_public.login_result_user(r app_public.login_result) IS '@behavior -queryField
The account you are now logged in as.';


--
-- Name: logout(); Type: FUNCTION; Schema: app_public; Owner: app_owner
--

CREATE FUNCTION app_public.logout() RETURNS app_public.outcome
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
declare
  v_session_id uuid := app_hidden.current_session_id();
  v_event constant text := 'auth.logout';
begin
  if v_session_id is null then
    return app_private.refuse(null::app_public.outcome, v_event, 'LOGIN', 'You are not logged in.');
  end if;
  update app_private.sessions s set revoked_at = app_hidden.clock_now(), revoked_reason = 'logout' where s.id = v_session_id;
  perform audit.record_event(v_event, 'success', subject_id => app_hidden.current_user_id(),
    entity_type => 'session', entity_id => v_session_id::text);
  return row(true, null, null, null)::app_public.outcome;
end;
$$;


ALTER FUNCTION app_public.logout() OWNER TO app_owner;

--
-- Name: FUNCTION logout(); Type: COMMENT; Schema: app_public; Owner: app_owner
--

COMMENT ON FUNCTION app_public.logout() IS 'Ends this session. Its access and refresh tokens stop working at once.';


--
-- Name: logout_all_sessions(); Type: FUNCTION; Schema: app_public; Owner: app_owner
--

CREATE FUNCTION app_public.logout_all_sessions() RETURNS app_public.outcome
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
declare
  v_user_id uuid := app_hidden.current_user_id();
  v_ended integer;
  v_event constant text := 'auth.logout_all';
  v_refused app_public.outcome;
begin
  v_refused := app_private.require_login(null::app_public.outcome, v_event, 'You are not logged in.');
  if v_refused.refusal_code is not null then return v_refused; end if;
  update app_private.sessions s set revoked_at = app_hidden.clock_now(), revoked_reason = 'logout_all'
   where s.user_id = v_user_id and s.revoked_at is null;
  get diagnostics v_ended = row_count;
  perform audit.record_event(v_event, 'success', jsonb_build_object('sessions_ended', v_ended),
    subject_id => v_user_id, entity_type => 'user', entity_id => v_user_id::text);
  return row(true, null, null, null)::app_public.outcome;
end;
$$;


ALTER FUNCTION app_public.logout_all_sessions() OWNER TO app_owner;

--
-- Name: FUNCTION logout_all_sessions(); Type: COMMENT; Schema: app_public; Owner: app_owner
--

COMMENT ON FUNCTION app_public.logout_all_sessions() IS 'Ends every session of your account, this one included.';


--
-- Name: my_consents(); Type: FUNCTION; Schema: app_public; Owner: app_owner
--

CREATE FUNCTION app_public.my_consents() RETURNS SETOF app_public.consent
    LANGUAGE sql STABLE SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
  select row(c.id, c.purpose, c.version, c.granted, c.recorded_at)::app_public.consent
  from app_private.consents c
  where c.user_id = app_hidden.current_user_id()
  order by c.recorded_at desc, c.id desc
$$;


ALTER FUNCTION app_public.my_consents() OWNER TO app_owner;

--
-- Name: FUNCTION my_consents(); Type: COMMENT; Schema: app_public; Owner: app_owner
--

COMMENT ON FUNCTION app_public.my_consents() IS 'Your consent history, newest first.';


--
-- Name: my_permissions(uuid); Type: FUNCTION; Schema: app_public; Owner: app_owner
--

CREATE FUNCTION app_public.my_permissions(organization_id uuid DEFAULT app_hidden.current_organization_id()) RETURNS SETOF text
    LANGUAGE sql STABLE SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
  select p from app_hidden.user_permissions(app_hidden.current_user_id(), my_permissions.organization_id) p order by 1
$$;


ALTER FUNCTION app_public.my_permissions(organization_id uuid) OWNER TO app_owner;

--
-- Name: FUNCTION my_permissions(organization_id uuid); Type: COMMENT; Schema: app_public; Owner: app_owner
--

COMMENT ON FUNCTION app_public.my_permissions(organization_id uuid) IS 'Every permission you hold in an organisation (by default the one your token acts in), through all your roles.';


--
-- Name: my_sessions(); Type: FUNCTION; Schema: app_public; Owner: app_owner
--

CREATE FUNCTION app_public.my_sessions() RETURNS SETOF app_public.session_info
    LANGUAGE sql STABLE SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
  select s.id, s.created_at, s.last_refreshed_at, s.absolute_expires_at, null::inet, null::text, s.device_info,
         s.id = app_hidden.current_session_id(), s.personal
  from app_private.sessions s
  where s.user_id = app_hidden.current_user_id()
    and s.revoked_at is null
    and s.absolute_expires_at > app_hidden.clock_now()
    and s.last_refreshed_at + config.setting_interval('auth.session_idle_timeout') > app_hidden.clock_now()
  order by s.created_at desc
$$;


ALTER FUNCTION app_public.my_sessions() OWNER TO app_owner;

--
-- Name: FUNCTION my_sessions(); Type: COMMENT; Schema: app_public; Owner: app_owner
--

COMMENT ON FUNCTION app_public.my_sessions() IS 'Your live sessions, newest first: where and when each started, when it was last refreshed, and which is this one.';


--
-- Name: publish_post(uuid); Type: FUNCTION; Schema: app_public; Owner: app_owner
--

CREATE FUNCTION app_public.publish_post(post_id uuid) RETURNS app_public.outcome
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
declare
  v_event constant text := 'post.publish';
begin
  update app_public.posts p set status = 'published', published_at = app_hidden.clock_now()
   where p.id = publish_post.post_id and p.author_id = app_hidden.current_user_id() and p.status = 'draft';
  if not found then
    return app_private.refuse(null::app_public.outcome, v_event, 'NTFND', 'You have no draft with that id.',
      entity_type => 'post', entity_id => publish_post.post_id::text);
  end if;
  perform audit.record_event(v_event, 'success', entity_type => 'post', entity_id => publish_post.post_id::text);
  return row(true, null, null, null)::app_public.outcome;
end;
$$;


ALTER FUNCTION app_public.publish_post(post_id uuid) OWNER TO app_owner;

--
-- Name: FUNCTION publish_post(post_id uuid); Type: COMMENT; Schema: app_public; Owner: app_owner
--

COMMENT ON FUNCTION app_public.publish_post(post_id uuid) IS 'Publishes one of your drafts: everyone signed in can then read it and comment.';


--
-- Name: record_consent(text, text, boolean); Type: FUNCTION; Schema: app_public; Owner: app_owner
--

CREATE FUNCTION app_public.record_consent(purpose text, version text, granted boolean) RETURNS app_public.consent
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $_$
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
  v_row := app_private.append_consent(v_user_id, record_consent.purpose, record_consent.version, record_consent.granted);
  return row(v_row.id, v_row.purpose, v_row.version, v_row.granted, v_row.recorded_at)::app_public.consent;
end;
$_$;


ALTER FUNCTION app_public.record_consent(purpose text, version text, granted boolean) OWNER TO app_owner;

--
-- Name: FUNCTION record_consent(purpose text, version text, granted boolean); Type: COMMENT; Schema: app_public; Owner: app_owner
--

COMMENT ON FUNCTION app_public.record_consent(purpose text, version text, granted boolean) IS 'Gives (granted: true) or withdraws (false) your consent for a purpose: terms, marketing or analytics.';


--
-- Name: refresh_token(text); Type: FUNCTION; Schema: app_public; Owner: app_owner
--

CREATE FUNCTION app_public.refresh_token(refresh_token text) RETURNS app_public.login_result
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'extensions', 'pg_temp'
    AS $$
declare
  v_now timestamptz := date_trunc('second', app_hidden.clock_now());
  v_hash bytea;
  v_session_id uuid;
  v_session app_private.sessions;
  v_token app_private.refresh_tokens;
  v_status text;
  v_reason text;
  v_retry integer;
  v_children integer;
  v_refusal constant text := 'Your session has ended: log in again.';
  v_event constant text := 'auth.refresh';
begin
  v_hash := app_private.link_token_hash(refresh_token);
  select t.session_id into v_session_id from app_private.refresh_tokens t where t.token_hash = v_hash;
  if v_session_id is null then
    return app_private.refuse(null::app_public.login_result, v_event, 'LOGIN', v_refusal, reason => 'unknown_token');
  end if;

  select s.* into v_session from app_private.sessions s where s.id = v_session_id for update;
  /* Read the token again now that no other refresh of this session is running. */
  select t.* into v_token from app_private.refresh_tokens t where t.token_hash = v_hash;

  v_retry := app_private.rate_limit_hit('refresh:session:' || v_session.id::text,
    config.setting_integer('rate_limit.refresh_per_session.max'),
    config.setting_interval('rate_limit.refresh_per_session.window'));
  if v_retry is not null then
    return app_private.refuse(null::app_public.login_result, v_event, 'LIMIT',
      format('Too many refreshes: try again in %s seconds.', v_retry), subject_id => v_session.user_id,
      entity_type => 'session', entity_id => v_session.id::text, retry_after => v_retry);
  end if;

  if v_token.used_at is not null then
    select count(*) into v_children from app_private.refresh_tokens c where c.parent_id = v_token.id;
    /*
     * Within the window, counted from the first use. A presenter whose transaction began before the first use
     * committed sees a negative age: with a window, that is a parallel retry (within it); with no window, nothing is.
     */
    if not (v_session.revoked_at is null
            and config.setting_interval('auth.refresh_reuse_grace') > interval '0'
            and app_hidden.clock_now() - v_token.used_at < config.setting_interval('auth.refresh_reuse_grace')
            and v_children < 1 + config.setting_integer('auth.refresh_reuse_grace_children')) then
      if v_session.revoked_at is null then
        update app_private.sessions s set revoked_at = app_hidden.clock_now(), revoked_reason = 'refresh_token_reuse'
         where s.id = v_session.id;
      end if;
      return app_private.refuse(null::app_public.login_result, 'auth.refresh_reuse', 'REUSE',
        'This refresh token was already used, so the session has been ended to protect your account: log in again.',
        subject_id => v_session.user_id, entity_type => 'session', entity_id => v_session.id::text,
        details => jsonb_build_object('token_id', v_token.id));
    end if;
  end if;

  select u.status into v_status from app_public.users u where u.id = v_session.user_id and u.deleted_at is null;
  v_reason := case
    when v_session.revoked_at is not null then 'session_revoked'
    when v_session.absolute_expires_at <= v_now then 'session_expired'
    when v_session.last_refreshed_at + config.setting_interval('auth.session_idle_timeout') <= v_now then 'session_idle'
    when v_token.expires_at <= v_now then 'token_expired'
    when v_status is distinct from 'active' then 'account_' || coalesce(v_status, 'deleted')
  end;
  if v_reason is not null then
    return app_private.refuse(null::app_public.login_result, v_event, 'LOGIN', v_refusal, reason => v_reason,
      subject_id => v_session.user_id, entity_type => 'session', entity_id => v_session.id::text);
  end if;

  update app_private.sessions s set last_refreshed_at = v_now where s.id = v_session.id;
  perform audit.record_event(v_event, 'success', jsonb_build_object('grace', v_token.used_at is not null),
    subject_id => v_session.user_id, entity_type => 'session', entity_id => v_session.id::text);
  return row(
    v_session.user_id, v_session.id, app_private.issue_refresh_token(v_session.id, v_token.id), v_now,
    date_trunc('second', least(v_now + config.setting_interval('auth.access_token_ttl'), v_session.absolute_expires_at)),
    null, null, null, v_session.organization_id
  )::app_public.login_result;
end;
$$;


ALTER FUNCTION app_public.refresh_token(refresh_token text) OWNER TO app_owner;

--
-- Name: FUNCTION refresh_token(refresh_token text); Type: COMMENT; Schema: app_public; Owner: app_owner
--

COMMENT ON FUNCTION app_public.refresh_token(refresh_token text) IS 'Exchanges a refresh token for a new access token and a new refresh token. Each refresh token works once.';


--
-- Name: register(text, text, text, text, text, text, boolean); Type: FUNCTION; Schema: app_public; Owner: app_owner
--

CREATE FUNCTION app_public.register(username text, email text, password text, first_name text DEFAULT NULL::text, last_name text DEFAULT NULL::text, display_name text DEFAULT NULL::text, gdpr_consent boolean DEFAULT false) RETURNS app_public.registration
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'extensions', 'pg_temp'
    AS $_$
declare
  v_username citext := btrim(register.username);
  v_email citext := btrim(register.email);
  v_verification_required boolean := config.setting_boolean('auth.require_email_verification');
  v_retry integer;
  v_violation text;
  v_hash text;
  v_user_id uuid;
  v_constraint text;
  v_event constant text := 'user.register';
  v_base app_public.registration := row(v_email, v_verification_required, null, null, null);
  v_personal jsonb := jsonb_build_object('username', v_username);
begin
  /* Before anything else, and before any hashing. */
  v_retry := app_private.rate_limit_hit(app_private.client_ip_bucket('register'),
    config.setting_integer('rate_limit.register_per_client_ip.max'),
    config.setting_interval('rate_limit.register_per_client_ip.window'));
  if v_retry is not null then
    return app_private.refuse(v_base, v_event, 'LIMIT',
      format('Too many registrations from your address: try again in %s seconds.', v_retry), retry_after => v_retry);
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
    return app_private.refuse(v_base, v_event, 'WEAKP', v_violation, personal_values => v_personal);
  end if;

  /* Hash first: whatever follows, every registration has spent the same bcrypt work. */
  v_hash := app_private.hash_password(password);

  if exists (select 1 from app_public.users u where u.username = v_username and u.deleted_at is null) then
    return app_private.refuse(v_base, v_event, 'TAKEN', 'That username is taken: choose another.',
      personal_values => v_personal);
  end if;

  select u.id into v_user_id from app_public.users u where u.email = v_email and u.deleted_at is null;
  if found then
    perform app_private.notify('duplicate_registration', v_user_id);
    /* Answered as a success: the caller must not learn that the address has an account. */
    perform app_private.record_refusal(v_event, null, 'email_in_use', subject_id => v_user_id,
      personal_values => v_personal);
    return v_base;
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
      return app_private.refuse(v_base, v_event, 'TAKEN', 'That username is taken: choose another.',
        personal_values => v_personal);
    end if;
    perform app_private.record_refusal(v_event, null, 'email_in_use', personal_values => v_personal);
    return v_base;
  end;

  insert into app_private.user_security (user_id, password_hash, password_scheme)
  values (v_user_id, v_hash, 'bcrypt-sha384');
  perform app_private.request_email_verification(v_user_id);
  perform audit.record_event(v_event, 'success', personal_values => v_personal,
    subject_id => v_user_id, entity_type => 'user', entity_id => v_user_id::text);
  return v_base;
end;
$_$;


ALTER FUNCTION app_public.register(username text, email text, password text, first_name text, last_name text, display_name text, gdpr_consent boolean) OWNER TO app_owner;

--
-- Name: FUNCTION register(username text, email text, password text, first_name text, last_name text, display_name text, gdpr_consent boolean); Type: COMMENT; Schema: app_public; Owner: app_owner
--

COMMENT ON FUNCTION app_public.register(username text, email text, password text, first_name text, last_name text, display_name text, gdpr_consent boolean) IS 'Creates an account and mails a link to verify the address. The answer does not tell whether the address already had an account.';


--
-- Name: remove_member(uuid, uuid); Type: FUNCTION; Schema: app_public; Owner: app_owner
--

CREATE FUNCTION app_public.remove_member(organization_id uuid, user_id uuid) RETURNS app_public.organization_change
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
declare
  v_event constant text := 'membership.remove';
  v_base app_public.organization_change := row(remove_member.organization_id, null, null, null);
  v_refused app_public.organization_change;
begin
  v_refused := app_private.require_permission(v_base, v_event, 'members:remove', remove_member.organization_id,
    'You may not remove members of this organisation.', 'organization', remove_member.organization_id::text);
  if v_refused.refusal_code is not null then return v_refused; end if;
  if not app_hidden.is_member(remove_member.user_id, remove_member.organization_id) then
    return app_private.refuse(v_base, v_event, 'NTFND', 'That person is not a member.',
      organisation_id => remove_member.organization_id,
      entity_type => 'organization', entity_id => remove_member.organization_id::text);
  end if;
  if app_private.is_last_admin(remove_member.organization_id, remove_member.user_id) then
    return app_private.refuse(v_base, v_event, 'LASTA',
      'An organisation needs an administrator: make someone else org_admin first.',
      organisation_id => remove_member.organization_id,
      entity_type => 'organization', entity_id => remove_member.organization_id::text);
  end if;
  update app_public.memberships m set status = 'removed', ended_at = app_hidden.clock_now()
   where m.organization_id = remove_member.organization_id and m.user_id = remove_member.user_id;
  delete from app_public.user_roles ur
   where ur.organization_id = remove_member.organization_id and ur.user_id = remove_member.user_id;
  perform audit.record_event(v_event, 'success', subject_id => remove_member.user_id,
    organisation_id => remove_member.organization_id, entity_type => 'organization', entity_id => remove_member.organization_id::text);
  return row(remove_member.organization_id, null, null, null)::app_public.organization_change;
end;
$$;


ALTER FUNCTION app_public.remove_member(organization_id uuid, user_id uuid) OWNER TO app_owner;

--
-- Name: FUNCTION remove_member(organization_id uuid, user_id uuid); Type: COMMENT; Schema: app_public; Owner: app_owner
--

COMMENT ON FUNCTION app_public.remove_member(organization_id uuid, user_id uuid) IS 'Removes a member from an organisation (members:remove). The last administrator cannot be removed.';


--
-- Name: remove_project_member(uuid, uuid); Type: FUNCTION; Schema: app_public; Owner: app_owner
--

CREATE FUNCTION app_public.remove_project_member(project_id uuid, user_id uuid) RETURNS app_public.outcome
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
declare
  v_event constant text := 'project.remove_member';
begin
  if app_hidden.project_role(remove_project_member.project_id) is distinct from 'owner' then
    return app_private.refuse(null::app_public.outcome, v_event, 'PERMS', 'Only the project''s owners can remove members.',
      entity_type => 'project', entity_id => remove_project_member.project_id::text);
  end if;
  if not exists (select 1 from app_public.project_members pm
                 where pm.project_id = remove_project_member.project_id and pm.role = 'owner'
                   and pm.user_id <> remove_project_member.user_id) then
    return app_private.refuse(null::app_public.outcome, v_event, 'LASTA', 'A project needs an owner: add another owner first.',
      entity_type => 'project', entity_id => remove_project_member.project_id::text);
  end if;
  delete from app_public.project_members pm
   where pm.project_id = remove_project_member.project_id and pm.user_id = remove_project_member.user_id;
  /* The creator reads the project through created_by (see its select policy): not once they are off it. */
  update app_public.projects p set created_by = null
   where p.id = remove_project_member.project_id and p.created_by = remove_project_member.user_id;
  perform audit.record_event(v_event, 'success', subject_id => remove_project_member.user_id,
    entity_type => 'project', entity_id => remove_project_member.project_id::text);
  return row(true, null, null, null)::app_public.outcome;
end;
$$;


ALTER FUNCTION app_public.remove_project_member(project_id uuid, user_id uuid) OWNER TO app_owner;

--
-- Name: FUNCTION remove_project_member(project_id uuid, user_id uuid); Type: COMMENT; Schema: app_public; Owner: app_owner
--

COMMENT ON FUNCTION app_public.remove_project_member(project_id uuid, user_id uuid) IS 'Removes someone from a project (project owners only; a project keeps at least one owner).';


--
-- Name: rename_role(uuid, text, text); Type: FUNCTION; Schema: app_public; Owner: app_owner
--

CREATE FUNCTION app_public.rename_role(role_id uuid, name text, description text DEFAULT NULL::text) RETURNS app_public.role_change
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'extensions', 'pg_temp'
    AS $_$
declare
  v_event constant text := 'role.rename';
  v_refused app_public.role_change;
  v_role app_public.roles;
begin
  v_refused := app_private.require_role_management(row(rename_role.role_id, null, null, null)::app_public.role_change,
    v_event, rename_role.role_id);
  if v_refused.refusal_code is not null then return v_refused; end if;
  if name is null or length(name) not between 1 and 60 or name !~ '^[a-z][a-z0-9_]*$' then
    raise exception 'A role''s name has 1 to 60 lower-case letters, digits or underscores, starting with a letter.'
      using errcode = 'INVAL', hint = 'Choose another name.';
  end if;
  select r.* into v_role from app_public.roles r where r.id = rename_role.role_id;
  if exists (select 1 from app_public.roles r
             where r.id <> v_role.id and (r.organization_id = v_role.organization_id or r.organization_id is null)
               and r.name = rename_role.name) then
    return app_private.refuse(row(v_role.id, null, null, null)::app_public.role_change, v_event, 'TAKEN',
      'There is already a role with that name.', entity_type => 'role', entity_id => v_role.id::text);
  end if;
  update app_public.roles r
     set name = rename_role.name, description = coalesce(left(rename_role.description, 500), r.description)
   where r.id = v_role.id;
  perform audit.record_event(v_event, 'success', jsonb_build_object('old', v_role.name, 'new', rename_role.name),
    organisation_id => v_role.organization_id, entity_type => 'role', entity_id => v_role.id::text);
  return row(v_role.id, null, null, null)::app_public.role_change;
end;
$_$;


ALTER FUNCTION app_public.rename_role(role_id uuid, name text, description text) OWNER TO app_owner;

--
-- Name: FUNCTION rename_role(role_id uuid, name text, description text); Type: COMMENT; Schema: app_public; Owner: app_owner
--

COMMENT ON FUNCTION app_public.rename_role(role_id uuid, name text, description text) IS 'Renames an organisation''s role and optionally changes its description (roles:manage).';


--
-- Name: request_password_reset(text); Type: FUNCTION; Schema: app_public; Owner: app_owner
--

CREATE FUNCTION app_public.request_password_reset(email text) RETURNS app_public.outcome
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'extensions', 'pg_temp'
    AS $$
declare
  v_email citext := btrim(request_password_reset.email);
  v_user_id uuid;
  v_reset_id uuid;
  v_retry integer;
  v_event constant text := 'auth.password_reset_request';
begin
  /* Per client IP first (one caller asking for many addresses), then per submitted address; both before anything else. */
  v_retry := app_private.rate_limit_hit(app_private.client_ip_bucket('password_reset'),
    config.setting_integer('rate_limit.password_reset_per_client_ip.max'),
    config.setting_interval('rate_limit.password_reset_per_client_ip.window'));
  if v_retry is not null then
    return app_private.refuse(null::app_public.outcome, v_event, 'LIMIT',
      format('Too many requests from your network: try again in %s seconds.', v_retry), reason => 'client_ip_limit',
      retry_after => v_retry);
  end if;
  v_retry := app_private.rate_limit_hit('password_reset:email_address:' || lower(left(coalesce(v_email::text, ''), 254)),
    config.setting_integer('rate_limit.password_reset_per_email_address.max'),
    config.setting_interval('rate_limit.password_reset_per_email_address.window'));
  if v_retry is not null then
    return app_private.refuse(null::app_public.outcome, v_event, 'LIMIT',
      format('Too many requests for this address: try again in %s seconds.', v_retry), retry_after => v_retry);
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
  /* The same answer with or without an account: the refusal is recorded, not told. */
  if v_user_id is null then
    perform app_private.record_refusal(v_event, null, 'no_account');
  else
    perform audit.record_event(v_event, 'success', subject_id => v_user_id,
      entity_type => 'password_reset', entity_id => v_reset_id::text);
  end if;
  return row(true, null, null, null)::app_public.outcome;
end;
$$;


ALTER FUNCTION app_public.request_password_reset(email text) OWNER TO app_owner;

--
-- Name: FUNCTION request_password_reset(email text); Type: COMMENT; Schema: app_public; Owner: app_owner
--

COMMENT ON FUNCTION app_public.request_password_reset(email text) IS 'Mails a link to choose a new password, if the address belongs to an account. The answer is the same either way.';


--
-- Name: resend_verification(text); Type: FUNCTION; Schema: app_public; Owner: app_owner
--

CREATE FUNCTION app_public.resend_verification(email text) RETURNS app_public.outcome
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'extensions', 'pg_temp'
    AS $$
declare
  v_user_id uuid;
  v_request uuid;
  v_retry integer;
  v_event constant text := 'user.verification_resend';
begin
  v_retry := app_private.rate_limit_hit(app_private.client_ip_bucket('verification_resend'),
    config.setting_integer('rate_limit.verification_resend_per_client_ip.max'),
    config.setting_interval('rate_limit.verification_resend_per_client_ip.window'));
  if v_retry is not null then
    return app_private.refuse(null::app_public.outcome, v_event, 'LIMIT',
      format('Too many requests from your network: try again in %s seconds.', v_retry), reason => 'client_ip_limit',
      retry_after => v_retry);
  end if;
  /* Counted per submitted address, whether or not it has an account, so the answer still tells nothing. */
  v_retry := app_private.rate_limit_hit('verification_resend:email_address:' || lower(left(btrim(coalesce(email, '')), 254)),
    config.setting_integer('rate_limit.verification_resend_per_email_address.max'),
    config.setting_interval('rate_limit.verification_resend_per_email_address.window'));
  if v_retry is not null then
    return app_private.refuse(null::app_public.outcome, v_event, 'LIMIT',
      format('Too many requests for this address: try again in %s seconds.', v_retry), retry_after => v_retry);
  end if;
  select u.id into v_user_id from app_public.users u
  where u.email = btrim(resend_verification.email)::citext and u.deleted_at is null and not u.email_verified;
  if v_user_id is not null then
    v_request := app_private.request_email_verification(v_user_id);
  end if;
  /* The same answer whatever happened: a refusal is recorded, not told. */
  if v_request is null then
    perform app_private.record_refusal(v_event, null,
      case when v_user_id is null then 'no_unverified_account' else 'throttled' end, subject_id => v_user_id);
  else
    perform audit.record_event(v_event, 'success', subject_id => v_user_id);
  end if;
  return row(true, null, null, null)::app_public.outcome;
end;
$$;


ALTER FUNCTION app_public.resend_verification(email text) OWNER TO app_owner;

--
-- Name: FUNCTION resend_verification(email text); Type: COMMENT; Schema: app_public; Owner: app_owner
--

COMMENT ON FUNCTION app_public.resend_verification(email text) IS 'Sends a new verification mail if the address belongs to an account that is not yet verified.';


--
-- Name: reset_password(text, text); Type: FUNCTION; Schema: app_public; Owner: app_owner
--

CREATE FUNCTION app_public.reset_password(token text, new_password text) RETURNS app_public.outcome
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'extensions', 'pg_temp'
    AS $$
declare
  v_reset app_private.password_resets;
  v_result app_public.outcome;
  v_event constant text := 'auth.password_reset';
begin
  select r.* into v_reset
  from app_private.password_resets r
  join app_public.users u on u.id = r.user_id and u.email = r.email and u.deleted_at is null
  where r.token_hash = app_private.link_token_hash(reset_password.token)
    and r.used_at is null
    and r.token_expires_at > app_hidden.clock_now()
  for update of r;
  if v_reset.id is null then
    return app_private.refuse(null::app_public.outcome, v_event, 'LINKX',
      'This password reset link is not valid: it may have been used already or have expired.');
  end if;

  v_result := app_private.set_password(v_reset.user_id, new_password);
  if not v_result.ok then
    /* The link stays usable: the person may try another password. */
    return app_private.refuse(v_result, v_event, v_result.refusal_code, v_result.refusal_message,
      subject_id => v_reset.user_id);
  end if;

  update app_private.password_resets r set used_at = app_hidden.clock_now()
   where r.user_id = v_reset.user_id and r.used_at is null;
  update app_private.sessions s set revoked_at = app_hidden.clock_now(), revoked_reason = 'password_reset'
   where s.user_id = v_reset.user_id and s.revoked_at is null;
  delete from app_private.login_attempts a where a.key = app_private.login_attempt_key(v_reset.user_id, null);
  update app_public.users u set email_verified = true, email_verified_at = app_hidden.clock_now()
   where u.id = v_reset.user_id and not u.email_verified;
  perform app_private.notify('password_reset_completed', v_reset.user_id);
  perform audit.record_event(v_event, 'success', subject_id => v_reset.user_id,
    entity_type => 'password_reset', entity_id => v_reset.id::text);
  return v_result;
end;
$$;


ALTER FUNCTION app_public.reset_password(token text, new_password text) OWNER TO app_owner;

--
-- Name: FUNCTION reset_password(token text, new_password text); Type: COMMENT; Schema: app_public; Owner: app_owner
--

COMMENT ON FUNCTION app_public.reset_password(token text, new_password text) IS 'Chooses a new password with the token from a password reset mail. All your sessions end.';


--
-- Name: restore_account(text, text); Type: FUNCTION; Schema: app_public; Owner: app_owner
--

CREATE FUNCTION app_public.restore_account(identifier text, password text) RETURNS app_public.outcome
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'extensions', 'pg_temp'
    AS $$
declare
  v_user app_public.users;
  v_security app_private.user_security;
  v_key text;
  v_attempt app_private.login_attempts;
  v_reason text;
  v_retry integer;
  v_event constant text := 'user.restore';
begin
  v_retry := app_private.rate_limit_hit(app_private.client_ip_bucket('restore'),
    config.setting_integer('rate_limit.restore_per_client_ip.max'),
    config.setting_interval('rate_limit.restore_per_client_ip.window'));
  if v_retry is not null then
    return app_private.refuse(null::app_public.outcome, v_event, 'LIMIT',
      format('Too many attempts: try again in %s seconds.', v_retry), retry_after => v_retry);
  end if;
  select u.* into v_user from app_public.users u
   where (u.email = btrim(restore_account.identifier)::citext or u.username = btrim(restore_account.identifier)::citext)
     and u.deleted_at is null
   limit 1;
  /* A password check like any other: it shares the account failure count and lockout (app_private.require_password). */
  if v_user.id is not null then
    v_key := app_private.login_attempt_key(v_user.id, null);
    insert into app_private.login_attempts (key) values (v_key) on conflict do nothing;
    select a.* into v_attempt from app_private.login_attempts a where a.key = v_key for update;
    select s.* into v_security from app_private.user_security s where s.user_id = v_user.id;
  end if;
  /* Unknown and locked accounts spend the same one bcrypt hash as a real check. */
  if v_security.user_id is null or v_attempt.locked_until > app_hidden.clock_now() then
    perform app_private.hash_password(coalesce(password, ''));
    v_reason := case when v_security.user_id is null then 'unknown_identifier' else 'locked' end;
  elsif password is null
        or char_length(password) > config.setting_integer('auth.password_max_length')
        or not app_private.verify_password(password, v_security.password_hash, v_security.password_scheme) then
    perform app_private.record_login_failure(v_key, v_user.id);
    v_reason := 'wrong_password';
  elsif not (v_user.status = 'deleted' and v_user.erasure_due_at > app_hidden.clock_now()) then
    v_reason := 'not_restorable';
  end if;
  if v_reason is not null then
    return app_private.refuse(null::app_public.outcome, v_event, 'WRONG', 'That account cannot be restored with these details.',
      reason => v_reason, subject_id => v_user.id);
  end if;
  update app_private.login_attempts a set failed_count = 0 where a.key = v_key and a.failed_count > 0;
  update app_public.users u set status = 'active', erasure_requested_at = null, erasure_due_at = null where u.id = v_user.id;
  perform graphile_worker.remove_job('users__erase:' || v_user.id::text);
  perform app_private.notify('account_restored', v_user.id);
  perform audit.record_event(v_event, 'success', subject_id => v_user.id, entity_type => 'user',
    entity_id => v_user.id::text, severity => 'notice');
  return row(true, null, null, null)::app_public.outcome;
end;
$$;


ALTER FUNCTION app_public.restore_account(identifier text, password text) OWNER TO app_owner;

--
-- Name: FUNCTION restore_account(identifier text, password text); Type: COMMENT; Schema: app_public; Owner: app_owner
--

COMMENT ON FUNCTION app_public.restore_account(identifier text, password text) IS 'Restores your account within the grace period after you deleted it: give your email address (or username) and password.';


--
-- Name: restrict_processing(uuid, boolean); Type: FUNCTION; Schema: app_public; Owner: app_owner
--

CREATE FUNCTION app_public.restrict_processing(user_id uuid, restricted boolean) RETURNS app_public.outcome
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
declare
  v_user app_public.users;
  v_event constant text := 'user.restrict';
  v_refused app_public.outcome;
begin
  v_refused := app_private.require_permission(null::app_public.outcome, v_event, 'users:manage', null,
    'You may not restrict accounts.', subject_id => restrict_processing.user_id);
  if v_refused.refusal_code is not null then return v_refused; end if;
  select u.* into v_user from app_public.users u where u.id = restrict_processing.user_id for update;
  if not found or v_user.erased_at is not null then
    return app_private.refuse(null::app_public.outcome, v_event, 'NTFND', 'There is no such account.',
      subject_id => restrict_processing.user_id);
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
  perform audit.record_event(v_event, 'success', subject_id => v_user.id, entity_type => 'user',
    entity_id => v_user.id::text, severity => 'notice', details => jsonb_build_object('restricted', coalesce(restricted, false)));
  return row(true, null, null, null)::app_public.outcome;
end;
$$;


ALTER FUNCTION app_public.restrict_processing(user_id uuid, restricted boolean) OWNER TO app_owner;

--
-- Name: FUNCTION restrict_processing(user_id uuid, restricted boolean); Type: COMMENT; Schema: app_public; Owner: app_owner
--

COMMENT ON FUNCTION app_public.restrict_processing(user_id uuid, restricted boolean) IS 'Freezes an account and keeps its data as it is (GDPR restriction of processing), or lifts that (users:manage).';


--
-- Name: revoke_role(uuid); Type: FUNCTION; Schema: app_public; Owner: app_owner
--

CREATE FUNCTION app_public.revoke_role(user_role_id uuid) RETURNS app_public.role_change
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
declare
  v_actor uuid := app_hidden.current_user_id();
  v_grant app_public.user_roles;
  v_event constant text := 'role.revoke';
  v_refused app_public.role_change;
begin
  v_refused := app_private.require_login(null::app_public.role_change, v_event);
  if v_refused.refusal_code is not null then return v_refused; end if;
  select ur.* into v_grant from app_public.user_roles ur where ur.id = revoke_role.user_role_id;
  if v_grant.id is null or not app_hidden.user_has_permission(v_actor, 'roles:assign', v_grant.organization_id)
     or not app_hidden.holds_role_permissions(v_actor, v_grant.role_id, v_grant.organization_id) then
    return app_private.refuse(row(v_grant.role_id, null, null, null)::app_public.role_change, v_event, 'PERMS',
      'You may not take back this role.', organisation_id => v_grant.organization_id,
      entity_type => 'user_role', entity_id => revoke_role.user_role_id::text);
  end if;
  if v_grant.organization_id is not null
     and exists (select 1 from app_public.roles r where r.id = v_grant.role_id and r.name = 'org_admin' and r.is_system)
     and app_private.is_last_admin(v_grant.organization_id, v_grant.user_id) then
    return app_private.refuse(row(v_grant.role_id, null, null, null)::app_public.role_change, v_event, 'LASTA',
      'An organisation needs an administrator: make someone else org_admin first.',
      organisation_id => v_grant.organization_id,
      entity_type => 'user_role', entity_id => revoke_role.user_role_id::text);
  end if;
  delete from app_public.user_roles ur where ur.id = v_grant.id;
  perform audit.record_event(v_event, 'success', subject_id => v_grant.user_id, organisation_id => v_grant.organization_id,
    entity_type => 'role', entity_id => v_grant.role_id::text);
  return row(v_grant.role_id, null, null, null)::app_public.role_change;
end;
$$;


ALTER FUNCTION app_public.revoke_role(user_role_id uuid) OWNER TO app_owner;

--
-- Name: FUNCTION revoke_role(user_role_id uuid); Type: COMMENT; Schema: app_public; Owner: app_owner
--

COMMENT ON FUNCTION app_public.revoke_role(user_role_id uuid) IS 'Takes back a role given to a member (roles:assign).';


--
-- Name: revoke_role_permission(uuid, text); Type: FUNCTION; Schema: app_public; Owner: app_owner
--

CREATE FUNCTION app_public.revoke_role_permission(role_id uuid, permission text) RETURNS app_public.role_change
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
declare
  v_event constant text := 'role.revoke_permission';
  v_refused app_public.role_change;
begin
  v_refused := app_private.require_role_management(
    row(revoke_role_permission.role_id, null, null, null)::app_public.role_change, v_event, revoke_role_permission.role_id);
  if v_refused.refusal_code is not null then return v_refused; end if;
  delete from app_public.role_permissions rp
   where rp.role_id = revoke_role_permission.role_id and rp.permission = revoke_role_permission.permission;
  perform audit.record_event(v_event, 'success', jsonb_build_object('permission', revoke_role_permission.permission),
    entity_type => 'role', entity_id => revoke_role_permission.role_id::text);
  return row(revoke_role_permission.role_id, null, null, null)::app_public.role_change;
end;
$$;


ALTER FUNCTION app_public.revoke_role_permission(role_id uuid, permission text) OWNER TO app_owner;

--
-- Name: FUNCTION revoke_role_permission(role_id uuid, permission text); Type: COMMENT; Schema: app_public; Owner: app_owner
--

COMMENT ON FUNCTION app_public.revoke_role_permission(role_id uuid, permission text) IS 'Takes a permission off a role (roles:manage).';


--
-- Name: revoke_session(uuid); Type: FUNCTION; Schema: app_public; Owner: app_owner
--

CREATE FUNCTION app_public.revoke_session(session_id uuid) RETURNS app_public.outcome
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
declare
  v_user_id uuid := app_hidden.current_user_id();
  v_event constant text := 'auth.session_revoke';
  v_refused app_public.outcome;
begin
  v_refused := app_private.require_login(null::app_public.outcome, v_event, 'You must log in to end a session.');
  if v_refused.refusal_code is not null then return v_refused; end if;
  update app_private.sessions s set revoked_at = app_hidden.clock_now(), revoked_reason = 'revoked_by_user'
   where s.id = revoke_session.session_id and s.user_id = v_user_id and s.revoked_at is null;
  if not found then
    return app_private.refuse(null::app_public.outcome, v_event, 'NTFND', 'You have no live session with that id.',
      subject_id => v_user_id, entity_type => 'session', entity_id => revoke_session.session_id::text);
  end if;
  perform audit.record_event(v_event, 'success', subject_id => v_user_id,
    entity_type => 'session', entity_id => revoke_session.session_id::text);
  return row(true, null, null, null)::app_public.outcome;
end;
$$;


ALTER FUNCTION app_public.revoke_session(session_id uuid) OWNER TO app_owner;

--
-- Name: FUNCTION revoke_session(session_id uuid); Type: COMMENT; Schema: app_public; Owner: app_owner
--

COMMENT ON FUNCTION app_public.revoke_session(session_id uuid) IS 'Ends one of your sessions (see mySessions). Its tokens stop working on their next use.';


--
-- Name: roles; Type: TABLE; Schema: app_public; Owner: app_owner
--

CREATE TABLE app_public.roles (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    organization_id uuid,
    name extensions.citext NOT NULL,
    description text DEFAULT ''::text NOT NULL,
    is_system boolean DEFAULT false NOT NULL,
    created_at timestamp with time zone DEFAULT app_hidden.clock_now() NOT NULL,
    CONSTRAINT roles_check CHECK ((NOT (is_system AND (organization_id IS NOT NULL)))),
    CONSTRAINT roles_description_check CHECK ((length(description) <= 500)),
    CONSTRAINT roles_name_check CHECK ((((length((name)::text) >= 1) AND (length((name)::text) <= 60)) AND (name OPERATOR(extensions.~) '^[a-z][a-z0-9_]*$'::extensions.citext)))
);


ALTER TABLE app_public.roles OWNER TO app_owner;

--
-- Name: TABLE roles; Type: COMMENT; Schema: app_public; Owner: app_owner
--

COMMENT ON TABLE app_public.roles IS '@behavior -insert -update -delete
A role: a named set of permissions, global (system roles) or owned by one organisation. A role has every permission of
its parents.';


--
-- Name: COLUMN roles.organization_id; Type: COMMENT; Schema: app_public; Owner: app_owner
--

COMMENT ON COLUMN app_public.roles.organization_id IS 'The organisation that owns the role; null for global roles.';


--
-- Name: COLUMN roles.is_system; Type: COMMENT; Schema: app_public; Owner: app_owner
--

COMMENT ON COLUMN app_public.roles.is_system IS 'System roles come with Gatehouse and cannot be changed by organisations.';


--
-- Name: roles_effective_permissions(app_public.roles); Type: FUNCTION; Schema: app_public; Owner: app_owner
--

CREATE FUNCTION app_public.roles_effective_permissions(r app_public.roles) RETURNS SETOF text
    LANGUAGE sql STABLE SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
  select distinct rp.permission
  from app_private.role_ancestors a
  join app_public.role_permissions rp on rp.role_id = a.ancestor_id
  where a.role_id = r.id
    and (r.organization_id is null or app_hidden.is_member(app_hidden.current_user_id(), r.organization_id))
  order by 1
$$;


ALTER FUNCTION app_public.roles_effective_permissions(r app_public.roles) OWNER TO app_owner;

--
-- Name: FUNCTION roles_effective_permissions(r app_public.roles); Type: COMMENT; Schema: app_public; Owner: app_owner
--

COMMENT ON FUNCTION app_public.roles_effective_permissions(r app_public.roles) IS 'Every permission the role gives: its own and those of all its ancestors.';


--
-- Name: search_users(text); Type: FUNCTION; Schema: app_public; Owner: app_owner
--

CREATE FUNCTION app_public.search_users(query text) RETURNS SETOF app_public.users
    LANGUAGE plpgsql STABLE STRICT SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'extensions', 'pg_temp'
    AS $$
declare
  v_exact citext := btrim(search_users.query);
  v_query tsquery;
  v_reads_all boolean;
  v_exact_id uuid;
begin
  if pg_catalog.length(search_users.query) > 200 then
    raise exception 'The search is too long: at most 200 characters.'
      using errcode = 'INVAL', hint = 'Search with fewer or shorter words.';
  end if;
  v_query := app_hidden.user_search_query(search_users.query);
  if v_query is null then
    return;
  end if;
  v_reads_all := app_hidden.user_has_permission(app_hidden.current_user_id(), 'users:read', null);
  select u.id into v_exact_id
  from app_public.users u
  where (u.username = v_exact or u.email = v_exact) and u.deleted_at is null
  order by (u.email = v_exact) desc
  limit 1;
  return query
    select u.* from app_public.users u
    where u.id = v_exact_id and (v_reads_all or app_hidden.can_read_account(u.id));
  return query
    select u.*
    from app_public.users u
    where app_hidden.user_search_document(u.username, u.email, u.first_name, u.last_name, u.display_name) @@ v_query
      and u.id is distinct from v_exact_id
      and (v_reads_all or app_hidden.can_read_account(u.id))
    limit case when v_exact_id is null then 100 else 99 end;
end;
$$;


ALTER FUNCTION app_public.search_users(query text) OWNER TO app_owner;

--
-- Name: FUNCTION search_users(query text); Type: COMMENT; Schema: app_public; Owner: app_owner
--

COMMENT ON FUNCTION app_public.search_users(query text) IS 'Accounts you may read whose username, email address or names match the words given (the last also as a prefix from three characters): the exact username or email address first; at most 100, unsorted otherwise.';


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
-- Name: set_date_of_birth(date); Type: FUNCTION; Schema: app_public; Owner: app_owner
--

CREATE FUNCTION app_public.set_date_of_birth(date_of_birth date) RETURNS app_public.outcome
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
declare
  v_user_id uuid := app_hidden.current_user_id();
  v_refused app_public.outcome;
begin
  v_refused := app_private.require_login(null::app_public.outcome, 'user.profile_update',
    'You must log in to change your date of birth.');
  if v_refused.refusal_code is not null then return v_refused; end if;
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


ALTER FUNCTION app_public.set_date_of_birth(date_of_birth date) OWNER TO app_owner;

--
-- Name: FUNCTION set_date_of_birth(date_of_birth date); Type: COMMENT; Schema: app_public; Owner: app_owner
--

COMMENT ON FUNCTION app_public.set_date_of_birth(date_of_birth date) IS 'Sets your date of birth, or removes it with null.';


--
-- Name: set_role_parents(uuid, uuid[]); Type: FUNCTION; Schema: app_public; Owner: app_owner
--

CREATE FUNCTION app_public.set_role_parents(role_id uuid, parent_ids uuid[]) RETURNS app_public.role_change
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
declare
  v_actor uuid := app_hidden.current_user_id();
  v_event constant text := 'role.set_parents';
  v_base app_public.role_change := row(set_role_parents.role_id, null, null, null);
  v_refused app_public.role_change;
  v_role app_public.roles;
  v_parent app_public.roles;
  v_parent_ids uuid[] := coalesce((select array_agg(distinct p) from unnest(set_role_parents.parent_ids) p where p is not null), '{}');
begin
  v_refused := app_private.require_role_management(v_base, v_event, set_role_parents.role_id);
  if v_refused.refusal_code is not null then return v_refused; end if;
  select r.* into v_role from app_public.roles r where r.id = set_role_parents.role_id;
  perform pg_advisory_xact_lock(hashtextextended('app_public.role_parents', 0));

  for v_parent in select r.* from app_public.roles r where r.id = any (v_parent_ids) loop
    if v_parent.organization_id is not null and v_parent.organization_id is distinct from v_role.organization_id then
      return app_private.refuse(v_base, v_event, 'NTFND', 'There is no such parent role.',
        entity_type => 'role', entity_id => v_role.id::text);
    end if;
    if not exists (select 1 from app_public.role_parents x where x.role_id = v_role.id and x.parent_id = v_parent.id)
       and not app_hidden.holds_role_permissions(v_actor, v_parent.id, v_role.organization_id) then
      return app_private.refuse(v_base, v_event, 'PERMS',
        format('You cannot make %s a parent: it has permissions you do not hold.', v_parent.name),
        entity_type => 'role', entity_id => v_role.id::text, details => jsonb_build_object('parent', v_parent.name));
    end if;
    if exists (select 1 from app_private.role_ancestors a where a.role_id = v_parent.id and a.ancestor_id = v_role.id) then
      return app_private.refuse(v_base, v_event, 'LOOPS',
        format('%s inherits from %s already: that would make a loop.', v_parent.name, v_role.name),
        entity_type => 'role', entity_id => v_role.id::text);
    end if;
  end loop;
  if (select count(*) from app_public.roles r where r.id = any (v_parent_ids)) <> cardinality(v_parent_ids) then
    return app_private.refuse(v_base, v_event, 'NTFND', 'There is no such parent role.',
      entity_type => 'role', entity_id => v_role.id::text);
  end if;

  delete from app_public.role_parents x where x.role_id = v_role.id and not x.parent_id = any (v_parent_ids);
  insert into app_public.role_parents (role_id, parent_id)
  select v_role.id, p from unnest(v_parent_ids) p on conflict do nothing;
  perform audit.record_event(v_event, 'success', jsonb_build_object('parents', v_parent_ids),
    organisation_id => v_role.organization_id, entity_type => 'role', entity_id => v_role.id::text);
  return row(v_role.id, null, null, null)::app_public.role_change;
end;
$$;


ALTER FUNCTION app_public.set_role_parents(role_id uuid, parent_ids uuid[]) OWNER TO app_owner;

--
-- Name: FUNCTION set_role_parents(role_id uuid, parent_ids uuid[]); Type: COMMENT; Schema: app_public; Owner: app_owner
--

COMMENT ON FUNCTION app_public.set_role_parents(role_id uuid, parent_ids uuid[]) IS 'Sets the roles a role inherits from (roles:manage). You can only add parents whose permissions you hold.';


--
-- Name: set_system_setting(text, jsonb); Type: FUNCTION; Schema: app_public; Owner: app_owner
--

CREATE FUNCTION app_public.set_system_setting(key text, value jsonb) RETURNS app_public.system_setting_change
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
declare
  v_old jsonb;
  v_event constant text := 'config.setting_change';
  v_base app_public.system_setting_change := row(key, null, null, null);
begin
  if app_hidden.current_user_id() is null then
    return app_private.refuse(v_base, v_event, 'LOGIN', 'You must log in to change system settings.',
      entity_type => 'system_setting', entity_id => key, details => jsonb_build_object('key', key));
  end if;
  if not app_hidden.current_user_is_platform_admin() then
    return app_private.refuse(v_base, v_event, 'PERMS', 'Only platform administrators can change system settings.',
      entity_type => 'system_setting', entity_id => key, details => jsonb_build_object('key', key));
  end if;

  select s.value into v_old from config.system_settings s where s.key = set_system_setting.key for update;
  if not found then
    raise exception 'There is no system setting named %.', key
      using errcode = 'NOSET', hint = 'Check the setting''s name.';
  end if;

  update config.system_settings s
     set value = set_system_setting.value, updated_by = app_hidden.current_user_id()
   where s.key = set_system_setting.key;

  perform audit.record_event(v_event, 'success',
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
-- Name: switch_organization(uuid); Type: FUNCTION; Schema: app_public; Owner: app_owner
--

CREATE FUNCTION app_public.switch_organization(organization_id uuid) RETURNS app_public.login_result
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
declare
  v_now timestamptz := date_trunc('second', app_hidden.clock_now());
  v_session app_private.sessions;
  v_event constant text := 'organization.switch';
begin
  select s.* into v_session from app_private.sessions s where s.id = app_hidden.current_session_id() for update;
  if v_session.id is null then
    return app_private.refuse(null::app_public.login_result, v_event, 'LOGIN', 'You must log in first.');
  end if;
  if switch_organization.organization_id is not null
     and not app_hidden.is_member(v_session.user_id, switch_organization.organization_id) then
    return app_private.refuse(null::app_public.login_result, v_event, 'NTFND', 'You are not a member of that organisation.',
      organisation_id => switch_organization.organization_id,
      entity_type => 'organization', entity_id => switch_organization.organization_id::text);
  end if;
  update app_private.sessions s set organization_id = switch_organization.organization_id where s.id = v_session.id;
  perform audit.record_event(v_event, 'success', subject_id => v_session.user_id,
    organisation_id => switch_organization.organization_id, entity_type => 'session', entity_id => v_session.id::text);
  return row(
    v_session.user_id, v_session.id, null, v_now,
    date_trunc('second', least(v_now + config.setting_interval('auth.access_token_ttl'), v_session.absolute_expires_at)),
    null, null, null, switch_organization.organization_id
  )::app_public.login_result;
end;
$$;


ALTER FUNCTION app_public.switch_organization(organization_id uuid) OWNER TO app_owner;

--
-- Name: FUNCTION switch_organization(organization_id uuid); Type: COMMENT; Schema: app_public; Owner: app_owner
--

COMMENT ON FUNCTION app_public.switch_organization(organization_id uuid) IS 'Acts in another of your organisations (or, with null, in your personal context): returns an access token for it.';


--
-- Name: users_by_phone(text); Type: FUNCTION; Schema: app_public; Owner: app_owner
--

CREATE FUNCTION app_public.users_by_phone(phone text) RETURNS SETOF app_public.users
    LANGUAGE sql STABLE SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $_$
  select u.* from app_private.user_personal_data p
  join app_public.users u on u.id = p.user_id
  where users_by_phone.phone ~ '^\+[1-9][0-9]{6,14}$'
    and p.phone_lookup = app_hidden.phone_lookup(users_by_phone.phone)
    and app_hidden.can_read_account(u.id)
$_$;


ALTER FUNCTION app_public.users_by_phone(phone text) OWNER TO app_owner;

--
-- Name: FUNCTION users_by_phone(phone text); Type: COMMENT; Schema: app_public; Owner: app_owner
--

COMMENT ON FUNCTION app_public.users_by_phone(phone text) IS 'Accounts you may read whose phone number is this one (E.164), found by its blind index.';


--
-- Name: verify_email(text); Type: FUNCTION; Schema: app_public; Owner: app_owner
--

CREATE FUNCTION app_public.verify_email(token text) RETURNS app_public.outcome
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'extensions', 'pg_temp'
    AS $$
declare
  v_user_id uuid;
  v_verification_id uuid;
  v_event constant text := 'user.email_verify';
begin
  update app_private.email_verifications v
     set used_at = app_hidden.clock_now()
    from app_public.users u
   where v.token_hash = app_private.link_token_hash(verify_email.token)
     and v.used_at is null
     and v.token_expires_at > app_hidden.clock_now()
     and u.id = v.user_id
     and u.email = v.email
     and u.deleted_at is null
  returning v.user_id, v.id into v_user_id, v_verification_id;
  if v_user_id is null then
    return app_private.refuse(null::app_public.outcome, v_event, 'LINKX',
      'This verification link is not valid: it may have been used already or have expired.');
  end if;
  update app_public.users u set email_verified = true, email_verified_at = app_hidden.clock_now()
   where u.id = v_user_id and not u.email_verified;
  perform audit.record_event(v_event, 'success', subject_id => v_user_id,
    entity_type => 'email_verification', entity_id => v_verification_id::text);
  return row(true, null, null, null)::app_public.outcome;
end;
$$;


ALTER FUNCTION app_public.verify_email(token text) OWNER TO app_owner;

--
-- Name: FUNCTION verify_email(token text); Type: COMMENT; Schema: app_public; Owner: app_owner
--

COMMENT ON FUNCTION app_public.verify_email(token text) IS 'Confirms your email address with the token from the verification mail.';


--
-- Name: default_partition_rows(); Type: FUNCTION; Schema: audit; Owner: app_owner
--

CREATE FUNCTION audit.default_partition_rows() RETURNS bigint
    LANGUAGE sql STABLE SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
  select count(*) from audit.events_default
$$;


ALTER FUNCTION audit.default_partition_rows() OWNER TO app_owner;

--
-- Name: FUNCTION default_partition_rows(); Type: COMMENT; Schema: audit; Owner: app_owner
--

COMMENT ON FUNCTION audit.default_partition_rows() IS 'The number of audit events in the default partition (should be 0).';


--
-- Name: ensure_partitions(integer, integer); Type: FUNCTION; Schema: audit; Owner: app_owner
--

CREATE FUNCTION audit.ensure_partitions(months_ahead integer DEFAULT NULL::integer, months_back integer DEFAULT 0) RETURNS integer
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
  if v_ahead < 0 or v_ahead > 120 or coalesce(months_back, 0) < 0 or coalesce(months_back, 0) > 120 then
    raise exception 'months_ahead and months_back must be between 0 and 120, not % and %.', v_ahead, months_back
      using errcode = 'INVAL', hint = 'Pass numbers of months between 0 and 120.';
  end if;
  perform pg_advisory_xact_lock(hashtext('audit.ensure_partitions'));
  for i in -coalesce(months_back, 0) .. v_ahead loop
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


ALTER FUNCTION audit.ensure_partitions(months_ahead integer, months_back integer) OWNER TO app_owner;

--
-- Name: FUNCTION ensure_partitions(months_ahead integer, months_back integer); Type: COMMENT; Schema: audit; Owner: app_owner
--

COMMENT ON FUNCTION audit.ensure_partitions(months_ahead integer, months_back integer) IS 'Creates missing monthly audit partitions from months_back before this month to months_ahead ahead; returns how many it created.';


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
    personal bytea,
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
-- Name: COLUMN events.client_ip; Type: COMMENT; Schema: audit; Owner: app_owner
--

COMMENT ON COLUMN audit.events.client_ip IS 'Events before migration 000015 only: newer ones keep the address in personal, encrypted.';


--
-- Name: COLUMN events.user_agent; Type: COMMENT; Schema: audit; Owner: app_owner
--

COMMENT ON COLUMN audit.events.user_agent IS 'Events before migration 000015 only: newer ones keep the user agent in personal, encrypted.';


--
-- Name: COLUMN events.db_role; Type: COMMENT; Schema: audit; Owner: app_owner
--

COMMENT ON COLUMN audit.events.db_role IS 'The database role the request ran as (app_anonymous, app_authenticated, app_worker, ...).';


--
-- Name: COLUMN events.personal; Type: COMMENT; Schema: audit; Owner: app_owner
--

COMMENT ON COLUMN audit.events.personal IS 'OpenPGP ciphertext (AES-256) of the personal part: {ip, user_agent, values}, to the key of the person the event is about.';


--
-- Name: event_bytes(audit.events); Type: FUNCTION; Schema: audit; Owner: app_owner
--

CREATE FUNCTION audit.event_bytes(e audit.events) RETURNS bytea
    LANGUAGE sql STABLE
    SET search_path TO 'pg_catalog', 'pg_temp'
    SET "TimeZone" TO 'UTC'
    SET "DateStyle" TO 'ISO, YMD'
    SET "IntervalStyle" TO 'postgres'
    AS $$
  select pg_catalog.convert_to((pg_catalog.jsonb_build_array(
    e.id, e.occurred_at, e.event_type, e.outcome, e.severity, e.reason, e.actor_id, e.subject_id, e.organisation_id,
    e.entity_type, e.entity_id, e.details, e.request_id, e.client_ip, e.user_agent, e.db_role
  ) || case when e.personal is null then '[]'::jsonb
            else pg_catalog.jsonb_build_array(pg_catalog.encode(e.personal, 'base64')) end)::text, 'UTF8')
$$;


ALTER FUNCTION audit.event_bytes(e audit.events) OWNER TO app_owner;

--
-- Name: FUNCTION event_bytes(e audit.events); Type: COMMENT; Schema: audit; Owner: app_owner
--

COMMENT ON FUNCTION audit.event_bytes(e audit.events) IS 'The canonical bytes of an audit event, as the hash chain reads them.';


--
-- Name: partition_rows(text); Type: FUNCTION; Schema: audit; Owner: app_owner
--

CREATE FUNCTION audit.partition_rows(partition_name text) RETURNS SETOF audit.events
    LANGUAGE plpgsql STABLE SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
begin
  if not exists (select 1 from audit.retirable_partitions() r where r.partition_name = partition_rows.partition_name) then
    raise exception 'Partition % is not due for retirement.', partition_name
      using errcode = 'INVAL', hint = 'See audit.retirable_partitions().';
  end if;
  return query execute format('select * from audit.%I order by occurred_at, id', partition_name);
end;
$$;


ALTER FUNCTION audit.partition_rows(partition_name text) OWNER TO app_owner;

--
-- Name: FUNCTION partition_rows(partition_name text); Type: COMMENT; Schema: audit; Owner: app_owner
--

COMMENT ON FUNCTION audit.partition_rows(partition_name text) IS 'The events of a partition that is due for retirement, for export.';


--
-- Name: record_event(text, text, jsonb, text, uuid, text, text, text, uuid, jsonb); Type: FUNCTION; Schema: audit; Owner: app_owner
--

CREATE FUNCTION audit.record_event(event_type text, outcome text DEFAULT 'success'::text, details jsonb DEFAULT '{}'::jsonb, reason text DEFAULT NULL::text, subject_id uuid DEFAULT NULL::uuid, severity text DEFAULT 'info'::text, entity_type text DEFAULT NULL::text, entity_id text DEFAULT NULL::text, organisation_id uuid DEFAULT NULL::uuid, personal_values jsonb DEFAULT NULL::jsonb) RETURNS bigint
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
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


ALTER FUNCTION audit.record_event(event_type text, outcome text, details jsonb, reason text, subject_id uuid, severity text, entity_type text, entity_id text, organisation_id uuid, personal_values jsonb) OWNER TO app_owner;

--
-- Name: FUNCTION record_event(event_type text, outcome text, details jsonb, reason text, subject_id uuid, severity text, entity_type text, entity_id text, organisation_id uuid, personal_values jsonb); Type: COMMENT; Schema: audit; Owner: app_owner
--

COMMENT ON FUNCTION audit.record_event(event_type text, outcome text, details jsonb, reason text, subject_id uuid, severity text, entity_type text, entity_id text, organisation_id uuid, personal_values jsonb) IS 'Appends one event to the audit trail, with the request context of the current transaction; personal parts encrypted. Returns the event id.';


--
-- Name: retirable_partitions(); Type: FUNCTION; Schema: audit; Owner: app_owner
--

CREATE FUNCTION audit.retirable_partitions() RETURNS TABLE(partition_name text, range_from timestamp with time zone, range_to timestamp with time zone)
    LANGUAGE sql STABLE SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $_$
  select p.name, p.range_from, p.range_from + interval '1 month'
  from (
    select c.relname::text as name,
           make_timestamptz(substr(c.relname, 9, 4)::int, substr(c.relname, 14, 2)::int, 1, 0, 0, 0, 'UTC') as range_from
    from pg_inherits i join pg_class c on c.oid = i.inhrelid
    where i.inhparent = 'audit.events'::regclass and c.relname ~ '^events_y[0-9]{4}m[0-9]{2}$'
  ) p
  where p.range_from + interval '1 month' <= app_hidden.clock_now() - config.setting_interval('retention.audit_events')
  order by p.range_from
$_$;


ALTER FUNCTION audit.retirable_partitions() OWNER TO app_owner;

--
-- Name: FUNCTION retirable_partitions(); Type: COMMENT; Schema: audit; Owner: app_owner
--

COMMENT ON FUNCTION audit.retirable_partitions() IS 'The audit partitions old enough to be exported and dropped.';


--
-- Name: retire_partition(text, bigint, text, text); Type: FUNCTION; Schema: audit; Owner: app_owner
--

CREATE FUNCTION audit.retire_partition(partition_name text, events bigint, sha256 text, file_name text) RETURNS void
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
declare
  v_partition record;
  v_count bigint;
begin
  select r.* into v_partition from audit.retirable_partitions() r where r.partition_name = retire_partition.partition_name;
  if v_partition.partition_name is null then
    raise exception 'Partition % is not due for retirement.', partition_name
      using errcode = 'INVAL', hint = 'See audit.retirable_partitions().';
  end if;
  execute format('select count(*) from audit.%I', partition_name) into v_count;
  if v_count <> events then
    raise exception 'The export of % holds % events, the partition %.', partition_name, events, v_count
      using errcode = 'INVAL', hint = 'Export the partition again.';
  end if;
  insert into audit.partition_archives (partition_name, range_from, range_to, events, sha256, file_name, last_seal_seq)
  values (partition_name, v_partition.range_from, v_partition.range_to, events, sha256, file_name,
          (select max(s.seq) from audit.seals s
           where s.event_occurred_at >= v_partition.range_from and s.event_occurred_at < v_partition.range_to));
  execute format('alter table audit.events detach partition audit.%I', partition_name);
  execute format('drop table audit.%I', partition_name);
  perform audit.record_event('audit.partition_retired', 'success',
    jsonb_build_object('partition', partition_name, 'events', events, 'sha256', sha256, 'file', file_name),
    severity => 'notice');
end;
$$;


ALTER FUNCTION audit.retire_partition(partition_name text, events bigint, sha256 text, file_name text) OWNER TO app_owner;

--
-- Name: FUNCTION retire_partition(partition_name text, events bigint, sha256 text, file_name text); Type: COMMENT; Schema: audit; Owner: app_owner
--

COMMENT ON FUNCTION audit.retire_partition(partition_name text, events bigint, sha256 text, file_name text) IS 'Records an exported audit partition''s checksum, then detaches and drops it (worker only, after export).';


--
-- Name: row_change_parts(text, jsonb, jsonb, text[], text[]); Type: FUNCTION; Schema: audit; Owner: app_owner
--

CREATE FUNCTION audit.row_change_parts(operation text, old_row jsonb, new_row jsonb, personal_keys text[], secret_keys text[] DEFAULT NULL::text[]) RETURNS TABLE(details jsonb, personal_values jsonb)
    LANGUAGE sql IMMUTABLE
    AS $$
  select case when cardinality(row_change_parts.personal_keys) = 0 then c.changes
              else (select pg_catalog.jsonb_object_agg(d.key, d.value - row_change_parts.personal_keys)
                    from pg_catalog.jsonb_each(c.changes) d) end,
         case when cardinality(row_change_parts.personal_keys) > 0 then
           (select pg_catalog.jsonb_object_agg(d.key, d.personal)
            from (select d.key, (select pg_catalog.jsonb_object_agg(x.key, x.value) from pg_catalog.jsonb_each(d.value) x
                                 where x.key = any(row_change_parts.personal_keys)) as personal
                  from pg_catalog.jsonb_each(c.changes) d) d
            where d.personal is not null) end
  from (select row_change_parts.old_row - s.keys as old_row, row_change_parts.new_row - s.keys as new_row
        from (select coalesce(row_change_parts.secret_keys,
                              audit.secret_keys(coalesce(row_change_parts.new_row, row_change_parts.old_row))) as keys) s) r
  cross join lateral (
    select case row_change_parts.operation
             when 'insert' then pg_catalog.jsonb_build_object('new', r.new_row)
             when 'update' then
               /* An update that changed the key of a row has no pair: its old and its new row each come as a change of every column. */
               (select pg_catalog.jsonb_build_object('old', pg_catalog.jsonb_object_agg(k, r.old_row -> k),
                                                     'new', pg_catalog.jsonb_object_agg(k, r.new_row -> k))
                from pg_catalog.jsonb_object_keys(coalesce(r.new_row, r.old_row)) k
                where r.new_row -> k is distinct from r.old_row -> k and k <> 'updated_at'
                having count(*) > 0)
             else pg_catalog.jsonb_build_object('old', r.old_row)
           end as changes) c
  where c.changes is not null
$$;


ALTER FUNCTION audit.row_change_parts(operation text, old_row jsonb, new_row jsonb, personal_keys text[], secret_keys text[]) OWNER TO app_owner;

--
-- Name: FUNCTION row_change_parts(operation text, old_row jsonb, new_row jsonb, personal_keys text[], secret_keys text[]); Type: COMMENT; Schema: audit; Owner: app_owner
--

COMMENT ON FUNCTION audit.row_change_parts(operation text, old_row jsonb, new_row jsonb, personal_keys text[], secret_keys text[]) IS 'The details (secrets redacted, personal columns removed) and personal values a row-change event records for one row; no row when an update changed nothing.';


--
-- Name: seal_events(integer); Type: FUNCTION; Schema: audit; Owner: app_owner
--

CREATE FUNCTION audit.seal_events(batch_size integer DEFAULT 1000) RETURNS integer
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'extensions', 'pg_temp'
    AS $$
declare
  v_previous bytea;
  v_since timestamptz;
  v_event audit.events;
  v_count integer := 0;
begin
  perform pg_advisory_xact_lock(hashtextextended('audit.seal_events', 0));
  select s.hash into v_previous from audit.seals s order by s.seq desc limit 1;
  select max(s.event_occurred_at) - interval '1 day' into v_since from audit.seals s;
  for v_event in
    select e.* from audit.events e
    where e.occurred_at >= coalesce(v_since, '-infinity'::timestamptz)
      and not exists (select 1 from audit.seals s where s.event_id = e.id and s.event_occurred_at = e.occurred_at)
    order by e.occurred_at, e.id
    limit batch_size
  loop
    v_previous := extensions.digest(coalesce(v_previous, '\x'::bytea) || audit.event_bytes(v_event), 'sha256');
    insert into audit.seals (event_id, event_occurred_at, hash) values (v_event.id, v_event.occurred_at, v_previous);
    v_count := v_count + 1;
  end loop;
  return v_count;
end;
$$;


ALTER FUNCTION audit.seal_events(batch_size integer) OWNER TO app_owner;

--
-- Name: FUNCTION seal_events(batch_size integer); Type: COMMENT; Schema: audit; Owner: app_owner
--

COMMENT ON FUNCTION audit.seal_events(batch_size integer) IS 'Appends up to batch_size unsealed audit events to the hash chain; returns how many.';


--
-- Name: secret_keys(jsonb); Type: FUNCTION; Schema: audit; Owner: app_owner
--

CREATE FUNCTION audit.secret_keys(row_values jsonb) RETURNS text[]
    LANGUAGE sql IMMUTABLE
    AS $$
  select coalesce(pg_catalog.array_agg(k), '{}')
  from pg_catalog.jsonb_object_keys(secret_keys.row_values) k
  where k ~ '(hash|token|secret|password)'
$$;


ALTER FUNCTION audit.secret_keys(row_values jsonb) OWNER TO app_owner;

--
-- Name: FUNCTION secret_keys(row_values jsonb); Type: COMMENT; Schema: audit; Owner: app_owner
--

COMMENT ON FUNCTION audit.secret_keys(row_values jsonb) IS 'The keys of a row that row-change events redact: names containing hash, token, secret or password.';


--
-- Name: tg__row_changes(); Type: FUNCTION; Schema: audit; Owner: app_owner
--

CREATE FUNCTION audit.tg__row_changes() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'pg_temp'
    SET plan_cache_mode TO 'force_generic_plan'
    AS $$
declare
  v_key_columns text[] := coalesce(nullif(tg_argv::text[], '{}'), array['id']);
  /* The one key column (tg_argv counts from 0), or null for a composite key. */
  v_key_column text := case tg_nargs when 0 then 'id' when 1 then tg_argv[0] end;
  v_operation text := lower(tg_op);
  v_subject_key text := case when tg_table_name = 'users' then 'id' else 'user_id' end;
  v_old jsonb[];
  v_new jsonb[];
  v_personal_keys text[];
  v_secret_keys text[];
  v_actor uuid;
  v_request jsonb;
  v_now timestamptz;
  v_row jsonb;
  v_subject_id uuid;
  v_details jsonb;
  v_personal_values jsonb;
begin
  if tg_op = 'INSERT' then
    select array_agg(null::jsonb), array_agg(to_jsonb(n)) into v_old, v_new from new_rows n;
  elsif tg_op = 'DELETE' then
    select array_agg(to_jsonb(o)), array_agg(null::jsonb) into v_old, v_new from old_rows o;
  else
    select array_agg(o.j), array_agg(n.j) into v_old, v_new
    from (select to_jsonb(x) as j from old_rows x) o
    full join (select to_jsonb(x) as j from new_rows x) n
      on (select array_agg(o.j ->> c order by i) from unnest(v_key_columns) with ordinality u (c, i))
       = (select array_agg(n.j ->> c order by i) from unnest(v_key_columns) with ordinality u (c, i));
  end if;
  if v_old is null then
    return null;
  end if;

  select coalesce(array_agg(p.column_name), '{}') into v_personal_keys
  from app_private.personal_data_columns p
  where p.table_schema = tg_table_schema and p.table_name = tg_table_name;
  v_secret_keys := audit.secret_keys(coalesce(v_new[1], v_old[1]));
  v_actor := app_hidden.current_user_id();
  /* The column default would call the clock once per row; its value is the same for the whole transaction. */
  v_now := app_hidden.clock_now();
  v_request := jsonb_strip_nulls(jsonb_build_object('ip', host(app_hidden.current_client_ip()),
                                                    'user_agent', left(app_hidden.current_user_agent(), 512)));

  if cardinality(v_new) = 1 then
    /*
     * One row (a GraphQL mutation changes one): the same columns, without the statement-wide joins. The operation and
     * an empty list of personal columns are passed as constants where they can be, so the planner drops the branches of
     * row_change_parts that cannot apply: its generic plan would otherwise set up every branch at every call.
     */
    if cardinality(v_personal_keys) > 0 then
      select p.details, p.personal_values into v_details, v_personal_values
      from audit.row_change_parts(v_operation, v_old[1], v_new[1], v_personal_keys, v_secret_keys) p;
    elsif tg_op = 'INSERT' then
      select p.details into v_details from audit.row_change_parts('insert', null, v_new[1], '{}', v_secret_keys) p;
    elsif tg_op = 'UPDATE' then
      select p.details into v_details from audit.row_change_parts('update', v_old[1], v_new[1], '{}', v_secret_keys) p;
    else
      select p.details into v_details from audit.row_change_parts('delete', v_old[1], null, '{}', v_secret_keys) p;
    end if;
    if v_details is null then
      return null;
    end if;
    v_row := coalesce(v_new[1], v_old[1]);
    v_subject_id := (v_row ->> v_subject_key)::uuid;
    if v_personal_values is not null then
      v_request := v_request || jsonb_build_object('values', v_personal_values);
    end if;
    insert into audit.events (
      occurred_at, event_type, outcome, severity, actor_id, subject_id, organisation_id, entity_type, entity_id, details, request_id,
      db_role, personal
    ) values (
      v_now, 'row.' || tg_table_name || '.' || v_operation, 'success', 'info', v_actor, v_subject_id,
      (v_row ->> 'organization_id')::uuid, tg_table_name,
      case when v_key_column is not null then v_row ->> v_key_column
           else (select string_agg(v_row ->> c, ',' order by i) from unnest(v_key_columns) with ordinality u (c, i)) end,
      v_details, app_hidden.current_request_id(), nullif(pg_catalog.current_setting('role', true), 'none'),
      case when v_request <> '{}'::jsonb then app_hidden.encrypt_personal(coalesce(v_subject_id, v_actor), v_request::text) end
    );
    return null;
  end if;

  with shaped as (
    select r.n, coalesce(r.new_row, r.old_row) as any_row, p.details,
           case when p.personal_values is null then v_request
                else v_request || jsonb_build_object('values', p.personal_values) end as personal
    from unnest(v_old, v_new) with ordinality as r (old_row, new_row, n)
    cross join lateral audit.row_change_parts(v_operation, r.old_row, r.new_row, v_personal_keys, v_secret_keys) p
  ),
  owned as (
    select s.*, (s.any_row ->> v_subject_key)::uuid as subject_id,
           coalesce((s.any_row ->> v_subject_key)::uuid, v_actor) as owner
    from shaped s
  ),
  encrypted as (
    select d.owner, d.personal, app_hidden.encrypt_personal(d.owner, d.personal::text) as ciphertext
    from (select distinct o.owner, o.personal from owned o where o.personal <> '{}'::jsonb) d
  )
  insert into audit.events (
    occurred_at, event_type, outcome, severity, actor_id, subject_id, organisation_id, entity_type, entity_id, details, request_id,
    db_role, personal
  )
  select v_now, 'row.' || tg_table_name || '.' || v_operation, 'success', 'info', v_actor, o.subject_id,
         (o.any_row ->> 'organization_id')::uuid, tg_table_name,
         case when v_key_column is not null then o.any_row ->> v_key_column
              else (select string_agg(o.any_row ->> c, ',' order by i) from unnest(v_key_columns) with ordinality u (c, i)) end,
         o.details, app_hidden.current_request_id(), nullif(pg_catalog.current_setting('role', true), 'none'), e.ciphertext
  from owned o
  left join encrypted e on e.owner is not distinct from o.owner and e.personal = o.personal
  order by o.n;
  return null;
end;
$$;


ALTER FUNCTION audit.tg__row_changes() OWNER TO app_owner;

--
-- Name: FUNCTION tg__row_changes(); Type: COMMENT; Schema: audit; Owner: app_owner
--

COMMENT ON FUNCTION audit.tg__row_changes() IS 'Statement trigger: records a row-change event for each row the statement changed, in one insert; arguments: key columns.';


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
-- Name: verify_chain(bigint, bigint); Type: FUNCTION; Schema: audit; Owner: app_owner
--

CREATE FUNCTION audit.verify_chain(from_seq bigint DEFAULT 1, to_seq bigint DEFAULT NULL::bigint) RETURNS TABLE(seq bigint, event_id bigint, problem text)
    LANGUAGE plpgsql STABLE SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'extensions', 'pg_temp'
    AS $$
declare
  v_previous bytea;
  v_seal audit.seals;
  v_event audit.events;
begin
  select s.hash into v_previous from audit.seals s where s.seq < from_seq order by s.seq desc limit 1;
  for v_seal in
    select s.* from audit.seals s where s.seq >= from_seq and (to_seq is null or s.seq <= to_seq) order by s.seq
  loop
    select e.* into v_event from audit.events e where e.id = v_seal.event_id and e.occurred_at = v_seal.event_occurred_at;
    if v_event.id is null then
      if exists (select 1 from audit.partition_archives a
                 where v_seal.event_occurred_at >= a.range_from and v_seal.event_occurred_at < a.range_to) then
        v_previous := v_seal.hash;
        continue;
      end if;
      return query select v_seal.seq, v_seal.event_id, 'the sealed event is missing'::text;
      return;
    end if;
    if extensions.digest(coalesce(v_previous, '\x'::bytea) || audit.event_bytes(v_event), 'sha256') <> v_seal.hash then
      return query select v_seal.seq, v_seal.event_id, 'the event or the chain before it was changed'::text;
      return;
    end if;
    v_previous := v_seal.hash;
  end loop;
end;
$$;


ALTER FUNCTION audit.verify_chain(from_seq bigint, to_seq bigint) OWNER TO app_owner;

--
-- Name: FUNCTION verify_chain(from_seq bigint, to_seq bigint); Type: COMMENT; Schema: audit; Owner: app_owner
--

COMMENT ON FUNCTION audit.verify_chain(from_seq bigint, to_seq bigint) IS 'Checks the audit hash chain between two seals and returns the first broken link, or nothing when it holds.';


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


--
-- Name: consenting_user_activity; Type: VIEW; Schema: analytics; Owner: app_owner
--

CREATE VIEW analytics.consenting_user_activity WITH (security_barrier='true') AS
 SELECT consenting_user_activity.pseudonym,
    consenting_user_activity.day,
    consenting_user_activity.logins,
    consenting_user_activity.refreshes
   FROM analytics.consenting_user_activity() consenting_user_activity(pseudonym, day, logins, refreshes);


ALTER TABLE analytics.consenting_user_activity OWNER TO app_owner;

--
-- Name: VIEW consenting_user_activity; Type: COMMENT; Schema: analytics; Owner: app_owner
--

COMMENT ON VIEW analytics.consenting_user_activity IS 'Logins and refreshes per day (UTC) of each account whose latest analytics consent is granted, under its pseudonym.';


--
-- Name: consenting_users; Type: VIEW; Schema: analytics; Owner: app_owner
--

CREATE VIEW analytics.consenting_users WITH (security_barrier='true') AS
 SELECT consenting_users.pseudonym,
    consenting_users.signed_up_on
   FROM analytics.consenting_users() consenting_users(pseudonym, signed_up_on);


ALTER TABLE analytics.consenting_users OWNER TO app_owner;

--
-- Name: VIEW consenting_users; Type: COMMENT; Schema: analytics; Owner: app_owner
--

COMMENT ON VIEW analytics.consenting_users IS 'One row per account whose latest analytics consent is granted, under a pseudonym (HMAC of the account id).';


--
-- Name: daily_activity; Type: VIEW; Schema: analytics; Owner: app_owner
--

CREATE VIEW analytics.daily_activity WITH (security_barrier='true') AS
 SELECT daily_activity.day,
    daily_activity.sign_ups,
    daily_activity.logins,
    daily_activity.active_users
   FROM analytics.daily_activity() daily_activity(day, sign_ups, logins, active_users);


ALTER TABLE analytics.daily_activity OWNER TO app_owner;

--
-- Name: VIEW daily_activity; Type: COMMENT; Schema: analytics; Owner: app_owner
--

COMMENT ON VIEW analytics.daily_activity IS 'Sign-ups, logins and active users per day (UTC); a count of fewer people than analytics.min_group_size is null.';


--
-- Name: organization_daily_activity; Type: VIEW; Schema: analytics; Owner: app_owner
--

CREATE VIEW analytics.organization_daily_activity WITH (security_barrier='true') AS
 SELECT organization_daily_activity.organization_id,
    organization_daily_activity.day,
    organization_daily_activity.new_members,
    organization_daily_activity.logins,
    organization_daily_activity.active_users
   FROM analytics.organization_daily_activity() organization_daily_activity(organization_id, day, new_members, logins, active_users);


ALTER TABLE analytics.organization_daily_activity OWNER TO app_owner;

--
-- Name: VIEW organization_daily_activity; Type: COMMENT; Schema: analytics; Owner: app_owner
--

COMMENT ON VIEW analytics.organization_daily_activity IS 'New members, logins and active members per organisation and day (UTC); counts of fewer people than analytics.min_group_size are null.';


--
-- Name: analytics_keys; Type: TABLE; Schema: app_private; Owner: app_owner
--

CREATE TABLE app_private.analytics_keys (
    id boolean DEFAULT true NOT NULL,
    hmac_key bytea NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT analytics_keys_hmac_key_check CHECK ((length(hmac_key) = 32)),
    CONSTRAINT analytics_keys_id_check CHECK (id)
);


ALTER TABLE app_private.analytics_keys OWNER TO app_owner;

--
-- Name: TABLE analytics_keys; Type: COMMENT; Schema: app_private; Owner: app_owner
--

COMMENT ON TABLE app_private.analytics_keys IS 'The HMAC key of analytics pseudonyms (one row). Only the owner reads it, through app_private.analytics_pseudonym.';


--
-- Name: common_passwords; Type: TABLE; Schema: app_private; Owner: app_owner
--

CREATE TABLE app_private.common_passwords (
    password text NOT NULL
);


ALTER TABLE app_private.common_passwords OWNER TO app_owner;

--
-- Name: TABLE common_passwords; Type: COMMENT; Schema: app_private; Owner: app_owner
--

COMMENT ON TABLE app_private.common_passwords IS 'Passwords too common to allow (lower-case), loaded at migration time from @zxcvbn-ts/language-common.';


--
-- Name: consents_id_seq; Type: SEQUENCE; Schema: app_private; Owner: app_owner
--

ALTER TABLE app_private.consents ALTER COLUMN id ADD GENERATED ALWAYS AS IDENTITY (
    SEQUENCE NAME app_private.consents_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);


--
-- Name: email_changes; Type: TABLE; Schema: app_private; Owner: app_owner
--

CREATE TABLE app_private.email_changes (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    user_id uuid NOT NULL,
    old_email extensions.citext NOT NULL,
    new_email extensions.citext NOT NULL,
    requested_at timestamp with time zone DEFAULT app_hidden.clock_now() NOT NULL,
    token_hash bytea,
    token_expires_at timestamp with time zone,
    used_at timestamp with time zone,
    CONSTRAINT email_changes_check CHECK (((token_hash IS NULL) = (token_expires_at IS NULL))),
    CONSTRAINT email_changes_new_email_check CHECK ((length((new_email)::text) <= 254)),
    CONSTRAINT email_changes_token_hash_check CHECK ((length(token_hash) = 32))
);


ALTER TABLE app_private.email_changes OWNER TO app_owner;

--
-- Name: TABLE email_changes; Type: COMMENT; Schema: app_private; Owner: app_owner
--

COMMENT ON TABLE app_private.email_changes IS 'Requests to move an account to a new address; the address changes only when the link sent to it is followed.';


--
-- Name: email_verifications; Type: TABLE; Schema: app_private; Owner: app_owner
--

CREATE TABLE app_private.email_verifications (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    user_id uuid NOT NULL,
    email extensions.citext NOT NULL,
    created_at timestamp with time zone DEFAULT app_hidden.clock_now() NOT NULL,
    token_hash bytea,
    token_expires_at timestamp with time zone,
    used_at timestamp with time zone,
    CONSTRAINT email_verifications_check CHECK (((token_hash IS NULL) = (token_expires_at IS NULL))),
    CONSTRAINT email_verifications_token_hash_check CHECK ((length(token_hash) = 32))
);


ALTER TABLE app_private.email_verifications OWNER TO app_owner;

--
-- Name: TABLE email_verifications; Type: COMMENT; Schema: app_private; Owner: app_owner
--

COMMENT ON TABLE app_private.email_verifications IS 'Requests to verify an address; the token hash is stored when the worker sends the mail.';


--
-- Name: invitation_tokens; Type: TABLE; Schema: app_private; Owner: app_owner
--

CREATE TABLE app_private.invitation_tokens (
    invitation_id uuid NOT NULL,
    token_hash bytea NOT NULL,
    CONSTRAINT invitation_tokens_token_hash_check CHECK ((length(token_hash) = 32))
);


ALTER TABLE app_private.invitation_tokens OWNER TO app_owner;

--
-- Name: TABLE invitation_tokens; Type: COMMENT; Schema: app_private; Owner: app_owner
--

COMMENT ON TABLE app_private.invitation_tokens IS 'The SHA-256 of each invitation''s token, stored when the worker mails it.';


--
-- Name: known_devices; Type: TABLE; Schema: app_private; Owner: app_owner
--

CREATE TABLE app_private.known_devices (
    user_id uuid NOT NULL,
    device_hash bytea NOT NULL,
    first_seen_at timestamp with time zone DEFAULT app_hidden.clock_now() NOT NULL,
    last_seen_at timestamp with time zone DEFAULT app_hidden.clock_now() NOT NULL,
    CONSTRAINT known_devices_device_hash_check CHECK ((length(device_hash) = 32))
);


ALTER TABLE app_private.known_devices OWNER TO app_owner;

--
-- Name: TABLE known_devices; Type: COMMENT; Schema: app_private; Owner: app_owner
--

COMMENT ON TABLE app_private.known_devices IS 'Devices (SHA-256 of the user agent) each account has logged in from.';


--
-- Name: login_attempts; Type: TABLE; Schema: app_private; Owner: app_owner
--

CREATE TABLE app_private.login_attempts (
    key text NOT NULL,
    failed_count integer DEFAULT 0 NOT NULL,
    lock_count integer DEFAULT 0 NOT NULL,
    locked_until timestamp with time zone,
    last_failure_at timestamp with time zone,
    CONSTRAINT login_attempts_failed_count_check CHECK ((failed_count >= 0)),
    CONSTRAINT login_attempts_key_check CHECK ((length(key) <= 300)),
    CONSTRAINT login_attempts_lock_count_check CHECK ((lock_count >= 0))
);


ALTER TABLE app_private.login_attempts OWNER TO app_owner;

--
-- Name: TABLE login_attempts; Type: COMMENT; Schema: app_private; Owner: app_owner
--

COMMENT ON TABLE app_private.login_attempts IS 'Consecutive failed logins and locks, per account (key account:<id>) or per unknown identifier (key identifier:<text>).';


--
-- Name: login_reservations; Type: TABLE; Schema: app_private; Owner: app_owner
--

CREATE TABLE app_private.login_reservations (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    attempt_id uuid NOT NULL,
    client_ip_bucket text NOT NULL,
    attempt_key text NOT NULL,
    user_id uuid,
    created_at timestamp with time zone NOT NULL,
    expires_at timestamp with time zone NOT NULL,
    CONSTRAINT login_reservations_attempt_key_check CHECK ((length(attempt_key) <= 300)),
    CONSTRAINT login_reservations_client_ip_bucket_check CHECK ((length(client_ip_bucket) <= 300))
);


ALTER TABLE app_private.login_reservations OWNER TO app_owner;

--
-- Name: TABLE login_reservations; Type: COMMENT; Schema: app_private; Owner: app_owner
--

COMMENT ON TABLE app_private.login_reservations IS 'Logins in flight, between app_hidden.reserve_login and app_public.login: a failure of their client IP until recorded.';


--
-- Name: marketing_deliveries; Type: TABLE; Schema: app_private; Owner: app_owner
--

CREATE TABLE app_private.marketing_deliveries (
    message_id uuid NOT NULL,
    user_id uuid NOT NULL,
    token_hash bytea NOT NULL,
    token_expires_at timestamp with time zone NOT NULL,
    token_used_at timestamp with time zone,
    sent_at timestamp with time zone
);


ALTER TABLE app_private.marketing_deliveries OWNER TO app_owner;

--
-- Name: TABLE marketing_deliveries; Type: COMMENT; Schema: app_private; Owner: app_owner
--

COMMENT ON TABLE app_private.marketing_deliveries IS 'One marketing mail to one account: the SHA-256 of its unsubscribe token, when the mail went out, when the link was used.';


--
-- Name: marketing_messages; Type: TABLE; Schema: app_private; Owner: app_owner
--

CREATE TABLE app_private.marketing_messages (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    subject text NOT NULL,
    body text NOT NULL,
    created_at timestamp with time zone DEFAULT app_hidden.clock_now() NOT NULL,
    CONSTRAINT marketing_messages_body_check CHECK (((length(body) >= 1) AND (length(body) <= 20000))),
    CONSTRAINT marketing_messages_subject_check CHECK ((((length(subject) >= 1) AND (length(subject) <= 200)) AND (subject !~ '[[:cntrl:]]'::text)))
);


ALTER TABLE app_private.marketing_messages OWNER TO app_owner;

--
-- Name: TABLE marketing_messages; Type: COMMENT; Schema: app_private; Owner: app_owner
--

COMMENT ON TABLE app_private.marketing_messages IS 'Product news queued by app_private.queue_marketing_mail; sent by the worker only to accounts that consent to marketing.';


--
-- Name: password_history; Type: TABLE; Schema: app_private; Owner: app_owner
--

CREATE TABLE app_private.password_history (
    id bigint NOT NULL,
    user_id uuid NOT NULL,
    password_hash text NOT NULL,
    password_scheme text NOT NULL,
    created_at timestamp with time zone DEFAULT app_hidden.clock_now() NOT NULL
);


ALTER TABLE app_private.password_history OWNER TO app_owner;

--
-- Name: TABLE password_history; Type: COMMENT; Schema: app_private; Owner: app_owner
--

COMMENT ON TABLE app_private.password_history IS 'Earlier password hashes, so a new password cannot repeat a recent one.';


--
-- Name: password_history_id_seq; Type: SEQUENCE; Schema: app_private; Owner: app_owner
--

ALTER TABLE app_private.password_history ALTER COLUMN id ADD GENERATED ALWAYS AS IDENTITY (
    SEQUENCE NAME app_private.password_history_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);


--
-- Name: password_resets; Type: TABLE; Schema: app_private; Owner: app_owner
--

CREATE TABLE app_private.password_resets (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    user_id uuid NOT NULL,
    email extensions.citext NOT NULL,
    requested_at timestamp with time zone DEFAULT app_hidden.clock_now() NOT NULL,
    token_hash bytea,
    token_expires_at timestamp with time zone,
    used_at timestamp with time zone,
    requested_from bytea,
    CONSTRAINT password_resets_check CHECK (((token_hash IS NULL) = (token_expires_at IS NULL))),
    CONSTRAINT password_resets_token_hash_check CHECK ((length(token_hash) = 32))
);


ALTER TABLE app_private.password_resets OWNER TO app_owner;

--
-- Name: TABLE password_resets; Type: COMMENT; Schema: app_private; Owner: app_owner
--

COMMENT ON TABLE app_private.password_resets IS 'Password reset requests; the token hash is stored when the worker sends the mail.';


--
-- Name: COLUMN password_resets.requested_from; Type: COMMENT; Schema: app_private; Owner: app_owner
--

COMMENT ON COLUMN app_private.password_resets.requested_from IS 'OpenPGP ciphertext of {ip, user_agent} the reset was asked from, to the account''s key.';


--
-- Name: personal_data_columns; Type: TABLE; Schema: app_private; Owner: app_owner
--

CREATE TABLE app_private.personal_data_columns (
    table_schema text NOT NULL,
    table_name text NOT NULL,
    column_name text NOT NULL,
    protection text NOT NULL,
    purpose text NOT NULL,
    erasure text NOT NULL,
    CONSTRAINT personal_data_columns_erasure_check CHECK ((erasure = ANY (ARRAY['shredded'::text, 'anonymised'::text, 'deleted'::text]))),
    CONSTRAINT personal_data_columns_protection_check CHECK ((protection = ANY (ARRAY['encrypted'::text, 'clear_identifier'::text, 'clear_profile'::text, 'clear_short_lived'::text, 'blind_index'::text])))
);


ALTER TABLE app_private.personal_data_columns OWNER TO app_owner;

--
-- Name: TABLE personal_data_columns; Type: COMMENT; Schema: app_private; Owner: app_owner
--

COMMENT ON TABLE app_private.personal_data_columns IS 'Record of processing: each column holding personal data, its protection, purpose and what erasure does to it (docs/gdpr.md).';


--
-- Name: rate_limit_hits; Type: TABLE; Schema: app_private; Owner: app_owner
--

CREATE TABLE app_private.rate_limit_hits (
    id bigint NOT NULL,
    bucket text NOT NULL,
    hit_at timestamp with time zone DEFAULT app_hidden.clock_now() NOT NULL,
    CONSTRAINT rate_limit_hits_bucket_check CHECK ((length(bucket) <= 300))
);


ALTER TABLE app_private.rate_limit_hits OWNER TO app_owner;

--
-- Name: TABLE rate_limit_hits; Type: COMMENT; Schema: app_private; Owner: app_owner
--

COMMENT ON TABLE app_private.rate_limit_hits IS 'One row per counted request; the worker deletes rows older than every window.';


--
-- Name: rate_limit_hits_id_seq; Type: SEQUENCE; Schema: app_private; Owner: app_owner
--

ALTER TABLE app_private.rate_limit_hits ALTER COLUMN id ADD GENERATED ALWAYS AS IDENTITY (
    SEQUENCE NAME app_private.rate_limit_hits_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);


--
-- Name: refresh_tokens; Type: TABLE; Schema: app_private; Owner: app_owner
--

CREATE TABLE app_private.refresh_tokens (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    session_id uuid NOT NULL,
    token_hash bytea NOT NULL,
    created_at timestamp with time zone DEFAULT app_hidden.clock_now() NOT NULL,
    expires_at timestamp with time zone NOT NULL,
    used_at timestamp with time zone,
    replaced_by uuid,
    parent_id uuid,
    CONSTRAINT refresh_tokens_token_hash_check CHECK ((length(token_hash) = 32))
);


ALTER TABLE app_private.refresh_tokens OWNER TO app_owner;

--
-- Name: TABLE refresh_tokens; Type: COMMENT; Schema: app_private; Owner: app_owner
--

COMMENT ON TABLE app_private.refresh_tokens IS 'Refresh tokens, stored only as SHA-256. The token itself is shown once, at issue.';


--
-- Name: COLUMN refresh_tokens.parent_id; Type: COMMENT; Schema: app_private; Owner: app_owner
--

COMMENT ON COLUMN app_private.refresh_tokens.parent_id IS 'The token this one was issued for, at a refresh.';


--
-- Name: role_ancestors; Type: TABLE; Schema: app_private; Owner: app_owner
--

CREATE TABLE app_private.role_ancestors (
    role_id uuid NOT NULL,
    ancestor_id uuid NOT NULL
);


ALTER TABLE app_private.role_ancestors OWNER TO app_owner;

--
-- Name: TABLE role_ancestors; Type: COMMENT; Schema: app_private; Owner: app_owner
--

COMMENT ON TABLE app_private.role_ancestors IS 'Closure of app_public.role_parents (derived; rebuilt by triggers).';


--
-- Name: sessions; Type: TABLE; Schema: app_private; Owner: app_owner
--

CREATE TABLE app_private.sessions (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    user_id uuid NOT NULL,
    created_at timestamp with time zone DEFAULT app_hidden.clock_now() NOT NULL,
    last_refreshed_at timestamp with time zone DEFAULT app_hidden.clock_now() NOT NULL,
    absolute_expires_at timestamp with time zone NOT NULL,
    revoked_at timestamp with time zone,
    revoked_reason text,
    device_info jsonb DEFAULT '{}'::jsonb NOT NULL,
    organization_id uuid,
    personal bytea,
    CONSTRAINT sessions_check CHECK (((revoked_at IS NULL) = (revoked_reason IS NULL))),
    CONSTRAINT sessions_device_info_check CHECK ((jsonb_typeof(device_info) = 'object'::text)),
    CONSTRAINT sessions_revoked_reason_check CHECK ((length(revoked_reason) <= 100))
);


ALTER TABLE app_private.sessions OWNER TO app_owner;

--
-- Name: TABLE sessions; Type: COMMENT; Schema: app_private; Owner: app_owner
--

COMMENT ON TABLE app_private.sessions IS 'One row per login. Revoked or past absolute_expires_at: the session is over.';


--
-- Name: COLUMN sessions.personal; Type: COMMENT; Schema: app_private; Owner: app_owner
--

COMMENT ON COLUMN app_private.sessions.personal IS 'OpenPGP ciphertext of {ip, user_agent} the session was opened from, to the account''s key.';


--
-- Name: user_personal_data; Type: TABLE; Schema: app_private; Owner: app_owner
--

CREATE TABLE app_private.user_personal_data (
    user_id uuid NOT NULL,
    phone bytea,
    phone_lookup bytea,
    date_of_birth bytea,
    updated_at timestamp with time zone DEFAULT app_hidden.clock_now() NOT NULL,
    CONSTRAINT user_personal_data_check CHECK (((phone IS NULL) = (phone_lookup IS NULL))),
    CONSTRAINT user_personal_data_phone_lookup_check CHECK ((length(phone_lookup) = 32))
);


ALTER TABLE app_private.user_personal_data OWNER TO app_owner;

--
-- Name: TABLE user_personal_data; Type: COMMENT; Schema: app_private; Owner: app_owner
--

COMMENT ON TABLE app_private.user_personal_data IS 'Profile fields kept only as OpenPGP ciphertext to the account''s key (AES-256). phone_lookup: HMAC-SHA-256 blind index, key outside the database.';


--
-- Name: user_security; Type: TABLE; Schema: app_private; Owner: app_owner
--

CREATE TABLE app_private.user_security (
    user_id uuid NOT NULL,
    password_hash text NOT NULL,
    password_scheme text NOT NULL,
    password_changed_at timestamp with time zone DEFAULT app_hidden.clock_now() NOT NULL,
    last_login_at timestamp with time zone,
    CONSTRAINT user_security_password_scheme_check CHECK ((password_scheme = ANY (ARRAY['bcrypt-sha384'::text, 'bcrypt'::text])))
);


ALTER TABLE app_private.user_security OWNER TO app_owner;

--
-- Name: TABLE user_security; Type: COMMENT; Schema: app_private; Owner: app_owner
--

COMMENT ON TABLE app_private.user_security IS 'Password hash and login state of each account. bcrypt-sha384: bcrypt over base64(SHA-384(NFKC(password))); bcrypt: a legacy hash of the raw password, upgraded at the next login.';


--
-- Name: users_awaiting_key; Type: TABLE; Schema: app_private; Owner: app_owner
--

CREATE TABLE app_private.users_awaiting_key (
    user_id uuid NOT NULL,
    since timestamp with time zone DEFAULT app_hidden.clock_now() NOT NULL
);


ALTER TABLE app_private.users_awaiting_key OWNER TO app_owner;

--
-- Name: TABLE users_awaiting_key; Type: COMMENT; Schema: app_private; Owner: app_owner
--

COMMENT ON TABLE app_private.users_awaiting_key IS 'Accounts created while the spare key pool was empty; the worker makes their keys.';


--
-- Name: role_parents; Type: TABLE; Schema: app_public; Owner: app_owner
--

CREATE TABLE app_public.role_parents (
    role_id uuid NOT NULL,
    parent_id uuid NOT NULL,
    CONSTRAINT role_parents_check CHECK ((role_id <> parent_id))
);


ALTER TABLE app_public.role_parents OWNER TO app_owner;

--
-- Name: TABLE role_parents; Type: COMMENT; Schema: app_public; Owner: app_owner
--

COMMENT ON TABLE app_public.role_parents IS '@behavior -insert -update -delete
The role hierarchy: role_id inherits every permission of parent_id. Cycles are refused.';


--
-- Name: role_permissions; Type: TABLE; Schema: app_public; Owner: app_owner
--

CREATE TABLE app_public.role_permissions (
    role_id uuid NOT NULL,
    permission text NOT NULL
);


ALTER TABLE app_public.role_permissions OWNER TO app_owner;

--
-- Name: TABLE role_permissions; Type: COMMENT; Schema: app_public; Owner: app_owner
--

COMMENT ON TABLE app_public.role_permissions IS '@behavior -insert -update -delete
The permissions granted directly to a role, not counting those of its parents.';


--
-- Name: user_roles; Type: TABLE; Schema: app_public; Owner: app_owner
--

CREATE TABLE app_public.user_roles (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    user_id uuid NOT NULL,
    role_id uuid NOT NULL,
    organization_id uuid,
    assigned_by uuid,
    assigned_at timestamp with time zone DEFAULT app_hidden.clock_now() NOT NULL,
    expires_at timestamp with time zone
);


ALTER TABLE app_public.user_roles OWNER TO app_owner;

--
-- Name: TABLE user_roles; Type: COMMENT; Schema: app_public; Owner: app_owner
--

COMMENT ON TABLE app_public.user_roles IS '@behavior -insert -update -delete
A role held by a user, in one organisation or (organization_id null) everywhere, until expires_at if set.';


--
-- Name: casbin_rule; Type: VIEW; Schema: app_public; Owner: app_owner
--

CREATE VIEW app_public.casbin_rule WITH (security_barrier='true') AS
 SELECT 'p'::text AS ptype,
    (r.name)::text AS v0,
    COALESCE((r.organization_id)::text, '*'::text) AS v1,
    split_part(rp.permission, ':'::text, 1) AS v2,
    split_part(rp.permission, ':'::text, 2) AS v3,
    ''::text AS v4,
    ''::text AS v5
   FROM (app_public.role_permissions rp
     JOIN app_public.roles r ON ((r.id = rp.role_id)))
UNION ALL
 SELECT 'g'::text AS ptype,
    (c.name)::text AS v0,
    (p.name)::text AS v1,
    COALESCE((c.organization_id)::text, '*'::text) AS v2,
    ''::text AS v3,
    ''::text AS v4,
    ''::text AS v5
   FROM ((app_public.role_parents x
     JOIN app_public.roles c ON ((c.id = x.role_id)))
     JOIN app_public.roles p ON ((p.id = x.parent_id)))
UNION ALL
 SELECT 'g'::text AS ptype,
    (ur.user_id)::text AS v0,
    (r.name)::text AS v1,
    COALESCE((ur.organization_id)::text, '*'::text) AS v2,
    ''::text AS v3,
    ''::text AS v4,
    ''::text AS v5
   FROM (app_public.user_roles ur
     JOIN app_public.roles r ON ((r.id = ur.role_id)))
  WHERE ((ur.expires_at IS NULL) OR (ur.expires_at > app_hidden.clock_now()));


ALTER TABLE app_public.casbin_rule OWNER TO app_owner;

--
-- Name: VIEW casbin_rule; Type: COMMENT; Schema: app_public; Owner: app_owner
--

COMMENT ON VIEW app_public.casbin_rule IS '@behavior -*
Casbin rule format (p: role, domain, resource, action; g: member, role, domain), derived from the role tables.';


--
-- Name: comments; Type: TABLE; Schema: app_public; Owner: app_owner
--

CREATE TABLE app_public.comments (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    post_id uuid NOT NULL,
    author_id uuid DEFAULT app_hidden.current_user_id() NOT NULL,
    body text NOT NULL,
    created_at timestamp with time zone DEFAULT app_hidden.clock_now() NOT NULL,
    updated_at timestamp with time zone DEFAULT app_hidden.clock_now() NOT NULL,
    CONSTRAINT comments_body_check CHECK (((length(btrim(body)) >= 1) AND (length(btrim(body)) <= 5000)))
);


ALTER TABLE app_public.comments OWNER TO app_owner;

--
-- Name: TABLE comments; Type: COMMENT; Schema: app_public; Owner: app_owner
--

COMMENT ON TABLE app_public.comments IS 'A comment on a published post, visible to everyone signed in; its author may edit or delete it.';


--
-- Name: invitations; Type: TABLE; Schema: app_public; Owner: app_owner
--

CREATE TABLE app_public.invitations (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    organization_id uuid NOT NULL,
    email extensions.citext NOT NULL,
    invited_by uuid,
    created_at timestamp with time zone DEFAULT app_hidden.clock_now() NOT NULL,
    expires_at timestamp with time zone NOT NULL,
    accepted_at timestamp with time zone,
    accepted_by uuid,
    CONSTRAINT invitations_email_check CHECK ((length((email)::text) <= 254))
);


ALTER TABLE app_public.invitations OWNER TO app_owner;

--
-- Name: TABLE invitations; Type: COMMENT; Schema: app_public; Owner: app_owner
--

COMMENT ON TABLE app_public.invitations IS '@behavior -insert -update -delete
An invitation to join an organisation, sent by mail. Create one with inviteMember; the invitee accepts with acceptInvitation.';


--
-- Name: memberships; Type: TABLE; Schema: app_public; Owner: app_owner
--

CREATE TABLE app_public.memberships (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    organization_id uuid NOT NULL,
    user_id uuid NOT NULL,
    status text DEFAULT 'active'::text NOT NULL,
    invited_at timestamp with time zone,
    joined_at timestamp with time zone DEFAULT app_hidden.clock_now() NOT NULL,
    ended_at timestamp with time zone,
    CONSTRAINT memberships_check CHECK (((status = 'active'::text) = (ended_at IS NULL))),
    CONSTRAINT memberships_status_check CHECK ((status = ANY (ARRAY['active'::text, 'left'::text, 'removed'::text])))
);


ALTER TABLE app_public.memberships OWNER TO app_owner;

--
-- Name: TABLE memberships; Type: COMMENT; Schema: app_public; Owner: app_owner
--

COMMENT ON TABLE app_public.memberships IS '@behavior -insert -update -delete
Who belongs to which organisation. Ended memberships stay, with the time they ended.';


--
-- Name: organizations; Type: TABLE; Schema: app_public; Owner: app_owner
--

CREATE TABLE app_public.organizations (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    name text NOT NULL,
    slug extensions.citext NOT NULL,
    created_by uuid,
    created_at timestamp with time zone DEFAULT app_hidden.clock_now() NOT NULL,
    updated_at timestamp with time zone DEFAULT app_hidden.clock_now() NOT NULL,
    CONSTRAINT organizations_name_check CHECK (((length(btrim(name)) >= 1) AND (length(btrim(name)) <= 100))),
    CONSTRAINT organizations_slug_check CHECK ((((length((slug)::text) >= 3) AND (length((slug)::text) <= 50)) AND (slug OPERATOR(extensions.~) '^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$'::extensions.citext)))
);


ALTER TABLE app_public.organizations OWNER TO app_owner;

--
-- Name: TABLE organizations; Type: COMMENT; Schema: app_public; Owner: app_owner
--

COMMENT ON TABLE app_public.organizations IS '@behavior -insert -update -delete
An organisation (tenant). Its admins manage its members and roles; create one with createOrganization.';


--
-- Name: permissions; Type: TABLE; Schema: app_public; Owner: app_owner
--

CREATE TABLE app_public.permissions (
    name text NOT NULL,
    description text NOT NULL,
    CONSTRAINT permissions_name_check CHECK (((name ~ '^[a-z][a-z_]*:[a-z][a-z_]*$'::text) AND (length(name) <= 100)))
);


ALTER TABLE app_public.permissions OWNER TO app_owner;

--
-- Name: TABLE permissions; Type: COMMENT; Schema: app_public; Owner: app_owner
--

COMMENT ON TABLE app_public.permissions IS '@behavior -insert -update -delete
A permission, named resource:action (users:read, roles:manage).';


--
-- Name: posts; Type: TABLE; Schema: app_public; Owner: app_owner
--

CREATE TABLE app_public.posts (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    author_id uuid DEFAULT app_hidden.current_user_id() NOT NULL,
    title text NOT NULL,
    body text DEFAULT ''::text NOT NULL,
    status text DEFAULT 'draft'::text NOT NULL,
    published_at timestamp with time zone,
    created_at timestamp with time zone DEFAULT app_hidden.clock_now() NOT NULL,
    updated_at timestamp with time zone DEFAULT app_hidden.clock_now() NOT NULL,
    CONSTRAINT posts_body_check CHECK ((length(body) <= 100000)),
    CONSTRAINT posts_check CHECK (((status = 'published'::text) = (published_at IS NOT NULL))),
    CONSTRAINT posts_status_check CHECK ((status = ANY (ARRAY['draft'::text, 'published'::text]))),
    CONSTRAINT posts_title_check CHECK (((length(btrim(title)) >= 1) AND (length(btrim(title)) <= 300)))
);


ALTER TABLE app_public.posts OWNER TO app_owner;

--
-- Name: TABLE posts; Type: COMMENT; Schema: app_public; Owner: app_owner
--

COMMENT ON TABLE app_public.posts IS '@behavior +aggregates +groupedAggregates
A post. A draft is visible to its author only; publishPost makes it visible to everyone signed in.';


--
-- Name: project_members; Type: TABLE; Schema: app_public; Owner: app_owner
--

CREATE TABLE app_public.project_members (
    project_id uuid NOT NULL,
    user_id uuid NOT NULL,
    role text DEFAULT 'member'::text NOT NULL,
    added_at timestamp with time zone DEFAULT app_hidden.clock_now() NOT NULL,
    CONSTRAINT project_members_role_check CHECK ((role = ANY (ARRAY['owner'::text, 'member'::text])))
);


ALTER TABLE app_public.project_members OWNER TO app_owner;

--
-- Name: TABLE project_members; Type: COMMENT; Schema: app_public; Owner: app_owner
--

COMMENT ON TABLE app_public.project_members IS '@behavior -insert -update -delete
Who works on a project. Owners add and remove members with addProjectMember and removeProjectMember.';


--
-- Name: projects; Type: TABLE; Schema: app_public; Owner: app_owner
--

CREATE TABLE app_public.projects (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    organization_id uuid NOT NULL,
    name text NOT NULL,
    description text DEFAULT ''::text NOT NULL,
    visibility text DEFAULT 'internal'::text NOT NULL,
    created_by uuid DEFAULT app_hidden.current_user_id(),
    created_at timestamp with time zone DEFAULT app_hidden.clock_now() NOT NULL,
    updated_at timestamp with time zone DEFAULT app_hidden.clock_now() NOT NULL,
    CONSTRAINT projects_description_check CHECK ((length(description) <= 5000)),
    CONSTRAINT projects_name_check CHECK (((length(btrim(name)) >= 1) AND (length(btrim(name)) <= 200))),
    CONSTRAINT projects_visibility_check CHECK ((visibility = ANY (ARRAY['private'::text, 'internal'::text, 'public'::text])))
);


ALTER TABLE app_public.projects OWNER TO app_owner;

--
-- Name: TABLE projects; Type: COMMENT; Schema: app_public; Owner: app_owner
--

COMMENT ON TABLE app_public.projects IS '@behavior -delete
A project of an organisation. private: its members only; internal: members of the organisation with projects:read;
public: anyone signed in. Members of the organisation with projects:write create projects and become their owners.';


--
-- Name: tasks; Type: TABLE; Schema: app_public; Owner: app_owner
--

CREATE TABLE app_public.tasks (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    project_id uuid NOT NULL,
    title text NOT NULL,
    description text DEFAULT ''::text NOT NULL,
    status text DEFAULT 'todo'::text NOT NULL,
    priority integer DEFAULT 3 NOT NULL,
    labels text[] DEFAULT '{}'::text[] NOT NULL,
    due_date date,
    assignee_id uuid,
    created_by uuid DEFAULT app_hidden.current_user_id(),
    created_at timestamp with time zone DEFAULT app_hidden.clock_now() NOT NULL,
    updated_at timestamp with time zone DEFAULT app_hidden.clock_now() NOT NULL,
    CONSTRAINT tasks_description_check CHECK ((length(description) <= 10000)),
    CONSTRAINT tasks_labels_check CHECK ((cardinality(labels) <= 20)),
    CONSTRAINT tasks_priority_check CHECK (((priority >= 1) AND (priority <= 5))),
    CONSTRAINT tasks_status_check CHECK ((status = ANY (ARRAY['todo'::text, 'in_progress'::text, 'done'::text]))),
    CONSTRAINT tasks_title_check CHECK (((length(btrim(title)) >= 1) AND (length(btrim(title)) <= 300)))
);


ALTER TABLE app_public.tasks OWNER TO app_owner;

--
-- Name: TABLE tasks; Type: COMMENT; Schema: app_public; Owner: app_owner
--

COMMENT ON TABLE app_public.tasks IS '@behavior +aggregates +aggregates:filterBy +groupedAggregates
A task of a project, visible to whoever sees the project; project members with projects:write create and change tasks.';


--
-- Name: user_profiles; Type: VIEW; Schema: app_public; Owner: app_owner
--

CREATE VIEW app_public.user_profiles AS
 SELECT u.id,
    u.username,
    u.display_name,
    u.avatar_url
   FROM app_public.users u
  WHERE ((u.status = 'active'::text) AND (u.deleted_at IS NULL));


ALTER TABLE app_public.user_profiles OWNER TO app_owner;

--
-- Name: VIEW user_profiles; Type: COMMENT; Schema: app_public; Owner: app_owner
--

COMMENT ON VIEW app_public.user_profiles IS '@primaryKey id
@behavior -insert -update -delete -connection -list
The public profile of an active account: what other users see. Looked up by id; accounts cannot be listed.';


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
    personal bytea,
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
    personal bytea,
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
    personal bytea,
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
    personal bytea,
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
-- Name: events_y2027m03; Type: TABLE; Schema: audit; Owner: app_owner
--

CREATE TABLE audit.events_y2027m03 (
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
    personal bytea,
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


ALTER TABLE audit.events_y2027m03 OWNER TO app_owner;

--
-- Name: partition_archives; Type: TABLE; Schema: audit; Owner: app_owner
--

CREATE TABLE audit.partition_archives (
    partition_name text NOT NULL,
    range_from timestamp with time zone NOT NULL,
    range_to timestamp with time zone NOT NULL,
    events bigint NOT NULL,
    sha256 text NOT NULL,
    file_name text NOT NULL,
    last_seal_seq bigint,
    archived_at timestamp with time zone DEFAULT app_hidden.clock_now() NOT NULL,
    CONSTRAINT partition_archives_events_check CHECK ((events >= 0)),
    CONSTRAINT partition_archives_partition_name_check CHECK ((partition_name ~ '^events_y[0-9]{4}m[0-9]{2}$'::text)),
    CONSTRAINT partition_archives_sha256_check CHECK ((sha256 ~ '^[0-9a-f]{64}$'::text))
);


ALTER TABLE audit.partition_archives OWNER TO app_owner;

--
-- Name: TABLE partition_archives; Type: COMMENT; Schema: audit; Owner: app_owner
--

COMMENT ON TABLE audit.partition_archives IS 'Audit partitions that left the database: where their export is, how many events it holds and its SHA-256. Insert-only.';


--
-- Name: seals; Type: TABLE; Schema: audit; Owner: app_owner
--

CREATE TABLE audit.seals (
    seq bigint NOT NULL,
    event_id bigint NOT NULL,
    event_occurred_at timestamp with time zone NOT NULL,
    hash bytea NOT NULL,
    sealed_at timestamp with time zone DEFAULT app_hidden.clock_now() NOT NULL,
    CONSTRAINT seals_hash_check CHECK ((length(hash) = 32))
);


ALTER TABLE audit.seals OWNER TO app_owner;

--
-- Name: TABLE seals; Type: COMMENT; Schema: audit; Owner: app_owner
--

COMMENT ON TABLE audit.seals IS 'The hash chain over audit events, in seal order: hash = SHA-256(previous hash || the event row as stored). Insert-only.';


--
-- Name: seals_seq_seq; Type: SEQUENCE; Schema: audit; Owner: app_owner
--

ALTER TABLE audit.seals ALTER COLUMN seq ADD GENERATED ALWAYS AS IDENTITY (
    SEQUENCE NAME audit.seals_seq_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);


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
-- Name: events_y2027m03; Type: TABLE ATTACH; Schema: audit; Owner: app_owner
--

ALTER TABLE ONLY audit.events ATTACH PARTITION audit.events_y2027m03 FOR VALUES FROM ('2027-03-01 00:00:00+00') TO ('2027-04-01 00:00:00+00');


--
-- Name: events id; Type: DEFAULT; Schema: audit; Owner: app_owner
--

ALTER TABLE ONLY audit.events ALTER COLUMN id SET DEFAULT nextval('audit.events_id_seq'::regclass);


--
-- Name: analytics_keys analytics_keys_pkey; Type: CONSTRAINT; Schema: app_private; Owner: app_owner
--

ALTER TABLE ONLY app_private.analytics_keys
    ADD CONSTRAINT analytics_keys_pkey PRIMARY KEY (id);


--
-- Name: common_passwords common_passwords_pkey; Type: CONSTRAINT; Schema: app_private; Owner: app_owner
--

ALTER TABLE ONLY app_private.common_passwords
    ADD CONSTRAINT common_passwords_pkey PRIMARY KEY (password);


--
-- Name: consents consents_pkey; Type: CONSTRAINT; Schema: app_private; Owner: app_owner
--

ALTER TABLE ONLY app_private.consents
    ADD CONSTRAINT consents_pkey PRIMARY KEY (id);


--
-- Name: email_changes email_changes_pkey; Type: CONSTRAINT; Schema: app_private; Owner: app_owner
--

ALTER TABLE ONLY app_private.email_changes
    ADD CONSTRAINT email_changes_pkey PRIMARY KEY (id);


--
-- Name: email_changes email_changes_token_hash_key; Type: CONSTRAINT; Schema: app_private; Owner: app_owner
--

ALTER TABLE ONLY app_private.email_changes
    ADD CONSTRAINT email_changes_token_hash_key UNIQUE (token_hash);


--
-- Name: email_verifications email_verifications_pkey; Type: CONSTRAINT; Schema: app_private; Owner: app_owner
--

ALTER TABLE ONLY app_private.email_verifications
    ADD CONSTRAINT email_verifications_pkey PRIMARY KEY (id);


--
-- Name: email_verifications email_verifications_token_hash_key; Type: CONSTRAINT; Schema: app_private; Owner: app_owner
--

ALTER TABLE ONLY app_private.email_verifications
    ADD CONSTRAINT email_verifications_token_hash_key UNIQUE (token_hash);


--
-- Name: encryption_keys encryption_keys_pgp_key_id_key; Type: CONSTRAINT; Schema: app_private; Owner: app_owner
--

ALTER TABLE ONLY app_private.encryption_keys
    ADD CONSTRAINT encryption_keys_pgp_key_id_key UNIQUE (pgp_key_id);


--
-- Name: encryption_keys encryption_keys_pkey; Type: CONSTRAINT; Schema: app_private; Owner: app_owner
--

ALTER TABLE ONLY app_private.encryption_keys
    ADD CONSTRAINT encryption_keys_pkey PRIMARY KEY (key_id);


--
-- Name: encryption_keys encryption_keys_user_id_key; Type: CONSTRAINT; Schema: app_private; Owner: app_owner
--

ALTER TABLE ONLY app_private.encryption_keys
    ADD CONSTRAINT encryption_keys_user_id_key UNIQUE (user_id);


--
-- Name: invitation_tokens invitation_tokens_pkey; Type: CONSTRAINT; Schema: app_private; Owner: app_owner
--

ALTER TABLE ONLY app_private.invitation_tokens
    ADD CONSTRAINT invitation_tokens_pkey PRIMARY KEY (invitation_id);


--
-- Name: invitation_tokens invitation_tokens_token_hash_key; Type: CONSTRAINT; Schema: app_private; Owner: app_owner
--

ALTER TABLE ONLY app_private.invitation_tokens
    ADD CONSTRAINT invitation_tokens_token_hash_key UNIQUE (token_hash);


--
-- Name: known_devices known_devices_pkey; Type: CONSTRAINT; Schema: app_private; Owner: app_owner
--

ALTER TABLE ONLY app_private.known_devices
    ADD CONSTRAINT known_devices_pkey PRIMARY KEY (user_id, device_hash);


--
-- Name: login_attempts login_attempts_pkey; Type: CONSTRAINT; Schema: app_private; Owner: app_owner
--

ALTER TABLE ONLY app_private.login_attempts
    ADD CONSTRAINT login_attempts_pkey PRIMARY KEY (key);


--
-- Name: login_reservations login_reservations_attempt_id_key; Type: CONSTRAINT; Schema: app_private; Owner: app_owner
--

ALTER TABLE ONLY app_private.login_reservations
    ADD CONSTRAINT login_reservations_attempt_id_key UNIQUE (attempt_id);


--
-- Name: login_reservations login_reservations_pkey; Type: CONSTRAINT; Schema: app_private; Owner: app_owner
--

ALTER TABLE ONLY app_private.login_reservations
    ADD CONSTRAINT login_reservations_pkey PRIMARY KEY (id);


--
-- Name: marketing_deliveries marketing_deliveries_pkey; Type: CONSTRAINT; Schema: app_private; Owner: app_owner
--

ALTER TABLE ONLY app_private.marketing_deliveries
    ADD CONSTRAINT marketing_deliveries_pkey PRIMARY KEY (message_id, user_id);


--
-- Name: marketing_deliveries marketing_deliveries_token_hash_key; Type: CONSTRAINT; Schema: app_private; Owner: app_owner
--

ALTER TABLE ONLY app_private.marketing_deliveries
    ADD CONSTRAINT marketing_deliveries_token_hash_key UNIQUE (token_hash);


--
-- Name: marketing_messages marketing_messages_pkey; Type: CONSTRAINT; Schema: app_private; Owner: app_owner
--

ALTER TABLE ONLY app_private.marketing_messages
    ADD CONSTRAINT marketing_messages_pkey PRIMARY KEY (id);


--
-- Name: password_history password_history_pkey; Type: CONSTRAINT; Schema: app_private; Owner: app_owner
--

ALTER TABLE ONLY app_private.password_history
    ADD CONSTRAINT password_history_pkey PRIMARY KEY (id);


--
-- Name: password_resets password_resets_pkey; Type: CONSTRAINT; Schema: app_private; Owner: app_owner
--

ALTER TABLE ONLY app_private.password_resets
    ADD CONSTRAINT password_resets_pkey PRIMARY KEY (id);


--
-- Name: password_resets password_resets_token_hash_key; Type: CONSTRAINT; Schema: app_private; Owner: app_owner
--

ALTER TABLE ONLY app_private.password_resets
    ADD CONSTRAINT password_resets_token_hash_key UNIQUE (token_hash);


--
-- Name: personal_data_columns personal_data_columns_pkey; Type: CONSTRAINT; Schema: app_private; Owner: app_owner
--

ALTER TABLE ONLY app_private.personal_data_columns
    ADD CONSTRAINT personal_data_columns_pkey PRIMARY KEY (table_schema, table_name, column_name);


--
-- Name: rate_limit_hits rate_limit_hits_pkey; Type: CONSTRAINT; Schema: app_private; Owner: app_owner
--

ALTER TABLE ONLY app_private.rate_limit_hits
    ADD CONSTRAINT rate_limit_hits_pkey PRIMARY KEY (id);


--
-- Name: refresh_tokens refresh_tokens_pkey; Type: CONSTRAINT; Schema: app_private; Owner: app_owner
--

ALTER TABLE ONLY app_private.refresh_tokens
    ADD CONSTRAINT refresh_tokens_pkey PRIMARY KEY (id);


--
-- Name: refresh_tokens refresh_tokens_token_hash_key; Type: CONSTRAINT; Schema: app_private; Owner: app_owner
--

ALTER TABLE ONLY app_private.refresh_tokens
    ADD CONSTRAINT refresh_tokens_token_hash_key UNIQUE (token_hash);


--
-- Name: role_ancestors role_ancestors_pkey; Type: CONSTRAINT; Schema: app_private; Owner: app_owner
--

ALTER TABLE ONLY app_private.role_ancestors
    ADD CONSTRAINT role_ancestors_pkey PRIMARY KEY (role_id, ancestor_id);


--
-- Name: sessions sessions_pkey; Type: CONSTRAINT; Schema: app_private; Owner: app_owner
--

ALTER TABLE ONLY app_private.sessions
    ADD CONSTRAINT sessions_pkey PRIMARY KEY (id);


--
-- Name: user_personal_data user_personal_data_pkey; Type: CONSTRAINT; Schema: app_private; Owner: app_owner
--

ALTER TABLE ONLY app_private.user_personal_data
    ADD CONSTRAINT user_personal_data_pkey PRIMARY KEY (user_id);


--
-- Name: user_security user_security_pkey; Type: CONSTRAINT; Schema: app_private; Owner: app_owner
--

ALTER TABLE ONLY app_private.user_security
    ADD CONSTRAINT user_security_pkey PRIMARY KEY (user_id);


--
-- Name: users_awaiting_key users_awaiting_key_pkey; Type: CONSTRAINT; Schema: app_private; Owner: app_owner
--

ALTER TABLE ONLY app_private.users_awaiting_key
    ADD CONSTRAINT users_awaiting_key_pkey PRIMARY KEY (user_id);


--
-- Name: comments comments_pkey; Type: CONSTRAINT; Schema: app_public; Owner: app_owner
--

ALTER TABLE ONLY app_public.comments
    ADD CONSTRAINT comments_pkey PRIMARY KEY (id);


--
-- Name: invitations invitations_pkey; Type: CONSTRAINT; Schema: app_public; Owner: app_owner
--

ALTER TABLE ONLY app_public.invitations
    ADD CONSTRAINT invitations_pkey PRIMARY KEY (id);


--
-- Name: memberships memberships_organization_id_user_id_key; Type: CONSTRAINT; Schema: app_public; Owner: app_owner
--

ALTER TABLE ONLY app_public.memberships
    ADD CONSTRAINT memberships_organization_id_user_id_key UNIQUE (organization_id, user_id);


--
-- Name: memberships memberships_pkey; Type: CONSTRAINT; Schema: app_public; Owner: app_owner
--

ALTER TABLE ONLY app_public.memberships
    ADD CONSTRAINT memberships_pkey PRIMARY KEY (id);


--
-- Name: organizations organizations_pkey; Type: CONSTRAINT; Schema: app_public; Owner: app_owner
--

ALTER TABLE ONLY app_public.organizations
    ADD CONSTRAINT organizations_pkey PRIMARY KEY (id);


--
-- Name: permissions permissions_pkey; Type: CONSTRAINT; Schema: app_public; Owner: app_owner
--

ALTER TABLE ONLY app_public.permissions
    ADD CONSTRAINT permissions_pkey PRIMARY KEY (name);


--
-- Name: posts posts_pkey; Type: CONSTRAINT; Schema: app_public; Owner: app_owner
--

ALTER TABLE ONLY app_public.posts
    ADD CONSTRAINT posts_pkey PRIMARY KEY (id);


--
-- Name: project_members project_members_pkey; Type: CONSTRAINT; Schema: app_public; Owner: app_owner
--

ALTER TABLE ONLY app_public.project_members
    ADD CONSTRAINT project_members_pkey PRIMARY KEY (project_id, user_id);


--
-- Name: projects projects_pkey; Type: CONSTRAINT; Schema: app_public; Owner: app_owner
--

ALTER TABLE ONLY app_public.projects
    ADD CONSTRAINT projects_pkey PRIMARY KEY (id);


--
-- Name: role_parents role_parents_pkey; Type: CONSTRAINT; Schema: app_public; Owner: app_owner
--

ALTER TABLE ONLY app_public.role_parents
    ADD CONSTRAINT role_parents_pkey PRIMARY KEY (role_id, parent_id);


--
-- Name: role_permissions role_permissions_pkey; Type: CONSTRAINT; Schema: app_public; Owner: app_owner
--

ALTER TABLE ONLY app_public.role_permissions
    ADD CONSTRAINT role_permissions_pkey PRIMARY KEY (role_id, permission);


--
-- Name: roles roles_organization_id_name_key; Type: CONSTRAINT; Schema: app_public; Owner: app_owner
--

ALTER TABLE ONLY app_public.roles
    ADD CONSTRAINT roles_organization_id_name_key UNIQUE NULLS NOT DISTINCT (organization_id, name);


--
-- Name: roles roles_pkey; Type: CONSTRAINT; Schema: app_public; Owner: app_owner
--

ALTER TABLE ONLY app_public.roles
    ADD CONSTRAINT roles_pkey PRIMARY KEY (id);


--
-- Name: tasks tasks_pkey; Type: CONSTRAINT; Schema: app_public; Owner: app_owner
--

ALTER TABLE ONLY app_public.tasks
    ADD CONSTRAINT tasks_pkey PRIMARY KEY (id);


--
-- Name: user_roles user_roles_pkey; Type: CONSTRAINT; Schema: app_public; Owner: app_owner
--

ALTER TABLE ONLY app_public.user_roles
    ADD CONSTRAINT user_roles_pkey PRIMARY KEY (id);


--
-- Name: user_roles user_roles_user_id_role_id_organization_id_key; Type: CONSTRAINT; Schema: app_public; Owner: app_owner
--

ALTER TABLE ONLY app_public.user_roles
    ADD CONSTRAINT user_roles_user_id_role_id_organization_id_key UNIQUE NULLS NOT DISTINCT (user_id, role_id, organization_id);


--
-- Name: users users_pkey; Type: CONSTRAINT; Schema: app_public; Owner: app_owner
--

ALTER TABLE ONLY app_public.users
    ADD CONSTRAINT users_pkey PRIMARY KEY (id);


--
-- Name: events events_pkey; Type: CONSTRAINT; Schema: audit; Owner: app_owner
--

ALTER TABLE ONLY audit.events
    ADD CONSTRAINT events_pkey PRIMARY KEY (occurred_at, id);


--
-- Name: events_default events_default_pkey; Type: CONSTRAINT; Schema: audit; Owner: app_owner
--

ALTER TABLE ONLY audit.events_default
    ADD CONSTRAINT events_default_pkey PRIMARY KEY (occurred_at, id);


--
-- Name: events_y2026m12 events_y2026m12_pkey; Type: CONSTRAINT; Schema: audit; Owner: app_owner
--

ALTER TABLE ONLY audit.events_y2026m12
    ADD CONSTRAINT events_y2026m12_pkey PRIMARY KEY (occurred_at, id);


--
-- Name: events_y2027m01 events_y2027m01_pkey; Type: CONSTRAINT; Schema: audit; Owner: app_owner
--

ALTER TABLE ONLY audit.events_y2027m01
    ADD CONSTRAINT events_y2027m01_pkey PRIMARY KEY (occurred_at, id);


--
-- Name: events_y2027m02 events_y2027m02_pkey; Type: CONSTRAINT; Schema: audit; Owner: app_owner
--

ALTER TABLE ONLY audit.events_y2027m02
    ADD CONSTRAINT events_y2027m02_pkey PRIMARY KEY (occurred_at, id);


--
-- Name: events_y2027m03 events_y2027m03_pkey; Type: CONSTRAINT; Schema: audit; Owner: app_owner
--

ALTER TABLE ONLY audit.events_y2027m03
    ADD CONSTRAINT events_y2027m03_pkey PRIMARY KEY (occurred_at, id);


--
-- Name: partition_archives partition_archives_pkey; Type: CONSTRAINT; Schema: audit; Owner: app_owner
--

ALTER TABLE ONLY audit.partition_archives
    ADD CONSTRAINT partition_archives_pkey PRIMARY KEY (partition_name);


--
-- Name: seals seals_event_id_event_occurred_at_key; Type: CONSTRAINT; Schema: audit; Owner: app_owner
--

ALTER TABLE ONLY audit.seals
    ADD CONSTRAINT seals_event_id_event_occurred_at_key UNIQUE (event_id, event_occurred_at);


--
-- Name: seals seals_pkey; Type: CONSTRAINT; Schema: audit; Owner: app_owner
--

ALTER TABLE ONLY audit.seals
    ADD CONSTRAINT seals_pkey PRIMARY KEY (seq);


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
-- Name: consents_user_idx; Type: INDEX; Schema: app_private; Owner: app_owner
--

CREATE INDEX consents_user_idx ON app_private.consents USING btree (user_id, recorded_at DESC);


--
-- Name: email_changes_user_idx; Type: INDEX; Schema: app_private; Owner: app_owner
--

CREATE INDEX email_changes_user_idx ON app_private.email_changes USING btree (user_id, requested_at DESC);


--
-- Name: email_verifications_user_idx; Type: INDEX; Schema: app_private; Owner: app_owner
--

CREATE INDEX email_verifications_user_idx ON app_private.email_verifications USING btree (user_id, created_at DESC);


--
-- Name: encryption_keys_spare_idx; Type: INDEX; Schema: app_private; Owner: app_owner
--

CREATE INDEX encryption_keys_spare_idx ON app_private.encryption_keys USING btree (created_at) WHERE ((purpose = 'user'::text) AND (user_id IS NULL) AND (destroyed_at IS NULL));


--
-- Name: encryption_keys_system_idx; Type: INDEX; Schema: app_private; Owner: app_owner
--

CREATE INDEX encryption_keys_system_idx ON app_private.encryption_keys USING btree (created_at DESC) WHERE ((purpose = 'system'::text) AND (destroyed_at IS NULL));


--
-- Name: login_attempts_last_failure_idx; Type: INDEX; Schema: app_private; Owner: app_owner
--

CREATE INDEX login_attempts_last_failure_idx ON app_private.login_attempts USING btree (last_failure_at);


--
-- Name: login_reservations_client_ip_idx; Type: INDEX; Schema: app_private; Owner: app_owner
--

CREATE INDEX login_reservations_client_ip_idx ON app_private.login_reservations USING btree (client_ip_bucket, created_at);


--
-- Name: login_reservations_created_at_idx; Type: INDEX; Schema: app_private; Owner: app_owner
--

CREATE INDEX login_reservations_created_at_idx ON app_private.login_reservations USING btree (created_at);


--
-- Name: login_reservations_user_id_idx; Type: INDEX; Schema: app_private; Owner: app_owner
--

CREATE INDEX login_reservations_user_id_idx ON app_private.login_reservations USING btree (user_id);


--
-- Name: marketing_deliveries_token_expires_at_idx; Type: INDEX; Schema: app_private; Owner: app_owner
--

CREATE INDEX marketing_deliveries_token_expires_at_idx ON app_private.marketing_deliveries USING btree (token_expires_at);


--
-- Name: marketing_deliveries_user_id_idx; Type: INDEX; Schema: app_private; Owner: app_owner
--

CREATE INDEX marketing_deliveries_user_id_idx ON app_private.marketing_deliveries USING btree (user_id);


--
-- Name: password_history_user_idx; Type: INDEX; Schema: app_private; Owner: app_owner
--

CREATE INDEX password_history_user_idx ON app_private.password_history USING btree (user_id, created_at DESC);


--
-- Name: password_resets_user_idx; Type: INDEX; Schema: app_private; Owner: app_owner
--

CREATE INDEX password_resets_user_idx ON app_private.password_resets USING btree (user_id, requested_at DESC);


--
-- Name: rate_limit_hits_bucket_idx; Type: INDEX; Schema: app_private; Owner: app_owner
--

CREATE INDEX rate_limit_hits_bucket_idx ON app_private.rate_limit_hits USING btree (bucket, hit_at);


--
-- Name: rate_limit_hits_time_idx; Type: INDEX; Schema: app_private; Owner: app_owner
--

CREATE INDEX rate_limit_hits_time_idx ON app_private.rate_limit_hits USING btree (hit_at);


--
-- Name: refresh_tokens_parent_idx; Type: INDEX; Schema: app_private; Owner: app_owner
--

CREATE INDEX refresh_tokens_parent_idx ON app_private.refresh_tokens USING btree (parent_id) WHERE (parent_id IS NOT NULL);


--
-- Name: refresh_tokens_replaced_by_idx; Type: INDEX; Schema: app_private; Owner: app_owner
--

CREATE INDEX refresh_tokens_replaced_by_idx ON app_private.refresh_tokens USING btree (replaced_by) WHERE (replaced_by IS NOT NULL);


--
-- Name: refresh_tokens_session_idx; Type: INDEX; Schema: app_private; Owner: app_owner
--

CREATE INDEX refresh_tokens_session_idx ON app_private.refresh_tokens USING btree (session_id);


--
-- Name: role_ancestors_ancestor_idx; Type: INDEX; Schema: app_private; Owner: app_owner
--

CREATE INDEX role_ancestors_ancestor_idx ON app_private.role_ancestors USING btree (ancestor_id);


--
-- Name: sessions_live_user_idx; Type: INDEX; Schema: app_private; Owner: app_owner
--

CREATE INDEX sessions_live_user_idx ON app_private.sessions USING btree (user_id) WHERE (revoked_at IS NULL);


--
-- Name: sessions_organization_idx; Type: INDEX; Schema: app_private; Owner: app_owner
--

CREATE INDEX sessions_organization_idx ON app_private.sessions USING btree (organization_id) WHERE (organization_id IS NOT NULL);


--
-- Name: sessions_user_idx; Type: INDEX; Schema: app_private; Owner: app_owner
--

CREATE INDEX sessions_user_idx ON app_private.sessions USING btree (user_id, created_at DESC);


--
-- Name: user_personal_data_phone_lookup_idx; Type: INDEX; Schema: app_private; Owner: app_owner
--

CREATE INDEX user_personal_data_phone_lookup_idx ON app_private.user_personal_data USING btree (phone_lookup) WHERE (phone_lookup IS NOT NULL);


--
-- Name: user_security_recent_login_idx; Type: INDEX; Schema: app_private; Owner: app_owner
--

CREATE INDEX user_security_recent_login_idx ON app_private.user_security USING btree (last_login_at DESC) WHERE (last_login_at IS NOT NULL);


--
-- Name: comments_author_idx; Type: INDEX; Schema: app_public; Owner: app_owner
--

CREATE INDEX comments_author_idx ON app_public.comments USING btree (author_id);


--
-- Name: comments_post_idx; Type: INDEX; Schema: app_public; Owner: app_owner
--

CREATE INDEX comments_post_idx ON app_public.comments USING btree (post_id, created_at);


--
-- Name: invitations_accepted_by_idx; Type: INDEX; Schema: app_public; Owner: app_owner
--

CREATE INDEX invitations_accepted_by_idx ON app_public.invitations USING btree (accepted_by);


--
-- Name: invitations_invited_by_idx; Type: INDEX; Schema: app_public; Owner: app_owner
--

CREATE INDEX invitations_invited_by_idx ON app_public.invitations USING btree (invited_by);


--
-- Name: invitations_organization_idx; Type: INDEX; Schema: app_public; Owner: app_owner
--

CREATE INDEX invitations_organization_idx ON app_public.invitations USING btree (organization_id, created_at DESC);


--
-- Name: memberships_user_idx; Type: INDEX; Schema: app_public; Owner: app_owner
--

CREATE INDEX memberships_user_idx ON app_public.memberships USING btree (user_id) WHERE (status = 'active'::text);


--
-- Name: organizations_created_by_idx; Type: INDEX; Schema: app_public; Owner: app_owner
--

CREATE INDEX organizations_created_by_idx ON app_public.organizations USING btree (created_by);


--
-- Name: organizations_slug_key; Type: INDEX; Schema: app_public; Owner: app_owner
--

CREATE UNIQUE INDEX organizations_slug_key ON app_public.organizations USING btree (slug);


--
-- Name: posts_author_idx; Type: INDEX; Schema: app_public; Owner: app_owner
--

CREATE INDEX posts_author_idx ON app_public.posts USING btree (author_id, created_at DESC);


--
-- Name: posts_published_idx; Type: INDEX; Schema: app_public; Owner: app_owner
--

CREATE INDEX posts_published_idx ON app_public.posts USING btree (published_at DESC) WHERE (status = 'published'::text);


--
-- Name: project_members_user_idx; Type: INDEX; Schema: app_public; Owner: app_owner
--

CREATE INDEX project_members_user_idx ON app_public.project_members USING btree (user_id);


--
-- Name: projects_created_by_idx; Type: INDEX; Schema: app_public; Owner: app_owner
--

CREATE INDEX projects_created_by_idx ON app_public.projects USING btree (created_by);


--
-- Name: projects_organization_idx; Type: INDEX; Schema: app_public; Owner: app_owner
--

CREATE INDEX projects_organization_idx ON app_public.projects USING btree (organization_id, created_at DESC);


--
-- Name: projects_public_idx; Type: INDEX; Schema: app_public; Owner: app_owner
--

CREATE INDEX projects_public_idx ON app_public.projects USING btree (created_at DESC) WHERE (visibility = 'public'::text);


--
-- Name: role_parents_parent_idx; Type: INDEX; Schema: app_public; Owner: app_owner
--

CREATE INDEX role_parents_parent_idx ON app_public.role_parents USING btree (parent_id);


--
-- Name: role_permissions_permission_idx; Type: INDEX; Schema: app_public; Owner: app_owner
--

CREATE INDEX role_permissions_permission_idx ON app_public.role_permissions USING btree (permission);


--
-- Name: roles_organization_idx; Type: INDEX; Schema: app_public; Owner: app_owner
--

CREATE INDEX roles_organization_idx ON app_public.roles USING btree (organization_id);


--
-- Name: tasks_assignee_idx; Type: INDEX; Schema: app_public; Owner: app_owner
--

CREATE INDEX tasks_assignee_idx ON app_public.tasks USING btree (assignee_id);


--
-- Name: tasks_created_by_idx; Type: INDEX; Schema: app_public; Owner: app_owner
--

CREATE INDEX tasks_created_by_idx ON app_public.tasks USING btree (created_by);


--
-- Name: tasks_project_status_idx; Type: INDEX; Schema: app_public; Owner: app_owner
--

CREATE INDEX tasks_project_status_idx ON app_public.tasks USING btree (project_id, status);


--
-- Name: user_roles_assigned_by_idx; Type: INDEX; Schema: app_public; Owner: app_owner
--

CREATE INDEX user_roles_assigned_by_idx ON app_public.user_roles USING btree (assigned_by);


--
-- Name: user_roles_organization_idx; Type: INDEX; Schema: app_public; Owner: app_owner
--

CREATE INDEX user_roles_organization_idx ON app_public.user_roles USING btree (organization_id);


--
-- Name: user_roles_role_idx; Type: INDEX; Schema: app_public; Owner: app_owner
--

CREATE INDEX user_roles_role_idx ON app_public.user_roles USING btree (role_id);


--
-- Name: user_roles_user_idx; Type: INDEX; Schema: app_public; Owner: app_owner
--

CREATE INDEX user_roles_user_idx ON app_public.user_roles USING btree (user_id, organization_id);


--
-- Name: users_created_idx; Type: INDEX; Schema: app_public; Owner: app_owner
--

CREATE INDEX users_created_idx ON app_public.users USING btree (created_at, id);


--
-- Name: users_email_key; Type: INDEX; Schema: app_public; Owner: app_owner
--

CREATE UNIQUE INDEX users_email_key ON app_public.users USING btree (email) WHERE (deleted_at IS NULL);


--
-- Name: users_search_idx; Type: INDEX; Schema: app_public; Owner: app_owner
--

CREATE INDEX users_search_idx ON app_public.users USING gin (app_hidden.user_search_document((username)::text, (email)::text, first_name, last_name, display_name));


--
-- Name: users_status_created_idx; Type: INDEX; Schema: app_public; Owner: app_owner
--

CREATE INDEX users_status_created_idx ON app_public.users USING btree (status, created_at, id);


--
-- Name: users_username_key; Type: INDEX; Schema: app_public; Owner: app_owner
--

CREATE UNIQUE INDEX users_username_key ON app_public.users USING btree (username) WHERE (deleted_at IS NULL);


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
-- Name: events_organisation_idx; Type: INDEX; Schema: audit; Owner: app_owner
--

CREATE INDEX events_organisation_idx ON ONLY audit.events USING btree (organisation_id, occurred_at DESC) WHERE (organisation_id IS NOT NULL);


--
-- Name: events_default_organisation_id_occurred_at_idx; Type: INDEX; Schema: audit; Owner: app_owner
--

CREATE INDEX events_default_organisation_id_occurred_at_idx ON audit.events_default USING btree (organisation_id, occurred_at DESC) WHERE (organisation_id IS NOT NULL);


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
-- Name: events_y2026m12_actor_id_occurred_at_idx; Type: INDEX; Schema: audit; Owner: app_owner
--

CREATE INDEX events_y2026m12_actor_id_occurred_at_idx ON audit.events_y2026m12 USING btree (actor_id, occurred_at DESC) WHERE (actor_id IS NOT NULL);


--
-- Name: events_y2026m12_event_type_occurred_at_idx; Type: INDEX; Schema: audit; Owner: app_owner
--

CREATE INDEX events_y2026m12_event_type_occurred_at_idx ON audit.events_y2026m12 USING btree (event_type, occurred_at DESC);


--
-- Name: events_y2026m12_organisation_id_occurred_at_idx; Type: INDEX; Schema: audit; Owner: app_owner
--

CREATE INDEX events_y2026m12_organisation_id_occurred_at_idx ON audit.events_y2026m12 USING btree (organisation_id, occurred_at DESC) WHERE (organisation_id IS NOT NULL);


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
-- Name: events_y2027m01_organisation_id_occurred_at_idx; Type: INDEX; Schema: audit; Owner: app_owner
--

CREATE INDEX events_y2027m01_organisation_id_occurred_at_idx ON audit.events_y2027m01 USING btree (organisation_id, occurred_at DESC) WHERE (organisation_id IS NOT NULL);


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
-- Name: events_y2027m02_organisation_id_occurred_at_idx; Type: INDEX; Schema: audit; Owner: app_owner
--

CREATE INDEX events_y2027m02_organisation_id_occurred_at_idx ON audit.events_y2027m02 USING btree (organisation_id, occurred_at DESC) WHERE (organisation_id IS NOT NULL);


--
-- Name: events_y2027m02_request_id_idx; Type: INDEX; Schema: audit; Owner: app_owner
--

CREATE INDEX events_y2027m02_request_id_idx ON audit.events_y2027m02 USING btree (request_id) WHERE (request_id IS NOT NULL);


--
-- Name: events_y2027m02_subject_id_occurred_at_idx; Type: INDEX; Schema: audit; Owner: app_owner
--

CREATE INDEX events_y2027m02_subject_id_occurred_at_idx ON audit.events_y2027m02 USING btree (subject_id, occurred_at DESC) WHERE (subject_id IS NOT NULL);


--
-- Name: events_y2027m03_actor_id_occurred_at_idx; Type: INDEX; Schema: audit; Owner: app_owner
--

CREATE INDEX events_y2027m03_actor_id_occurred_at_idx ON audit.events_y2027m03 USING btree (actor_id, occurred_at DESC) WHERE (actor_id IS NOT NULL);


--
-- Name: events_y2027m03_event_type_occurred_at_idx; Type: INDEX; Schema: audit; Owner: app_owner
--

CREATE INDEX events_y2027m03_event_type_occurred_at_idx ON audit.events_y2027m03 USING btree (event_type, occurred_at DESC);


--
-- Name: events_y2027m03_organisation_id_occurred_at_idx; Type: INDEX; Schema: audit; Owner: app_owner
--

CREATE INDEX events_y2027m03_organisation_id_occurred_at_idx ON audit.events_y2027m03 USING btree (organisation_id, occurred_at DESC) WHERE (organisation_id IS NOT NULL);


--
-- Name: events_y2027m03_request_id_idx; Type: INDEX; Schema: audit; Owner: app_owner
--

CREATE INDEX events_y2027m03_request_id_idx ON audit.events_y2027m03 USING btree (request_id) WHERE (request_id IS NOT NULL);


--
-- Name: events_y2027m03_subject_id_occurred_at_idx; Type: INDEX; Schema: audit; Owner: app_owner
--

CREATE INDEX events_y2027m03_subject_id_occurred_at_idx ON audit.events_y2027m03 USING btree (subject_id, occurred_at DESC) WHERE (subject_id IS NOT NULL);


--
-- Name: seals_event_time_idx; Type: INDEX; Schema: audit; Owner: app_owner
--

CREATE INDEX seals_event_time_idx ON audit.seals USING btree (event_occurred_at);


--
-- Name: events_default_actor_id_occurred_at_idx; Type: INDEX ATTACH; Schema: audit; Owner: app_owner
--

ALTER INDEX audit.events_actor_idx ATTACH PARTITION audit.events_default_actor_id_occurred_at_idx;


--
-- Name: events_default_event_type_occurred_at_idx; Type: INDEX ATTACH; Schema: audit; Owner: app_owner
--

ALTER INDEX audit.events_type_idx ATTACH PARTITION audit.events_default_event_type_occurred_at_idx;


--
-- Name: events_default_organisation_id_occurred_at_idx; Type: INDEX ATTACH; Schema: audit; Owner: app_owner
--

ALTER INDEX audit.events_organisation_idx ATTACH PARTITION audit.events_default_organisation_id_occurred_at_idx;


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
-- Name: events_y2026m12_actor_id_occurred_at_idx; Type: INDEX ATTACH; Schema: audit; Owner: app_owner
--

ALTER INDEX audit.events_actor_idx ATTACH PARTITION audit.events_y2026m12_actor_id_occurred_at_idx;


--
-- Name: events_y2026m12_event_type_occurred_at_idx; Type: INDEX ATTACH; Schema: audit; Owner: app_owner
--

ALTER INDEX audit.events_type_idx ATTACH PARTITION audit.events_y2026m12_event_type_occurred_at_idx;


--
-- Name: events_y2026m12_organisation_id_occurred_at_idx; Type: INDEX ATTACH; Schema: audit; Owner: app_owner
--

ALTER INDEX audit.events_organisation_idx ATTACH PARTITION audit.events_y2026m12_organisation_id_occurred_at_idx;


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
-- Name: events_y2027m01_organisation_id_occurred_at_idx; Type: INDEX ATTACH; Schema: audit; Owner: app_owner
--

ALTER INDEX audit.events_organisation_idx ATTACH PARTITION audit.events_y2027m01_organisation_id_occurred_at_idx;


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
-- Name: events_y2027m02_organisation_id_occurred_at_idx; Type: INDEX ATTACH; Schema: audit; Owner: app_owner
--

ALTER INDEX audit.events_organisation_idx ATTACH PARTITION audit.events_y2027m02_organisation_id_occurred_at_idx;


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
-- Name: events_y2027m03_actor_id_occurred_at_idx; Type: INDEX ATTACH; Schema: audit; Owner: app_owner
--

ALTER INDEX audit.events_actor_idx ATTACH PARTITION audit.events_y2027m03_actor_id_occurred_at_idx;


--
-- Name: events_y2027m03_event_type_occurred_at_idx; Type: INDEX ATTACH; Schema: audit; Owner: app_owner
--

ALTER INDEX audit.events_type_idx ATTACH PARTITION audit.events_y2027m03_event_type_occurred_at_idx;


--
-- Name: events_y2027m03_organisation_id_occurred_at_idx; Type: INDEX ATTACH; Schema: audit; Owner: app_owner
--

ALTER INDEX audit.events_organisation_idx ATTACH PARTITION audit.events_y2027m03_organisation_id_occurred_at_idx;


--
-- Name: events_y2027m03_pkey; Type: INDEX ATTACH; Schema: audit; Owner: app_owner
--

ALTER INDEX audit.events_pkey ATTACH PARTITION audit.events_y2027m03_pkey;


--
-- Name: events_y2027m03_request_id_idx; Type: INDEX ATTACH; Schema: audit; Owner: app_owner
--

ALTER INDEX audit.events_request_idx ATTACH PARTITION audit.events_y2027m03_request_id_idx;


--
-- Name: events_y2027m03_subject_id_occurred_at_idx; Type: INDEX ATTACH; Schema: audit; Owner: app_owner
--

ALTER INDEX audit.events_subject_idx ATTACH PARTITION audit.events_y2027m03_subject_id_occurred_at_idx;


--
-- Name: consents _000_forbid_change; Type: TRIGGER; Schema: app_private; Owner: app_owner
--

CREATE TRIGGER _000_forbid_change BEFORE DELETE OR UPDATE ON app_private.consents FOR EACH ROW EXECUTE FUNCTION audit.tg_events__forbid_change();


--
-- Name: sessions _100_set_expiry; Type: TRIGGER; Schema: app_private; Owner: app_owner
--

CREATE TRIGGER _100_set_expiry BEFORE INSERT ON app_private.sessions FOR EACH ROW EXECUTE FUNCTION app_private.tg_sessions__set_expiry();


--
-- Name: users _100_assign_key; Type: TRIGGER; Schema: app_public; Owner: app_owner
--

CREATE TRIGGER _100_assign_key AFTER INSERT ON app_public.users FOR EACH ROW EXECUTE FUNCTION app_private.tg_users__assign_key();


--
-- Name: role_parents _100_guard; Type: TRIGGER; Schema: app_public; Owner: app_owner
--

CREATE TRIGGER _100_guard BEFORE INSERT OR UPDATE ON app_public.role_parents FOR EACH ROW EXECUTE FUNCTION app_private.tg_role_parents__guard();


--
-- Name: comments _100_timestamps; Type: TRIGGER; Schema: app_public; Owner: app_owner
--

CREATE TRIGGER _100_timestamps BEFORE INSERT OR UPDATE ON app_public.comments FOR EACH ROW EXECUTE FUNCTION app_hidden.tg__timestamps();


--
-- Name: organizations _100_timestamps; Type: TRIGGER; Schema: app_public; Owner: app_owner
--

CREATE TRIGGER _100_timestamps BEFORE INSERT OR UPDATE ON app_public.organizations FOR EACH ROW EXECUTE FUNCTION app_hidden.tg__timestamps();


--
-- Name: posts _100_timestamps; Type: TRIGGER; Schema: app_public; Owner: app_owner
--

CREATE TRIGGER _100_timestamps BEFORE INSERT OR UPDATE ON app_public.posts FOR EACH ROW EXECUTE FUNCTION app_hidden.tg__timestamps();


--
-- Name: projects _100_timestamps; Type: TRIGGER; Schema: app_public; Owner: app_owner
--

CREATE TRIGGER _100_timestamps BEFORE INSERT OR UPDATE ON app_public.projects FOR EACH ROW EXECUTE FUNCTION app_hidden.tg__timestamps();


--
-- Name: tasks _100_timestamps; Type: TRIGGER; Schema: app_public; Owner: app_owner
--

CREATE TRIGGER _100_timestamps BEFORE INSERT OR UPDATE ON app_public.tasks FOR EACH ROW EXECUTE FUNCTION app_hidden.tg__timestamps();


--
-- Name: users _100_timestamps; Type: TRIGGER; Schema: app_public; Owner: app_owner
--

CREATE TRIGGER _100_timestamps BEFORE INSERT OR UPDATE ON app_public.users FOR EACH ROW EXECUTE FUNCTION app_hidden.tg__timestamps();


--
-- Name: comments _800_audit_delete; Type: TRIGGER; Schema: app_public; Owner: app_owner
--

CREATE TRIGGER _800_audit_delete AFTER DELETE ON app_public.comments REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION audit.tg__row_changes('id');


--
-- Name: invitations _800_audit_delete; Type: TRIGGER; Schema: app_public; Owner: app_owner
--

CREATE TRIGGER _800_audit_delete AFTER DELETE ON app_public.invitations REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION audit.tg__row_changes('id');


--
-- Name: memberships _800_audit_delete; Type: TRIGGER; Schema: app_public; Owner: app_owner
--

CREATE TRIGGER _800_audit_delete AFTER DELETE ON app_public.memberships REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION audit.tg__row_changes('id');


--
-- Name: organizations _800_audit_delete; Type: TRIGGER; Schema: app_public; Owner: app_owner
--

CREATE TRIGGER _800_audit_delete AFTER DELETE ON app_public.organizations REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION audit.tg__row_changes('id');


--
-- Name: permissions _800_audit_delete; Type: TRIGGER; Schema: app_public; Owner: app_owner
--

CREATE TRIGGER _800_audit_delete AFTER DELETE ON app_public.permissions REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION audit.tg__row_changes('name');


--
-- Name: posts _800_audit_delete; Type: TRIGGER; Schema: app_public; Owner: app_owner
--

CREATE TRIGGER _800_audit_delete AFTER DELETE ON app_public.posts REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION audit.tg__row_changes('id');


--
-- Name: project_members _800_audit_delete; Type: TRIGGER; Schema: app_public; Owner: app_owner
--

CREATE TRIGGER _800_audit_delete AFTER DELETE ON app_public.project_members REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION audit.tg__row_changes('project_id', 'user_id');


--
-- Name: projects _800_audit_delete; Type: TRIGGER; Schema: app_public; Owner: app_owner
--

CREATE TRIGGER _800_audit_delete AFTER DELETE ON app_public.projects REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION audit.tg__row_changes('id');


--
-- Name: role_parents _800_audit_delete; Type: TRIGGER; Schema: app_public; Owner: app_owner
--

CREATE TRIGGER _800_audit_delete AFTER DELETE ON app_public.role_parents REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION audit.tg__row_changes('role_id', 'parent_id');


--
-- Name: role_permissions _800_audit_delete; Type: TRIGGER; Schema: app_public; Owner: app_owner
--

CREATE TRIGGER _800_audit_delete AFTER DELETE ON app_public.role_permissions REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION audit.tg__row_changes('role_id', 'permission');


--
-- Name: roles _800_audit_delete; Type: TRIGGER; Schema: app_public; Owner: app_owner
--

CREATE TRIGGER _800_audit_delete AFTER DELETE ON app_public.roles REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION audit.tg__row_changes('id');


--
-- Name: tasks _800_audit_delete; Type: TRIGGER; Schema: app_public; Owner: app_owner
--

CREATE TRIGGER _800_audit_delete AFTER DELETE ON app_public.tasks REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION audit.tg__row_changes('id');


--
-- Name: user_roles _800_audit_delete; Type: TRIGGER; Schema: app_public; Owner: app_owner
--

CREATE TRIGGER _800_audit_delete AFTER DELETE ON app_public.user_roles REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION audit.tg__row_changes('id');


--
-- Name: users _800_audit_delete; Type: TRIGGER; Schema: app_public; Owner: app_owner
--

CREATE TRIGGER _800_audit_delete AFTER DELETE ON app_public.users REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION audit.tg__row_changes('id');


--
-- Name: comments _800_audit_insert; Type: TRIGGER; Schema: app_public; Owner: app_owner
--

CREATE TRIGGER _800_audit_insert AFTER INSERT ON app_public.comments REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION audit.tg__row_changes('id');


--
-- Name: invitations _800_audit_insert; Type: TRIGGER; Schema: app_public; Owner: app_owner
--

CREATE TRIGGER _800_audit_insert AFTER INSERT ON app_public.invitations REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION audit.tg__row_changes('id');


--
-- Name: memberships _800_audit_insert; Type: TRIGGER; Schema: app_public; Owner: app_owner
--

CREATE TRIGGER _800_audit_insert AFTER INSERT ON app_public.memberships REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION audit.tg__row_changes('id');


--
-- Name: organizations _800_audit_insert; Type: TRIGGER; Schema: app_public; Owner: app_owner
--

CREATE TRIGGER _800_audit_insert AFTER INSERT ON app_public.organizations REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION audit.tg__row_changes('id');


--
-- Name: permissions _800_audit_insert; Type: TRIGGER; Schema: app_public; Owner: app_owner
--

CREATE TRIGGER _800_audit_insert AFTER INSERT ON app_public.permissions REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION audit.tg__row_changes('name');


--
-- Name: posts _800_audit_insert; Type: TRIGGER; Schema: app_public; Owner: app_owner
--

CREATE TRIGGER _800_audit_insert AFTER INSERT ON app_public.posts REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION audit.tg__row_changes('id');


--
-- Name: project_members _800_audit_insert; Type: TRIGGER; Schema: app_public; Owner: app_owner
--

CREATE TRIGGER _800_audit_insert AFTER INSERT ON app_public.project_members REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION audit.tg__row_changes('project_id', 'user_id');


--
-- Name: projects _800_audit_insert; Type: TRIGGER; Schema: app_public; Owner: app_owner
--

CREATE TRIGGER _800_audit_insert AFTER INSERT ON app_public.projects REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION audit.tg__row_changes('id');


--
-- Name: role_parents _800_audit_insert; Type: TRIGGER; Schema: app_public; Owner: app_owner
--

CREATE TRIGGER _800_audit_insert AFTER INSERT ON app_public.role_parents REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION audit.tg__row_changes('role_id', 'parent_id');


--
-- Name: role_permissions _800_audit_insert; Type: TRIGGER; Schema: app_public; Owner: app_owner
--

CREATE TRIGGER _800_audit_insert AFTER INSERT ON app_public.role_permissions REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION audit.tg__row_changes('role_id', 'permission');


--
-- Name: roles _800_audit_insert; Type: TRIGGER; Schema: app_public; Owner: app_owner
--

CREATE TRIGGER _800_audit_insert AFTER INSERT ON app_public.roles REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION audit.tg__row_changes('id');


--
-- Name: tasks _800_audit_insert; Type: TRIGGER; Schema: app_public; Owner: app_owner
--

CREATE TRIGGER _800_audit_insert AFTER INSERT ON app_public.tasks REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION audit.tg__row_changes('id');


--
-- Name: user_roles _800_audit_insert; Type: TRIGGER; Schema: app_public; Owner: app_owner
--

CREATE TRIGGER _800_audit_insert AFTER INSERT ON app_public.user_roles REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION audit.tg__row_changes('id');


--
-- Name: users _800_audit_insert; Type: TRIGGER; Schema: app_public; Owner: app_owner
--

CREATE TRIGGER _800_audit_insert AFTER INSERT ON app_public.users REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION audit.tg__row_changes('id');


--
-- Name: comments _800_audit_update; Type: TRIGGER; Schema: app_public; Owner: app_owner
--

CREATE TRIGGER _800_audit_update AFTER UPDATE ON app_public.comments REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION audit.tg__row_changes('id');


--
-- Name: invitations _800_audit_update; Type: TRIGGER; Schema: app_public; Owner: app_owner
--

CREATE TRIGGER _800_audit_update AFTER UPDATE ON app_public.invitations REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION audit.tg__row_changes('id');


--
-- Name: memberships _800_audit_update; Type: TRIGGER; Schema: app_public; Owner: app_owner
--

CREATE TRIGGER _800_audit_update AFTER UPDATE ON app_public.memberships REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION audit.tg__row_changes('id');


--
-- Name: organizations _800_audit_update; Type: TRIGGER; Schema: app_public; Owner: app_owner
--

CREATE TRIGGER _800_audit_update AFTER UPDATE ON app_public.organizations REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION audit.tg__row_changes('id');


--
-- Name: permissions _800_audit_update; Type: TRIGGER; Schema: app_public; Owner: app_owner
--

CREATE TRIGGER _800_audit_update AFTER UPDATE ON app_public.permissions REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION audit.tg__row_changes('name');


--
-- Name: posts _800_audit_update; Type: TRIGGER; Schema: app_public; Owner: app_owner
--

CREATE TRIGGER _800_audit_update AFTER UPDATE ON app_public.posts REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION audit.tg__row_changes('id');


--
-- Name: project_members _800_audit_update; Type: TRIGGER; Schema: app_public; Owner: app_owner
--

CREATE TRIGGER _800_audit_update AFTER UPDATE ON app_public.project_members REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION audit.tg__row_changes('project_id', 'user_id');


--
-- Name: projects _800_audit_update; Type: TRIGGER; Schema: app_public; Owner: app_owner
--

CREATE TRIGGER _800_audit_update AFTER UPDATE ON app_public.projects REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION audit.tg__row_changes('id');


--
-- Name: role_parents _800_audit_update; Type: TRIGGER; Schema: app_public; Owner: app_owner
--

CREATE TRIGGER _800_audit_update AFTER UPDATE ON app_public.role_parents REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION audit.tg__row_changes('role_id', 'parent_id');


--
-- Name: role_permissions _800_audit_update; Type: TRIGGER; Schema: app_public; Owner: app_owner
--

CREATE TRIGGER _800_audit_update AFTER UPDATE ON app_public.role_permissions REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION audit.tg__row_changes('role_id', 'permission');


--
-- Name: roles _800_audit_update; Type: TRIGGER; Schema: app_public; Owner: app_owner
--

CREATE TRIGGER _800_audit_update AFTER UPDATE ON app_public.roles REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION audit.tg__row_changes('id');


--
-- Name: tasks _800_audit_update; Type: TRIGGER; Schema: app_public; Owner: app_owner
--

CREATE TRIGGER _800_audit_update AFTER UPDATE ON app_public.tasks REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION audit.tg__row_changes('id');


--
-- Name: user_roles _800_audit_update; Type: TRIGGER; Schema: app_public; Owner: app_owner
--

CREATE TRIGGER _800_audit_update AFTER UPDATE ON app_public.user_roles REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION audit.tg__row_changes('id');


--
-- Name: users _800_audit_update; Type: TRIGGER; Schema: app_public; Owner: app_owner
--

CREATE TRIGGER _800_audit_update AFTER UPDATE ON app_public.users REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION audit.tg__row_changes('id');


--
-- Name: projects _900_add_owner; Type: TRIGGER; Schema: app_public; Owner: app_owner
--

CREATE TRIGGER _900_add_owner AFTER INSERT ON app_public.projects FOR EACH ROW EXECUTE FUNCTION app_private.tg_projects__add_owner();


--
-- Name: roles _900_add_self; Type: TRIGGER; Schema: app_public; Owner: app_owner
--

CREATE TRIGGER _900_add_self AFTER INSERT ON app_public.roles FOR EACH ROW EXECUTE FUNCTION app_private.tg_roles__add_self();


--
-- Name: role_parents _900_rebuild_closure; Type: TRIGGER; Schema: app_public; Owner: app_owner
--

CREATE TRIGGER _900_rebuild_closure AFTER INSERT OR DELETE OR UPDATE ON app_public.role_parents FOR EACH STATEMENT EXECUTE FUNCTION app_private.tg_role_parents__rebuild();


--
-- Name: events _000_forbid_change; Type: TRIGGER; Schema: audit; Owner: app_owner
--

CREATE TRIGGER _000_forbid_change BEFORE DELETE OR UPDATE ON audit.events FOR EACH ROW EXECUTE FUNCTION audit.tg_events__forbid_change();


--
-- Name: partition_archives _000_forbid_change; Type: TRIGGER; Schema: audit; Owner: app_owner
--

CREATE TRIGGER _000_forbid_change BEFORE DELETE OR UPDATE ON audit.partition_archives FOR EACH ROW EXECUTE FUNCTION audit.tg_events__forbid_change();


--
-- Name: seals _000_forbid_change; Type: TRIGGER; Schema: audit; Owner: app_owner
--

CREATE TRIGGER _000_forbid_change BEFORE DELETE OR UPDATE ON audit.seals FOR EACH ROW EXECUTE FUNCTION audit.tg_events__forbid_change();


--
-- Name: events _000_forbid_truncate; Type: TRIGGER; Schema: audit; Owner: app_owner
--

CREATE TRIGGER _000_forbid_truncate BEFORE TRUNCATE ON audit.events FOR EACH STATEMENT EXECUTE FUNCTION audit.tg_events__forbid_change();


--
-- Name: events_default _000_forbid_truncate; Type: TRIGGER; Schema: audit; Owner: app_owner
--

CREATE TRIGGER _000_forbid_truncate BEFORE TRUNCATE ON audit.events_default FOR EACH STATEMENT EXECUTE FUNCTION audit.tg_events__forbid_change();


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
-- Name: events_y2027m03 _000_forbid_truncate; Type: TRIGGER; Schema: audit; Owner: app_owner
--

CREATE TRIGGER _000_forbid_truncate BEFORE TRUNCATE ON audit.events_y2027m03 FOR EACH STATEMENT EXECUTE FUNCTION audit.tg_events__forbid_change();


--
-- Name: partition_archives _000_forbid_truncate; Type: TRIGGER; Schema: audit; Owner: app_owner
--

CREATE TRIGGER _000_forbid_truncate BEFORE TRUNCATE ON audit.partition_archives FOR EACH STATEMENT EXECUTE FUNCTION audit.tg_events__forbid_change();


--
-- Name: seals _000_forbid_truncate; Type: TRIGGER; Schema: audit; Owner: app_owner
--

CREATE TRIGGER _000_forbid_truncate BEFORE TRUNCATE ON audit.seals FOR EACH STATEMENT EXECUTE FUNCTION audit.tg_events__forbid_change();


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
-- Name: consents consents_user_id_fkey; Type: FK CONSTRAINT; Schema: app_private; Owner: app_owner
--

ALTER TABLE ONLY app_private.consents
    ADD CONSTRAINT consents_user_id_fkey FOREIGN KEY (user_id) REFERENCES app_public.users(id) ON DELETE CASCADE;


--
-- Name: email_changes email_changes_user_id_fkey; Type: FK CONSTRAINT; Schema: app_private; Owner: app_owner
--

ALTER TABLE ONLY app_private.email_changes
    ADD CONSTRAINT email_changes_user_id_fkey FOREIGN KEY (user_id) REFERENCES app_public.users(id) ON DELETE CASCADE;


--
-- Name: email_verifications email_verifications_user_id_fkey; Type: FK CONSTRAINT; Schema: app_private; Owner: app_owner
--

ALTER TABLE ONLY app_private.email_verifications
    ADD CONSTRAINT email_verifications_user_id_fkey FOREIGN KEY (user_id) REFERENCES app_public.users(id) ON DELETE CASCADE;


--
-- Name: invitation_tokens invitation_tokens_invitation_id_fkey; Type: FK CONSTRAINT; Schema: app_private; Owner: app_owner
--

ALTER TABLE ONLY app_private.invitation_tokens
    ADD CONSTRAINT invitation_tokens_invitation_id_fkey FOREIGN KEY (invitation_id) REFERENCES app_public.invitations(id) ON DELETE CASCADE;


--
-- Name: known_devices known_devices_user_id_fkey; Type: FK CONSTRAINT; Schema: app_private; Owner: app_owner
--

ALTER TABLE ONLY app_private.known_devices
    ADD CONSTRAINT known_devices_user_id_fkey FOREIGN KEY (user_id) REFERENCES app_public.users(id) ON DELETE CASCADE;


--
-- Name: login_reservations login_reservations_user_id_fkey; Type: FK CONSTRAINT; Schema: app_private; Owner: app_owner
--

ALTER TABLE ONLY app_private.login_reservations
    ADD CONSTRAINT login_reservations_user_id_fkey FOREIGN KEY (user_id) REFERENCES app_public.users(id) ON DELETE CASCADE;


--
-- Name: marketing_deliveries marketing_deliveries_message_id_fkey; Type: FK CONSTRAINT; Schema: app_private; Owner: app_owner
--

ALTER TABLE ONLY app_private.marketing_deliveries
    ADD CONSTRAINT marketing_deliveries_message_id_fkey FOREIGN KEY (message_id) REFERENCES app_private.marketing_messages(id) ON DELETE CASCADE;


--
-- Name: marketing_deliveries marketing_deliveries_user_id_fkey; Type: FK CONSTRAINT; Schema: app_private; Owner: app_owner
--

ALTER TABLE ONLY app_private.marketing_deliveries
    ADD CONSTRAINT marketing_deliveries_user_id_fkey FOREIGN KEY (user_id) REFERENCES app_public.users(id) ON DELETE CASCADE;


--
-- Name: password_history password_history_user_id_fkey; Type: FK CONSTRAINT; Schema: app_private; Owner: app_owner
--

ALTER TABLE ONLY app_private.password_history
    ADD CONSTRAINT password_history_user_id_fkey FOREIGN KEY (user_id) REFERENCES app_public.users(id) ON DELETE CASCADE;


--
-- Name: password_resets password_resets_user_id_fkey; Type: FK CONSTRAINT; Schema: app_private; Owner: app_owner
--

ALTER TABLE ONLY app_private.password_resets
    ADD CONSTRAINT password_resets_user_id_fkey FOREIGN KEY (user_id) REFERENCES app_public.users(id) ON DELETE CASCADE;


--
-- Name: refresh_tokens refresh_tokens_parent_id_fkey; Type: FK CONSTRAINT; Schema: app_private; Owner: app_owner
--

ALTER TABLE ONLY app_private.refresh_tokens
    ADD CONSTRAINT refresh_tokens_parent_id_fkey FOREIGN KEY (parent_id) REFERENCES app_private.refresh_tokens(id) ON DELETE CASCADE;


--
-- Name: refresh_tokens refresh_tokens_replaced_by_fkey; Type: FK CONSTRAINT; Schema: app_private; Owner: app_owner
--

ALTER TABLE ONLY app_private.refresh_tokens
    ADD CONSTRAINT refresh_tokens_replaced_by_fkey FOREIGN KEY (replaced_by) REFERENCES app_private.refresh_tokens(id) ON DELETE SET NULL;


--
-- Name: refresh_tokens refresh_tokens_session_id_fkey; Type: FK CONSTRAINT; Schema: app_private; Owner: app_owner
--

ALTER TABLE ONLY app_private.refresh_tokens
    ADD CONSTRAINT refresh_tokens_session_id_fkey FOREIGN KEY (session_id) REFERENCES app_private.sessions(id) ON DELETE CASCADE;


--
-- Name: role_ancestors role_ancestors_ancestor_id_fkey; Type: FK CONSTRAINT; Schema: app_private; Owner: app_owner
--

ALTER TABLE ONLY app_private.role_ancestors
    ADD CONSTRAINT role_ancestors_ancestor_id_fkey FOREIGN KEY (ancestor_id) REFERENCES app_public.roles(id) ON DELETE CASCADE;


--
-- Name: role_ancestors role_ancestors_role_id_fkey; Type: FK CONSTRAINT; Schema: app_private; Owner: app_owner
--

ALTER TABLE ONLY app_private.role_ancestors
    ADD CONSTRAINT role_ancestors_role_id_fkey FOREIGN KEY (role_id) REFERENCES app_public.roles(id) ON DELETE CASCADE;


--
-- Name: sessions sessions_organization_id_fkey; Type: FK CONSTRAINT; Schema: app_private; Owner: app_owner
--

ALTER TABLE ONLY app_private.sessions
    ADD CONSTRAINT sessions_organization_id_fkey FOREIGN KEY (organization_id) REFERENCES app_public.organizations(id) ON DELETE SET NULL;


--
-- Name: sessions sessions_user_id_fkey; Type: FK CONSTRAINT; Schema: app_private; Owner: app_owner
--

ALTER TABLE ONLY app_private.sessions
    ADD CONSTRAINT sessions_user_id_fkey FOREIGN KEY (user_id) REFERENCES app_public.users(id) ON DELETE CASCADE;


--
-- Name: user_personal_data user_personal_data_user_id_fkey; Type: FK CONSTRAINT; Schema: app_private; Owner: app_owner
--

ALTER TABLE ONLY app_private.user_personal_data
    ADD CONSTRAINT user_personal_data_user_id_fkey FOREIGN KEY (user_id) REFERENCES app_public.users(id) ON DELETE CASCADE;


--
-- Name: user_security user_security_user_id_fkey; Type: FK CONSTRAINT; Schema: app_private; Owner: app_owner
--

ALTER TABLE ONLY app_private.user_security
    ADD CONSTRAINT user_security_user_id_fkey FOREIGN KEY (user_id) REFERENCES app_public.users(id) ON DELETE CASCADE;


--
-- Name: users_awaiting_key users_awaiting_key_user_id_fkey; Type: FK CONSTRAINT; Schema: app_private; Owner: app_owner
--

ALTER TABLE ONLY app_private.users_awaiting_key
    ADD CONSTRAINT users_awaiting_key_user_id_fkey FOREIGN KEY (user_id) REFERENCES app_public.users(id) ON DELETE CASCADE;


--
-- Name: comments comments_author_id_fkey; Type: FK CONSTRAINT; Schema: app_public; Owner: app_owner
--

ALTER TABLE ONLY app_public.comments
    ADD CONSTRAINT comments_author_id_fkey FOREIGN KEY (author_id) REFERENCES app_public.users(id) ON DELETE CASCADE;


--
-- Name: comments comments_post_id_fkey; Type: FK CONSTRAINT; Schema: app_public; Owner: app_owner
--

ALTER TABLE ONLY app_public.comments
    ADD CONSTRAINT comments_post_id_fkey FOREIGN KEY (post_id) REFERENCES app_public.posts(id) ON DELETE CASCADE;


--
-- Name: invitations invitations_accepted_by_fkey; Type: FK CONSTRAINT; Schema: app_public; Owner: app_owner
--

ALTER TABLE ONLY app_public.invitations
    ADD CONSTRAINT invitations_accepted_by_fkey FOREIGN KEY (accepted_by) REFERENCES app_public.users(id) ON DELETE SET NULL;


--
-- Name: invitations invitations_invited_by_fkey; Type: FK CONSTRAINT; Schema: app_public; Owner: app_owner
--

ALTER TABLE ONLY app_public.invitations
    ADD CONSTRAINT invitations_invited_by_fkey FOREIGN KEY (invited_by) REFERENCES app_public.users(id) ON DELETE SET NULL;


--
-- Name: invitations invitations_organization_id_fkey; Type: FK CONSTRAINT; Schema: app_public; Owner: app_owner
--

ALTER TABLE ONLY app_public.invitations
    ADD CONSTRAINT invitations_organization_id_fkey FOREIGN KEY (organization_id) REFERENCES app_public.organizations(id) ON DELETE CASCADE;


--
-- Name: memberships memberships_organization_id_fkey; Type: FK CONSTRAINT; Schema: app_public; Owner: app_owner
--

ALTER TABLE ONLY app_public.memberships
    ADD CONSTRAINT memberships_organization_id_fkey FOREIGN KEY (organization_id) REFERENCES app_public.organizations(id) ON DELETE CASCADE;


--
-- Name: memberships memberships_user_id_fkey; Type: FK CONSTRAINT; Schema: app_public; Owner: app_owner
--

ALTER TABLE ONLY app_public.memberships
    ADD CONSTRAINT memberships_user_id_fkey FOREIGN KEY (user_id) REFERENCES app_public.users(id) ON DELETE CASCADE;


--
-- Name: organizations organizations_created_by_fkey; Type: FK CONSTRAINT; Schema: app_public; Owner: app_owner
--

ALTER TABLE ONLY app_public.organizations
    ADD CONSTRAINT organizations_created_by_fkey FOREIGN KEY (created_by) REFERENCES app_public.users(id) ON DELETE SET NULL;


--
-- Name: posts posts_author_id_fkey; Type: FK CONSTRAINT; Schema: app_public; Owner: app_owner
--

ALTER TABLE ONLY app_public.posts
    ADD CONSTRAINT posts_author_id_fkey FOREIGN KEY (author_id) REFERENCES app_public.users(id) ON DELETE CASCADE;


--
-- Name: project_members project_members_project_id_fkey; Type: FK CONSTRAINT; Schema: app_public; Owner: app_owner
--

ALTER TABLE ONLY app_public.project_members
    ADD CONSTRAINT project_members_project_id_fkey FOREIGN KEY (project_id) REFERENCES app_public.projects(id) ON DELETE CASCADE;


--
-- Name: project_members project_members_user_id_fkey; Type: FK CONSTRAINT; Schema: app_public; Owner: app_owner
--

ALTER TABLE ONLY app_public.project_members
    ADD CONSTRAINT project_members_user_id_fkey FOREIGN KEY (user_id) REFERENCES app_public.users(id) ON DELETE CASCADE;


--
-- Name: projects projects_created_by_fkey; Type: FK CONSTRAINT; Schema: app_public; Owner: app_owner
--

ALTER TABLE ONLY app_public.projects
    ADD CONSTRAINT projects_created_by_fkey FOREIGN KEY (created_by) REFERENCES app_public.users(id) ON DELETE SET NULL;


--
-- Name: projects projects_organization_id_fkey; Type: FK CONSTRAINT; Schema: app_public; Owner: app_owner
--

ALTER TABLE ONLY app_public.projects
    ADD CONSTRAINT projects_organization_id_fkey FOREIGN KEY (organization_id) REFERENCES app_public.organizations(id) ON DELETE CASCADE;


--
-- Name: role_parents role_parents_parent_id_fkey; Type: FK CONSTRAINT; Schema: app_public; Owner: app_owner
--

ALTER TABLE ONLY app_public.role_parents
    ADD CONSTRAINT role_parents_parent_id_fkey FOREIGN KEY (parent_id) REFERENCES app_public.roles(id) ON DELETE CASCADE;


--
-- Name: role_parents role_parents_role_id_fkey; Type: FK CONSTRAINT; Schema: app_public; Owner: app_owner
--

ALTER TABLE ONLY app_public.role_parents
    ADD CONSTRAINT role_parents_role_id_fkey FOREIGN KEY (role_id) REFERENCES app_public.roles(id) ON DELETE CASCADE;


--
-- Name: role_permissions role_permissions_permission_fkey; Type: FK CONSTRAINT; Schema: app_public; Owner: app_owner
--

ALTER TABLE ONLY app_public.role_permissions
    ADD CONSTRAINT role_permissions_permission_fkey FOREIGN KEY (permission) REFERENCES app_public.permissions(name) ON DELETE CASCADE;


--
-- Name: role_permissions role_permissions_role_id_fkey; Type: FK CONSTRAINT; Schema: app_public; Owner: app_owner
--

ALTER TABLE ONLY app_public.role_permissions
    ADD CONSTRAINT role_permissions_role_id_fkey FOREIGN KEY (role_id) REFERENCES app_public.roles(id) ON DELETE CASCADE;


--
-- Name: roles roles_organization_id_fkey; Type: FK CONSTRAINT; Schema: app_public; Owner: app_owner
--

ALTER TABLE ONLY app_public.roles
    ADD CONSTRAINT roles_organization_id_fkey FOREIGN KEY (organization_id) REFERENCES app_public.organizations(id) ON DELETE CASCADE;


--
-- Name: tasks tasks_assignee_id_fkey; Type: FK CONSTRAINT; Schema: app_public; Owner: app_owner
--

ALTER TABLE ONLY app_public.tasks
    ADD CONSTRAINT tasks_assignee_id_fkey FOREIGN KEY (assignee_id) REFERENCES app_public.users(id) ON DELETE SET NULL;


--
-- Name: tasks tasks_created_by_fkey; Type: FK CONSTRAINT; Schema: app_public; Owner: app_owner
--

ALTER TABLE ONLY app_public.tasks
    ADD CONSTRAINT tasks_created_by_fkey FOREIGN KEY (created_by) REFERENCES app_public.users(id) ON DELETE SET NULL;


--
-- Name: tasks tasks_project_id_fkey; Type: FK CONSTRAINT; Schema: app_public; Owner: app_owner
--

ALTER TABLE ONLY app_public.tasks
    ADD CONSTRAINT tasks_project_id_fkey FOREIGN KEY (project_id) REFERENCES app_public.projects(id) ON DELETE CASCADE;


--
-- Name: user_roles user_roles_assigned_by_fkey; Type: FK CONSTRAINT; Schema: app_public; Owner: app_owner
--

ALTER TABLE ONLY app_public.user_roles
    ADD CONSTRAINT user_roles_assigned_by_fkey FOREIGN KEY (assigned_by) REFERENCES app_public.users(id) ON DELETE SET NULL;


--
-- Name: user_roles user_roles_organization_id_fkey; Type: FK CONSTRAINT; Schema: app_public; Owner: app_owner
--

ALTER TABLE ONLY app_public.user_roles
    ADD CONSTRAINT user_roles_organization_id_fkey FOREIGN KEY (organization_id) REFERENCES app_public.organizations(id) ON DELETE CASCADE;


--
-- Name: user_roles user_roles_role_id_fkey; Type: FK CONSTRAINT; Schema: app_public; Owner: app_owner
--

ALTER TABLE ONLY app_public.user_roles
    ADD CONSTRAINT user_roles_role_id_fkey FOREIGN KEY (role_id) REFERENCES app_public.roles(id) ON DELETE CASCADE;


--
-- Name: user_roles user_roles_user_id_fkey; Type: FK CONSTRAINT; Schema: app_public; Owner: app_owner
--

ALTER TABLE ONLY app_public.user_roles
    ADD CONSTRAINT user_roles_user_id_fkey FOREIGN KEY (user_id) REFERENCES app_public.users(id) ON DELETE CASCADE;


--
-- Name: comments; Type: ROW SECURITY; Schema: app_public; Owner: app_owner
--

ALTER TABLE app_public.comments ENABLE ROW LEVEL SECURITY;

--
-- Name: comments delete_own; Type: POLICY; Schema: app_public; Owner: app_owner
--

CREATE POLICY delete_own ON app_public.comments FOR DELETE TO app_authenticated USING ((author_id = ( SELECT app_hidden.current_user_id() AS current_user_id)));


--
-- Name: posts delete_own; Type: POLICY; Schema: app_public; Owner: app_owner
--

CREATE POLICY delete_own ON app_public.posts FOR DELETE TO app_authenticated USING ((author_id = ( SELECT app_hidden.current_user_id() AS current_user_id)));


--
-- Name: tasks delete_writer; Type: POLICY; Schema: app_public; Owner: app_owner
--

CREATE POLICY delete_writer ON app_public.tasks FOR DELETE TO app_authenticated USING (app_hidden.can_write_project(project_id));


--
-- Name: comments insert_on_published; Type: POLICY; Schema: app_public; Owner: app_owner
--

CREATE POLICY insert_on_published ON app_public.comments FOR INSERT TO app_authenticated WITH CHECK (((author_id = ( SELECT app_hidden.current_user_id() AS current_user_id)) AND (EXISTS ( SELECT 1
   FROM app_public.posts p
  WHERE ((p.id = comments.post_id) AND (p.status = 'published'::text))))));


--
-- Name: posts insert_own_draft; Type: POLICY; Schema: app_public; Owner: app_owner
--

CREATE POLICY insert_own_draft ON app_public.posts FOR INSERT TO app_authenticated WITH CHECK (((author_id = ( SELECT app_hidden.current_user_id() AS current_user_id)) AND (status = 'draft'::text)));


--
-- Name: projects insert_writer; Type: POLICY; Schema: app_public; Owner: app_owner
--

CREATE POLICY insert_writer ON app_public.projects FOR INSERT TO app_authenticated WITH CHECK (((created_by = ( SELECT app_hidden.current_user_id() AS current_user_id)) AND app_hidden.user_has_permission(( SELECT app_hidden.current_user_id() AS current_user_id), 'projects:write'::text, organization_id)));


--
-- Name: tasks insert_writer; Type: POLICY; Schema: app_public; Owner: app_owner
--

CREATE POLICY insert_writer ON app_public.tasks FOR INSERT TO app_authenticated WITH CHECK ((app_hidden.can_write_project(project_id) AND (created_by = ( SELECT app_hidden.current_user_id() AS current_user_id)) AND ((assignee_id IS NULL) OR (EXISTS ( SELECT 1
   FROM app_public.project_members pm
  WHERE ((pm.project_id = tasks.project_id) AND (pm.user_id = tasks.assignee_id)))))));


--
-- Name: invitations; Type: ROW SECURITY; Schema: app_public; Owner: app_owner
--

ALTER TABLE app_public.invitations ENABLE ROW LEVEL SECURITY;

--
-- Name: memberships; Type: ROW SECURITY; Schema: app_public; Owner: app_owner
--

ALTER TABLE app_public.memberships ENABLE ROW LEVEL SECURITY;

--
-- Name: organizations; Type: ROW SECURITY; Schema: app_public; Owner: app_owner
--

ALTER TABLE app_public.organizations ENABLE ROW LEVEL SECURITY;

--
-- Name: permissions; Type: ROW SECURITY; Schema: app_public; Owner: app_owner
--

ALTER TABLE app_public.permissions ENABLE ROW LEVEL SECURITY;

--
-- Name: posts; Type: ROW SECURITY; Schema: app_public; Owner: app_owner
--

ALTER TABLE app_public.posts ENABLE ROW LEVEL SECURITY;

--
-- Name: project_members; Type: ROW SECURITY; Schema: app_public; Owner: app_owner
--

ALTER TABLE app_public.project_members ENABLE ROW LEVEL SECURITY;

--
-- Name: projects; Type: ROW SECURITY; Schema: app_public; Owner: app_owner
--

ALTER TABLE app_public.projects ENABLE ROW LEVEL SECURITY;

--
-- Name: role_parents; Type: ROW SECURITY; Schema: app_public; Owner: app_owner
--

ALTER TABLE app_public.role_parents ENABLE ROW LEVEL SECURITY;

--
-- Name: role_permissions; Type: ROW SECURITY; Schema: app_public; Owner: app_owner
--

ALTER TABLE app_public.role_permissions ENABLE ROW LEVEL SECURITY;

--
-- Name: roles; Type: ROW SECURITY; Schema: app_public; Owner: app_owner
--

ALTER TABLE app_public.roles ENABLE ROW LEVEL SECURITY;

--
-- Name: permissions select_all; Type: POLICY; Schema: app_public; Owner: app_owner
--

CREATE POLICY select_all ON app_public.permissions FOR SELECT TO app_authenticated USING (true);


--
-- Name: invitations select_manager; Type: POLICY; Schema: app_public; Owner: app_owner
--

CREATE POLICY select_manager ON app_public.invitations FOR SELECT TO app_authenticated USING ((app_hidden.user_has_permission(( SELECT app_hidden.current_user_id() AS current_user_id), 'members:invite'::text, organization_id) OR app_hidden.user_has_permission(( SELECT app_hidden.current_user_id() AS current_user_id), 'members:read'::text, organization_id)));


--
-- Name: organizations select_member; Type: POLICY; Schema: app_public; Owner: app_owner
--

CREATE POLICY select_member ON app_public.organizations FOR SELECT TO app_authenticated USING (app_hidden.is_member(( SELECT app_hidden.current_user_id() AS current_user_id), id));


--
-- Name: posts select_published_or_own; Type: POLICY; Schema: app_public; Owner: app_owner
--

CREATE POLICY select_published_or_own ON app_public.posts FOR SELECT TO app_authenticated USING (((status = 'published'::text) OR (author_id = ( SELECT app_hidden.current_user_id() AS current_user_id))));


--
-- Name: users select_self; Type: POLICY; Schema: app_public; Owner: app_owner
--

CREATE POLICY select_self ON app_public.users FOR SELECT TO app_authenticated USING ((id = ( SELECT app_hidden.current_user_id() AS current_user_id)));


--
-- Name: memberships select_self_or_reader; Type: POLICY; Schema: app_public; Owner: app_owner
--

CREATE POLICY select_self_or_reader ON app_public.memberships FOR SELECT TO app_authenticated USING (((user_id = ( SELECT app_hidden.current_user_id() AS current_user_id)) OR app_hidden.user_has_permission(( SELECT app_hidden.current_user_id() AS current_user_id), 'members:read'::text, organization_id)));


--
-- Name: user_roles select_self_or_reader; Type: POLICY; Schema: app_public; Owner: app_owner
--

CREATE POLICY select_self_or_reader ON app_public.user_roles FOR SELECT TO app_authenticated USING (((user_id = ( SELECT app_hidden.current_user_id() AS current_user_id)) OR app_hidden.user_has_permission(( SELECT app_hidden.current_user_id() AS current_user_id), 'roles:read'::text, organization_id)));


--
-- Name: users select_user_reader; Type: POLICY; Schema: app_public; Owner: app_owner
--

CREATE POLICY select_user_reader ON app_public.users FOR SELECT TO app_authenticated USING ((( SELECT app_hidden.user_has_permission(( SELECT app_hidden.current_user_id() AS current_user_id), 'users:read'::text, NULL::uuid) AS user_has_permission) OR app_hidden.can_read_account(id)));


--
-- Name: comments select_visible; Type: POLICY; Schema: app_public; Owner: app_owner
--

CREATE POLICY select_visible ON app_public.comments FOR SELECT TO app_authenticated USING ((EXISTS ( SELECT 1
   FROM app_public.posts p
  WHERE (p.id = comments.post_id))));


--
-- Name: project_members select_visible; Type: POLICY; Schema: app_public; Owner: app_owner
--

CREATE POLICY select_visible ON app_public.project_members FOR SELECT TO app_authenticated USING (app_hidden.can_see_project(project_id));


--
-- Name: projects select_visible; Type: POLICY; Schema: app_public; Owner: app_owner
--

CREATE POLICY select_visible ON app_public.projects FOR SELECT TO app_authenticated USING (((visibility = 'public'::text) OR ((visibility = 'internal'::text) AND app_hidden.user_has_permission(( SELECT app_hidden.current_user_id() AS current_user_id), 'projects:read'::text, organization_id)) OR (app_hidden.project_role(id) IS NOT NULL) OR ((created_by = ( SELECT app_hidden.current_user_id() AS current_user_id)) AND app_hidden.is_member(( SELECT app_hidden.current_user_id() AS current_user_id), organization_id))));


--
-- Name: role_parents select_visible; Type: POLICY; Schema: app_public; Owner: app_owner
--

CREATE POLICY select_visible ON app_public.role_parents FOR SELECT TO app_authenticated USING ((EXISTS ( SELECT 1
   FROM app_public.roles r
  WHERE (r.id = role_parents.role_id))));


--
-- Name: role_permissions select_visible; Type: POLICY; Schema: app_public; Owner: app_owner
--

CREATE POLICY select_visible ON app_public.role_permissions FOR SELECT TO app_authenticated USING ((EXISTS ( SELECT 1
   FROM app_public.roles r
  WHERE (r.id = role_permissions.role_id))));


--
-- Name: roles select_visible; Type: POLICY; Schema: app_public; Owner: app_owner
--

CREATE POLICY select_visible ON app_public.roles FOR SELECT TO app_authenticated USING (((organization_id IS NULL) OR app_hidden.is_member(( SELECT app_hidden.current_user_id() AS current_user_id), organization_id)));


--
-- Name: tasks select_visible; Type: POLICY; Schema: app_public; Owner: app_owner
--

CREATE POLICY select_visible ON app_public.tasks FOR SELECT TO app_authenticated USING (app_hidden.can_see_project(project_id));


--
-- Name: tasks; Type: ROW SECURITY; Schema: app_public; Owner: app_owner
--

ALTER TABLE app_public.tasks ENABLE ROW LEVEL SECURITY;

--
-- Name: comments update_own; Type: POLICY; Schema: app_public; Owner: app_owner
--

CREATE POLICY update_own ON app_public.comments FOR UPDATE TO app_authenticated USING ((author_id = ( SELECT app_hidden.current_user_id() AS current_user_id))) WITH CHECK ((author_id = ( SELECT app_hidden.current_user_id() AS current_user_id)));


--
-- Name: posts update_own; Type: POLICY; Schema: app_public; Owner: app_owner
--

CREATE POLICY update_own ON app_public.posts FOR UPDATE TO app_authenticated USING ((author_id = ( SELECT app_hidden.current_user_id() AS current_user_id))) WITH CHECK ((author_id = ( SELECT app_hidden.current_user_id() AS current_user_id)));


--
-- Name: projects update_owner; Type: POLICY; Schema: app_public; Owner: app_owner
--

CREATE POLICY update_owner ON app_public.projects FOR UPDATE TO app_authenticated USING ((app_hidden.project_role(id) = 'owner'::text)) WITH CHECK ((app_hidden.project_role(id) = 'owner'::text));


--
-- Name: users update_self; Type: POLICY; Schema: app_public; Owner: app_owner
--

CREATE POLICY update_self ON app_public.users FOR UPDATE TO app_authenticated USING ((id = ( SELECT app_hidden.current_user_id() AS current_user_id))) WITH CHECK ((id = ( SELECT app_hidden.current_user_id() AS current_user_id)));


--
-- Name: tasks update_writer; Type: POLICY; Schema: app_public; Owner: app_owner
--

CREATE POLICY update_writer ON app_public.tasks FOR UPDATE TO app_authenticated USING (app_hidden.can_write_project(project_id)) WITH CHECK ((app_hidden.can_write_project(project_id) AND ((assignee_id IS NULL) OR (EXISTS ( SELECT 1
   FROM app_public.project_members pm
  WHERE ((pm.project_id = tasks.project_id) AND (pm.user_id = tasks.assignee_id)))))));


--
-- Name: user_roles; Type: ROW SECURITY; Schema: app_public; Owner: app_owner
--

ALTER TABLE app_public.user_roles ENABLE ROW LEVEL SECURITY;

--
-- Name: users; Type: ROW SECURITY; Schema: app_public; Owner: app_owner
--

ALTER TABLE app_public.users ENABLE ROW LEVEL SECURITY;

--
-- Name: events; Type: ROW SECURITY; Schema: audit; Owner: app_owner
--

ALTER TABLE audit.events ENABLE ROW LEVEL SECURITY;

--
-- Name: partition_archives; Type: ROW SECURITY; Schema: audit; Owner: app_owner
--

ALTER TABLE audit.partition_archives ENABLE ROW LEVEL SECURITY;

--
-- Name: seals; Type: ROW SECURITY; Schema: audit; Owner: app_owner
--

ALTER TABLE audit.seals ENABLE ROW LEVEL SECURITY;

--
-- Name: system_settings select_worker; Type: POLICY; Schema: config; Owner: app_owner
--

CREATE POLICY select_worker ON config.system_settings FOR SELECT TO app_worker USING (true);


--
-- Name: system_settings; Type: ROW SECURITY; Schema: config; Owner: app_owner
--

ALTER TABLE config.system_settings ENABLE ROW LEVEL SECURITY;

--
-- Name: SCHEMA analytics; Type: ACL; Schema: -; Owner: app_owner
--

GRANT USAGE ON SCHEMA analytics TO app_analytics;


--
-- Name: SCHEMA app_hidden; Type: ACL; Schema: -; Owner: app_owner
--

GRANT USAGE ON SCHEMA app_hidden TO authenticator;
GRANT USAGE ON SCHEMA app_hidden TO app_anonymous;
GRANT USAGE ON SCHEMA app_hidden TO app_authenticated;
GRANT USAGE ON SCHEMA app_hidden TO app_worker;
GRANT USAGE ON SCHEMA app_hidden TO app_marketing;


--
-- Name: SCHEMA app_public; Type: ACL; Schema: -; Owner: app_owner
--

GRANT USAGE ON SCHEMA app_public TO app_anonymous;
GRANT USAGE ON SCHEMA app_public TO app_authenticated;


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


--
-- Name: SCHEMA public; Type: ACL; Schema: -; Owner: pg_database_owner
--

REVOKE USAGE ON SCHEMA public FROM PUBLIC;


--
-- Name: FUNCTION consenting_user_activity(); Type: ACL; Schema: analytics; Owner: app_owner
--

REVOKE ALL ON FUNCTION analytics.consenting_user_activity() FROM PUBLIC;
GRANT ALL ON FUNCTION analytics.consenting_user_activity() TO app_analytics;


--
-- Name: FUNCTION consenting_users(); Type: ACL; Schema: analytics; Owner: app_owner
--

REVOKE ALL ON FUNCTION analytics.consenting_users() FROM PUBLIC;
GRANT ALL ON FUNCTION analytics.consenting_users() TO app_analytics;


--
-- Name: FUNCTION daily_activity(); Type: ACL; Schema: analytics; Owner: app_owner
--

REVOKE ALL ON FUNCTION analytics.daily_activity() FROM PUBLIC;
GRANT ALL ON FUNCTION analytics.daily_activity() TO app_analytics;


--
-- Name: FUNCTION organization_daily_activity(); Type: ACL; Schema: analytics; Owner: app_owner
--

REVOKE ALL ON FUNCTION analytics.organization_daily_activity() FROM PUBLIC;
GRANT ALL ON FUNCTION analytics.organization_daily_activity() TO app_analytics;


--
-- Name: FUNCTION add_encryption_key(key_id uuid, pgp_key_id text, public_key bytea, purpose text, user_id uuid); Type: ACL; Schema: app_hidden; Owner: app_owner
--

REVOKE ALL ON FUNCTION app_hidden.add_encryption_key(key_id uuid, pgp_key_id text, public_key bytea, purpose text, user_id uuid) FROM PUBLIC;
GRANT ALL ON FUNCTION app_hidden.add_encryption_key(key_id uuid, pgp_key_id text, public_key bytea, purpose text, user_id uuid) TO app_worker;


--
-- Name: FUNCTION begin_erasure(user_id uuid); Type: ACL; Schema: app_hidden; Owner: app_owner
--

REVOKE ALL ON FUNCTION app_hidden.begin_erasure(user_id uuid) FROM PUBLIC;
GRANT ALL ON FUNCTION app_hidden.begin_erasure(user_id uuid) TO app_worker;


--
-- Name: FUNCTION can_read_account(user_id uuid); Type: ACL; Schema: app_hidden; Owner: app_owner
--

REVOKE ALL ON FUNCTION app_hidden.can_read_account(user_id uuid) FROM PUBLIC;
GRANT ALL ON FUNCTION app_hidden.can_read_account(user_id uuid) TO app_authenticated;


--
-- Name: FUNCTION can_read_audit(organization_id uuid); Type: ACL; Schema: app_hidden; Owner: app_owner
--

REVOKE ALL ON FUNCTION app_hidden.can_read_audit(organization_id uuid) FROM PUBLIC;
GRANT ALL ON FUNCTION app_hidden.can_read_audit(organization_id uuid) TO app_authenticated;


--
-- Name: FUNCTION can_see_project(project_id uuid); Type: ACL; Schema: app_hidden; Owner: app_owner
--

REVOKE ALL ON FUNCTION app_hidden.can_see_project(project_id uuid) FROM PUBLIC;
GRANT ALL ON FUNCTION app_hidden.can_see_project(project_id uuid) TO app_authenticated;


--
-- Name: FUNCTION can_write_project(project_id uuid); Type: ACL; Schema: app_hidden; Owner: app_owner
--

REVOKE ALL ON FUNCTION app_hidden.can_write_project(project_id uuid) FROM PUBLIC;
GRANT ALL ON FUNCTION app_hidden.can_write_project(project_id uuid) TO app_authenticated;


--
-- Name: FUNCTION clock_now(); Type: ACL; Schema: app_hidden; Owner: app_owner
--

REVOKE ALL ON FUNCTION app_hidden.clock_now() FROM PUBLIC;
GRANT ALL ON FUNCTION app_hidden.clock_now() TO app_anonymous;
GRANT ALL ON FUNCTION app_hidden.clock_now() TO app_authenticated;
GRANT ALL ON FUNCTION app_hidden.clock_now() TO app_worker;
GRANT ALL ON FUNCTION app_hidden.clock_now() TO app_analytics;
GRANT ALL ON FUNCTION app_hidden.clock_now() TO authenticator;


--
-- Name: FUNCTION current_client_ip(); Type: ACL; Schema: app_hidden; Owner: app_owner
--

REVOKE ALL ON FUNCTION app_hidden.current_client_ip() FROM PUBLIC;
GRANT ALL ON FUNCTION app_hidden.current_client_ip() TO app_anonymous;
GRANT ALL ON FUNCTION app_hidden.current_client_ip() TO app_authenticated;
GRANT ALL ON FUNCTION app_hidden.current_client_ip() TO app_worker;


--
-- Name: FUNCTION current_organization_id(); Type: ACL; Schema: app_hidden; Owner: app_owner
--

REVOKE ALL ON FUNCTION app_hidden.current_organization_id() FROM PUBLIC;
GRANT ALL ON FUNCTION app_hidden.current_organization_id() TO app_anonymous;
GRANT ALL ON FUNCTION app_hidden.current_organization_id() TO app_authenticated;


--
-- Name: FUNCTION current_request_id(); Type: ACL; Schema: app_hidden; Owner: app_owner
--

REVOKE ALL ON FUNCTION app_hidden.current_request_id() FROM PUBLIC;
GRANT ALL ON FUNCTION app_hidden.current_request_id() TO app_anonymous;
GRANT ALL ON FUNCTION app_hidden.current_request_id() TO app_authenticated;
GRANT ALL ON FUNCTION app_hidden.current_request_id() TO app_worker;


--
-- Name: FUNCTION current_session_id(); Type: ACL; Schema: app_hidden; Owner: app_owner
--

REVOKE ALL ON FUNCTION app_hidden.current_session_id() FROM PUBLIC;
GRANT ALL ON FUNCTION app_hidden.current_session_id() TO app_anonymous;
GRANT ALL ON FUNCTION app_hidden.current_session_id() TO app_authenticated;
GRANT ALL ON FUNCTION app_hidden.current_session_id() TO app_worker;


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
-- Name: FUNCTION due_erasures(batch integer); Type: ACL; Schema: app_hidden; Owner: app_owner
--

REVOKE ALL ON FUNCTION app_hidden.due_erasures(batch integer) FROM PUBLIC;
GRANT ALL ON FUNCTION app_hidden.due_erasures(batch integer) TO app_worker;


--
-- Name: FUNCTION encrypt_personal(owner_id uuid, value text); Type: ACL; Schema: app_hidden; Owner: app_owner
--

REVOKE ALL ON FUNCTION app_hidden.encrypt_personal(owner_id uuid, value text) FROM PUBLIC;


--
-- Name: FUNCTION encrypted_json(ciphertext bytea); Type: ACL; Schema: app_hidden; Owner: app_owner
--

REVOKE ALL ON FUNCTION app_hidden.encrypted_json(ciphertext bytea) FROM PUBLIC;


--
-- Name: FUNCTION encryption_key_demand(batch integer); Type: ACL; Schema: app_hidden; Owner: app_owner
--

REVOKE ALL ON FUNCTION app_hidden.encryption_key_demand(batch integer) FROM PUBLIC;
GRANT ALL ON FUNCTION app_hidden.encryption_key_demand(batch integer) TO app_worker;


--
-- Name: FUNCTION encryption_key_for(owner_id uuid); Type: ACL; Schema: app_hidden; Owner: app_owner
--

REVOKE ALL ON FUNCTION app_hidden.encryption_key_for(owner_id uuid) FROM PUBLIC;


--
-- Name: FUNCTION expire_auth_records(batch_size integer); Type: ACL; Schema: app_hidden; Owner: app_owner
--

REVOKE ALL ON FUNCTION app_hidden.expire_auth_records(batch_size integer) FROM PUBLIC;
GRANT ALL ON FUNCTION app_hidden.expire_auth_records(batch_size integer) TO app_worker;


--
-- Name: FUNCTION finish_erasure(user_id uuid, destroyed_key_ids uuid[]); Type: ACL; Schema: app_hidden; Owner: app_owner
--

REVOKE ALL ON FUNCTION app_hidden.finish_erasure(user_id uuid, destroyed_key_ids uuid[]) FROM PUBLIC;
GRANT ALL ON FUNCTION app_hidden.finish_erasure(user_id uuid, destroyed_key_ids uuid[]) TO app_worker;


--
-- Name: FUNCTION holds_role_permissions(user_id uuid, role_id uuid, organization_id uuid); Type: ACL; Schema: app_hidden; Owner: app_owner
--

REVOKE ALL ON FUNCTION app_hidden.holds_role_permissions(user_id uuid, role_id uuid, organization_id uuid) FROM PUBLIC;


--
-- Name: FUNCTION is_member(user_id uuid, organization_id uuid); Type: ACL; Schema: app_hidden; Owner: app_owner
--

REVOKE ALL ON FUNCTION app_hidden.is_member(user_id uuid, organization_id uuid) FROM PUBLIC;
GRANT ALL ON FUNCTION app_hidden.is_member(user_id uuid, organization_id uuid) TO app_authenticated;


--
-- Name: FUNCTION issue_email_change_token(change_id uuid, token_hash bytea); Type: ACL; Schema: app_hidden; Owner: app_owner
--

REVOKE ALL ON FUNCTION app_hidden.issue_email_change_token(change_id uuid, token_hash bytea) FROM PUBLIC;
GRANT ALL ON FUNCTION app_hidden.issue_email_change_token(change_id uuid, token_hash bytea) TO app_worker;


--
-- Name: FUNCTION issue_invitation_token(invitation_id uuid, token_hash bytea); Type: ACL; Schema: app_hidden; Owner: app_owner
--

REVOKE ALL ON FUNCTION app_hidden.issue_invitation_token(invitation_id uuid, token_hash bytea) FROM PUBLIC;
GRANT ALL ON FUNCTION app_hidden.issue_invitation_token(invitation_id uuid, token_hash bytea) TO app_worker;


--
-- Name: FUNCTION issue_password_reset_token(reset_id uuid, token_hash bytea); Type: ACL; Schema: app_hidden; Owner: app_owner
--

REVOKE ALL ON FUNCTION app_hidden.issue_password_reset_token(reset_id uuid, token_hash bytea) FROM PUBLIC;
GRANT ALL ON FUNCTION app_hidden.issue_password_reset_token(reset_id uuid, token_hash bytea) TO app_worker;


--
-- Name: FUNCTION issue_unsubscribe_token(message_id uuid, user_id uuid, token_hash bytea); Type: ACL; Schema: app_hidden; Owner: app_owner
--

REVOKE ALL ON FUNCTION app_hidden.issue_unsubscribe_token(message_id uuid, user_id uuid, token_hash bytea) FROM PUBLIC;
GRANT ALL ON FUNCTION app_hidden.issue_unsubscribe_token(message_id uuid, user_id uuid, token_hash bytea) TO app_marketing;


--
-- Name: FUNCTION issue_verification_token(verification_id uuid, token_hash bytea); Type: ACL; Schema: app_hidden; Owner: app_owner
--

REVOKE ALL ON FUNCTION app_hidden.issue_verification_token(verification_id uuid, token_hash bytea) FROM PUBLIC;
GRANT ALL ON FUNCTION app_hidden.issue_verification_token(verification_id uuid, token_hash bytea) TO app_worker;


--
-- Name: FUNCTION mail_recipient(user_id uuid); Type: ACL; Schema: app_hidden; Owner: app_owner
--

REVOKE ALL ON FUNCTION app_hidden.mail_recipient(user_id uuid) FROM PUBLIC;
GRANT ALL ON FUNCTION app_hidden.mail_recipient(user_id uuid) TO app_worker;


--
-- Name: FUNCTION mail_recipient(user_id uuid, purpose text); Type: ACL; Schema: app_hidden; Owner: app_owner
--

REVOKE ALL ON FUNCTION app_hidden.mail_recipient(user_id uuid, purpose text) FROM PUBLIC;
GRANT ALL ON FUNCTION app_hidden.mail_recipient(user_id uuid, purpose text) TO app_marketing;


--
-- Name: FUNCTION mark_marketing_sent(message_id uuid, user_id uuid); Type: ACL; Schema: app_hidden; Owner: app_owner
--

REVOKE ALL ON FUNCTION app_hidden.mark_marketing_sent(message_id uuid, user_id uuid) FROM PUBLIC;
GRANT ALL ON FUNCTION app_hidden.mark_marketing_sent(message_id uuid, user_id uuid) TO app_marketing;


--
-- Name: FUNCTION marketing_message(message_id uuid); Type: ACL; Schema: app_hidden; Owner: app_owner
--

REVOKE ALL ON FUNCTION app_hidden.marketing_message(message_id uuid) FROM PUBLIC;
GRANT ALL ON FUNCTION app_hidden.marketing_message(message_id uuid) TO app_marketing;


--
-- Name: FUNCTION personal_data_document(user_id uuid); Type: ACL; Schema: app_hidden; Owner: app_owner
--

REVOKE ALL ON FUNCTION app_hidden.personal_data_document(user_id uuid) FROM PUBLIC;


--
-- Name: FUNCTION phone_lookup(phone text); Type: ACL; Schema: app_hidden; Owner: app_owner
--

REVOKE ALL ON FUNCTION app_hidden.phone_lookup(phone text) FROM PUBLIC;


--
-- Name: FUNCTION project_role(project_id uuid); Type: ACL; Schema: app_hidden; Owner: app_owner
--

REVOKE ALL ON FUNCTION app_hidden.project_role(project_id uuid) FROM PUBLIC;
GRANT ALL ON FUNCTION app_hidden.project_role(project_id uuid) TO app_authenticated;


--
-- Name: FUNCTION purge_login_throttles(batch_size integer); Type: ACL; Schema: app_hidden; Owner: app_owner
--

REVOKE ALL ON FUNCTION app_hidden.purge_login_throttles(batch_size integer) FROM PUBLIC;
GRANT ALL ON FUNCTION app_hidden.purge_login_throttles(batch_size integer) TO app_worker;


--
-- Name: FUNCTION reserve_login(identifier text, attempt_id uuid); Type: ACL; Schema: app_hidden; Owner: app_owner
--

REVOKE ALL ON FUNCTION app_hidden.reserve_login(identifier text, attempt_id uuid) FROM PUBLIC;
GRANT ALL ON FUNCTION app_hidden.reserve_login(identifier text, attempt_id uuid) TO app_anonymous;


--
-- Name: FUNCTION schema_version(); Type: ACL; Schema: app_hidden; Owner: app_owner
--

REVOKE ALL ON FUNCTION app_hidden.schema_version() FROM PUBLIC;
GRANT ALL ON FUNCTION app_hidden.schema_version() TO authenticator;


--
-- Name: FUNCTION tg__timestamps(); Type: ACL; Schema: app_hidden; Owner: app_owner
--

REVOKE ALL ON FUNCTION app_hidden.tg__timestamps() FROM PUBLIC;


--
-- Name: FUNCTION unsubscribe(token text); Type: ACL; Schema: app_hidden; Owner: app_owner
--

REVOKE ALL ON FUNCTION app_hidden.unsubscribe(token text) FROM PUBLIC;
GRANT ALL ON FUNCTION app_hidden.unsubscribe(token text) TO app_anonymous;


--
-- Name: FUNCTION user_has_permission(user_id uuid, permission text, organization_id uuid); Type: ACL; Schema: app_hidden; Owner: app_owner
--

REVOKE ALL ON FUNCTION app_hidden.user_has_permission(user_id uuid, permission text, organization_id uuid) FROM PUBLIC;
GRANT ALL ON FUNCTION app_hidden.user_has_permission(user_id uuid, permission text, organization_id uuid) TO app_authenticated;


--
-- Name: FUNCTION user_key_assigned(user_id uuid); Type: ACL; Schema: app_hidden; Owner: app_owner
--

REVOKE ALL ON FUNCTION app_hidden.user_key_assigned(user_id uuid) FROM PUBLIC;


--
-- Name: FUNCTION user_permissions(user_id uuid, organization_id uuid); Type: ACL; Schema: app_hidden; Owner: app_owner
--

REVOKE ALL ON FUNCTION app_hidden.user_permissions(user_id uuid, organization_id uuid) FROM PUBLIC;


--
-- Name: FUNCTION user_personal_ciphertext(user_id uuid, field text); Type: ACL; Schema: app_hidden; Owner: app_owner
--

REVOKE ALL ON FUNCTION app_hidden.user_personal_ciphertext(user_id uuid, field text) FROM PUBLIC;
GRANT ALL ON FUNCTION app_hidden.user_personal_ciphertext(user_id uuid, field text) TO app_authenticated;


--
-- Name: FUNCTION user_search_document(username text, email text, first_name text, last_name text, display_name text); Type: ACL; Schema: app_hidden; Owner: app_owner
--

REVOKE ALL ON FUNCTION app_hidden.user_search_document(username text, email text, first_name text, last_name text, display_name text) FROM PUBLIC;
GRANT ALL ON FUNCTION app_hidden.user_search_document(username text, email text, first_name text, last_name text, display_name text) TO app_authenticated;


--
-- Name: FUNCTION user_search_query(query text); Type: ACL; Schema: app_hidden; Owner: app_owner
--

REVOKE ALL ON FUNCTION app_hidden.user_search_query(query text) FROM PUBLIC;
GRANT ALL ON FUNCTION app_hidden.user_search_query(query text) TO app_authenticated;


--
-- Name: FUNCTION user_search_words(words text); Type: ACL; Schema: app_hidden; Owner: app_owner
--

REVOKE ALL ON FUNCTION app_hidden.user_search_words(words text) FROM PUBLIC;
GRANT ALL ON FUNCTION app_hidden.user_search_words(words text) TO app_authenticated;


--
-- Name: FUNCTION analytics_pseudonym(user_id uuid); Type: ACL; Schema: app_private; Owner: app_owner
--

REVOKE ALL ON FUNCTION app_private.analytics_pseudonym(user_id uuid) FROM PUBLIC;


--
-- Name: FUNCTION append_consent(user_id uuid, purpose text, version text, granted boolean, details jsonb); Type: ACL; Schema: app_private; Owner: app_owner
--

REVOKE ALL ON FUNCTION app_private.append_consent(user_id uuid, purpose text, version text, granted boolean, details jsonb) FROM PUBLIC;


--
-- Name: FUNCTION bucket_hash(bucket text); Type: ACL; Schema: app_private; Owner: app_owner
--

REVOKE ALL ON FUNCTION app_private.bucket_hash(bucket text) FROM PUBLIC;


--
-- Name: FUNCTION client_ip_bucket(purpose text); Type: ACL; Schema: app_private; Owner: app_owner
--

REVOKE ALL ON FUNCTION app_private.client_ip_bucket(purpose text) FROM PUBLIC;


--
-- Name: FUNCTION consent_granted(user_id uuid, purpose text); Type: ACL; Schema: app_private; Owner: app_owner
--

REVOKE ALL ON FUNCTION app_private.consent_granted(user_id uuid, purpose text) FROM PUBLIC;


--
-- Name: FUNCTION hash_password(password text); Type: ACL; Schema: app_private; Owner: app_owner
--

REVOKE ALL ON FUNCTION app_private.hash_password(password text) FROM PUBLIC;


--
-- Name: FUNCTION is_last_admin(organization_id uuid, user_id uuid); Type: ACL; Schema: app_private; Owner: app_owner
--

REVOKE ALL ON FUNCTION app_private.is_last_admin(organization_id uuid, user_id uuid) FROM PUBLIC;


--
-- Name: FUNCTION issue_refresh_token(session_id uuid, parent_id uuid); Type: ACL; Schema: app_private; Owner: app_owner
--

REVOKE ALL ON FUNCTION app_private.issue_refresh_token(session_id uuid, parent_id uuid) FROM PUBLIC;


--
-- Name: FUNCTION link_token_hash(token text); Type: ACL; Schema: app_private; Owner: app_owner
--

REVOKE ALL ON FUNCTION app_private.link_token_hash(token text) FROM PUBLIC;


--
-- Name: FUNCTION login_attempt_key(user_id uuid, identifier text); Type: ACL; Schema: app_private; Owner: app_owner
--

REVOKE ALL ON FUNCTION app_private.login_attempt_key(user_id uuid, identifier text) FROM PUBLIC;


--
-- Name: FUNCTION make_super_admin(email text); Type: ACL; Schema: app_private; Owner: app_owner
--

REVOKE ALL ON FUNCTION app_private.make_super_admin(email text) FROM PUBLIC;


--
-- Name: FUNCTION new_token(); Type: ACL; Schema: app_private; Owner: app_owner
--

REVOKE ALL ON FUNCTION app_private.new_token() FROM PUBLIC;


--
-- Name: FUNCTION note_login_device(user_id uuid); Type: ACL; Schema: app_private; Owner: app_owner
--

REVOKE ALL ON FUNCTION app_private.note_login_device(user_id uuid) FROM PUBLIC;


--
-- Name: FUNCTION notify(kind text, user_id uuid, details jsonb, recipient_email text); Type: ACL; Schema: app_private; Owner: app_owner
--

REVOKE ALL ON FUNCTION app_private.notify(kind text, user_id uuid, details jsonb, recipient_email text) FROM PUBLIC;


--
-- Name: FUNCTION password_policy_violation(password text, username text, email text); Type: ACL; Schema: app_private; Owner: app_owner
--

REVOKE ALL ON FUNCTION app_private.password_policy_violation(password text, username text, email text) FROM PUBLIC;


--
-- Name: FUNCTION password_prehash(password text); Type: ACL; Schema: app_private; Owner: app_owner
--

REVOKE ALL ON FUNCTION app_private.password_prehash(password text) FROM PUBLIC;


--
-- Name: FUNCTION queue_marketing_mail(subject text, body text, user_ids uuid[]); Type: ACL; Schema: app_private; Owner: app_owner
--

REVOKE ALL ON FUNCTION app_private.queue_marketing_mail(subject text, body text, user_ids uuid[]) FROM PUBLIC;


--
-- Name: FUNCTION rate_limit_hit(bucket text, max_hits integer, period interval); Type: ACL; Schema: app_private; Owner: app_owner
--

REVOKE ALL ON FUNCTION app_private.rate_limit_hit(bucket text, max_hits integer, period interval) FROM PUBLIC;


--
-- Name: FUNCTION rebuild_role_ancestors(); Type: ACL; Schema: app_private; Owner: app_owner
--

REVOKE ALL ON FUNCTION app_private.rebuild_role_ancestors() FROM PUBLIC;


--
-- Name: FUNCTION record_login_failure(key text, user_id uuid); Type: ACL; Schema: app_private; Owner: app_owner
--

REVOKE ALL ON FUNCTION app_private.record_login_failure(key text, user_id uuid) FROM PUBLIC;


--
-- Name: FUNCTION record_refusal(event_type text, code text, reason text, subject_id uuid, organisation_id uuid, entity_type text, entity_id text, details jsonb, personal_values jsonb); Type: ACL; Schema: app_private; Owner: app_owner
--

REVOKE ALL ON FUNCTION app_private.record_refusal(event_type text, code text, reason text, subject_id uuid, organisation_id uuid, entity_type text, entity_id text, details jsonb, personal_values jsonb) FROM PUBLIC;


--
-- Name: FUNCTION refusal_severity(code text); Type: ACL; Schema: app_private; Owner: app_owner
--

REVOKE ALL ON FUNCTION app_private.refusal_severity(code text) FROM PUBLIC;


--
-- Name: FUNCTION refuse(result anyelement, event_type text, code text, message text, reason text, subject_id uuid, organisation_id uuid, entity_type text, entity_id text, details jsonb, personal_values jsonb, retry_after integer); Type: ACL; Schema: app_private; Owner: app_owner
--

REVOKE ALL ON FUNCTION app_private.refuse(result anyelement, event_type text, code text, message text, reason text, subject_id uuid, organisation_id uuid, entity_type text, entity_id text, details jsonb, personal_values jsonb, retry_after integer) FROM PUBLIC;


--
-- Name: FUNCTION request_email_verification(user_id uuid); Type: ACL; Schema: app_private; Owner: app_owner
--

REVOKE ALL ON FUNCTION app_private.request_email_verification(user_id uuid) FROM PUBLIC;


--
-- Name: FUNCTION require_login(result anyelement, event_type text, message text); Type: ACL; Schema: app_private; Owner: app_owner
--

REVOKE ALL ON FUNCTION app_private.require_login(result anyelement, event_type text, message text) FROM PUBLIC;


--
-- Name: FUNCTION require_password(result anyelement, event_type text, user_id uuid, password text, message text); Type: ACL; Schema: app_private; Owner: app_owner
--

REVOKE ALL ON FUNCTION app_private.require_password(result anyelement, event_type text, user_id uuid, password text, message text) FROM PUBLIC;


--
-- Name: FUNCTION require_permission(result anyelement, event_type text, permission text, organization_id uuid, message text, entity_type text, entity_id text, details jsonb, subject_id uuid, login_message text); Type: ACL; Schema: app_private; Owner: app_owner
--

REVOKE ALL ON FUNCTION app_private.require_permission(result anyelement, event_type text, permission text, organization_id uuid, message text, entity_type text, entity_id text, details jsonb, subject_id uuid, login_message text) FROM PUBLIC;


--
-- Name: FUNCTION require_role_management(result anyelement, event_type text, role_id uuid); Type: ACL; Schema: app_private; Owner: app_owner
--

REVOKE ALL ON FUNCTION app_private.require_role_management(result anyelement, event_type text, role_id uuid) FROM PUBLIC;


--
-- Name: FUNCTION set_password(user_id uuid, new_password text); Type: ACL; Schema: app_private; Owner: app_owner
--

REVOKE ALL ON FUNCTION app_private.set_password(user_id uuid, new_password text) FROM PUBLIC;


--
-- Name: FUNCTION tg_projects__add_owner(); Type: ACL; Schema: app_private; Owner: app_owner
--

REVOKE ALL ON FUNCTION app_private.tg_projects__add_owner() FROM PUBLIC;


--
-- Name: FUNCTION tg_role_parents__guard(); Type: ACL; Schema: app_private; Owner: app_owner
--

REVOKE ALL ON FUNCTION app_private.tg_role_parents__guard() FROM PUBLIC;


--
-- Name: FUNCTION tg_role_parents__rebuild(); Type: ACL; Schema: app_private; Owner: app_owner
--

REVOKE ALL ON FUNCTION app_private.tg_role_parents__rebuild() FROM PUBLIC;


--
-- Name: FUNCTION tg_roles__add_self(); Type: ACL; Schema: app_private; Owner: app_owner
--

REVOKE ALL ON FUNCTION app_private.tg_roles__add_self() FROM PUBLIC;


--
-- Name: FUNCTION tg_sessions__set_expiry(); Type: ACL; Schema: app_private; Owner: app_owner
--

REVOKE ALL ON FUNCTION app_private.tg_sessions__set_expiry() FROM PUBLIC;


--
-- Name: FUNCTION tg_users__assign_key(); Type: ACL; Schema: app_private; Owner: app_owner
--

REVOKE ALL ON FUNCTION app_private.tg_users__assign_key() FROM PUBLIC;


--
-- Name: FUNCTION token_hash(token text); Type: ACL; Schema: app_private; Owner: app_owner
--

REVOKE ALL ON FUNCTION app_private.token_hash(token text) FROM PUBLIC;


--
-- Name: FUNCTION verify_password(password text, hash text, scheme text); Type: ACL; Schema: app_private; Owner: app_owner
--

REVOKE ALL ON FUNCTION app_private.verify_password(password text, hash text, scheme text) FROM PUBLIC;


--
-- Name: FUNCTION accept_invitation(token text); Type: ACL; Schema: app_public; Owner: app_owner
--

REVOKE ALL ON FUNCTION app_public.accept_invitation(token text) FROM PUBLIC;
GRANT ALL ON FUNCTION app_public.accept_invitation(token text) TO app_anonymous;


--
-- Name: FUNCTION add_project_member(project_id uuid, user_id uuid, role text); Type: ACL; Schema: app_public; Owner: app_owner
--

REVOKE ALL ON FUNCTION app_public.add_project_member(project_id uuid, user_id uuid, role text) FROM PUBLIC;
GRANT ALL ON FUNCTION app_public.add_project_member(project_id uuid, user_id uuid, role text) TO app_authenticated;


--
-- Name: FUNCTION assign_role(user_id uuid, role_id uuid, organization_id uuid, expires_at timestamp with time zone); Type: ACL; Schema: app_public; Owner: app_owner
--

REVOKE ALL ON FUNCTION app_public.assign_role(user_id uuid, role_id uuid, organization_id uuid, expires_at timestamp with time zone) FROM PUBLIC;
GRANT ALL ON FUNCTION app_public.assign_role(user_id uuid, role_id uuid, organization_id uuid, expires_at timestamp with time zone) TO app_anonymous;


--
-- Name: FUNCTION audit_event_counts(since timestamp with time zone, until timestamp with time zone, organization_id uuid); Type: ACL; Schema: app_public; Owner: app_owner
--

REVOKE ALL ON FUNCTION app_public.audit_event_counts(since timestamp with time zone, until timestamp with time zone, organization_id uuid) FROM PUBLIC;
GRANT ALL ON FUNCTION app_public.audit_event_counts(since timestamp with time zone, until timestamp with time zone, organization_id uuid) TO app_authenticated;


--
-- Name: FUNCTION audit_events(organization_id uuid, user_id uuid, event_type text, since timestamp with time zone, until timestamp with time zone, request_id text); Type: ACL; Schema: app_public; Owner: app_owner
--

REVOKE ALL ON FUNCTION app_public.audit_events(organization_id uuid, user_id uuid, event_type text, since timestamp with time zone, until timestamp with time zone, request_id text) FROM PUBLIC;
GRANT ALL ON FUNCTION app_public.audit_events(organization_id uuid, user_id uuid, event_type text, since timestamp with time zone, until timestamp with time zone, request_id text) TO app_authenticated;


--
-- Name: FUNCTION change_email(new_email text, password text); Type: ACL; Schema: app_public; Owner: app_owner
--

REVOKE ALL ON FUNCTION app_public.change_email(new_email text, password text) FROM PUBLIC;
GRANT ALL ON FUNCTION app_public.change_email(new_email text, password text) TO app_anonymous;


--
-- Name: FUNCTION change_password(current_password text, new_password text); Type: ACL; Schema: app_public; Owner: app_owner
--

REVOKE ALL ON FUNCTION app_public.change_password(current_password text, new_password text) FROM PUBLIC;
GRANT ALL ON FUNCTION app_public.change_password(current_password text, new_password text) TO app_anonymous;


--
-- Name: FUNCTION change_phone(new_phone text, password text); Type: ACL; Schema: app_public; Owner: app_owner
--

REVOKE ALL ON FUNCTION app_public.change_phone(new_phone text, password text) FROM PUBLIC;
GRANT ALL ON FUNCTION app_public.change_phone(new_phone text, password text) TO app_authenticated;


--
-- Name: FUNCTION confirm_email_change(token text); Type: ACL; Schema: app_public; Owner: app_owner
--

REVOKE ALL ON FUNCTION app_public.confirm_email_change(token text) FROM PUBLIC;
GRANT ALL ON FUNCTION app_public.confirm_email_change(token text) TO app_anonymous;


--
-- Name: FUNCTION create_organization(name text, slug text); Type: ACL; Schema: app_public; Owner: app_owner
--

REVOKE ALL ON FUNCTION app_public.create_organization(name text, slug text) FROM PUBLIC;
GRANT ALL ON FUNCTION app_public.create_organization(name text, slug text) TO app_anonymous;


--
-- Name: FUNCTION create_role(organization_id uuid, name text, description text); Type: ACL; Schema: app_public; Owner: app_owner
--

REVOKE ALL ON FUNCTION app_public.create_role(organization_id uuid, name text, description text) FROM PUBLIC;
GRANT ALL ON FUNCTION app_public.create_role(organization_id uuid, name text, description text) TO app_anonymous;


--
-- Name: TABLE users; Type: ACL; Schema: app_public; Owner: app_owner
--

GRANT SELECT ON TABLE app_public.users TO app_authenticated;


--
-- Name: COLUMN users.first_name; Type: ACL; Schema: app_public; Owner: app_owner
--

GRANT UPDATE(first_name) ON TABLE app_public.users TO app_authenticated;


--
-- Name: COLUMN users.last_name; Type: ACL; Schema: app_public; Owner: app_owner
--

GRANT UPDATE(last_name) ON TABLE app_public.users TO app_authenticated;


--
-- Name: COLUMN users.display_name; Type: ACL; Schema: app_public; Owner: app_owner
--

GRANT UPDATE(display_name) ON TABLE app_public.users TO app_authenticated;


--
-- Name: COLUMN users.avatar_url; Type: ACL; Schema: app_public; Owner: app_owner
--

GRANT UPDATE(avatar_url) ON TABLE app_public.users TO app_authenticated;


--
-- Name: COLUMN users.bio; Type: ACL; Schema: app_public; Owner: app_owner
--

GRANT UPDATE(bio) ON TABLE app_public.users TO app_authenticated;


--
-- Name: COLUMN users.timezone; Type: ACL; Schema: app_public; Owner: app_owner
--

GRANT UPDATE(timezone) ON TABLE app_public.users TO app_authenticated;


--
-- Name: COLUMN users.language; Type: ACL; Schema: app_public; Owner: app_owner
--

GRANT UPDATE(language) ON TABLE app_public.users TO app_authenticated;


--
-- Name: COLUMN users.preferences; Type: ACL; Schema: app_public; Owner: app_owner
--

GRANT UPDATE(preferences) ON TABLE app_public.users TO app_authenticated;


--
-- Name: FUNCTION "current_user"(); Type: ACL; Schema: app_public; Owner: app_owner
--

REVOKE ALL ON FUNCTION app_public."current_user"() FROM PUBLIC;
GRANT ALL ON FUNCTION app_public."current_user"() TO app_anonymous;
GRANT ALL ON FUNCTION app_public."current_user"() TO app_authenticated;


--
-- Name: FUNCTION current_user_security(); Type: ACL; Schema: app_public; Owner: app_owner
--

REVOKE ALL ON FUNCTION app_public.current_user_security() FROM PUBLIC;
GRANT ALL ON FUNCTION app_public.current_user_security() TO app_authenticated;


--
-- Name: FUNCTION delete_my_account(password text, immediate boolean); Type: ACL; Schema: app_public; Owner: app_owner
--

REVOKE ALL ON FUNCTION app_public.delete_my_account(password text, immediate boolean) FROM PUBLIC;
GRANT ALL ON FUNCTION app_public.delete_my_account(password text, immediate boolean) TO app_authenticated;


--
-- Name: FUNCTION delete_role(role_id uuid); Type: ACL; Schema: app_public; Owner: app_owner
--

REVOKE ALL ON FUNCTION app_public.delete_role(role_id uuid) FROM PUBLIC;
GRANT ALL ON FUNCTION app_public.delete_role(role_id uuid) TO app_anonymous;


--
-- Name: FUNCTION effective_permissions(user_id uuid, organization_id uuid); Type: ACL; Schema: app_public; Owner: app_owner
--

REVOKE ALL ON FUNCTION app_public.effective_permissions(user_id uuid, organization_id uuid) FROM PUBLIC;
GRANT ALL ON FUNCTION app_public.effective_permissions(user_id uuid, organization_id uuid) TO app_authenticated;


--
-- Name: FUNCTION enabled_features(); Type: ACL; Schema: app_public; Owner: app_owner
--

REVOKE ALL ON FUNCTION app_public.enabled_features() FROM PUBLIC;
GRANT ALL ON FUNCTION app_public.enabled_features() TO app_anonymous;
GRANT ALL ON FUNCTION app_public.enabled_features() TO app_authenticated;


--
-- Name: FUNCTION end_organization_sessions(organization_id uuid); Type: ACL; Schema: app_public; Owner: app_owner
--

REVOKE ALL ON FUNCTION app_public.end_organization_sessions(organization_id uuid) FROM PUBLIC;
GRANT ALL ON FUNCTION app_public.end_organization_sessions(organization_id uuid) TO app_anonymous;


--
-- Name: FUNCTION end_user_sessions(user_id uuid, organization_id uuid); Type: ACL; Schema: app_public; Owner: app_owner
--

REVOKE ALL ON FUNCTION app_public.end_user_sessions(user_id uuid, organization_id uuid) FROM PUBLIC;
GRANT ALL ON FUNCTION app_public.end_user_sessions(user_id uuid, organization_id uuid) TO app_anonymous;


--
-- Name: FUNCTION explain_permission(user_id uuid, permission text, organization_id uuid); Type: ACL; Schema: app_public; Owner: app_owner
--

REVOKE ALL ON FUNCTION app_public.explain_permission(user_id uuid, permission text, organization_id uuid) FROM PUBLIC;
GRANT ALL ON FUNCTION app_public.explain_permission(user_id uuid, permission text, organization_id uuid) TO app_authenticated;


--
-- Name: FUNCTION export_my_data(); Type: ACL; Schema: app_public; Owner: app_owner
--

REVOKE ALL ON FUNCTION app_public.export_my_data() FROM PUBLIC;
GRANT ALL ON FUNCTION app_public.export_my_data() TO app_authenticated;


--
-- Name: FUNCTION export_user_data(user_id uuid); Type: ACL; Schema: app_public; Owner: app_owner
--

REVOKE ALL ON FUNCTION app_public.export_user_data(user_id uuid) FROM PUBLIC;
GRANT ALL ON FUNCTION app_public.export_user_data(user_id uuid) TO app_authenticated;


--
-- Name: FUNCTION grant_role_permission(role_id uuid, permission text); Type: ACL; Schema: app_public; Owner: app_owner
--

REVOKE ALL ON FUNCTION app_public.grant_role_permission(role_id uuid, permission text) FROM PUBLIC;
GRANT ALL ON FUNCTION app_public.grant_role_permission(role_id uuid, permission text) TO app_anonymous;


--
-- Name: FUNCTION has_permission(permission text, organization_id uuid); Type: ACL; Schema: app_public; Owner: app_owner
--

REVOKE ALL ON FUNCTION app_public.has_permission(permission text, organization_id uuid) FROM PUBLIC;
GRANT ALL ON FUNCTION app_public.has_permission(permission text, organization_id uuid) TO app_authenticated;


--
-- Name: FUNCTION invite_member(organization_id uuid, email text); Type: ACL; Schema: app_public; Owner: app_owner
--

REVOKE ALL ON FUNCTION app_public.invite_member(organization_id uuid, email text) FROM PUBLIC;
GRANT ALL ON FUNCTION app_public.invite_member(organization_id uuid, email text) TO app_anonymous;


--
-- Name: FUNCTION leave_organization(organization_id uuid); Type: ACL; Schema: app_public; Owner: app_owner
--

REVOKE ALL ON FUNCTION app_public.leave_organization(organization_id uuid) FROM PUBLIC;
GRANT ALL ON FUNCTION app_public.leave_organization(organization_id uuid) TO app_anonymous;


--
-- Name: FUNCTION login(identifier text, password text); Type: ACL; Schema: app_public; Owner: app_owner
--

REVOKE ALL ON FUNCTION app_public.login(identifier text, password text) FROM PUBLIC;
GRANT ALL ON FUNCTION app_public.login(identifier text, password text) TO app_anonymous;


--
-- Name: FUNCTION login_result_user(r app_public.login_result); Type: ACL; Schema: app_public; Owner: app_owner
--

REVOKE ALL ON FUNCTION app_public.login_result_user(r app_public.login_result) FROM PUBLIC;
GRANT ALL ON FUNCTION app_public.login_result_user(r app_public.login_result) TO app_anonymous;


--
-- Name: FUNCTION logout(); Type: ACL; Schema: app_public; Owner: app_owner
--

REVOKE ALL ON FUNCTION app_public.logout() FROM PUBLIC;
GRANT ALL ON FUNCTION app_public.logout() TO app_anonymous;


--
-- Name: FUNCTION logout_all_sessions(); Type: ACL; Schema: app_public; Owner: app_owner
--

REVOKE ALL ON FUNCTION app_public.logout_all_sessions() FROM PUBLIC;
GRANT ALL ON FUNCTION app_public.logout_all_sessions() TO app_anonymous;


--
-- Name: FUNCTION my_consents(); Type: ACL; Schema: app_public; Owner: app_owner
--

REVOKE ALL ON FUNCTION app_public.my_consents() FROM PUBLIC;
GRANT ALL ON FUNCTION app_public.my_consents() TO app_authenticated;


--
-- Name: FUNCTION my_permissions(organization_id uuid); Type: ACL; Schema: app_public; Owner: app_owner
--

REVOKE ALL ON FUNCTION app_public.my_permissions(organization_id uuid) FROM PUBLIC;
GRANT ALL ON FUNCTION app_public.my_permissions(organization_id uuid) TO app_authenticated;


--
-- Name: FUNCTION my_sessions(); Type: ACL; Schema: app_public; Owner: app_owner
--

REVOKE ALL ON FUNCTION app_public.my_sessions() FROM PUBLIC;
GRANT ALL ON FUNCTION app_public.my_sessions() TO app_authenticated;


--
-- Name: FUNCTION publish_post(post_id uuid); Type: ACL; Schema: app_public; Owner: app_owner
--

REVOKE ALL ON FUNCTION app_public.publish_post(post_id uuid) FROM PUBLIC;
GRANT ALL ON FUNCTION app_public.publish_post(post_id uuid) TO app_authenticated;


--
-- Name: FUNCTION record_consent(purpose text, version text, granted boolean); Type: ACL; Schema: app_public; Owner: app_owner
--

REVOKE ALL ON FUNCTION app_public.record_consent(purpose text, version text, granted boolean) FROM PUBLIC;
GRANT ALL ON FUNCTION app_public.record_consent(purpose text, version text, granted boolean) TO app_authenticated;


--
-- Name: FUNCTION refresh_token(refresh_token text); Type: ACL; Schema: app_public; Owner: app_owner
--

REVOKE ALL ON FUNCTION app_public.refresh_token(refresh_token text) FROM PUBLIC;
GRANT ALL ON FUNCTION app_public.refresh_token(refresh_token text) TO app_anonymous;


--
-- Name: FUNCTION register(username text, email text, password text, first_name text, last_name text, display_name text, gdpr_consent boolean); Type: ACL; Schema: app_public; Owner: app_owner
--

REVOKE ALL ON FUNCTION app_public.register(username text, email text, password text, first_name text, last_name text, display_name text, gdpr_consent boolean) FROM PUBLIC;
GRANT ALL ON FUNCTION app_public.register(username text, email text, password text, first_name text, last_name text, display_name text, gdpr_consent boolean) TO app_anonymous;


--
-- Name: FUNCTION remove_member(organization_id uuid, user_id uuid); Type: ACL; Schema: app_public; Owner: app_owner
--

REVOKE ALL ON FUNCTION app_public.remove_member(organization_id uuid, user_id uuid) FROM PUBLIC;
GRANT ALL ON FUNCTION app_public.remove_member(organization_id uuid, user_id uuid) TO app_anonymous;


--
-- Name: FUNCTION remove_project_member(project_id uuid, user_id uuid); Type: ACL; Schema: app_public; Owner: app_owner
--

REVOKE ALL ON FUNCTION app_public.remove_project_member(project_id uuid, user_id uuid) FROM PUBLIC;
GRANT ALL ON FUNCTION app_public.remove_project_member(project_id uuid, user_id uuid) TO app_authenticated;


--
-- Name: FUNCTION rename_role(role_id uuid, name text, description text); Type: ACL; Schema: app_public; Owner: app_owner
--

REVOKE ALL ON FUNCTION app_public.rename_role(role_id uuid, name text, description text) FROM PUBLIC;
GRANT ALL ON FUNCTION app_public.rename_role(role_id uuid, name text, description text) TO app_anonymous;


--
-- Name: FUNCTION request_password_reset(email text); Type: ACL; Schema: app_public; Owner: app_owner
--

REVOKE ALL ON FUNCTION app_public.request_password_reset(email text) FROM PUBLIC;
GRANT ALL ON FUNCTION app_public.request_password_reset(email text) TO app_anonymous;


--
-- Name: FUNCTION resend_verification(email text); Type: ACL; Schema: app_public; Owner: app_owner
--

REVOKE ALL ON FUNCTION app_public.resend_verification(email text) FROM PUBLIC;
GRANT ALL ON FUNCTION app_public.resend_verification(email text) TO app_anonymous;


--
-- Name: FUNCTION reset_password(token text, new_password text); Type: ACL; Schema: app_public; Owner: app_owner
--

REVOKE ALL ON FUNCTION app_public.reset_password(token text, new_password text) FROM PUBLIC;
GRANT ALL ON FUNCTION app_public.reset_password(token text, new_password text) TO app_anonymous;


--
-- Name: FUNCTION restore_account(identifier text, password text); Type: ACL; Schema: app_public; Owner: app_owner
--

REVOKE ALL ON FUNCTION app_public.restore_account(identifier text, password text) FROM PUBLIC;
GRANT ALL ON FUNCTION app_public.restore_account(identifier text, password text) TO app_anonymous;


--
-- Name: FUNCTION restrict_processing(user_id uuid, restricted boolean); Type: ACL; Schema: app_public; Owner: app_owner
--

REVOKE ALL ON FUNCTION app_public.restrict_processing(user_id uuid, restricted boolean) FROM PUBLIC;
GRANT ALL ON FUNCTION app_public.restrict_processing(user_id uuid, restricted boolean) TO app_authenticated;


--
-- Name: FUNCTION revoke_role(user_role_id uuid); Type: ACL; Schema: app_public; Owner: app_owner
--

REVOKE ALL ON FUNCTION app_public.revoke_role(user_role_id uuid) FROM PUBLIC;
GRANT ALL ON FUNCTION app_public.revoke_role(user_role_id uuid) TO app_anonymous;


--
-- Name: FUNCTION revoke_role_permission(role_id uuid, permission text); Type: ACL; Schema: app_public; Owner: app_owner
--

REVOKE ALL ON FUNCTION app_public.revoke_role_permission(role_id uuid, permission text) FROM PUBLIC;
GRANT ALL ON FUNCTION app_public.revoke_role_permission(role_id uuid, permission text) TO app_anonymous;


--
-- Name: FUNCTION revoke_session(session_id uuid); Type: ACL; Schema: app_public; Owner: app_owner
--

REVOKE ALL ON FUNCTION app_public.revoke_session(session_id uuid) FROM PUBLIC;
GRANT ALL ON FUNCTION app_public.revoke_session(session_id uuid) TO app_anonymous;


--
-- Name: TABLE roles; Type: ACL; Schema: app_public; Owner: app_owner
--

GRANT SELECT ON TABLE app_public.roles TO app_authenticated;


--
-- Name: FUNCTION roles_effective_permissions(r app_public.roles); Type: ACL; Schema: app_public; Owner: app_owner
--

REVOKE ALL ON FUNCTION app_public.roles_effective_permissions(r app_public.roles) FROM PUBLIC;
GRANT ALL ON FUNCTION app_public.roles_effective_permissions(r app_public.roles) TO app_authenticated;


--
-- Name: FUNCTION search_users(query text); Type: ACL; Schema: app_public; Owner: app_owner
--

REVOKE ALL ON FUNCTION app_public.search_users(query text) FROM PUBLIC;
GRANT ALL ON FUNCTION app_public.search_users(query text) TO app_authenticated;


--
-- Name: FUNCTION server_time(); Type: ACL; Schema: app_public; Owner: app_owner
--

REVOKE ALL ON FUNCTION app_public.server_time() FROM PUBLIC;
GRANT ALL ON FUNCTION app_public.server_time() TO app_anonymous;
GRANT ALL ON FUNCTION app_public.server_time() TO app_authenticated;


--
-- Name: FUNCTION set_date_of_birth(date_of_birth date); Type: ACL; Schema: app_public; Owner: app_owner
--

REVOKE ALL ON FUNCTION app_public.set_date_of_birth(date_of_birth date) FROM PUBLIC;
GRANT ALL ON FUNCTION app_public.set_date_of_birth(date_of_birth date) TO app_authenticated;


--
-- Name: FUNCTION set_role_parents(role_id uuid, parent_ids uuid[]); Type: ACL; Schema: app_public; Owner: app_owner
--

REVOKE ALL ON FUNCTION app_public.set_role_parents(role_id uuid, parent_ids uuid[]) FROM PUBLIC;
GRANT ALL ON FUNCTION app_public.set_role_parents(role_id uuid, parent_ids uuid[]) TO app_anonymous;


--
-- Name: FUNCTION set_system_setting(key text, value jsonb); Type: ACL; Schema: app_public; Owner: app_owner
--

REVOKE ALL ON FUNCTION app_public.set_system_setting(key text, value jsonb) FROM PUBLIC;
GRANT ALL ON FUNCTION app_public.set_system_setting(key text, value jsonb) TO app_anonymous;
GRANT ALL ON FUNCTION app_public.set_system_setting(key text, value jsonb) TO app_authenticated;


--
-- Name: FUNCTION switch_organization(organization_id uuid); Type: ACL; Schema: app_public; Owner: app_owner
--

REVOKE ALL ON FUNCTION app_public.switch_organization(organization_id uuid) FROM PUBLIC;
GRANT ALL ON FUNCTION app_public.switch_organization(organization_id uuid) TO app_anonymous;


--
-- Name: FUNCTION users_by_phone(phone text); Type: ACL; Schema: app_public; Owner: app_owner
--

REVOKE ALL ON FUNCTION app_public.users_by_phone(phone text) FROM PUBLIC;
GRANT ALL ON FUNCTION app_public.users_by_phone(phone text) TO app_authenticated;


--
-- Name: FUNCTION verify_email(token text); Type: ACL; Schema: app_public; Owner: app_owner
--

REVOKE ALL ON FUNCTION app_public.verify_email(token text) FROM PUBLIC;
GRANT ALL ON FUNCTION app_public.verify_email(token text) TO app_anonymous;


--
-- Name: FUNCTION default_partition_rows(); Type: ACL; Schema: audit; Owner: app_owner
--

REVOKE ALL ON FUNCTION audit.default_partition_rows() FROM PUBLIC;
GRANT ALL ON FUNCTION audit.default_partition_rows() TO app_worker;


--
-- Name: FUNCTION ensure_partitions(months_ahead integer, months_back integer); Type: ACL; Schema: audit; Owner: app_owner
--

REVOKE ALL ON FUNCTION audit.ensure_partitions(months_ahead integer, months_back integer) FROM PUBLIC;
GRANT ALL ON FUNCTION audit.ensure_partitions(months_ahead integer, months_back integer) TO app_worker;


--
-- Name: FUNCTION event_bytes(e audit.events); Type: ACL; Schema: audit; Owner: app_owner
--

REVOKE ALL ON FUNCTION audit.event_bytes(e audit.events) FROM PUBLIC;


--
-- Name: FUNCTION partition_rows(partition_name text); Type: ACL; Schema: audit; Owner: app_owner
--

REVOKE ALL ON FUNCTION audit.partition_rows(partition_name text) FROM PUBLIC;
GRANT ALL ON FUNCTION audit.partition_rows(partition_name text) TO app_worker;


--
-- Name: FUNCTION record_event(event_type text, outcome text, details jsonb, reason text, subject_id uuid, severity text, entity_type text, entity_id text, organisation_id uuid, personal_values jsonb); Type: ACL; Schema: audit; Owner: app_owner
--

REVOKE ALL ON FUNCTION audit.record_event(event_type text, outcome text, details jsonb, reason text, subject_id uuid, severity text, entity_type text, entity_id text, organisation_id uuid, personal_values jsonb) FROM PUBLIC;
GRANT ALL ON FUNCTION audit.record_event(event_type text, outcome text, details jsonb, reason text, subject_id uuid, severity text, entity_type text, entity_id text, organisation_id uuid, personal_values jsonb) TO app_worker;


--
-- Name: FUNCTION retirable_partitions(); Type: ACL; Schema: audit; Owner: app_owner
--

REVOKE ALL ON FUNCTION audit.retirable_partitions() FROM PUBLIC;
GRANT ALL ON FUNCTION audit.retirable_partitions() TO app_worker;


--
-- Name: FUNCTION retire_partition(partition_name text, events bigint, sha256 text, file_name text); Type: ACL; Schema: audit; Owner: app_owner
--

REVOKE ALL ON FUNCTION audit.retire_partition(partition_name text, events bigint, sha256 text, file_name text) FROM PUBLIC;
GRANT ALL ON FUNCTION audit.retire_partition(partition_name text, events bigint, sha256 text, file_name text) TO app_worker;


--
-- Name: FUNCTION row_change_parts(operation text, old_row jsonb, new_row jsonb, personal_keys text[], secret_keys text[]); Type: ACL; Schema: audit; Owner: app_owner
--

REVOKE ALL ON FUNCTION audit.row_change_parts(operation text, old_row jsonb, new_row jsonb, personal_keys text[], secret_keys text[]) FROM PUBLIC;


--
-- Name: FUNCTION seal_events(batch_size integer); Type: ACL; Schema: audit; Owner: app_owner
--

REVOKE ALL ON FUNCTION audit.seal_events(batch_size integer) FROM PUBLIC;
GRANT ALL ON FUNCTION audit.seal_events(batch_size integer) TO app_worker;


--
-- Name: FUNCTION secret_keys(row_values jsonb); Type: ACL; Schema: audit; Owner: app_owner
--

REVOKE ALL ON FUNCTION audit.secret_keys(row_values jsonb) FROM PUBLIC;


--
-- Name: FUNCTION tg__row_changes(); Type: ACL; Schema: audit; Owner: app_owner
--

REVOKE ALL ON FUNCTION audit.tg__row_changes() FROM PUBLIC;


--
-- Name: FUNCTION tg_events__forbid_change(); Type: ACL; Schema: audit; Owner: app_owner
--

REVOKE ALL ON FUNCTION audit.tg_events__forbid_change() FROM PUBLIC;


--
-- Name: FUNCTION verify_chain(from_seq bigint, to_seq bigint); Type: ACL; Schema: audit; Owner: app_owner
--

REVOKE ALL ON FUNCTION audit.verify_chain(from_seq bigint, to_seq bigint) FROM PUBLIC;
GRANT ALL ON FUNCTION audit.verify_chain(from_seq bigint, to_seq bigint) TO app_worker;


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
-- Name: TABLE consenting_user_activity; Type: ACL; Schema: analytics; Owner: app_owner
--

GRANT SELECT ON TABLE analytics.consenting_user_activity TO app_analytics;


--
-- Name: TABLE consenting_users; Type: ACL; Schema: analytics; Owner: app_owner
--

GRANT SELECT ON TABLE analytics.consenting_users TO app_analytics;


--
-- Name: TABLE daily_activity; Type: ACL; Schema: analytics; Owner: app_owner
--

GRANT SELECT ON TABLE analytics.daily_activity TO app_analytics;


--
-- Name: TABLE organization_daily_activity; Type: ACL; Schema: analytics; Owner: app_owner
--

GRANT SELECT ON TABLE analytics.organization_daily_activity TO app_analytics;


--
-- Name: TABLE role_parents; Type: ACL; Schema: app_public; Owner: app_owner
--

GRANT SELECT ON TABLE app_public.role_parents TO app_authenticated;


--
-- Name: TABLE role_permissions; Type: ACL; Schema: app_public; Owner: app_owner
--

GRANT SELECT ON TABLE app_public.role_permissions TO app_authenticated;


--
-- Name: TABLE user_roles; Type: ACL; Schema: app_public; Owner: app_owner
--

GRANT SELECT ON TABLE app_public.user_roles TO app_authenticated;


--
-- Name: TABLE comments; Type: ACL; Schema: app_public; Owner: app_owner
--

GRANT SELECT,DELETE ON TABLE app_public.comments TO app_authenticated;


--
-- Name: COLUMN comments.post_id; Type: ACL; Schema: app_public; Owner: app_owner
--

GRANT INSERT(post_id) ON TABLE app_public.comments TO app_authenticated;


--
-- Name: COLUMN comments.body; Type: ACL; Schema: app_public; Owner: app_owner
--

GRANT INSERT(body),UPDATE(body) ON TABLE app_public.comments TO app_authenticated;


--
-- Name: TABLE invitations; Type: ACL; Schema: app_public; Owner: app_owner
--

GRANT SELECT ON TABLE app_public.invitations TO app_authenticated;


--
-- Name: TABLE memberships; Type: ACL; Schema: app_public; Owner: app_owner
--

GRANT SELECT ON TABLE app_public.memberships TO app_authenticated;


--
-- Name: TABLE organizations; Type: ACL; Schema: app_public; Owner: app_owner
--

GRANT SELECT ON TABLE app_public.organizations TO app_authenticated;


--
-- Name: TABLE permissions; Type: ACL; Schema: app_public; Owner: app_owner
--

GRANT SELECT ON TABLE app_public.permissions TO app_authenticated;


--
-- Name: TABLE posts; Type: ACL; Schema: app_public; Owner: app_owner
--

GRANT SELECT,DELETE ON TABLE app_public.posts TO app_authenticated;


--
-- Name: COLUMN posts.title; Type: ACL; Schema: app_public; Owner: app_owner
--

GRANT INSERT(title),UPDATE(title) ON TABLE app_public.posts TO app_authenticated;


--
-- Name: COLUMN posts.body; Type: ACL; Schema: app_public; Owner: app_owner
--

GRANT INSERT(body),UPDATE(body) ON TABLE app_public.posts TO app_authenticated;


--
-- Name: TABLE project_members; Type: ACL; Schema: app_public; Owner: app_owner
--

GRANT SELECT ON TABLE app_public.project_members TO app_authenticated;


--
-- Name: TABLE projects; Type: ACL; Schema: app_public; Owner: app_owner
--

GRANT SELECT ON TABLE app_public.projects TO app_authenticated;


--
-- Name: COLUMN projects.organization_id; Type: ACL; Schema: app_public; Owner: app_owner
--

GRANT INSERT(organization_id) ON TABLE app_public.projects TO app_authenticated;


--
-- Name: COLUMN projects.name; Type: ACL; Schema: app_public; Owner: app_owner
--

GRANT INSERT(name),UPDATE(name) ON TABLE app_public.projects TO app_authenticated;


--
-- Name: COLUMN projects.description; Type: ACL; Schema: app_public; Owner: app_owner
--

GRANT INSERT(description),UPDATE(description) ON TABLE app_public.projects TO app_authenticated;


--
-- Name: COLUMN projects.visibility; Type: ACL; Schema: app_public; Owner: app_owner
--

GRANT INSERT(visibility),UPDATE(visibility) ON TABLE app_public.projects TO app_authenticated;


--
-- Name: TABLE tasks; Type: ACL; Schema: app_public; Owner: app_owner
--

GRANT SELECT,DELETE ON TABLE app_public.tasks TO app_authenticated;


--
-- Name: COLUMN tasks.project_id; Type: ACL; Schema: app_public; Owner: app_owner
--

GRANT INSERT(project_id) ON TABLE app_public.tasks TO app_authenticated;


--
-- Name: COLUMN tasks.title; Type: ACL; Schema: app_public; Owner: app_owner
--

GRANT INSERT(title),UPDATE(title) ON TABLE app_public.tasks TO app_authenticated;


--
-- Name: COLUMN tasks.description; Type: ACL; Schema: app_public; Owner: app_owner
--

GRANT INSERT(description),UPDATE(description) ON TABLE app_public.tasks TO app_authenticated;


--
-- Name: COLUMN tasks.status; Type: ACL; Schema: app_public; Owner: app_owner
--

GRANT INSERT(status),UPDATE(status) ON TABLE app_public.tasks TO app_authenticated;


--
-- Name: COLUMN tasks.priority; Type: ACL; Schema: app_public; Owner: app_owner
--

GRANT INSERT(priority),UPDATE(priority) ON TABLE app_public.tasks TO app_authenticated;


--
-- Name: COLUMN tasks.labels; Type: ACL; Schema: app_public; Owner: app_owner
--

GRANT INSERT(labels),UPDATE(labels) ON TABLE app_public.tasks TO app_authenticated;


--
-- Name: COLUMN tasks.due_date; Type: ACL; Schema: app_public; Owner: app_owner
--

GRANT INSERT(due_date),UPDATE(due_date) ON TABLE app_public.tasks TO app_authenticated;


--
-- Name: COLUMN tasks.assignee_id; Type: ACL; Schema: app_public; Owner: app_owner
--

GRANT INSERT(assignee_id),UPDATE(assignee_id) ON TABLE app_public.tasks TO app_authenticated;


--
-- Name: TABLE user_profiles; Type: ACL; Schema: app_public; Owner: app_owner
--

GRANT SELECT ON TABLE app_public.user_profiles TO app_authenticated;


--
-- Name: TABLE system_settings; Type: ACL; Schema: config; Owner: app_owner
--

GRANT SELECT ON TABLE config.system_settings TO app_worker;


--
-- Name: DEFAULT PRIVILEGES FOR FUNCTIONS; Type: DEFAULT ACL; Schema: -; Owner: app_owner
--

ALTER DEFAULT PRIVILEGES FOR ROLE app_owner REVOKE ALL ON FUNCTIONS  FROM PUBLIC;


--
-- Data: the settings catalogue (config.system_settings, by key; not updated_at or updated_by)
--

INSERT INTO config.system_settings (key, value_type, value, default_value, min_value, max_value, is_public, description) VALUES
    ('analytics.min_group_size', 'integer', '10', '10', 2, 1000, false, 'Aggregates of the analytics schema show a count only when it covers at least this many people; smaller ones are null.'),
    ('audit.partition_months_ahead', 'integer', '3', '3', 1, 24, false, 'How many monthly audit partitions exist ahead of the current month.'),
    ('auth.access_token_ttl', 'interval', '"15 minutes"', '"15 minutes"', NULL, NULL, true, 'Lifetime of an access token (JWT).'),
    ('auth.bcrypt_cost', 'integer', '12', '12', 4, 16, false, 'bcrypt work factor for new password hashes. 12 or more in production; tests may lower it.'),
    ('auth.email_change_token_ttl', 'interval', '"24 hours"', '"24 hours"', NULL, NULL, false, 'Lifetime of the link that confirms a new email address.'),
    ('auth.invitation_ttl', 'interval', '"7 days"', '"7 days"', NULL, NULL, false, 'How long an invitation link works.'),
    ('auth.lockout_duration', 'interval', '"15 minutes"', '"15 minutes"', NULL, NULL, false, 'How long a locked identifier stays locked.'),
    ('auth.lockout_max_duration', 'interval', '"24 hours"', '"24 hours"', NULL, NULL, false, 'Repeated locks double in length (auth.lockout_duration, then twice that, …) up to this.'),
    ('auth.lockout_threshold', 'integer', '5', '5', 1, 100, false, 'Failed logins and other failed password checks of one account (or unknown identifier) before it is locked.'),
    ('auth.login_reservation_ttl', 'interval', '"30 seconds"', '"30 seconds"', NULL, NULL, false, 'How long a reserved login may take to be checked; an attempt not recorded by then is refused (LIMIT, retry).'),
    ('auth.password_history_count', 'integer', '5', '5', 0, 24, false, 'A new password may not equal the current one or the ones before it: this many passwords in all.'),
    ('auth.password_max_length', 'integer', '256', '256', 64, 4096, true, 'Longest password accepted (characters). Every character counts: long passwords are pre-hashed, never truncated.'),
    ('auth.password_min_length', 'integer', '12', '12', 8, 128, true, 'Shortest password accepted (characters, after Unicode normalisation).'),
    ('auth.password_require_composition', 'boolean', 'false', 'false', NULL, NULL, true, 'Also require an upper-case letter, a lower-case letter, a digit and a symbol. Off by default (NIST 800-63B).'),
    ('auth.password_reset_token_ttl', 'interval', '"1 hour"', '"1 hour"', NULL, NULL, false, 'Lifetime of a password reset link.'),
    ('auth.refresh_reuse_grace', 'interval', '"10 seconds"', '"10 seconds"', NULL, NULL, false, 'For this long after a refresh token was used, presenting it again (a retry, a second tab) is not yet reuse.'),
    ('auth.refresh_reuse_grace_children', 'integer', '1', '1', 0, 10, false, 'How many further tokens one used refresh token may yield within the grace window.'),
    ('auth.refresh_token_ttl', 'interval', '"30 days"', '"30 days"', NULL, NULL, false, 'Lifetime of a refresh token.'),
    ('auth.require_email_verification', 'boolean', 'true', 'true', NULL, NULL, true, 'Whether an account must verify its email address before it can log in.'),
    ('auth.session_absolute_lifetime', 'interval', '"30 days"', '"30 days"', NULL, NULL, false, 'A session ends this long after login, however active it is.'),
    ('auth.session_idle_timeout', 'interval', '"7 days"', '"7 days"', NULL, NULL, false, 'A session not refreshed for this long ends.'),
    ('auth.verification_resend_interval', 'interval', '"1 minute"', '"1 minute"', NULL, NULL, false, 'Shortest time between two verification mails to one account; requests in between are dropped silently.'),
    ('auth.verification_token_ttl', 'interval', '"24 hours"', '"24 hours"', NULL, NULL, false, 'Lifetime of an email verification token.'),
    ('gdpr.erasure_grace_period', 'interval', '"90 days"', '"90 days"', NULL, NULL, false, 'How long a deleted account can be restored before it is erased (its keys destroyed, its clear data anonymised).'),
    ('keys.spare_pool_size', 'integer', '100', '100', 1, 100000, false, 'Key pairs the worker keeps ready for new accounts (making one takes about 0.1 s); refilled when half are used.'),
    ('keys.system_key_lifetime', 'interval', '"30 days"', '"30 days"', NULL, NULL, false, 'How long a system key (for events about nobody in particular) is used before the worker makes the next one.'),
    ('marketing.unsubscribe_link_ttl', 'interval', '"90 days"', '"90 days"', NULL, NULL, false, 'How long the one-click unsubscribe link of a marketing mail works.'),
    ('rate_limit.email_change_per_account.max', 'integer', '5', '5', 1, 100000, false, 'Email change requests per account per window.'),
    ('rate_limit.email_change_per_account.window', 'interval', '"1 hour"', '"1 hour"', NULL, NULL, false, 'Window of rate_limit.email_change_per_account.'),
    ('rate_limit.login_failures_per_client_ip.max', 'integer', '100', '100', 1, 100000, false, 'Failed logins plus logins in flight per client IP (IPv6: per /64) per window. Successful logins do not count.'),
    ('rate_limit.login_failures_per_client_ip.window', 'interval', '"15 minutes"', '"15 minutes"', NULL, NULL, false, 'Window of rate_limit.login_failures_per_client_ip.'),
    ('rate_limit.login_per_identifier.max', 'integer', '20', '20', 1, 100000, false, 'Login attempts per submitted identifier (username or email address) per window.'),
    ('rate_limit.login_per_identifier.window', 'interval', '"15 minutes"', '"15 minutes"', NULL, NULL, false, 'Window of rate_limit.login_per_identifier.'),
    ('rate_limit.organization_refusals_per_actor.max', 'integer', '30', '30', 1, 100000, false, 'Refused attempts against organisations one user may leave in their audit trails per window; beyond it, LIMIT.'),
    ('rate_limit.organization_refusals_per_actor.window', 'interval', '"15 minutes"', '"15 minutes"', NULL, NULL, false, 'Window of rate_limit.organization_refusals_per_actor.'),
    ('rate_limit.password_reset_per_client_ip.max', 'integer', '20', '20', 1, 100000, false, 'Password reset requests per client IP (IPv6: per /64) per window, whatever the address.'),
    ('rate_limit.password_reset_per_client_ip.window', 'interval', '"1 hour"', '"1 hour"', NULL, NULL, false, 'Window of rate_limit.password_reset_per_client_ip.'),
    ('rate_limit.password_reset_per_email_address.max', 'integer', '3', '3', 1, 100000, false, 'Password reset requests per submitted email address per window.'),
    ('rate_limit.password_reset_per_email_address.window', 'interval', '"1 hour"', '"1 hour"', NULL, NULL, false, 'Window of rate_limit.password_reset_per_email_address.'),
    ('rate_limit.refresh_per_session.max', 'integer', '30', '30', 1, 100000, false, 'Token refreshes per session per window.'),
    ('rate_limit.refresh_per_session.window', 'interval', '"1 minute"', '"1 minute"', NULL, NULL, false, 'Window of rate_limit.refresh_per_session.'),
    ('rate_limit.register_per_client_ip.max', 'integer', '10', '10', 1, 100000, false, 'Registrations per client IP (IPv6: per /64) per window.'),
    ('rate_limit.register_per_client_ip.window', 'interval', '"1 hour"', '"1 hour"', NULL, NULL, false, 'Window of rate_limit.register_per_client_ip.'),
    ('rate_limit.restore_per_client_ip.max', 'integer', '20', '20', 1, 100000, false, 'Account restore attempts per client IP (IPv6: per /64) per window.'),
    ('rate_limit.restore_per_client_ip.window', 'interval', '"1 hour"', '"1 hour"', NULL, NULL, false, 'Window of rate_limit.restore_per_client_ip.'),
    ('rate_limit.verification_resend_per_client_ip.max', 'integer', '20', '20', 1, 100000, false, 'Verification resend requests per client IP (IPv6: per /64) per window, whatever the address.'),
    ('rate_limit.verification_resend_per_client_ip.window', 'interval', '"1 hour"', '"1 hour"', NULL, NULL, false, 'Window of rate_limit.verification_resend_per_client_ip.'),
    ('rate_limit.verification_resend_per_email_address.max', 'integer', '5', '5', 1, 100000, false, 'Verification resend requests per submitted email address per window.'),
    ('rate_limit.verification_resend_per_email_address.window', 'interval', '"1 hour"', '"1 hour"', NULL, NULL, false, 'Window of rate_limit.verification_resend_per_email_address.'),
    ('retention.audit_events', 'interval', '"7 years"', '"7 years"', NULL, NULL, false, 'How long audit events stay in the database; older monthly partitions are exported, then dropped.'),
    ('retention.expired_auth_records', 'interval', '"7 days"', '"7 days"', NULL, NULL, false, 'How long ended sessions, used or expired tokens and requests, and expired invitations are kept before deletion.');

--
-- PostgreSQL database dump complete
--

\unrestrict gatehouse

