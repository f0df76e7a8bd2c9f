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
	refusal_retry_after integer
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
-- Name: security_summary; Type: TYPE; Schema: app_public; Owner: app_owner
--

CREATE TYPE app_public.security_summary AS (
	password_changed_at timestamp with time zone,
	last_login_at timestamp with time zone,
	last_login_ip inet,
	live_sessions integer
);


ALTER TYPE app_public.security_summary OWNER TO app_owner;

--
-- Name: TYPE security_summary; Type: COMMENT; Schema: app_public; Owner: app_owner
--

COMMENT ON TYPE app_public.security_summary IS 'What Gatehouse knows about the security of your account.';


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
	is_current boolean
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
-- Name: COLUMN session_info.is_current; Type: COMMENT; Schema: app_public; Owner: app_owner
--

COMMENT ON COLUMN app_public.session_info.is_current IS 'True for the session this request is made with.';


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
-- Name: current_session_id(); Type: FUNCTION; Schema: app_hidden; Owner: app_owner
--

CREATE FUNCTION app_hidden.current_session_id() RETURNS uuid
    LANGUAGE sql STABLE SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
  select s.id
  from app_private.sessions s
  join app_public.users u on u.id = s.user_id
  where s.id = nullif(pg_catalog.current_setting('jwt.claims.sid', true), '')::uuid
    and s.user_id = nullif(pg_catalog.current_setting('jwt.claims.sub', true), '')::uuid
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
-- Name: issue_password_reset_token(uuid, bytea); Type: FUNCTION; Schema: app_hidden; Owner: app_owner
--

CREATE FUNCTION app_hidden.issue_password_reset_token(reset_id uuid, token_hash bytea) RETURNS TABLE(email text, username text, display_name text, expires_at timestamp with time zone, requested_at timestamp with time zone, requested_ip text, requested_user_agent text)
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
  returning u.email::text, u.username::text, u.display_name, r.token_expires_at, r.requested_at,
            host(r.requested_ip), r.requested_user_agent;
end;
$$;


ALTER FUNCTION app_hidden.issue_password_reset_token(reset_id uuid, token_hash bytea) OWNER TO app_owner;

--
-- Name: FUNCTION issue_password_reset_token(reset_id uuid, token_hash bytea); Type: COMMENT; Schema: app_hidden; Owner: app_owner
--

COMMENT ON FUNCTION app_hidden.issue_password_reset_token(reset_id uuid, token_hash bytea) IS 'Stores the hash of a password reset token minted by the worker and says where to mail it.';


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
  return v_hits + v_attempts;
end;
$$;


ALTER FUNCTION app_hidden.purge_login_throttles(batch_size integer) OWNER TO app_owner;

--
-- Name: FUNCTION purge_login_throttles(batch_size integer); Type: COMMENT; Schema: app_hidden; Owner: app_owner
--

COMMENT ON FUNCTION app_hidden.purge_login_throttles(batch_size integer) IS 'Deletes expired rate-limit hits and stale lockout rows in one bounded batch; returns how many it deleted.';


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
-- Name: login_attempt_key(uuid, text); Type: FUNCTION; Schema: app_private; Owner: app_owner
--

CREATE FUNCTION app_private.login_attempt_key(user_id uuid, identifier text) RETURNS text
    LANGUAGE sql IMMUTABLE
    AS $$
  select case when user_id is not null then 'account:' || user_id::text
              else 'identifier:' || lower(left(coalesce(identifier, ''), 254)) end
$$;


ALTER FUNCTION app_private.login_attempt_key(user_id uuid, identifier text) OWNER TO app_owner;

--
-- Name: FUNCTION login_attempt_key(user_id uuid, identifier text); Type: COMMENT; Schema: app_private; Owner: app_owner
--

COMMENT ON FUNCTION app_private.login_attempt_key(user_id uuid, identifier text) IS 'The key of app_private.login_attempts for a login attempt.';


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
begin
  perform pg_advisory_xact_lock(hashtextextended('rate_limit:' || bucket, 0));
  select count(*), min(h.hit_at) into v_count, v_oldest
  from app_private.rate_limit_hits h
  where h.bucket = rate_limit_hit.bucket and h.hit_at > v_now - period;
  if v_count >= max_hits then
    return greatest(1, ceil(extract(epoch from v_oldest + period - v_now)))::integer;
  end if;
  insert into app_private.rate_limit_hits (bucket, hit_at) values (rate_limit_hit.bucket, v_now);
  return null;
end;
$$;


ALTER FUNCTION app_private.rate_limit_hit(bucket text, max_hits integer, period interval) OWNER TO app_owner;

--
-- Name: FUNCTION rate_limit_hit(bucket text, max_hits integer, period interval); Type: COMMENT; Schema: app_private; Owner: app_owner
--

COMMENT ON FUNCTION app_private.rate_limit_hit(bucket text, max_hits integer, period interval) IS 'Counts a request against a sliding-window limit: null when allowed, else the seconds to wait.';


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
-- Name: change_email(text, text); Type: FUNCTION; Schema: app_public; Owner: app_owner
--

CREATE FUNCTION app_public.change_email(new_email text, password text) RETURNS app_public.outcome
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'extensions', 'pg_temp'
    AS $_$
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

  insert into app_private.email_changes (user_id, old_email, new_email, requested_ip, requested_user_agent)
  values (v_user_id, v_user.email, v_new, app_hidden.current_client_ip(), left(app_hidden.current_user_agent(), 512))
  returning id into v_change_id;
  perform graphile_worker.add_job('users__send_email_change', json_build_object('change_id', v_change_id));
  perform app_private.notify('email_change_requested', v_user_id, jsonb_build_object('new_email', v_new));
  perform audit.record_event('user.email_change_request', 'success', subject_id => v_user_id,
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
  v_security app_private.user_security;
  v_result app_public.outcome;
begin
  if v_user_id is null then
    perform audit.record_event('auth.password_change', 'refused', reason => 'LOGIN', severity => 'notice');
    return row(false, 'LOGIN', 'You must log in to change your password.', null)::app_public.outcome;
  end if;
  select s.* into v_security from app_private.user_security s where s.user_id = v_user_id for update;
  if current_password is null
     or not app_private.verify_password(current_password, v_security.password_hash, v_security.password_scheme) then
    perform audit.record_event('auth.password_change', 'refused', reason => 'wrong_password', subject_id => v_user_id,
      severity => 'warning');
    return row(false, 'WRONG', 'Your current password is not correct.', null)::app_public.outcome;
  end if;

  v_result := app_private.set_password(v_user_id, new_password);
  if not v_result.ok then
    perform audit.record_event('auth.password_change', 'refused', reason => v_result.refusal_code, subject_id => v_user_id);
    return v_result;
  end if;

  update app_private.sessions s set revoked_at = app_hidden.clock_now(), revoked_reason = 'password_changed'
   where s.user_id = v_user_id and s.revoked_at is null and s.id <> app_hidden.current_session_id();
  perform app_private.notify('password_changed', v_user_id);
  perform audit.record_event('auth.password_change', 'success', subject_id => v_user_id,
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
-- Name: confirm_email_change(text); Type: FUNCTION; Schema: app_public; Owner: app_owner
--

CREATE FUNCTION app_public.confirm_email_change(token text) RETURNS app_public.outcome
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'extensions', 'pg_temp'
    AS $$
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
    jsonb_build_object('old_email', v_change.old_email, 'new_email', v_change.new_email),
    subject_id => v_change.user_id, entity_type => 'email_change', entity_id => v_change.id::text);
  return row(true, null, null, null)::app_public.outcome;
end;
$$;


ALTER FUNCTION app_public.confirm_email_change(token text) OWNER TO app_owner;

--
-- Name: FUNCTION confirm_email_change(token text); Type: COMMENT; Schema: app_public; Owner: app_owner
--

COMMENT ON FUNCTION app_public.confirm_email_change(token text) IS 'Confirms your new email address with the token mailed to it; from then on Gatehouse writes to the new address.';


SET default_tablespace = '';

SET default_table_access_method = heap;

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
    CONSTRAINT users_avatar_url_check CHECK (((length(avatar_url) <= 2048) AND (avatar_url ~ '^https://[^[:space:]]+$'::text))),
    CONSTRAINT users_bio_check CHECK ((length(bio) <= 500)),
    CONSTRAINT users_check CHECK ((email_verified = (email_verified_at IS NOT NULL))),
    CONSTRAINT users_display_name_check CHECK (((length(display_name) >= 1) AND (length(display_name) <= 100))),
    CONSTRAINT users_email_check CHECK (((length((email)::text) <= 254) AND (email OPERATOR(extensions.~) '^[^@[:space:]]+@[^@[:space:]]+\.[^@[:space:]]+$'::extensions.citext))),
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
    s.password_changed_at, s.last_login_at, s.last_login_ip,
    (select count(*)::integer from app_private.sessions x
      where x.user_id = s.user_id and x.revoked_at is null and x.absolute_expires_at > app_hidden.clock_now())
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
    perform audit.record_event('auth.login', 'refused', jsonb_build_object('identifier', left(v_identifier::text, 254)),
      reason => 'LIMIT', severity => 'warning');
    return row(null, null, null, null, null, 'LIMIT',
      format('Too many login attempts: try again in %s seconds.', v_retry), v_retry)::app_public.login_result;
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
    perform audit.record_event('auth.login', 'refused', jsonb_build_object('identifier', left(v_identifier::text, 254)),
      reason => v_reason, subject_id => v_user.id, severity => 'notice');
    return row(null, null, null, null, null, 'WRONG', v_refusal, null)::app_public.login_result;
  end if;

  update app_private.login_attempts a set failed_count = 0, lock_count = 0, locked_until = null where a.key = v_key;
  /* A legacy hash, or one made at another cost, is replaced now that the password is known to be right. */
  if v_security.password_scheme <> 'bcrypt-sha384'
     or substr(v_security.password_hash, 5, 2)::integer <> config.setting_integer('auth.bcrypt_cost') then
    update app_private.user_security s
       set password_hash = app_private.hash_password(password), password_scheme = 'bcrypt-sha384'
     where s.user_id = v_user.id;
  end if;
  update app_private.user_security s
     set last_login_at = v_now, last_login_ip = app_hidden.current_client_ip()
   where s.user_id = v_user.id;

  perform app_private.note_login_device(v_user.id);
  insert into app_private.sessions (user_id, ip, user_agent)
  values (v_user.id, app_hidden.current_client_ip(), left(app_hidden.current_user_agent(), 512))
  returning id, absolute_expires_at into v_session_id, v_session_expires;

  perform audit.record_event('auth.login', 'success', '{}', subject_id => v_user.id,
    entity_type => 'session', entity_id => v_session_id::text);
  return row(
    v_user.id, v_session_id, app_private.issue_refresh_token(v_session_id, null), v_now,
    date_trunc('second', least(v_now + config.setting_interval('auth.access_token_ttl'), v_session_expires)),
    null, null, null
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
begin
  if v_session_id is null then
    perform audit.record_event('auth.logout', 'refused', reason => 'LOGIN', severity => 'notice');
    return row(false, 'LOGIN', 'You are not logged in.', null)::app_public.outcome;
  end if;
  update app_private.sessions s set revoked_at = app_hidden.clock_now(), revoked_reason = 'logout' where s.id = v_session_id;
  perform audit.record_event('auth.logout', 'success', subject_id => app_hidden.current_user_id(),
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
begin
  if v_user_id is null then
    perform audit.record_event('auth.logout_all', 'refused', reason => 'LOGIN', severity => 'notice');
    return row(false, 'LOGIN', 'You are not logged in.', null)::app_public.outcome;
  end if;
  update app_private.sessions s set revoked_at = app_hidden.clock_now(), revoked_reason = 'logout_all'
   where s.user_id = v_user_id and s.revoked_at is null;
  get diagnostics v_ended = row_count;
  perform audit.record_event('auth.logout_all', 'success', jsonb_build_object('sessions_ended', v_ended),
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
-- Name: my_sessions(); Type: FUNCTION; Schema: app_public; Owner: app_owner
--

CREATE FUNCTION app_public.my_sessions() RETURNS SETOF app_public.session_info
    LANGUAGE sql STABLE SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
  select s.id, s.created_at, s.last_refreshed_at, s.absolute_expires_at, s.ip, s.user_agent, s.device_info,
         s.id = app_hidden.current_session_id()
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
begin
  if refresh_token is not null and length(refresh_token) between 20 and 200 then
    v_hash := app_private.token_hash(refresh_token);
    select t.session_id into v_session_id from app_private.refresh_tokens t where t.token_hash = v_hash;
  end if;
  if v_session_id is null then
    perform audit.record_event('auth.refresh', 'refused', reason => 'unknown_token', severity => 'notice');
    return row(null, null, null, null, null, 'LOGIN', v_refusal, null)::app_public.login_result;
  end if;

  select s.* into v_session from app_private.sessions s where s.id = v_session_id for update;
  /* Read the token again now that no other refresh of this session is running. */
  select t.* into v_token from app_private.refresh_tokens t where t.token_hash = v_hash;

  v_retry := app_private.rate_limit_hit('refresh:session:' || v_session.id::text,
    config.setting_integer('rate_limit.refresh_per_session.max'),
    config.setting_interval('rate_limit.refresh_per_session.window'));
  if v_retry is not null then
    perform audit.record_event('auth.refresh', 'refused', reason => 'LIMIT', subject_id => v_session.user_id,
      entity_type => 'session', entity_id => v_session.id::text, severity => 'warning');
    return row(null, null, null, null, null, 'LIMIT',
      format('Too many refreshes: try again in %s seconds.', v_retry), v_retry)::app_public.login_result;
  end if;

  if v_token.used_at is not null then
    select count(*) into v_children from app_private.refresh_tokens c where c.parent_id = v_token.id;
    if not (v_session.revoked_at is null
            and app_hidden.clock_now() - v_token.used_at < config.setting_interval('auth.refresh_reuse_grace')
            and v_children < 1 + config.setting_integer('auth.refresh_reuse_grace_children')) then
      if v_session.revoked_at is null then
        update app_private.sessions s set revoked_at = app_hidden.clock_now(), revoked_reason = 'refresh_token_reuse'
         where s.id = v_session.id;
      end if;
      perform audit.record_event('auth.refresh_reuse', 'refused', jsonb_build_object('token_id', v_token.id),
        reason => 'REUSE', subject_id => v_session.user_id, entity_type => 'session', entity_id => v_session.id::text,
        severity => 'critical');
      return row(null, null, null, null, null, 'REUSE',
        'This refresh token was already used, so the session has been ended to protect your account: log in again.',
        null)::app_public.login_result;
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
    perform audit.record_event('auth.refresh', 'refused', reason => v_reason, subject_id => v_session.user_id,
      entity_type => 'session', entity_id => v_session.id::text, severity => 'notice');
    return row(null, null, null, null, null, 'LOGIN', v_refusal, null)::app_public.login_result;
  end if;

  update app_private.sessions s set last_refreshed_at = v_now where s.id = v_session.id;
  perform audit.record_event('auth.refresh', 'success', jsonb_build_object('grace', v_token.used_at is not null),
    subject_id => v_session.user_id, entity_type => 'session', entity_id => v_session.id::text);
  return row(
    v_session.user_id, v_session.id, app_private.issue_refresh_token(v_session.id, v_token.id), v_now,
    date_trunc('second', least(v_now + config.setting_interval('auth.access_token_ttl'), v_session.absolute_expires_at)),
    null, null, null
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
    perform audit.record_event('user.register', 'refused', jsonb_build_object('username', v_username), reason => 'WEAKP');
    return row(v_email, v_verification_required, 'WEAKP', v_violation, null)::app_public.registration;
  end if;

  /* Hash first: whatever follows, every registration has spent the same bcrypt work. */
  v_hash := app_private.hash_password(password);

  if exists (select 1 from app_public.users u where u.username = v_username and u.deleted_at is null) then
    perform audit.record_event('user.register', 'refused', jsonb_build_object('username', v_username), reason => 'TAKEN');
    return row(v_email, v_verification_required, 'TAKEN', 'That username is taken: choose another.', null)::app_public.registration;
  end if;

  select u.id into v_user_id from app_public.users u where u.email = v_email and u.deleted_at is null;
  if found then
    perform app_private.notify('duplicate_registration', v_user_id);
    perform audit.record_event('user.register', 'refused', jsonb_build_object('username', v_username),
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
      perform audit.record_event('user.register', 'refused', jsonb_build_object('username', v_username), reason => 'TAKEN');
      return row(v_email, v_verification_required, 'TAKEN', 'That username is taken: choose another.', null)::app_public.registration;
    end if;
    perform audit.record_event('user.register', 'refused', jsonb_build_object('username', v_username),
      reason => 'email_in_use', severity => 'notice');
    return row(v_email, v_verification_required, null, null, null)::app_public.registration;
  end;

  insert into app_private.user_security (user_id, password_hash, password_scheme)
  values (v_user_id, v_hash, 'bcrypt-sha384');
  perform app_private.request_email_verification(v_user_id);
  perform audit.record_event('user.register', 'success', jsonb_build_object('username', v_username),
    subject_id => v_user_id, entity_type => 'user', entity_id => v_user_id::text);
  return row(v_email, v_verification_required, null, null, null)::app_public.registration;
end;
$_$;


ALTER FUNCTION app_public.register(username text, email text, password text, first_name text, last_name text, display_name text, gdpr_consent boolean) OWNER TO app_owner;

--
-- Name: FUNCTION register(username text, email text, password text, first_name text, last_name text, display_name text, gdpr_consent boolean); Type: COMMENT; Schema: app_public; Owner: app_owner
--

COMMENT ON FUNCTION app_public.register(username text, email text, password text, first_name text, last_name text, display_name text, gdpr_consent boolean) IS 'Creates an account and mails a link to verify the address. The answer does not tell whether the address already had an account.';


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
    insert into app_private.password_resets (user_id, email, requested_ip, requested_user_agent)
    values (v_user_id, v_email, app_hidden.current_client_ip(), left(app_hidden.current_user_agent(), 512))
    returning id into v_reset_id;
    perform graphile_worker.add_job('users__send_password_reset', json_build_object('reset_id', v_reset_id));
  end if;
  perform audit.record_event('auth.password_reset_request', case when v_user_id is null then 'refused' else 'success' end,
    reason => case when v_user_id is null then 'no_account' end, subject_id => v_user_id,
    entity_type => 'password_reset', entity_id => v_reset_id::text);
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
begin
  /* Counted per submitted address, whether or not it has an account, so the answer still tells nothing. */
  v_retry := app_private.rate_limit_hit('verification_resend:address:' || lower(left(btrim(coalesce(email, '')), 254)),
    config.setting_integer('rate_limit.verification_resend_per_address.max'),
    config.setting_interval('rate_limit.verification_resend_per_address.window'));
  if v_retry is not null then
    perform audit.record_event('user.verification_resend', 'refused', reason => 'LIMIT', severity => 'warning');
    return row(false, 'LIMIT', format('Too many requests for this address: try again in %s seconds.', v_retry), v_retry)::app_public.outcome;
  end if;
  select u.id into v_user_id from app_public.users u
  where u.email = btrim(resend_verification.email)::citext and u.deleted_at is null and not u.email_verified;
  if v_user_id is not null then
    v_request := app_private.request_email_verification(v_user_id);
  end if;
  perform audit.record_event('user.verification_resend', case when v_request is null then 'refused' else 'success' end,
    reason => case when v_user_id is null then 'no_unverified_account' when v_request is null then 'throttled' end,
    subject_id => v_user_id);
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
begin
  if token is not null and length(token) between 20 and 200 then
    select r.* into v_reset
    from app_private.password_resets r
    join app_public.users u on u.id = r.user_id and u.email = r.email and u.deleted_at is null
    where r.token_hash = app_private.token_hash(reset_password.token)
      and r.used_at is null
      and r.token_expires_at > app_hidden.clock_now()
    for update of r;
  end if;
  if v_reset.id is null then
    perform audit.record_event('auth.password_reset', 'refused', reason => 'LINKX', severity => 'notice');
    return row(false, 'LINKX', 'This password reset link is not valid: it may have been used already or have expired.', null)::app_public.outcome;
  end if;

  v_result := app_private.set_password(v_reset.user_id, new_password);
  if not v_result.ok then
    /* The link stays usable: the person may try another password. */
    perform audit.record_event('auth.password_reset', 'refused', reason => v_result.refusal_code, subject_id => v_reset.user_id);
    return v_result;
  end if;

  update app_private.password_resets r set used_at = app_hidden.clock_now()
   where r.user_id = v_reset.user_id and r.used_at is null;
  update app_private.sessions s set revoked_at = app_hidden.clock_now(), revoked_reason = 'password_reset'
   where s.user_id = v_reset.user_id and s.revoked_at is null;
  delete from app_private.login_attempts a where a.key = app_private.login_attempt_key(v_reset.user_id, null);
  update app_public.users u set email_verified = true, email_verified_at = app_hidden.clock_now()
   where u.id = v_reset.user_id and not u.email_verified;
  perform app_private.notify('password_reset_completed', v_reset.user_id);
  perform audit.record_event('auth.password_reset', 'success', subject_id => v_reset.user_id,
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
-- Name: revoke_session(uuid); Type: FUNCTION; Schema: app_public; Owner: app_owner
--

CREATE FUNCTION app_public.revoke_session(session_id uuid) RETURNS app_public.outcome
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
declare
  v_user_id uuid := app_hidden.current_user_id();
begin
  if v_user_id is null then
    perform audit.record_event('auth.session_revoke', 'refused', reason => 'LOGIN', severity => 'notice');
    return row(false, 'LOGIN', 'You must log in to end a session.', null)::app_public.outcome;
  end if;
  update app_private.sessions s set revoked_at = app_hidden.clock_now(), revoked_reason = 'revoked_by_user'
   where s.id = revoke_session.session_id and s.user_id = v_user_id and s.revoked_at is null;
  if not found then
    perform audit.record_event('auth.session_revoke', 'refused', reason => 'NTFND', subject_id => v_user_id,
      entity_type => 'session', entity_id => revoke_session.session_id::text, severity => 'notice');
    return row(false, 'NTFND', 'You have no live session with that id.', null)::app_public.outcome;
  end if;
  perform audit.record_event('auth.session_revoke', 'success', subject_id => v_user_id,
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
-- Name: verify_email(text); Type: FUNCTION; Schema: app_public; Owner: app_owner
--

CREATE FUNCTION app_public.verify_email(token text) RETURNS app_public.outcome
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'extensions', 'pg_temp'
    AS $$
declare
  v_user_id uuid;
  v_verification_id uuid;
begin
  if token is not null and length(token) between 20 and 200 then
    update app_private.email_verifications v
       set used_at = app_hidden.clock_now()
      from app_public.users u
     where v.token_hash = app_private.token_hash(verify_email.token)
       and v.used_at is null
       and v.token_expires_at > app_hidden.clock_now()
       and u.id = v.user_id
       and u.email = v.email
       and u.deleted_at is null
    returning v.user_id, v.id into v_user_id, v_verification_id;
  end if;
  if v_user_id is null then
    perform audit.record_event('user.email_verify', 'refused', reason => 'LINKX', severity => 'notice');
    return row(false, 'LINKX', 'This verification link is not valid: it may have been used already or have expired.', null)::app_public.outcome;
  end if;
  update app_public.users u set email_verified = true, email_verified_at = app_hidden.clock_now()
   where u.id = v_user_id and not u.email_verified;
  perform audit.record_event('user.email_verify', 'success', subject_id => v_user_id,
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
-- Name: email_changes; Type: TABLE; Schema: app_private; Owner: app_owner
--

CREATE TABLE app_private.email_changes (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    user_id uuid NOT NULL,
    old_email extensions.citext NOT NULL,
    new_email extensions.citext NOT NULL,
    requested_at timestamp with time zone DEFAULT app_hidden.clock_now() NOT NULL,
    requested_ip inet,
    requested_user_agent text,
    token_hash bytea,
    token_expires_at timestamp with time zone,
    used_at timestamp with time zone,
    CONSTRAINT email_changes_check CHECK (((token_hash IS NULL) = (token_expires_at IS NULL))),
    CONSTRAINT email_changes_new_email_check CHECK ((length((new_email)::text) <= 254)),
    CONSTRAINT email_changes_requested_user_agent_check CHECK ((length(requested_user_agent) <= 512)),
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
    requested_ip inet,
    requested_user_agent text,
    token_hash bytea,
    token_expires_at timestamp with time zone,
    used_at timestamp with time zone,
    CONSTRAINT password_resets_check CHECK (((token_hash IS NULL) = (token_expires_at IS NULL))),
    CONSTRAINT password_resets_requested_user_agent_check CHECK ((length(requested_user_agent) <= 512)),
    CONSTRAINT password_resets_token_hash_check CHECK ((length(token_hash) = 32))
);


ALTER TABLE app_private.password_resets OWNER TO app_owner;

--
-- Name: TABLE password_resets; Type: COMMENT; Schema: app_private; Owner: app_owner
--

COMMENT ON TABLE app_private.password_resets IS 'Password reset requests; the token hash is stored when the worker sends the mail.';


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
    ip inet,
    user_agent text,
    device_info jsonb DEFAULT '{}'::jsonb NOT NULL,
    CONSTRAINT sessions_check CHECK (((revoked_at IS NULL) = (revoked_reason IS NULL))),
    CONSTRAINT sessions_device_info_check CHECK ((jsonb_typeof(device_info) = 'object'::text)),
    CONSTRAINT sessions_revoked_reason_check CHECK ((length(revoked_reason) <= 100)),
    CONSTRAINT sessions_user_agent_check CHECK ((length(user_agent) <= 512))
);


ALTER TABLE app_private.sessions OWNER TO app_owner;

--
-- Name: TABLE sessions; Type: COMMENT; Schema: app_private; Owner: app_owner
--

COMMENT ON TABLE app_private.sessions IS 'One row per login. Revoked or past absolute_expires_at: the session is over.';


--
-- Name: user_security; Type: TABLE; Schema: app_private; Owner: app_owner
--

CREATE TABLE app_private.user_security (
    user_id uuid NOT NULL,
    password_hash text NOT NULL,
    password_scheme text NOT NULL,
    password_changed_at timestamp with time zone DEFAULT app_hidden.clock_now() NOT NULL,
    last_login_at timestamp with time zone,
    last_login_ip inet,
    CONSTRAINT user_security_password_scheme_check CHECK ((password_scheme = ANY (ARRAY['bcrypt-sha384'::text, 'bcrypt'::text])))
);


ALTER TABLE app_private.user_security OWNER TO app_owner;

--
-- Name: TABLE user_security; Type: COMMENT; Schema: app_private; Owner: app_owner
--

COMMENT ON TABLE app_private.user_security IS 'Password hash and login state of each account. bcrypt-sha384: bcrypt over base64(SHA-384(NFKC(password))); bcrypt: a legacy hash of the raw password, upgraded at the next login.';


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
-- Name: common_passwords common_passwords_pkey; Type: CONSTRAINT; Schema: app_private; Owner: app_owner
--

ALTER TABLE ONLY app_private.common_passwords
    ADD CONSTRAINT common_passwords_pkey PRIMARY KEY (password);


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
-- Name: platform_admins platform_admins_pkey; Type: CONSTRAINT; Schema: app_private; Owner: app_owner
--

ALTER TABLE ONLY app_private.platform_admins
    ADD CONSTRAINT platform_admins_pkey PRIMARY KEY (user_id);


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
-- Name: sessions sessions_pkey; Type: CONSTRAINT; Schema: app_private; Owner: app_owner
--

ALTER TABLE ONLY app_private.sessions
    ADD CONSTRAINT sessions_pkey PRIMARY KEY (id);


--
-- Name: user_security user_security_pkey; Type: CONSTRAINT; Schema: app_private; Owner: app_owner
--

ALTER TABLE ONLY app_private.user_security
    ADD CONSTRAINT user_security_pkey PRIMARY KEY (user_id);


--
-- Name: users users_pkey; Type: CONSTRAINT; Schema: app_public; Owner: app_owner
--

ALTER TABLE ONLY app_public.users
    ADD CONSTRAINT users_pkey PRIMARY KEY (id);


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
-- Name: email_changes_user_idx; Type: INDEX; Schema: app_private; Owner: app_owner
--

CREATE INDEX email_changes_user_idx ON app_private.email_changes USING btree (user_id, requested_at DESC);


--
-- Name: email_verifications_user_idx; Type: INDEX; Schema: app_private; Owner: app_owner
--

CREATE INDEX email_verifications_user_idx ON app_private.email_verifications USING btree (user_id, created_at DESC);


--
-- Name: login_attempts_last_failure_idx; Type: INDEX; Schema: app_private; Owner: app_owner
--

CREATE INDEX login_attempts_last_failure_idx ON app_private.login_attempts USING btree (last_failure_at);


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
-- Name: sessions_live_user_idx; Type: INDEX; Schema: app_private; Owner: app_owner
--

CREATE INDEX sessions_live_user_idx ON app_private.sessions USING btree (user_id) WHERE (revoked_at IS NULL);


--
-- Name: sessions_user_idx; Type: INDEX; Schema: app_private; Owner: app_owner
--

CREATE INDEX sessions_user_idx ON app_private.sessions USING btree (user_id, created_at DESC);


--
-- Name: user_security_recent_login_idx; Type: INDEX; Schema: app_private; Owner: app_owner
--

CREATE INDEX user_security_recent_login_idx ON app_private.user_security USING btree (last_login_at DESC) WHERE (last_login_at IS NOT NULL);


--
-- Name: users_created_idx; Type: INDEX; Schema: app_public; Owner: app_owner
--

CREATE INDEX users_created_idx ON app_public.users USING btree (created_at DESC);


--
-- Name: users_email_key; Type: INDEX; Schema: app_public; Owner: app_owner
--

CREATE UNIQUE INDEX users_email_key ON app_public.users USING btree (email) WHERE (deleted_at IS NULL);


--
-- Name: users_status_created_idx; Type: INDEX; Schema: app_public; Owner: app_owner
--

CREATE INDEX users_status_created_idx ON app_public.users USING btree (status, created_at DESC) WHERE (deleted_at IS NULL);


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
-- Name: sessions _100_set_expiry; Type: TRIGGER; Schema: app_private; Owner: app_owner
--

CREATE TRIGGER _100_set_expiry BEFORE INSERT ON app_private.sessions FOR EACH ROW EXECUTE FUNCTION app_private.tg_sessions__set_expiry();


--
-- Name: users _100_timestamps; Type: TRIGGER; Schema: app_public; Owner: app_owner
--

CREATE TRIGGER _100_timestamps BEFORE INSERT OR UPDATE ON app_public.users FOR EACH ROW EXECUTE FUNCTION app_hidden.tg__timestamps();


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
-- Name: known_devices known_devices_user_id_fkey; Type: FK CONSTRAINT; Schema: app_private; Owner: app_owner
--

ALTER TABLE ONLY app_private.known_devices
    ADD CONSTRAINT known_devices_user_id_fkey FOREIGN KEY (user_id) REFERENCES app_public.users(id) ON DELETE CASCADE;


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
-- Name: platform_admins platform_admins_user_id_fkey; Type: FK CONSTRAINT; Schema: app_private; Owner: app_owner
--

ALTER TABLE ONLY app_private.platform_admins
    ADD CONSTRAINT platform_admins_user_id_fkey FOREIGN KEY (user_id) REFERENCES app_public.users(id) ON DELETE CASCADE;


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
-- Name: sessions sessions_user_id_fkey; Type: FK CONSTRAINT; Schema: app_private; Owner: app_owner
--

ALTER TABLE ONLY app_private.sessions
    ADD CONSTRAINT sessions_user_id_fkey FOREIGN KEY (user_id) REFERENCES app_public.users(id) ON DELETE CASCADE;


--
-- Name: user_security user_security_user_id_fkey; Type: FK CONSTRAINT; Schema: app_private; Owner: app_owner
--

ALTER TABLE ONLY app_private.user_security
    ADD CONSTRAINT user_security_user_id_fkey FOREIGN KEY (user_id) REFERENCES app_public.users(id) ON DELETE CASCADE;


--
-- Name: users select_self; Type: POLICY; Schema: app_public; Owner: app_owner
--

CREATE POLICY select_self ON app_public.users FOR SELECT TO app_authenticated USING ((id = ( SELECT app_hidden.current_user_id() AS current_user_id)));


--
-- Name: users update_self; Type: POLICY; Schema: app_public; Owner: app_owner
--

CREATE POLICY update_self ON app_public.users FOR UPDATE TO app_authenticated USING ((id = ( SELECT app_hidden.current_user_id() AS current_user_id))) WITH CHECK ((id = ( SELECT app_hidden.current_user_id() AS current_user_id)));


--
-- Name: users; Type: ROW SECURITY; Schema: app_public; Owner: app_owner
--

ALTER TABLE app_public.users ENABLE ROW LEVEL SECURITY;

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
GRANT ALL ON FUNCTION app_hidden.clock_now() TO authenticator;


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
-- Name: FUNCTION issue_email_change_token(change_id uuid, token_hash bytea); Type: ACL; Schema: app_hidden; Owner: app_owner
--

REVOKE ALL ON FUNCTION app_hidden.issue_email_change_token(change_id uuid, token_hash bytea) FROM PUBLIC;
GRANT ALL ON FUNCTION app_hidden.issue_email_change_token(change_id uuid, token_hash bytea) TO app_worker;


--
-- Name: FUNCTION issue_password_reset_token(reset_id uuid, token_hash bytea); Type: ACL; Schema: app_hidden; Owner: app_owner
--

REVOKE ALL ON FUNCTION app_hidden.issue_password_reset_token(reset_id uuid, token_hash bytea) FROM PUBLIC;
GRANT ALL ON FUNCTION app_hidden.issue_password_reset_token(reset_id uuid, token_hash bytea) TO app_worker;


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
-- Name: FUNCTION purge_login_throttles(batch_size integer); Type: ACL; Schema: app_hidden; Owner: app_owner
--

REVOKE ALL ON FUNCTION app_hidden.purge_login_throttles(batch_size integer) FROM PUBLIC;
GRANT ALL ON FUNCTION app_hidden.purge_login_throttles(batch_size integer) TO app_worker;


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
-- Name: FUNCTION hash_password(password text); Type: ACL; Schema: app_private; Owner: app_owner
--

REVOKE ALL ON FUNCTION app_private.hash_password(password text) FROM PUBLIC;


--
-- Name: FUNCTION issue_refresh_token(session_id uuid, parent_id uuid); Type: ACL; Schema: app_private; Owner: app_owner
--

REVOKE ALL ON FUNCTION app_private.issue_refresh_token(session_id uuid, parent_id uuid) FROM PUBLIC;


--
-- Name: FUNCTION login_attempt_key(user_id uuid, identifier text); Type: ACL; Schema: app_private; Owner: app_owner
--

REVOKE ALL ON FUNCTION app_private.login_attempt_key(user_id uuid, identifier text) FROM PUBLIC;


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
-- Name: FUNCTION rate_limit_hit(bucket text, max_hits integer, period interval); Type: ACL; Schema: app_private; Owner: app_owner
--

REVOKE ALL ON FUNCTION app_private.rate_limit_hit(bucket text, max_hits integer, period interval) FROM PUBLIC;


--
-- Name: FUNCTION record_login_failure(key text, user_id uuid); Type: ACL; Schema: app_private; Owner: app_owner
--

REVOKE ALL ON FUNCTION app_private.record_login_failure(key text, user_id uuid) FROM PUBLIC;


--
-- Name: FUNCTION request_email_verification(user_id uuid); Type: ACL; Schema: app_private; Owner: app_owner
--

REVOKE ALL ON FUNCTION app_private.request_email_verification(user_id uuid) FROM PUBLIC;


--
-- Name: FUNCTION set_password(user_id uuid, new_password text); Type: ACL; Schema: app_private; Owner: app_owner
--

REVOKE ALL ON FUNCTION app_private.set_password(user_id uuid, new_password text) FROM PUBLIC;


--
-- Name: FUNCTION tg_sessions__set_expiry(); Type: ACL; Schema: app_private; Owner: app_owner
--

REVOKE ALL ON FUNCTION app_private.tg_sessions__set_expiry() FROM PUBLIC;


--
-- Name: FUNCTION token_hash(token text); Type: ACL; Schema: app_private; Owner: app_owner
--

REVOKE ALL ON FUNCTION app_private.token_hash(token text) FROM PUBLIC;


--
-- Name: FUNCTION verify_password(password text, hash text, scheme text); Type: ACL; Schema: app_private; Owner: app_owner
--

REVOKE ALL ON FUNCTION app_private.verify_password(password text, hash text, scheme text) FROM PUBLIC;


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
-- Name: FUNCTION confirm_email_change(token text); Type: ACL; Schema: app_public; Owner: app_owner
--

REVOKE ALL ON FUNCTION app_public.confirm_email_change(token text) FROM PUBLIC;
GRANT ALL ON FUNCTION app_public.confirm_email_change(token text) TO app_anonymous;


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
-- Name: FUNCTION enabled_features(); Type: ACL; Schema: app_public; Owner: app_owner
--

REVOKE ALL ON FUNCTION app_public.enabled_features() FROM PUBLIC;
GRANT ALL ON FUNCTION app_public.enabled_features() TO app_anonymous;
GRANT ALL ON FUNCTION app_public.enabled_features() TO app_authenticated;


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
-- Name: FUNCTION my_sessions(); Type: ACL; Schema: app_public; Owner: app_owner
--

REVOKE ALL ON FUNCTION app_public.my_sessions() FROM PUBLIC;
GRANT ALL ON FUNCTION app_public.my_sessions() TO app_authenticated;


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
-- Name: FUNCTION revoke_session(session_id uuid); Type: ACL; Schema: app_public; Owner: app_owner
--

REVOKE ALL ON FUNCTION app_public.revoke_session(session_id uuid) FROM PUBLIC;
GRANT ALL ON FUNCTION app_public.revoke_session(session_id uuid) TO app_anonymous;


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
-- Name: FUNCTION verify_email(token text); Type: ACL; Schema: app_public; Owner: app_owner
--

REVOKE ALL ON FUNCTION app_public.verify_email(token text) FROM PUBLIC;
GRANT ALL ON FUNCTION app_public.verify_email(token text) TO app_anonymous;


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
-- PostgreSQL database dump complete
--

\unrestrict gatehouse

