--! Previous: sha1:908725694de1ea0ca3972ff192108f67b35d3671
--! Hash: sha1:077cc2ef9c729ed535556aeb48f7828e2eba69bd
--! Message: one refusal idiom, gates and grant homes

/*
 * One refusal idiom and shared gates (sql/README.md, "Refusals"): app_private.refuse returns the caller's own result
 * row with the refusal set after auditing it, with one severity per code; require_login, require_permission and
 * require_role_management replace the copied preambles; link_token_hash replaces the copied token shape check.
 * No API changes: the same codes and messages reach clients.
 */
drop function if exists app_private.role_management_refusal(uuid, uuid, text);
drop function if exists app_private.refuse(text, text, text, text, text, jsonb);
/* Never called: settings are read by config.setting_integer, _interval, _boolean and config.setting. */
drop function if exists config.setting_number(text);
drop function if exists config.setting_text(text);

--! Included functions/app_private.refusal_severity.sql
/*
 * One severity per refusal code, so that an auditor filtering by severity sees every refusal of a kind, whichever
 * function refused. Reuse of a refresh token is an attack in progress; permission, lockout, limit and wrong-secret
 * refusals are what an attacker probing the system produces; everything else (not logged in, an expired link, a name
 * taken) is ordinary.
 */
create or replace function app_private.refusal_severity(code text) returns text
language sql immutable as $$
  select case
    when code = 'REUSE' then 'critical'
    when code in ('PERMS', 'LASTA', 'LIMIT', 'WRONG') then 'warning'
    else 'notice'
  end
$$;
comment on function app_private.refusal_severity(text) is 'The audit severity of a refusal with this code.';
--! EndIncluded functions/app_private.refusal_severity.sql
--! Included functions/app_private.record_refusal.sql
/*
 * The audit row of a refused attempt, with the severity of its code. The reason is the code unless the function
 * records the real reason behind a generic answer (wrong_password behind WRONG) or a refusal the client is not told
 * about (email_in_use, with no code). Called by app_private.refuse; directly only for the refusals a client must not
 * see, which answer as if they had succeeded.
 * Definer: writes audit.events, which no client role may write.
 */
create or replace function app_private.record_refusal(
  event_type text,
  code text,
  reason text default null,
  subject_id uuid default null,
  organisation_id uuid default null,
  entity_type text default null,
  entity_id text default null,
  details jsonb default '{}',
  personal_values jsonb default null
) returns void
language plpgsql volatile security definer
set search_path to pg_catalog, pg_temp as $$
begin
  perform audit.record_event(record_refusal.event_type, 'refused', coalesce(record_refusal.details, '{}'),
    reason => coalesce(record_refusal.reason, record_refusal.code),
    severity => app_private.refusal_severity(record_refusal.code),
    subject_id => record_refusal.subject_id, organisation_id => record_refusal.organisation_id,
    entity_type => record_refusal.entity_type, entity_id => record_refusal.entity_id,
    personal_values => record_refusal.personal_values);
end;
$$;
comment on function app_private.record_refusal(text, text, text, uuid, uuid, text, text, jsonb, jsonb) is
  'Audits a refused attempt with the severity of its code (reason: the code, unless a more precise one is given).';
--! EndIncluded functions/app_private.record_refusal.sql
--! Included functions/app_private.refuse.sql
/*
 * The one way a function refuses when the refusal must leave a trace (sql/README.md, "Refusals"): audits it, then
 * returns the function's own result row with refusal_code, refusal_message and (where the type has it)
 * refusal_retry_after set, and ok = false on an app_public.outcome. The caller returns that row instead of raising, so
 * its transaction commits and the audit row, counts and locks stay; the gateway turns refusal_code into a coded
 * GraphQL error. `result` is the row to return otherwise unchanged (often null::<type>).
 * Definer: writes audit.events through app_private.record_refusal, which no client role may call.
 */
create or replace function app_private.refuse(
  result anyelement,
  event_type text,
  code text,
  message text,
  reason text default null,
  subject_id uuid default null,
  organisation_id uuid default null,
  entity_type text default null,
  entity_id text default null,
  details jsonb default '{}',
  personal_values jsonb default null,
  retry_after integer default null
) returns anyelement
language plpgsql volatile security definer
set search_path to pg_catalog, pg_temp as $$
begin
  perform app_private.record_refusal(refuse.event_type, refuse.code, refuse.reason, refuse.subject_id,
    refuse.organisation_id, refuse.entity_type, refuse.entity_id, refuse.details, refuse.personal_values);
  /* Fields the result type lacks (ok, refusal_retry_after) are ignored. */
  return jsonb_populate_record(refuse.result, jsonb_build_object(
    'ok', false, 'refusal_code', refuse.code, 'refusal_message', refuse.message,
    'refusal_retry_after', refuse.retry_after));
end;
$$;
comment on function app_private.refuse(anyelement, text, text, text, text, uuid, uuid, text, text, jsonb, jsonb, integer) is
  'Audits a refusal and returns the given result row carrying its code and message (the one refusal idiom).';
--! EndIncluded functions/app_private.refuse.sql
--! Included functions/app_private.require_login.sql
/*
 * Gate: the caller must be signed in. Returns null when they are, else the audited LOGIN refusal as the caller
 * function result row (see app_private.refuse). Use:
 *   v_refused := app_private.require_login(null::app_public.outcome, v_event);
 *   if v_refused.refusal_code is not null then return v_refused; end if;
 * Definer: audits the refusal through app_private.refuse, which no client role may call.
 */
create or replace function app_private.require_login(
  result anyelement, event_type text, message text default 'You must log in first.'
) returns anyelement
language plpgsql volatile security definer
set search_path to pg_catalog, pg_temp as $$
begin
  if app_hidden.current_user_id() is not null then
    return null;
  end if;
  return app_private.refuse(require_login.result, require_login.event_type, 'LOGIN', require_login.message);
end;
$$;
comment on function app_private.require_login(anyelement, text, text) is
  'Gate: null when the caller is signed in, else the audited LOGIN refusal as the given result row.';
--! EndIncluded functions/app_private.require_login.sql
--! Included functions/app_private.require_permission.sql
/*
 * Gate: the caller must be signed in (LOGIN) and hold `permission` in the target organisation (PERMS; a null
 * organisation means a global grant, which platform administrators hold). Returns null when both hold, else the
 * audited refusal as the caller function result row (see app_private.refuse); subject_id, entity_type, entity_id
 * and details describe the target in the audit row of a PERMS refusal. Use:
 *   v_refused := app_private.require_permission(null::app_public.role_change, v_event, 'roles:assign', v_org,
 *     'You may not assign roles here.', 'role', role_id::text);
 *   if v_refused.refusal_code is not null then return v_refused; end if;
 * Definer: reads every role grant of the caller (app_private.role_ancestors) and audits through app_private.refuse.
 */
create or replace function app_private.require_permission(
  result anyelement,
  event_type text,
  permission text,
  organization_id uuid,
  message text,
  entity_type text default null,
  entity_id text default null,
  details jsonb default '{}',
  subject_id uuid default null,
  login_message text default 'You must log in first.'
) returns anyelement
language plpgsql volatile security definer
set search_path to pg_catalog, pg_temp as $$
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
      entity_type => require_permission.entity_type, entity_id => require_permission.entity_id,
      details => require_permission.details);
  end if;
  return null;
end;
$$;
comment on function app_private.require_permission(anyelement, text, text, uuid, text, text, text, jsonb, uuid, text) is
  'Gate: null when the caller is signed in and holds the permission in the organisation, else the audited refusal.';
--! EndIncluded functions/app_private.require_permission.sql
--! Included functions/app_private.require_role_management.sql
/*
 * Gate for every change to a role, in order: signed in (LOGIN), the role exists where the caller can see it (NTFND),
 * it is not a system role (PERMS), the caller holds roles:manage in the organisation of the role (PERMS). Returns null,
 * or the audited refusal as the caller function result row (see app_private.refuse).
 * Definer: reads roles of organisations the caller may not see, to answer NTFND for them as for missing ones.
 */
create or replace function app_private.require_role_management(result anyelement, event_type text, role_id uuid)
returns anyelement
language plpgsql volatile security definer
set search_path to pg_catalog, pg_temp as $$
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
      'System roles cannot be changed.', entity_type => 'role', entity_id => require_role_management.role_id::text);
  end if;
  if not app_hidden.user_has_permission(v_actor, 'roles:manage', v_role.organization_id) then
    return app_private.refuse(require_role_management.result, require_role_management.event_type, 'PERMS',
      'You may not manage roles in this organisation.', entity_type => 'role',
      entity_id => require_role_management.role_id::text);
  end if;
  return null;
end;
$$;
comment on function app_private.require_role_management(anyelement, text, uuid) is
  'Gate: null when the caller may change the role, else the audited refusal (LOGIN, NTFND or PERMS).';
--! EndIncluded functions/app_private.require_role_management.sql
--! Included functions/app_private.link_token_hash.sql
/*
 * The shape every link and refresh token must have before it is looked up: 20 to 200 characters. Returns the hash
 * to look it up by (app_private.token_hash), or null for anything else, which matches no row.
 */
create or replace function app_private.link_token_hash(token text) returns bytea
language sql immutable as $$
  select case when length(token) between 20 and 200 then app_private.token_hash(token) end
$$;
comment on function app_private.link_token_hash(text) is
  'The stored hash of a link or refresh token of a plausible shape (20 to 200 characters); null otherwise.';
--! EndIncluded functions/app_private.link_token_hash.sql

--! Included functions/app_public.accept_invitation.sql
/*
 * Joins an organisation with the token from an invitation mail, while logged in as an account whose verified address
 * is the invited one (a forwarded or leaked link is no use to anyone else). Once, before it expires. The new member
 * gets the member role.
 * Definer: reads app_private.invitation_tokens and adds the caller to an organisation they may not yet see.
 */
create or replace function app_public.accept_invitation(token text) returns app_public.organization_change
language plpgsql volatile security definer
set search_path to pg_catalog, extensions, pg_temp as $$
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
  join app_public.users u on u.id = v_actor and u.email = i.email and u.email_verified
  where t.token_hash = app_private.link_token_hash(accept_invitation.token)
    and i.accepted_at is null
    and i.expires_at > app_hidden.clock_now()
  for update of i;
  if v_invitation.id is null then
    return app_private.refuse(null::app_public.organization_change, v_event, 'LINKX',
      'This invitation is not valid for you: it may have expired, been used, or been sent to another address.');
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
comment on function app_public.accept_invitation(text) is 'Joins an organisation with the token from your invitation mail.';
grant execute on function app_public.accept_invitation(text) to app_anonymous;
--! EndIncluded functions/app_public.accept_invitation.sql
--! Included functions/app_public.add_project_member.sql
/*
 * A project owner adds a member of the organisation to the project (or changes their role in it).
 * Definer: adds to app_public.project_members, which clients may not write, and writes audit.events.
 */
create or replace function app_public.add_project_member(project_id uuid, user_id uuid, role text default 'member')
returns app_public.outcome
language plpgsql volatile security definer
set search_path to pg_catalog, pg_temp as $$
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
comment on function app_public.add_project_member(uuid, uuid, text) is
  'Adds a member of the organisation to a project, as owner or member (project owners only).';
grant execute on function app_public.add_project_member(uuid, uuid, text) to app_authenticated;
--! EndIncluded functions/app_public.add_project_member.sql
--! Included functions/app_public.assign_role.sql
/*
 * Gives a member a role in an organisation (roles:assign there), until expires_at if given; a global grant
 * (organization_id null) needs roles:assign globally. No escalation: the caller must hold every permission the role
 * carries. The role must be global or the organisation's own, and the user an active member.
 * Definer: writes app_public.user_roles, which clients may not write, after its own checks; audits.
 */
create or replace function app_public.assign_role(user_id uuid, role_id uuid, organization_id uuid default null,
  expires_at timestamptz default null) returns app_public.role_change
language plpgsql volatile security definer
set search_path to pg_catalog, pg_temp as $$
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
    return app_private.refuse(v_base, v_event, 'NTFND', 'There is no such role here.',
      entity_type => 'role', entity_id => assign_role.role_id::text, details => v_details);
  end if;
  if assign_role.organization_id is not null and not app_hidden.is_member(assign_role.user_id, assign_role.organization_id) then
    return app_private.refuse(v_base, v_event, 'NTFND', 'That person is not a member here.',
      entity_type => 'role', entity_id => assign_role.role_id::text, details => v_details);
  end if;
  if not app_hidden.holds_role_permissions(v_actor, v_role.id, assign_role.organization_id) then
    return app_private.refuse(v_base, v_event, 'PERMS',
      format('You cannot give the role %s: it has permissions you do not hold.', v_role.name),
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
comment on function app_public.assign_role(uuid, uuid, uuid, timestamptz) is
  'Gives a member a role in an organisation, optionally until a time (roles:assign). You can only give roles whose permissions you hold.';
grant execute on function app_public.assign_role(uuid, uuid, uuid, timestamptz) to app_anonymous;
--! EndIncluded functions/app_public.assign_role.sql
--! Included functions/app_public.change_email.sql
/*
 * Moving an account to a new address needs the password (re-authentication, ASVS 7.5.1). The new address gets a link
 * (users__send_email_change), the old one a notice; the address changes only when the link is followed. If the new
 * address already belongs to an account, the answer is the same as for a free one (no enumeration) and the owner of
 * that address is told instead.
 * Definer: reads the password hash in app_private.user_security and writes app_private.email_changes.
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
  select s.* into v_security from app_private.user_security s where s.user_id = v_user_id;
  if password is null or not app_private.verify_password(password, v_security.password_hash, v_security.password_scheme) then
    return app_private.refuse(null::app_public.outcome, v_event, 'WRONG', 'Your password is not correct.',
      reason => 'wrong_password', subject_id => v_user_id);
  end if;
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
$$;
comment on function app_public.change_email(text, text) is
  'Starts moving your account to a new email address: needs your password; the address changes when you follow the link mailed to it.';
grant execute on function app_public.change_email(text, text) to app_anonymous;
--! EndIncluded functions/app_public.change_email.sql
--! Included functions/app_public.change_password.sql
/*
 * Needs the current password (ASVS 6.2.3); the new one follows app_private.set_password's rules. Every other session
 * ends (ASVS 7.4.3) and the owner is told by mail (ASVS 6.3.6).
 * Definer: reads and replaces the password hash in app_private.user_security; ends sessions.
 */
create or replace function app_public.change_password(current_password text, new_password text)
returns app_public.outcome
language plpgsql volatile security definer
set search_path to pg_catalog, extensions, pg_temp as $$
declare
  v_user_id uuid := app_hidden.current_user_id();
  v_security app_private.user_security;
  v_result app_public.outcome;
  v_event constant text := 'auth.password_change';
begin
  v_result := app_private.require_login(null::app_public.outcome, v_event, 'You must log in to change your password.');
  if v_result.refusal_code is not null then return v_result; end if;
  select s.* into v_security from app_private.user_security s where s.user_id = v_user_id for update;
  if current_password is null
     or not app_private.verify_password(current_password, v_security.password_hash, v_security.password_scheme) then
    return app_private.refuse(null::app_public.outcome, v_event, 'WRONG', 'Your current password is not correct.',
      reason => 'wrong_password', subject_id => v_user_id);
  end if;

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
comment on function app_public.change_password(text, text) is
  'Changes your password. Needs the current one; your other sessions end, and you are told by mail.';
grant execute on function app_public.change_password(text, text) to app_anonymous;
--! EndIncluded functions/app_public.change_password.sql
--! Included functions/app_public.change_phone.sql
/*
 * Sets (or, with null, removes) your phone number. Needs your password (re-authentication), takes E.164 only
 * (+ and 7 to 15 digits, no spaces). The number is stored only encrypted to your own key, beside its blind index for
 * lookups; the audit event carries the new number in its encrypted part. An account whose key the worker has not made
 * yet is asked to try again shortly (NOKEY) rather than have its number stored under any other key.
 * Definer: checks the password hash and writes app_private.user_personal_data (encrypted phone).
 */
create or replace function app_public.change_phone(new_phone text, password text) returns app_public.outcome
language plpgsql volatile security definer
set search_path to pg_catalog, extensions, pg_temp as $$
declare
  v_user_id uuid := app_hidden.current_user_id();
  v_security app_private.user_security;
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

  select s.* into v_security from app_private.user_security s where s.user_id = v_user_id;
  if password is null or not app_private.verify_password(password, v_security.password_hash, v_security.password_scheme) then
    return app_private.refuse(null::app_public.outcome, v_event, 'WRONG', 'Your password is not correct.',
      reason => 'wrong_password', subject_id => v_user_id);
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
  perform audit.record_event(v_event, 'success', subject_id => v_user_id,
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
--! Included functions/app_public.confirm_email_change.sql
/*
 * Completes an email change with the token mailed to the new address: once, before it expires, while the account
 * still has the old address and the new one is still free. Both addresses are told.
 * Definer: looks the token up in app_private.email_changes and changes the address of the account.
 */
create or replace function app_public.confirm_email_change(token text) returns app_public.outcome
language plpgsql volatile security definer
set search_path to pg_catalog, extensions, pg_temp as $$
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
comment on function app_public.confirm_email_change(text) is
  'Confirms your new email address with the token mailed to it; from then on Gatehouse writes to the new address.';
grant execute on function app_public.confirm_email_change(text) to app_anonymous;
--! EndIncluded functions/app_public.confirm_email_change.sql
--! Included functions/app_public.create_organization.sql
/*
 * Any verified user may create an organisation; they become its first member and org_admin.
 * Definer: creates the organisation, its first membership and role grant, which clients may not write.
 */
create or replace function app_public.create_organization(name text, slug text) returns app_public.organization_change
language plpgsql volatile security definer
set search_path to pg_catalog, extensions, pg_temp as $$
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
$$;
comment on function app_public.create_organization(text, text) is 'Creates an organisation with you as its administrator.';
grant execute on function app_public.create_organization(text, text) to app_anonymous;
--! EndIncluded functions/app_public.create_organization.sql
--! Included functions/app_public.create_role.sql
/* Definer: writes app_public.roles, which clients may not write, after checking roles:manage. */
create or replace function app_public.create_role(organization_id uuid, name text, description text default '')
returns app_public.role_change
language plpgsql volatile security definer
set search_path to pg_catalog, extensions, pg_temp as $$
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
$$;
comment on function app_public.create_role(uuid, text, text) is 'Creates a role in an organisation (roles:manage).';
grant execute on function app_public.create_role(uuid, text, text) to app_anonymous;
--! EndIncluded functions/app_public.create_role.sql
--! Included functions/app_public.delete_my_account.sql
/*
 * GDPR erasure, asked by the account holder. Needs the current password. At once: the account is marked deleted,
 * every session ends and logging in is refused; the address and username stay reserved (a registration with them is
 * answered as usual, without telling). After gdpr.erasure_grace_period the worker erases the account
 * (users__erase): the keys are destroyed, which makes every encrypted value about the person unreadable in the
 * database and in every backup, and the remaining clear personal columns are anonymised. With `immediate` the grace
 * period is waived and erasure is queued now. Until erasure, restoreAccount brings the account back.
 * Definer: checks the password hash in app_private.user_security and ends every session.
 */
create or replace function app_public.delete_my_account(password text, immediate boolean default false)
returns app_public.outcome
language plpgsql volatile security definer
set search_path to pg_catalog, pg_temp as $$
declare
  v_user_id uuid := app_hidden.current_user_id();
  v_security app_private.user_security;
  v_due timestamptz;
  v_event constant text := 'user.delete';
  v_refused app_public.outcome;
begin
  v_refused := app_private.require_login(null::app_public.outcome, v_event, 'You must log in to delete your account.');
  if v_refused.refusal_code is not null then return v_refused; end if;
  select s.* into v_security from app_private.user_security s where s.user_id = v_user_id for update;
  if password is null or not app_private.verify_password(password, v_security.password_hash, v_security.password_scheme) then
    return app_private.refuse(null::app_public.outcome, v_event, 'WRONG', 'Your password is not correct.',
      reason => 'wrong_password', subject_id => v_user_id);
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
  perform audit.record_event(v_event, 'success', subject_id => v_user_id, entity_type => 'user',
    entity_id => v_user_id::text, severity => 'notice',
    details => jsonb_build_object('immediate', coalesce(immediate, false), 'erasure_due_at', v_due));
  return row(true, null, null, null)::app_public.outcome;
end;
$$;
comment on function app_public.delete_my_account(text, boolean) is
  'Deletes your account: you are logged out everywhere now, and your data is erased after the grace period (or at once with immediate). Needs your password.';
grant execute on function app_public.delete_my_account(text, boolean) to app_authenticated;
--! EndIncluded functions/app_public.delete_my_account.sql
--! Included functions/app_public.delete_role.sql
/* Definer: deletes from app_public.roles, which clients may not write, after checking roles:manage. */
create or replace function app_public.delete_role(role_id uuid) returns app_public.role_change
language plpgsql volatile security definer
set search_path to pg_catalog, pg_temp as $$
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
comment on function app_public.delete_role(uuid) is 'Deletes an organisation''s role; its holders lose what it gave them (roles:manage).';
grant execute on function app_public.delete_role(uuid) to app_anonymous;
--! EndIncluded functions/app_public.delete_role.sql
--! Included functions/app_public.end_organization_sessions.sql
/*
 * Ends every session acting in the organisation (sessions:revoke there), the caller's own excepted.
 * Definer: ends rows of app_private.sessions, which no client role may write.
 */
create or replace function app_public.end_organization_sessions(organization_id uuid) returns app_public.organization_change
language plpgsql volatile security definer
set search_path to pg_catalog, pg_temp as $$
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
comment on function app_public.end_organization_sessions(uuid) is
  'Ends every session acting in the organisation except yours (sessions:revoke).';
grant execute on function app_public.end_organization_sessions(uuid) to app_anonymous;
--! EndIncluded functions/app_public.end_organization_sessions.sql
--! Included functions/app_public.end_user_sessions.sql
/*
 * Ends every session of one user (ASVS 7.4.5): in an organisation, for holders of sessions:revoke there and only for
 * its members; with organization_id null, for holders of sessions:revoke globally, for anyone.
 * Definer: ends rows of app_private.sessions, which no client role may write.
 */
create or replace function app_public.end_user_sessions(user_id uuid, organization_id uuid default null)
returns app_public.organization_change
language plpgsql volatile security definer
set search_path to pg_catalog, pg_temp as $$
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
comment on function app_public.end_user_sessions(uuid, uuid) is 'Ends every session of a member (sessions:revoke).';
grant execute on function app_public.end_user_sessions(uuid, uuid) to app_anonymous;
--! EndIncluded functions/app_public.end_user_sessions.sql
--! Included functions/app_public.export_my_data.sql
/*
 * GDPR access and portability: everything Gatehouse holds about you, as one JSON document (one section per table),
 * decrypted by the gateway on the way out. Every export is audited.
 * Definer: reads every table that holds personal data of the caller, app_private ones included.
 */
create or replace function app_public.export_my_data() returns app_public.data_export
language plpgsql volatile security definer
set search_path to pg_catalog, pg_temp as $$
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
comment on function app_public.export_my_data() is
  'Everything held about you, as one JSON document (GDPR access and portability). Audited.';
grant execute on function app_public.export_my_data() to app_authenticated;
--! EndIncluded functions/app_public.export_my_data.sql
--! Included functions/app_public.export_user_data.sql
/*
 * An administrator's export of everything held about one account (answering a data subject request on their behalf):
 * needs users:export globally. Refusals and exports are audited, with the administrator as actor.
 * Definer: reads every table that holds personal data of the account, app_private ones included.
 */
create or replace function app_public.export_user_data(user_id uuid) returns app_public.data_export
language plpgsql volatile security definer
set search_path to pg_catalog, pg_temp as $$
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
comment on function app_public.export_user_data(uuid) is
  'Everything held about an account, as one JSON document (users:export, global). Audited.';
grant execute on function app_public.export_user_data(uuid) to app_authenticated;
--! EndIncluded functions/app_public.export_user_data.sql
--! Included functions/app_public.grant_role_permission.sql
/*
 * No escalation: the caller may put on a role only a permission they hold themselves in that organisation.
 * Definer: writes app_public.role_permissions, which clients may not write, after its checks.
 */
create or replace function app_public.grant_role_permission(role_id uuid, permission text) returns app_public.role_change
language plpgsql volatile security definer
set search_path to pg_catalog, pg_temp as $$
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
comment on function app_public.grant_role_permission(uuid, text) is
  'Adds a permission to a role (roles:manage). You can only grant permissions you hold.';
grant execute on function app_public.grant_role_permission(uuid, text) to app_anonymous;
--! EndIncluded functions/app_public.grant_role_permission.sql
--! Included functions/app_public.invite_member.sql
/*
 * Invites an address to an organisation (members:invite). The worker mints the token and mails the link.
 * Definer: writes app_public.invitations and queues the mail job, which clients may not do.
 */
create or replace function app_public.invite_member(organization_id uuid, email text) returns app_public.organization_change
language plpgsql volatile security definer
set search_path to pg_catalog, extensions, pg_temp as $$
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
$$;
comment on function app_public.invite_member(uuid, text) is 'Invites someone to an organisation by email (members:invite).';
grant execute on function app_public.invite_member(uuid, text) to app_anonymous;
--! EndIncluded functions/app_public.invite_member.sql
--! Included functions/app_public.leave_organization.sql
/* Definer: ends the membership and its role grants, which clients may not write. */
create or replace function app_public.leave_organization(organization_id uuid) returns app_public.organization_change
language plpgsql volatile security definer
set search_path to pg_catalog, pg_temp as $$
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
comment on function app_public.leave_organization(uuid) is 'Leaves an organisation. The last administrator cannot leave.';
grant execute on function app_public.leave_organization(uuid) to app_anonymous;
--! EndIncluded functions/app_public.leave_organization.sql
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
 * Refusals return a refusal_code so the counts, locks and audit rows stay (sql/README.md, "Refusals"). On success the gateway
 * signs the access token from the returned session; the refresh token is returned once and stored only as SHA-256.
 * Definer: reads password hashes and lockout counters (app_private) and opens a session.
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
  v_event constant text := 'auth.login';
begin
  v_retry := app_private.rate_limit_hit('login:ip:' || v_ip,
    config.setting_integer('rate_limit.login_per_ip.max'), config.setting_interval('rate_limit.login_per_ip.window'));
  if v_retry is null then
    v_retry := app_private.rate_limit_hit('login:identifier:' || lower(left(coalesce(v_identifier::text, ''), 254)),
      config.setting_integer('rate_limit.login_per_identifier.max'),
      config.setting_interval('rate_limit.login_per_identifier.window'));
  end if;
  if v_retry is not null then
    return app_private.refuse(null::app_public.login_result, v_event, 'LIMIT',
      format('Too many login attempts: try again in %s seconds.', v_retry), retry_after => v_retry,
      personal_values => jsonb_build_object('identifier', left(v_identifier::text, 254)));
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
    return app_private.refuse(null::app_public.login_result, v_event, 'WRONG', v_refusal, reason => v_reason,
      subject_id => v_user.id, personal_values => jsonb_build_object('identifier', left(v_identifier::text, 254)));
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

  perform audit.record_event(v_event, 'success', '{}', subject_id => v_user.id,
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
--! Included functions/app_public.logout.sql
/* Definer: ends the row of app_private.sessions, which no client role may write. */
create or replace function app_public.logout() returns app_public.outcome
language plpgsql volatile security definer
set search_path to pg_catalog, pg_temp as $$
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
comment on function app_public.logout() is 'Ends this session. Its access and refresh tokens stop working at once.';
grant execute on function app_public.logout() to app_anonymous;
--! EndIncluded functions/app_public.logout.sql
--! Included functions/app_public.logout_all_sessions.sql
/* Definer: ends rows of app_private.sessions, which no client role may write. */
create or replace function app_public.logout_all_sessions() returns app_public.outcome
language plpgsql volatile security definer
set search_path to pg_catalog, pg_temp as $$
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
comment on function app_public.logout_all_sessions() is 'Ends every session of your account, this one included.';
grant execute on function app_public.logout_all_sessions() to app_anonymous;
--! EndIncluded functions/app_public.logout_all_sessions.sql
--! Included functions/app_public.publish_post.sql
/* Definer: sets status and published_at, columns no client may update directly. */
create or replace function app_public.publish_post(post_id uuid) returns app_public.outcome
language plpgsql volatile security definer
set search_path to pg_catalog, pg_temp as $$
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
comment on function app_public.publish_post(uuid) is 'Publishes one of your drafts: everyone signed in can then read it and comment.';
grant execute on function app_public.publish_post(uuid) to app_authenticated;
--! EndIncluded functions/app_public.publish_post.sql
--! Included functions/app_public.refresh_token.sql
/*
 * Exchanges a refresh token for new tokens and rotates it. All refreshes of one session run one at a time (the
 * session row is locked), so of many parallel presentations exactly one rotates the token. Presenting a token that was
 * already used is reuse — the session and every token of its family end, and a critical event is recorded — except
 * within auth.refresh_reuse_grace of its first use, when it may yield auth.refresh_reuse_grace_children more tokens
 * (a retry after a lost response, a second tab). See docs/sessions.md.
 * Idle timeout counts from the session's last refresh, absolute lifetime from login; either ends refreshing at once.
 * Definer: reads and rotates app_private.refresh_tokens and locks the session row.
 */
create or replace function app_public.refresh_token(refresh_token text) returns app_public.login_result
language plpgsql volatile security definer
set search_path to pg_catalog, extensions, pg_temp as $$
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
comment on function app_public.refresh_token(text) is
  'Exchanges a refresh token for a new access token and a new refresh token. Each refresh token works once.';
grant execute on function app_public.refresh_token(text) to app_anonymous;
--! EndIncluded functions/app_public.refresh_token.sql
--! Included functions/app_public.register.sql
/*
 * Creating an account. Email addresses are not enumerable: a new address and one that already has an account get the
 * same answer and cost the same time (the password is hashed before anything is looked up); the owner of an existing
 * address is told by mail that someone tried to register with it. Usernames are public handles, so a taken one is
 * reported (TAKEN). Refusals return a refusal_code (sql/README.md, "Refusals") so their audit rows stay.
 * Definer: creates the account and writes its password hash to app_private.user_security.
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
  v_event constant text := 'user.register';
  v_base app_public.registration := row(v_email, v_verification_required, null, null, null);
  v_personal jsonb := jsonb_build_object('username', v_username);
begin
  /* Before anything else, and before any hashing. */
  v_retry := app_private.rate_limit_hit('register:ip:' || coalesce(host(app_hidden.current_client_ip()), 'unknown'),
    config.setting_integer('rate_limit.register_per_ip.max'), config.setting_interval('rate_limit.register_per_ip.window'));
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
$$;
comment on function app_public.register(text, text, text, text, text, text, boolean) is
  'Creates an account and mails a link to verify the address. The answer does not tell whether the address already had an account.';
grant execute on function app_public.register(text, text, text, text, text, text, boolean) to app_anonymous;
--! EndIncluded functions/app_public.register.sql
--! Included functions/app_public.remove_member.sql
/*
 * An admin removes a member (members:remove): the membership ends, and with it every role held in the organisation.
 * Definer: ends the membership and its role grants, which clients may not write.
 */
create or replace function app_public.remove_member(organization_id uuid, user_id uuid) returns app_public.organization_change
language plpgsql volatile security definer
set search_path to pg_catalog, pg_temp as $$
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
      entity_type => 'organization', entity_id => remove_member.organization_id::text);
  end if;
  if app_private.is_last_admin(remove_member.organization_id, remove_member.user_id) then
    return app_private.refuse(v_base, v_event, 'LASTA',
      'An organisation needs an administrator: make someone else org_admin first.',
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
comment on function app_public.remove_member(uuid, uuid) is
  'Removes a member from an organisation (members:remove). The last administrator cannot be removed.';
grant execute on function app_public.remove_member(uuid, uuid) to app_anonymous;
--! EndIncluded functions/app_public.remove_member.sql
--! Included functions/app_public.remove_project_member.sql
/* Definer: deletes from app_public.project_members, which clients may not write. */
create or replace function app_public.remove_project_member(project_id uuid, user_id uuid) returns app_public.outcome
language plpgsql volatile security definer
set search_path to pg_catalog, pg_temp as $$
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
comment on function app_public.remove_project_member(uuid, uuid) is 'Removes someone from a project (project owners only; a project keeps at least one owner).';
grant execute on function app_public.remove_project_member(uuid, uuid) to app_authenticated;
--! EndIncluded functions/app_public.remove_project_member.sql
--! Included functions/app_public.rename_role.sql
/* Definer: updates app_public.roles, which clients may not write, after checking roles:manage. */
create or replace function app_public.rename_role(role_id uuid, name text, description text default null)
returns app_public.role_change
language plpgsql volatile security definer
set search_path to pg_catalog, extensions, pg_temp as $$
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
$$;
comment on function app_public.rename_role(uuid, text, text) is 'Renames an organisation''s role and optionally changes its description (roles:manage).';
grant execute on function app_public.rename_role(uuid, text, text) to app_anonymous;
--! EndIncluded functions/app_public.rename_role.sql
--! Included functions/app_public.request_password_reset.sql
/*
 * Always the same answer, whether or not the address has an account, and nothing is sent for an unknown one. The
 * request records the client address; the worker mints the token (users__send_password_reset) and mails the link.
 * At most rate_limit.password_reset_per_address requests per address, counted for every submitted address alike.
 * Definer: writes app_private.password_resets and looks up accounts the caller may not see.
 */
create or replace function app_public.request_password_reset(email text) returns app_public.outcome
language plpgsql volatile security definer
set search_path to pg_catalog, extensions, pg_temp as $$
declare
  v_email citext := btrim(request_password_reset.email);
  v_user_id uuid;
  v_reset_id uuid;
  v_retry integer;
  v_event constant text := 'auth.password_reset_request';
begin
  v_retry := app_private.rate_limit_hit('password_reset:address:' || lower(left(coalesce(v_email::text, ''), 254)),
    config.setting_integer('rate_limit.password_reset_per_address.max'),
    config.setting_interval('rate_limit.password_reset_per_address.window'));
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
comment on function app_public.request_password_reset(text) is
  'Mails a link to choose a new password, if the address belongs to an account. The answer is the same either way.';
grant execute on function app_public.request_password_reset(text) to app_anonymous;
--! EndIncluded functions/app_public.request_password_reset.sql
--! Included functions/app_public.resend_verification.sql
/*
 * Always the same answer, so it tells nothing about which addresses have accounts. A mail goes out only to an
 * unverified account, and at most once per auth.verification_resend_interval; requests per address are rate-limited.
 * Definer: looks up accounts the caller may not see and writes app_private.email_verifications.
 */
create or replace function app_public.resend_verification(email text) returns app_public.outcome
language plpgsql volatile security definer
set search_path to pg_catalog, extensions, pg_temp as $$
declare
  v_user_id uuid;
  v_request uuid;
  v_retry integer;
  v_event constant text := 'user.verification_resend';
begin
  /* Counted per submitted address, whether or not it has an account, so the answer still tells nothing. */
  v_retry := app_private.rate_limit_hit('verification_resend:address:' || lower(left(btrim(coalesce(email, '')), 254)),
    config.setting_integer('rate_limit.verification_resend_per_address.max'),
    config.setting_interval('rate_limit.verification_resend_per_address.window'));
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
comment on function app_public.resend_verification(text) is
  'Sends a new verification mail if the address belongs to an account that is not yet verified.';
grant execute on function app_public.resend_verification(text) to app_anonymous;
--! EndIncluded functions/app_public.resend_verification.sql
--! Included functions/app_public.reset_password.sql
/*
 * Sets a new password with the token from a reset mail: once, within auth.password_reset_token_ttl, under the policy
 * and history rules. Every session of the account ends, every other outstanding reset link dies, the lockout is
 * lifted, and the owner is told by mail. Following the link also proves the address, so it counts as verified.
 * Definer: looks the token up in app_private.password_resets and replaces the password hash.
 */
create or replace function app_public.reset_password(token text, new_password text) returns app_public.outcome
language plpgsql volatile security definer
set search_path to pg_catalog, extensions, pg_temp as $$
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
comment on function app_public.reset_password(text, text) is
  'Chooses a new password with the token from a password reset mail. All your sessions end.';
grant execute on function app_public.reset_password(text, text) to app_anonymous;
--! EndIncluded functions/app_public.reset_password.sql
--! Included functions/app_public.restore_account.sql
/*
 * Brings back an account deleted less than the grace period ago, for whoever knows its address (or username) and
 * password. Every other case (no such account, wrong password, not deleted, already erased) gets the same WRONG, after
 * the same bcrypt work, so the answer tells nothing about which accounts exist. Then log in as usual.
 * Definer: checks the password hash of an account the anonymous caller may not see.
 */
create or replace function app_public.restore_account(identifier text, password text) returns app_public.outcome
language plpgsql volatile security definer
set search_path to pg_catalog, extensions, pg_temp as $$
declare
  v_user app_public.users;
  v_security app_private.user_security;
  v_ok boolean;
  v_retry integer;
  v_event constant text := 'user.restore';
begin
  v_retry := app_private.rate_limit_hit('restore:ip:' || coalesce(host(app_hidden.current_client_ip()), 'unknown'),
    config.setting_integer('rate_limit.login_per_ip.max'), config.setting_interval('rate_limit.login_per_ip.window'));
  if v_retry is not null then
    return app_private.refuse(null::app_public.outcome, v_event, 'LIMIT',
      format('Too many attempts: try again in %s seconds.', v_retry), retry_after => v_retry);
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
    return app_private.refuse(null::app_public.outcome, v_event, 'WRONG', 'That account cannot be restored with these details.',
      subject_id => v_user.id);
  end if;
  update app_public.users u set status = 'active', erasure_requested_at = null, erasure_due_at = null where u.id = v_user.id;
  perform graphile_worker.remove_job('users__erase:' || v_user.id::text);
  perform app_private.notify('account_restored', v_user.id);
  perform audit.record_event(v_event, 'success', subject_id => v_user.id, entity_type => 'user',
    entity_id => v_user.id::text, severity => 'notice');
  return row(true, null, null, null)::app_public.outcome;
end;
$$;
comment on function app_public.restore_account(text, text) is
  'Restores your account within the grace period after you deleted it: give your email address (or username) and password.';
grant execute on function app_public.restore_account(text, text) to app_anonymous;
--! EndIncluded functions/app_public.restore_account.sql
--! Included functions/app_public.restrict_processing.sql
/*
 * GDPR restriction of processing (Art. 18), by an administrator holding users:manage globally: the account is frozen
 * (status suspended, every session ended, logging in refused) and its data kept as it is — retention-date erasure
 * waits until the restriction is lifted. Lifting it makes the account active again. Both are audited.
 * Definer: changes the status of another account and ends its rows of app_private.sessions.
 */
create or replace function app_public.restrict_processing(user_id uuid, restricted boolean) returns app_public.outcome
language plpgsql volatile security definer
set search_path to pg_catalog, pg_temp as $$
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
comment on function app_public.restrict_processing(uuid, boolean) is
  'Freezes an account and keeps its data as it is (GDPR restriction of processing), or lifts that (users:manage).';
grant execute on function app_public.restrict_processing(uuid, boolean) to app_authenticated;
--! EndIncluded functions/app_public.restrict_processing.sql
--! Included functions/app_public.revoke_role.sql
/*
 * Takes a role back (roles:assign in its organisation, and holding its permissions); never the last org_admin's.
 * Definer: deletes from app_public.user_roles, which clients may not write, after its checks.
 */
create or replace function app_public.revoke_role(user_role_id uuid) returns app_public.role_change
language plpgsql volatile security definer
set search_path to pg_catalog, pg_temp as $$
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
      'You may not take back this role.', entity_type => 'user_role', entity_id => revoke_role.user_role_id::text);
  end if;
  if v_grant.organization_id is not null
     and exists (select 1 from app_public.roles r where r.id = v_grant.role_id and r.name = 'org_admin' and r.is_system)
     and app_private.is_last_admin(v_grant.organization_id, v_grant.user_id) then
    return app_private.refuse(row(v_grant.role_id, null, null, null)::app_public.role_change, v_event, 'LASTA',
      'An organisation needs an administrator: make someone else org_admin first.',
      entity_type => 'user_role', entity_id => revoke_role.user_role_id::text);
  end if;
  delete from app_public.user_roles ur where ur.id = v_grant.id;
  perform audit.record_event(v_event, 'success', subject_id => v_grant.user_id, organisation_id => v_grant.organization_id,
    entity_type => 'role', entity_id => v_grant.role_id::text);
  return row(v_grant.role_id, null, null, null)::app_public.role_change;
end;
$$;
comment on function app_public.revoke_role(uuid) is 'Takes back a role given to a member (roles:assign).';
grant execute on function app_public.revoke_role(uuid) to app_anonymous;
--! EndIncluded functions/app_public.revoke_role.sql
--! Included functions/app_public.revoke_role_permission.sql
/* Definer: deletes from app_public.role_permissions, which clients may not write. */
create or replace function app_public.revoke_role_permission(role_id uuid, permission text) returns app_public.role_change
language plpgsql volatile security definer
set search_path to pg_catalog, pg_temp as $$
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
comment on function app_public.revoke_role_permission(uuid, text) is 'Takes a permission off a role (roles:manage).';
grant execute on function app_public.revoke_role_permission(uuid, text) to app_anonymous;
--! EndIncluded functions/app_public.revoke_role_permission.sql
--! Included functions/app_public.revoke_session.sql
/* Definer: ends a row of app_private.sessions, which no client role may write. */
create or replace function app_public.revoke_session(session_id uuid) returns app_public.outcome
language plpgsql volatile security definer
set search_path to pg_catalog, pg_temp as $$
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
comment on function app_public.revoke_session(uuid) is
  'Ends one of your sessions (see mySessions). Its tokens stop working on their next use.';
grant execute on function app_public.revoke_session(uuid) to app_anonymous;
--! EndIncluded functions/app_public.revoke_session.sql
--! Included functions/app_public.set_date_of_birth.sql
/*
 * Sets (or, with null, removes) your date of birth: stored only encrypted to your own key. Rectification needs no
 * password; the change is audited with the new value in the event's encrypted part.
 * Definer: writes app_private.user_personal_data (encrypted), which no client role may write.
 */
create or replace function app_public.set_date_of_birth(date_of_birth date) returns app_public.outcome
language plpgsql volatile security definer
set search_path to pg_catalog, pg_temp as $$
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
comment on function app_public.set_date_of_birth(date) is 'Sets your date of birth, or removes it with null.';
grant execute on function app_public.set_date_of_birth(date) to app_authenticated;
--! EndIncluded functions/app_public.set_date_of_birth.sql
--! Included functions/app_public.set_role_parents.sql
/*
 * Replaces a role's parents. Making a role a parent hands out its permissions, so each new parent must be a role the
 * caller could assign (no escalation): they must hold all of its permissions, a system role's included. Parents are
 * global roles or roles of the same organisation. A cycle is refused (LOOPS); the hierarchy lock taken first makes
 * the check hold against concurrent changes.
 * Definer: writes app_public.role_parents and reads app_private.role_ancestors.
 */
create or replace function app_public.set_role_parents(role_id uuid, parent_ids uuid[]) returns app_public.role_change
language plpgsql volatile security definer
set search_path to pg_catalog, pg_temp as $$
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
comment on function app_public.set_role_parents(uuid, uuid[]) is
  'Sets the roles a role inherits from (roles:manage). You can only add parents whose permissions you hold.';
grant execute on function app_public.set_role_parents(uuid, uuid[]) to app_anonymous;
--! EndIncluded functions/app_public.set_role_parents.sql
--! Included functions/app_public.set_system_setting.sql
/*
 * Changing a system setting is the foundation's example of a refusal that must stick (sql/README.md, "Refusals"): a refused
 * caller gets a result carrying refusal_code instead of an exception, so this transaction commits and the audit row of
 * the refusal survives. The gateway turns refusal_code into a coded GraphQL error. Invalid values still raise: nothing
 * needs to survive those.
 * Definer: updates config.system_settings, which no client role may write.
 */
create or replace function app_public.set_system_setting(key text, value jsonb)
returns app_public.system_setting_change
language plpgsql volatile security definer
set search_path to pg_catalog, pg_temp as $$
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
comment on function app_public.set_system_setting(text, jsonb) is
  'Changes a system setting (platform administrators only). The value must fit the setting''s type and bounds.';
grant execute on function app_public.set_system_setting(text, jsonb) to app_anonymous, app_authenticated;
--! EndIncluded functions/app_public.set_system_setting.sql
--! Included functions/app_public.switch_organization.sql
/*
 * Makes an organisation (one you are an active member of) the active one of this session, or, with null, goes back to
 * your personal context; returns an access token for it (its tid claim). Refreshes keep minting for the session's
 * active organisation.
 * Definer: updates the caller row in app_private.sessions, which no client role may write.
 */
create or replace function app_public.switch_organization(organization_id uuid) returns app_public.login_result
language plpgsql volatile security definer
set search_path to pg_catalog, pg_temp as $$
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
comment on function app_public.switch_organization(uuid) is
  'Acts in another of your organisations (or, with null, in your personal context): returns an access token for it.';
grant execute on function app_public.switch_organization(uuid) to app_anonymous;
--! EndIncluded functions/app_public.switch_organization.sql
--! Included functions/app_public.verify_email.sql
/*
 * A token works once, until it expires, and only while the account still has the address it was sent to. Lookup is by
 * the SHA-256 of the presented token through a unique index: nothing is compared byte by byte with a stored secret.
 * Definer: looks the token up in app_private.email_verifications, which no client role may read.
 */
create or replace function app_public.verify_email(token text) returns app_public.outcome
language plpgsql volatile security definer
set search_path to pg_catalog, extensions, pg_temp as $$
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
comment on function app_public.verify_email(text) is 'Confirms your email address with the token from the verification mail.';
grant execute on function app_public.verify_email(text) to app_anonymous;
--! EndIncluded functions/app_public.verify_email.sql

/* Every grant on a schema, table, view and sequence now has its current-state home in sql/policies/. */
--! Included policies/schemas.sql
/*
 * Who may use each schema (a role needs USAGE on a schema before any grant inside it counts), and the default that no
 * new function is executable by PUBLIC. Grants on tables, views and sequences are in the policy file of each table;
 * grants on functions in the file of each function. graphile_worker belongs to graphile-worker (app_worker owns it).
 */
revoke all on schema public from public;

revoke all on schema app_public from public, authenticator, app_anonymous, app_authenticated, app_worker, app_analytics;
grant usage on schema app_public to app_anonymous, app_authenticated, app_analytics;

/* Helpers client roles call from SQL and policies; the authenticator calls schema_version() and clock_now(). */
revoke all on schema app_hidden from public, authenticator, app_anonymous, app_authenticated, app_worker, app_analytics;
grant usage on schema app_hidden to authenticator, app_anonymous, app_authenticated, app_worker;

/* Secrets: reached only through security definer functions owned by app_owner. */
revoke all on schema app_private from public, authenticator, app_anonymous, app_authenticated, app_worker, app_analytics;

/* The worker calls partition upkeep and sealing functions, and reads settings. */
revoke all on schema audit from public, authenticator, app_anonymous, app_authenticated, app_worker, app_analytics;
grant usage on schema audit to app_worker;
revoke all on schema config from public, authenticator, app_anonymous, app_authenticated, app_worker, app_analytics;
grant usage on schema config to app_worker;

/* pgcrypto and citext: their types and operators appear in the exposed API and in policies. */
revoke all on schema extensions from public, authenticator, app_anonymous, app_authenticated, app_worker, app_analytics;
grant usage on schema extensions to app_anonymous, app_authenticated, app_worker, app_analytics;

alter default privileges revoke execute on functions from public;
alter default privileges in schema app_public, app_hidden, app_private, audit, config revoke execute on functions from public;
--! EndIncluded policies/schemas.sql
--! Included policies/app_private.common_passwords.sql
/*
 * The list of common and breached passwords the password policy refuses (loaded at migration).
 * No role but the owner holds a privilege: only security definer functions reach it.
 */
revoke all on app_private.common_passwords from public, authenticator, app_anonymous, app_authenticated, app_worker, app_analytics;
--! EndIncluded policies/app_private.common_passwords.sql
--! Included policies/app_private.consents.sql
/*
 * Consent history (append-only): written by app_public.record_consent, read by app_public.my_consents and the data export.
 * No role but the owner holds a privilege: only security definer functions reach it.
 */
revoke all on app_private.consents from public, authenticator, app_anonymous, app_authenticated, app_worker, app_analytics;
revoke all on sequence app_private.consents_id_seq from public, authenticator, app_anonymous, app_authenticated, app_worker, app_analytics;
--! EndIncluded policies/app_private.consents.sql
--! Included policies/app_private.email_changes.sql
/*
 * Pending email-address changes and the hashes of their confirmation tokens.
 * No role but the owner holds a privilege: only security definer functions reach it.
 */
revoke all on app_private.email_changes from public, authenticator, app_anonymous, app_authenticated, app_worker, app_analytics;
--! EndIncluded policies/app_private.email_changes.sql
--! Included policies/app_private.email_verifications.sql
/*
 * Email verification requests and the hashes of their link tokens.
 * No role but the owner holds a privilege: only security definer functions reach it.
 */
revoke all on app_private.email_verifications from public, authenticator, app_anonymous, app_authenticated, app_worker, app_analytics;
--! EndIncluded policies/app_private.email_verifications.sql
--! Included policies/app_private.encryption_keys.sql
/*
 * Public halves of the personal-data keys and their state; the private halves live in the key store, not here.
 * No role but the owner holds a privilege: only security definer functions reach it.
 */
revoke all on app_private.encryption_keys from public, authenticator, app_anonymous, app_authenticated, app_worker, app_analytics;
--! EndIncluded policies/app_private.encryption_keys.sql
--! Included policies/app_private.invitation_tokens.sql
/*
 * Hashes of invitation link tokens.
 * No role but the owner holds a privilege: only security definer functions reach it.
 */
revoke all on app_private.invitation_tokens from public, authenticator, app_anonymous, app_authenticated, app_worker, app_analytics;
--! EndIncluded policies/app_private.invitation_tokens.sql
--! Included policies/app_private.known_devices.sql
/*
 * Devices an account has logged in from (a new one triggers a notification mail).
 * No role but the owner holds a privilege: only security definer functions reach it.
 */
revoke all on app_private.known_devices from public, authenticator, app_anonymous, app_authenticated, app_worker, app_analytics;
--! EndIncluded policies/app_private.known_devices.sql
--! Included policies/app_private.login_attempts.sql
/*
 * Failed-login counts and locks per account or submitted identifier.
 * No role but the owner holds a privilege: only security definer functions reach it.
 */
revoke all on app_private.login_attempts from public, authenticator, app_anonymous, app_authenticated, app_worker, app_analytics;
--! EndIncluded policies/app_private.login_attempts.sql
--! Included policies/app_private.password_history.sql
/*
 * Earlier password hashes of each account (reuse refusal).
 * No role but the owner holds a privilege: only security definer functions reach it.
 */
revoke all on app_private.password_history from public, authenticator, app_anonymous, app_authenticated, app_worker, app_analytics;
revoke all on sequence app_private.password_history_id_seq from public, authenticator, app_anonymous, app_authenticated, app_worker, app_analytics;
--! EndIncluded policies/app_private.password_history.sql
--! Included policies/app_private.password_resets.sql
/*
 * Password reset requests and the hashes of their link tokens.
 * No role but the owner holds a privilege: only security definer functions reach it.
 */
revoke all on app_private.password_resets from public, authenticator, app_anonymous, app_authenticated, app_worker, app_analytics;
--! EndIncluded policies/app_private.password_resets.sql
--! Included policies/app_private.personal_data_columns.sql
/*
 * The record of processing: every column holding personal data, read by the audit trigger, erasure and export.
 * No role but the owner holds a privilege: only security definer functions reach it.
 */
revoke all on app_private.personal_data_columns from public, authenticator, app_anonymous, app_authenticated, app_worker, app_analytics;
--! EndIncluded policies/app_private.personal_data_columns.sql
--! Included policies/app_private.rate_limit_hits.sql
/*
 * Rate-limit buckets (pseudonymous keys).
 * No role but the owner holds a privilege: only security definer functions reach it.
 */
revoke all on app_private.rate_limit_hits from public, authenticator, app_anonymous, app_authenticated, app_worker, app_analytics;
revoke all on sequence app_private.rate_limit_hits_id_seq from public, authenticator, app_anonymous, app_authenticated, app_worker, app_analytics;
--! EndIncluded policies/app_private.rate_limit_hits.sql
--! Included policies/app_private.refresh_tokens.sql
/*
 * Hashes of refresh tokens and their rotation family.
 * No role but the owner holds a privilege: only security definer functions reach it.
 */
revoke all on app_private.refresh_tokens from public, authenticator, app_anonymous, app_authenticated, app_worker, app_analytics;
--! EndIncluded policies/app_private.refresh_tokens.sql
--! Included policies/app_private.role_ancestors.sql
/*
 * The closure of the role hierarchy, kept by triggers on app_public.role_parents.
 * No role but the owner holds a privilege: only security definer functions reach it.
 */
revoke all on app_private.role_ancestors from public, authenticator, app_anonymous, app_authenticated, app_worker, app_analytics;
--! EndIncluded policies/app_private.role_ancestors.sql
--! Included policies/app_private.sessions.sql
/*
 * Sessions: state, lifetimes and the encrypted origin of each.
 * No role but the owner holds a privilege: only security definer functions reach it.
 */
revoke all on app_private.sessions from public, authenticator, app_anonymous, app_authenticated, app_worker, app_analytics;
--! EndIncluded policies/app_private.sessions.sql
--! Included policies/app_private.user_personal_data.sql
/*
 * Encrypted phone number and date of birth, and the phone blind index.
 * No role but the owner holds a privilege: only security definer functions reach it.
 */
revoke all on app_private.user_personal_data from public, authenticator, app_anonymous, app_authenticated, app_worker, app_analytics;
--! EndIncluded policies/app_private.user_personal_data.sql
--! Included policies/app_private.user_security.sql
/*
 * Password hashes and the security state of each account.
 * No role but the owner holds a privilege: only security definer functions reach it.
 */
revoke all on app_private.user_security from public, authenticator, app_anonymous, app_authenticated, app_worker, app_analytics;
--! EndIncluded policies/app_private.user_security.sql
--! Included policies/app_private.users_awaiting_key.sql
/*
 * Accounts waiting for the worker to make their personal-data key.
 * No role but the owner holds a privilege: only security definer functions reach it.
 */
revoke all on app_private.users_awaiting_key from public, authenticator, app_anonymous, app_authenticated, app_worker, app_analytics;
--! EndIncluded policies/app_private.users_awaiting_key.sql
--! Included policies/app_public.casbin_rule.sql
/*
 * The role model flattened into Casbin rules, for reporting: read-only and only to the analytics role. Client roles
 * read the same facts through the tables under row-level security instead.
 */
revoke all on app_public.casbin_rule from public, authenticator, app_anonymous, app_authenticated, app_worker, app_analytics;
grant select on app_public.casbin_rule to app_analytics;
--! EndIncluded policies/app_public.casbin_rule.sql
--! Included policies/audit.partition_archives.sql
/*
 * The record of audit partitions exported and dropped past retention (file name and checksum): written by audit__retain
 * through audit.retire_partition. No application role holds a table privilege; row-level security is on as a second wall.
 */
alter table audit.partition_archives enable row level security;
revoke all on audit.partition_archives from public, authenticator, app_anonymous, app_authenticated, app_worker, app_analytics;
--! EndIncluded policies/audit.partition_archives.sql
--! Included policies/audit.seals.sql
/*
 * Seals of the audit hash chain: written by audit__seal (through security definer functions), read by the chain
 * verification. No application role holds a table privilege; row-level security is on as a second wall.
 */
alter table audit.seals enable row level security;
revoke all on audit.seals from public, authenticator, app_anonymous, app_authenticated, app_worker, app_analytics;
revoke all on sequence audit.seals_seq_seq from public, authenticator, app_anonymous, app_authenticated, app_worker, app_analytics;
--! EndIncluded policies/audit.seals.sql
--! Included policies/config.clock.sql
/*
 * The offset of the movable clock (development and test databases only): set by config.set_clock_offset.
 * No role but the owner holds a privilege: only security definer functions reach it.
 */
revoke all on config.clock from public, authenticator, app_anonymous, app_authenticated, app_worker, app_analytics;
--! EndIncluded policies/config.clock.sql
--! Included policies/config.feature_flags.sql
/*
 * Feature flags, read through app_public.enabled_features and config functions.
 * No role but the owner holds a privilege: only security definer functions reach it.
 */
revoke all on config.feature_flags from public, authenticator, app_anonymous, app_authenticated, app_worker, app_analytics;
--! EndIncluded policies/config.feature_flags.sql
--! Included policies/config.instance.sql
/*
 * The mode the database was created in, written once (a trigger refuses changes).
 * No role but the owner holds a privilege: only security definer functions reach it.
 */
revoke all on config.instance from public, authenticator, app_anonymous, app_authenticated, app_worker, app_analytics;
--! EndIncluded policies/config.instance.sql
