--! Previous: sha1:b6b27fbff665128056ceaaad6ac67b32e8426dcf
--! Hash: sha1:520dd5767b482c4c126b429080106149cf8e5f92
--! Message: authorization

-- Authorization core: organisations, memberships, permissions, hierarchical roles (a DAG with a closure table),
-- grants with expiry, and the functions that answer "may they?".

/* current.sql is re-run on every save by `npm run db:watch`: start from a clean slate so it stays idempotent. */
drop view if exists app_public.casbin_rule cascade;
drop table if exists app_private.invitation_tokens, app_public.invitations cascade;
alter table app_private.sessions drop column if exists organization_id;
alter type app_public.login_result drop attribute if exists organization_id cascade;
delete from config.system_settings where key = 'auth.invitation_ttl';
drop table if exists app_private.role_ancestors, app_public.user_roles, app_public.role_permissions,
  app_public.role_parents, app_public.roles, app_public.permissions, app_public.memberships,
  app_public.organizations cascade;
drop type if exists app_public.role_change, app_public.organization_change, app_public.permission_path cascade;
/* Platform administrators are now accounts holding super_admin globally; current_user_is_platform_admin reads that. */
create table if not exists app_private.platform_admins (user_id uuid primary key);

/* ------------------------------------------------------------------------------------------------------------------
 * Organisations (tenants) and their members.
 */
create table app_public.organizations (
  id uuid primary key default gen_random_uuid(),
  name text not null check (length(btrim(name)) between 1 and 100),
  slug citext not null check (length(slug) between 3 and 50 and slug ~ '^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$'),
  created_by uuid references app_public.users (id) on delete set null,
  created_at timestamptz not null default app_hidden.clock_now(),
  updated_at timestamptz not null default app_hidden.clock_now()
);
create unique index organizations_slug_key on app_public.organizations (slug);
create index organizations_created_by_idx on app_public.organizations (created_by);
comment on table app_public.organizations is
  $$@behavior -insert -update -delete
An organisation (tenant). Its admins manage its members and roles; create one with createOrganization.$$;
create trigger _100_timestamps before insert or update on app_public.organizations
  for each row execute function app_hidden.tg__timestamps();

create table app_public.memberships (
  id uuid primary key default gen_random_uuid(),
  organization_id uuid not null references app_public.organizations (id) on delete cascade,
  user_id uuid not null references app_public.users (id) on delete cascade,
  status text not null default 'active' check (status in ('active', 'left', 'removed')),
  invited_at timestamptz,
  joined_at timestamptz not null default app_hidden.clock_now(),
  ended_at timestamptz,
  unique (organization_id, user_id),
  check ((status = 'active') = (ended_at is null))
);
create index memberships_user_idx on app_public.memberships (user_id) where status = 'active';
comment on table app_public.memberships is
  $$@behavior -insert -update -delete
Who belongs to which organisation. Ended memberships stay, with the time they ended.$$;

/* Invitations: an admin invites an address; the worker mails a link (token rules as for verification). */
create table app_public.invitations (
  id uuid primary key default gen_random_uuid(),
  organization_id uuid not null references app_public.organizations (id) on delete cascade,
  email citext not null check (length(email) <= 254),
  invited_by uuid references app_public.users (id) on delete set null,
  created_at timestamptz not null default app_hidden.clock_now(),
  expires_at timestamptz not null,
  accepted_at timestamptz,
  accepted_by uuid references app_public.users (id) on delete set null
);
create index invitations_organization_idx on app_public.invitations (organization_id, created_at desc);
create index invitations_invited_by_idx on app_public.invitations (invited_by);
create index invitations_accepted_by_idx on app_public.invitations (accepted_by);
comment on table app_public.invitations is
  $$@behavior -insert -update -delete
An invitation to join an organisation, sent by mail. Create one with inviteMember; the invitee accepts with acceptInvitation.$$;

create table app_private.invitation_tokens (
  invitation_id uuid primary key references app_public.invitations (id) on delete cascade,
  token_hash bytea not null unique check (length(token_hash) = 32)
);
comment on table app_private.invitation_tokens is 'The SHA-256 of each invitation''s token, stored when the worker mails it.';

insert into config.system_settings (key, value_type, default_value, value, is_public, description)
values ('auth.invitation_ttl', 'interval', '"7 days"', '"7 days"', false, 'How long an invitation link works.');

/* The active organisation of a session: it travels in the access token as the tid claim. */
alter table app_private.sessions add column organization_id uuid references app_public.organizations (id) on delete set null;
create index sessions_organization_idx on app_private.sessions (organization_id) where organization_id is not null;
alter type app_public.login_result add attribute organization_id uuid;
comment on column app_public.login_result.organization_id is
  'The organisation the access token acts in (its tid claim); null for your personal context.';

/* ------------------------------------------------------------------------------------------------------------------
 * Permissions, roles and grants.
 */
create table app_public.permissions (
  name text primary key check (name ~ '^[a-z][a-z_]*:[a-z][a-z_]*$' and length(name) <= 100),
  description text not null
);
comment on table app_public.permissions is
  $$@behavior -insert -update -delete
A permission, named resource:action (users:read, roles:manage).$$;

create table app_public.roles (
  id uuid primary key default gen_random_uuid(),
  organization_id uuid references app_public.organizations (id) on delete cascade,
  name citext not null check (length(name) between 1 and 60 and name ~ '^[a-z][a-z0-9_]*$'),
  description text not null default '' check (length(description) <= 500),
  is_system boolean not null default false,
  created_at timestamptz not null default app_hidden.clock_now(),
  check (not (is_system and organization_id is not null)),
  unique nulls not distinct (organization_id, name)
);
create index roles_organization_idx on app_public.roles (organization_id);
comment on table app_public.roles is
  $$@behavior -insert -update -delete
A role: a named set of permissions, global (system roles) or owned by one organisation. A role has every permission of
its parents.$$;
comment on column app_public.roles.organization_id is 'The organisation that owns the role; null for global roles.';
comment on column app_public.roles.is_system is 'System roles come with Gatehouse and cannot be changed by organisations.';

create table app_public.role_parents (
  role_id uuid not null references app_public.roles (id) on delete cascade,
  parent_id uuid not null references app_public.roles (id) on delete cascade,
  primary key (role_id, parent_id),
  check (role_id <> parent_id)
);
create index role_parents_parent_idx on app_public.role_parents (parent_id);
comment on table app_public.role_parents is
  $$@behavior -insert -update -delete
The role hierarchy: role_id inherits every permission of parent_id. Cycles are refused.$$;

create table app_public.role_permissions (
  role_id uuid not null references app_public.roles (id) on delete cascade,
  permission text not null references app_public.permissions (name) on delete cascade,
  primary key (role_id, permission)
);
create index role_permissions_permission_idx on app_public.role_permissions (permission);
comment on table app_public.role_permissions is
  $$@behavior -insert -update -delete
The permissions granted directly to a role, not counting those of its parents.$$;

create table app_public.user_roles (
  id uuid primary key default gen_random_uuid(),
  user_id uuid not null references app_public.users (id) on delete cascade,
  role_id uuid not null references app_public.roles (id) on delete cascade,
  organization_id uuid references app_public.organizations (id) on delete cascade,
  assigned_by uuid references app_public.users (id) on delete set null,
  assigned_at timestamptz not null default app_hidden.clock_now(),
  expires_at timestamptz,
  unique nulls not distinct (user_id, role_id, organization_id)
);
create index user_roles_user_idx on app_public.user_roles (user_id, organization_id);
create index user_roles_role_idx on app_public.user_roles (role_id);
create index user_roles_organization_idx on app_public.user_roles (organization_id);
create index user_roles_assigned_by_idx on app_public.user_roles (assigned_by);
comment on table app_public.user_roles is
  $$@behavior -insert -update -delete
A role held by a user, in one organisation or (organization_id null) everywhere, until expires_at if set.$$;

/*
 * The closure of the hierarchy: every (role, ancestor) pair, each role its own ancestor. Kept exact by
 * triggers that recompute it with a recursive CTE whenever the hierarchy changes; permission checks read only this.
 * docs/authorization.md records why (PERF.md: 8-14x faster than a recursive CTE per check).
 */
create table app_private.role_ancestors (
  role_id uuid not null references app_public.roles (id) on delete cascade,
  ancestor_id uuid not null references app_public.roles (id) on delete cascade,
  primary key (role_id, ancestor_id)
);
create index role_ancestors_ancestor_idx on app_private.role_ancestors (ancestor_id);
comment on table app_private.role_ancestors is 'Closure of app_public.role_parents (derived; rebuilt by triggers).';

--! Included functions/app_private.rebuild_role_ancestors.sql
/*
 * Recomputes the closure of the role hierarchy from scratch with a recursive CTE. `union` (not `union all`) keeps each
 * (role, ancestor) pair once, so diamonds cost nothing extra. Serialised with every other hierarchy change by the
 * same advisory lock, so two changes never rebuild at once.
 */
create or replace function app_private.rebuild_role_ancestors() returns void
language plpgsql volatile security definer
set search_path to pg_catalog, pg_temp as $$
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
comment on function app_private.rebuild_role_ancestors() is 'Rebuilds app_private.role_ancestors from app_public.role_parents.';
--! EndIncluded functions/app_private.rebuild_role_ancestors.sql
--! Included functions/app_private.tg_role_parents__guard.sql
/*
 * Refuses an edge that would close a cycle. The hierarchy lock is taken first and the check reads role_parents itself
 * (edges added earlier in the same statement included), so two concurrent changes that would jointly form a cycle
 * cannot both commit: the second one waits, then sees the first's edge.
 */
create or replace function app_private.tg_role_parents__guard() returns trigger
language plpgsql as $$
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
comment on function app_private.tg_role_parents__guard() is 'Serialises hierarchy changes and refuses cycles (LOOPS).';
--! EndIncluded functions/app_private.tg_role_parents__guard.sql
--! Included functions/app_private.tg_role_parents__rebuild.sql
create or replace function app_private.tg_role_parents__rebuild() returns trigger
language plpgsql as $$
begin
  perform app_private.rebuild_role_ancestors();
  return null;
end;
$$;
comment on function app_private.tg_role_parents__rebuild() is 'Keeps the closure table exact after every change to the hierarchy.';
--! EndIncluded functions/app_private.tg_role_parents__rebuild.sql
--! Included functions/app_private.tg_roles__add_self.sql
create or replace function app_private.tg_roles__add_self() returns trigger
language plpgsql as $$
begin
  insert into app_private.role_ancestors (role_id, ancestor_id) values (new.id, new.id);
  return null;
end;
$$;
comment on function app_private.tg_roles__add_self() is 'A new role is its own ancestor in the closure table.';
--! EndIncluded functions/app_private.tg_roles__add_self.sql
create trigger _100_guard before insert or update on app_public.role_parents
  for each row execute function app_private.tg_role_parents__guard();
create trigger _900_rebuild_closure after insert or update or delete on app_public.role_parents
  for each statement execute function app_private.tg_role_parents__rebuild();
create trigger _900_add_self after insert on app_public.roles
  for each row execute function app_private.tg_roles__add_self();

/* ------------------------------------------------------------------------------------------------------------------
 * The catalogue: permissions and system roles, as data.
 */
insert into app_public.permissions (name, description) values
  ('users:read', 'See the accounts of the organisation''s members.'),
  ('users:manage', 'Suspend and reactivate accounts (global scope only).'),
  ('members:read', 'See who belongs to the organisation.'),
  ('members:invite', 'Invite people to the organisation.'),
  ('members:remove', 'Remove members from the organisation.'),
  ('roles:read', 'See the organisation''s roles and who holds them.'),
  ('roles:manage', 'Create, rename and delete roles, set their parents and permissions.'),
  ('roles:assign', 'Give roles to members and take them back.'),
  ('sessions:revoke', 'End members'' sessions.'),
  ('audit:read', 'Read the audit trail.'),
  ('organizations:manage', 'Rename the organisation.'),
  ('settings:manage', 'Change system settings (global scope only).'),
  ('projects:read', 'See the organisation''s projects and tasks.'),
  ('projects:write', 'Create and change projects and tasks.');

insert into app_public.roles (name, description, is_system) values
  ('super_admin', 'Everything, everywhere.', true),
  ('org_admin', 'Runs an organisation: members, roles, sessions, settings.', true),
  ('user_manager', 'Manages members and their roles.', true),
  ('auditor', 'Reads the audit trail and who may do what.', true),
  ('member', 'Works in the organisation.', true),
  ('viewer', 'Reads the organisation''s data.', true);

insert into app_public.role_permissions (role_id, permission)
select r.id, p.permission from app_public.roles r
join (values
  ('viewer', 'projects:read'), ('viewer', 'members:read'),
  ('member', 'projects:write'),
  ('auditor', 'audit:read'), ('auditor', 'roles:read'), ('auditor', 'members:read'), ('auditor', 'users:read'),
  ('user_manager', 'users:read'), ('user_manager', 'members:invite'), ('user_manager', 'members:remove'),
  ('user_manager', 'roles:read'), ('user_manager', 'roles:assign'),
  ('org_admin', 'roles:manage'), ('org_admin', 'sessions:revoke'), ('org_admin', 'organizations:manage'),
  ('super_admin', 'users:manage'), ('super_admin', 'settings:manage')
) as p (role, permission) on p.role = r.name
where r.is_system;

/* member inherits viewer; org_admin inherits user_manager, auditor and member; super_admin inherits org_admin. */
insert into app_public.role_parents (role_id, parent_id)
select c.id, p.id from app_public.roles c, app_public.roles p,
  (values ('member', 'viewer'), ('org_admin', 'user_manager'), ('org_admin', 'auditor'), ('org_admin', 'member'),
          ('super_admin', 'org_admin')) as e (child, parent)
where c.name = e.child and p.name = e.parent and c.is_system and p.is_system;

/* ------------------------------------------------------------------------------------------------------------------
 * Result types and functions.
 */
create type app_public.permission_path as (
  path text[]
);
comment on type app_public.permission_path is
  'A chain of roles by which a user holds a permission: the role they were given first, the role granting it last.';

create type app_public.role_change as (
  role_id uuid,
  refusal_code text,
  refusal_message text,
  refusal_retry_after integer
);
comment on type app_public.role_change is 'The role a management operation changed.';
comment on column app_public.role_change.refusal_code is '@behavior -attribute:select';
comment on column app_public.role_change.refusal_message is '@behavior -attribute:select';
comment on column app_public.role_change.refusal_retry_after is '@behavior -attribute:select';

create type app_public.organization_change as (
  organization_id uuid,
  refusal_code text,
  refusal_message text,
  refusal_retry_after integer
);
comment on type app_public.organization_change is 'The organisation an operation created or changed.';
comment on column app_public.organization_change.refusal_code is '@behavior -attribute:select';
comment on column app_public.organization_change.refusal_message is '@behavior -attribute:select';
comment on column app_public.organization_change.refusal_retry_after is '@behavior -attribute:select';

--! Included functions/app_hidden.is_member.sql
create or replace function app_hidden.is_member(user_id uuid, organization_id uuid) returns boolean
language sql stable security definer
set search_path to pg_catalog, pg_temp as $$
  select exists (
    select 1 from app_public.memberships m
    where m.user_id = is_member.user_id and m.organization_id = is_member.organization_id and m.status = 'active'
  )
$$;
comment on function app_hidden.is_member(uuid, uuid) is 'Whether a user is an active member of an organisation.';
grant execute on function app_hidden.is_member(uuid, uuid) to app_authenticated;
--! EndIncluded functions/app_hidden.is_member.sql
--! Included functions/app_hidden.current_organization_id.sql
/*
 * The organisation the request acts in: the access token's tid claim, only while it is the session's active
 * organisation and the caller's membership there is active. So removing a member takes effect on their next request.
 */
create or replace function app_hidden.current_organization_id() returns uuid
language sql stable security definer
set search_path to pg_catalog, pg_temp as $$
  select s.organization_id
  from app_private.sessions s
  where s.id = app_hidden.current_session_id()
    and s.organization_id = nullif(pg_catalog.current_setting('jwt.claims.tid', true), '')::uuid
    and app_hidden.is_member(s.user_id, s.organization_id)
$$;
comment on function app_hidden.current_organization_id() is
  'The organisation this request acts in (the token''s tid), while the membership is live; null for the personal context.';
grant execute on function app_hidden.current_organization_id() to app_anonymous, app_authenticated;
--! EndIncluded functions/app_hidden.current_organization_id.sql
--! Included functions/app_hidden.user_has_permission.sql
/*
 * The hot check: does the user hold the permission in the organisation? A grant counts while it has not expired and,
 * when it is scoped to the organisation, while the user's membership is active; global grants count everywhere. One
 * join through the closure table, no recursion (docs/authorization.md).
 */
create or replace function app_hidden.user_has_permission(user_id uuid, permission text, organization_id uuid)
returns boolean
language sql stable security definer
set search_path to pg_catalog, pg_temp as $$
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
comment on function app_hidden.user_has_permission(uuid, text, uuid) is
  'Whether a user holds a permission in an organisation (null: global grants only), through any role and its ancestors.';
grant execute on function app_hidden.user_has_permission(uuid, text, uuid) to app_authenticated;
--! EndIncluded functions/app_hidden.user_has_permission.sql
--! Included functions/app_hidden.user_permissions.sql
create or replace function app_hidden.user_permissions(user_id uuid, organization_id uuid) returns setof text
language sql stable security definer
set search_path to pg_catalog, pg_temp as $$
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
comment on function app_hidden.user_permissions(uuid, uuid) is 'Every permission a user holds in an organisation.';
--! EndIncluded functions/app_hidden.user_permissions.sql
--! Included functions/app_private.refuse.sql
/*
 * One line for the refusals of management functions: records the refused attempt in the audit trail (it sticks: the
 * caller returns the refusal instead of raising, docs/refusals.md) and gives back the message for the caller to return.
 */
create or replace function app_private.refuse(
  event_type text, code text, message text, entity_type text default null, entity_id text default null,
  details jsonb default '{}'
) returns text
language plpgsql volatile security definer
set search_path to pg_catalog, pg_temp as $$
begin
  perform audit.record_event(event_type, 'refused', details, reason => code,
    severity => case when code in ('PERMS', 'LASTA') then 'warning' else 'notice' end,
    entity_type => entity_type, entity_id => entity_id);
  return message;
end;
$$;
comment on function app_private.refuse(text, text, text, text, text, jsonb) is
  'Audits a refused management attempt and returns the message to show.';
--! EndIncluded functions/app_private.refuse.sql
--! Included functions/app_public.has_permission.sql
create or replace function app_public.has_permission(permission text, organization_id uuid default app_hidden.current_organization_id())
returns boolean
language sql stable as $$
  select coalesce(app_hidden.user_has_permission(app_hidden.current_user_id(), permission, organization_id), false)
$$;
comment on function app_public.has_permission(text, uuid) is
  'Whether you hold a permission (resource:action) in an organisation: by default the one your token acts in.';
grant execute on function app_public.has_permission(text, uuid) to app_authenticated;
--! EndIncluded functions/app_public.has_permission.sql
--! Included functions/app_public.effective_permissions.sql
/* Your own permissions, or (with roles:read in that organisation) someone else's. */
create or replace function app_public.effective_permissions(user_id uuid, organization_id uuid default null)
returns setof text
language sql stable security definer
set search_path to pg_catalog, pg_temp as $$
  select p from app_hidden.user_permissions(effective_permissions.user_id, effective_permissions.organization_id) p
  where effective_permissions.user_id = app_hidden.current_user_id()
     or app_hidden.user_has_permission(app_hidden.current_user_id(), 'roles:read', effective_permissions.organization_id)
  order by 1
$$;
comment on function app_public.effective_permissions(uuid, uuid) is
  'Every permission a user holds in an organisation, through all their roles and the roles those inherit from.';
grant execute on function app_public.effective_permissions(uuid, uuid) to app_authenticated;
--! EndIncluded functions/app_public.effective_permissions.sql
--! Included functions/app_public.my_permissions.sql
create or replace function app_public.my_permissions(organization_id uuid default app_hidden.current_organization_id())
returns setof text
language sql stable security definer
set search_path to pg_catalog, pg_temp as $$
  select p from app_hidden.user_permissions(app_hidden.current_user_id(), my_permissions.organization_id) p order by 1
$$;
comment on function app_public.my_permissions(uuid) is
  'Every permission you hold in an organisation (by default the one your token acts in), through all your roles.';
grant execute on function app_public.my_permissions(uuid) to app_authenticated;
--! EndIncluded functions/app_public.my_permissions.sql
--! Included functions/app_public.explain_permission.sql
/*
 * "Why can this person do that?": each chain of roles through which the user holds the permission in the
 * organisation, from the role they were given to the role that grants it. No row: they do not hold it. For the user
 * themself, and for holders of roles:read or audit:read in that organisation.
 */
create or replace function app_public.explain_permission(user_id uuid, permission text, organization_id uuid default null)
returns setof app_public.permission_path
language sql stable security definer
set search_path to pg_catalog, pg_temp as $$
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
comment on function app_public.explain_permission(uuid, text, uuid) is
  'The role paths by which a user holds a permission in an organisation, shortest first; none if they do not hold it.';
grant execute on function app_public.explain_permission(uuid, text, uuid) to app_authenticated;
--! EndIncluded functions/app_public.explain_permission.sql
--! Included functions/app_hidden.holds_role_permissions.sql
/*
 * The no-escalation rule: may the user hand out this role (or make it a parent)? Only if their own permissions in the
 * organisation include every permission the role carries, its ancestors' included.
 */
create or replace function app_hidden.holds_role_permissions(user_id uuid, role_id uuid, organization_id uuid)
returns boolean
language sql stable security definer
set search_path to pg_catalog, pg_temp as $$
  select not exists (
    select rp.permission
    from app_private.role_ancestors ra
    join app_public.role_permissions rp on rp.role_id = ra.ancestor_id
    where ra.role_id = holds_role_permissions.role_id
    except
    select p from app_hidden.user_permissions(holds_role_permissions.user_id, holds_role_permissions.organization_id) p
  )
$$;
comment on function app_hidden.holds_role_permissions(uuid, uuid, uuid) is
  'Whether a user holds every permission of a role (and its ancestors) in an organisation.';
--! EndIncluded functions/app_hidden.holds_role_permissions.sql
--! Included functions/app_private.role_management_refusal.sql
/*
 * The checks every change to a role starts with, in order: logged in (LOGIN), the role exists where the caller can see
 * it (NTFND), it is not a system role (PERMS), the caller holds roles:manage in its organisation (PERMS). Returns
 * null, or {code, message} after auditing the refusal.
 */
create or replace function app_private.role_management_refusal(actor uuid, role_id uuid, event_type text)
returns text[]
language plpgsql volatile security definer
set search_path to pg_catalog, pg_temp as $$
declare
  v_role app_public.roles;
begin
  if actor is null then
    return array['LOGIN', app_private.refuse(event_type, 'LOGIN', 'You must log in first.')];
  end if;
  select r.* into v_role from app_public.roles r where r.id = role_management_refusal.role_id;
  if v_role.id is null or (v_role.organization_id is not null and not app_hidden.is_member(actor, v_role.organization_id)
                           and not app_hidden.user_has_permission(actor, 'roles:manage', null)) then
    return array['NTFND', app_private.refuse(event_type, 'NTFND', 'There is no such role.', 'role', role_id::text)];
  end if;
  if v_role.is_system then
    return array['PERMS', app_private.refuse(event_type, 'PERMS', 'System roles cannot be changed.', 'role', role_id::text)];
  end if;
  if not app_hidden.user_has_permission(actor, 'roles:manage', v_role.organization_id) then
    return array['PERMS', app_private.refuse(event_type, 'PERMS', 'You may not manage roles in this organisation.',
      'role', role_id::text)];
  end if;
  return null;
end;
$$;
comment on function app_private.role_management_refusal(uuid, uuid, text) is
  'Checks that the caller may change a role; returns null or the audited refusal {code, message}.';
--! EndIncluded functions/app_private.role_management_refusal.sql
--! Included functions/app_private.is_last_admin.sql
/* Whether the user is the organisation's only active member holding org_admin: they must not leave or lose it. */
create or replace function app_private.is_last_admin(organization_id uuid, user_id uuid) returns boolean
language sql stable security definer
set search_path to pg_catalog, pg_temp as $$
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
comment on function app_private.is_last_admin(uuid, uuid) is 'Whether the user is the last org_admin of the organisation.';
--! EndIncluded functions/app_private.is_last_admin.sql
--! Included functions/app_public.create_organization.sql
/* Any verified user may create an organisation; they become its first member and org_admin. */
create or replace function app_public.create_organization(name text, slug text) returns app_public.organization_change
language plpgsql volatile security definer
set search_path to pg_catalog, extensions, pg_temp as $$
declare
  v_actor uuid := app_hidden.current_user_id();
  v_slug citext := lower(btrim(create_organization.slug));
  v_id uuid;
begin
  if v_actor is null then
    return row(null, 'LOGIN', app_private.refuse('organization.create', 'LOGIN', 'You must log in first.'), null)::app_public.organization_change;
  end if;
  if not exists (select 1 from app_public.users u where u.id = v_actor and u.email_verified) then
    return row(null, 'PERMS', app_private.refuse('organization.create', 'PERMS',
      'Verify your email address before creating an organisation.'), null)::app_public.organization_change;
  end if;
  if length(btrim(coalesce(name, ''))) not between 1 and 100 then
    raise exception 'An organisation''s name has 1 to 100 characters.' using errcode = 'INVAL', hint = 'Choose another name.';
  end if;
  if v_slug is null or length(v_slug) not between 3 and 50 or v_slug !~ '^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$' then
    raise exception 'A slug has 3 to 50 lower-case letters, digits or dashes.' using errcode = 'INVAL', hint = 'Choose another slug.';
  end if;
  if exists (select 1 from app_public.organizations o where o.slug = v_slug) then
    return row(null, 'TAKEN', app_private.refuse('organization.create', 'TAKEN', 'That slug is taken: choose another.'), null)::app_public.organization_change;
  end if;

  insert into app_public.organizations (name, slug, created_by) values (btrim(create_organization.name), v_slug, v_actor)
  returning id into v_id;
  insert into app_public.memberships (organization_id, user_id) values (v_id, v_actor);
  insert into app_public.user_roles (user_id, role_id, organization_id, assigned_by)
  select v_actor, r.id, v_id, v_actor from app_public.roles r where r.name = 'org_admin' and r.is_system;
  perform audit.record_event('organization.create', 'success', jsonb_build_object('slug', v_slug),
    organisation_id => v_id, entity_type => 'organization', entity_id => v_id::text);
  return row(v_id, null, null, null)::app_public.organization_change;
end;
$$;
comment on function app_public.create_organization(text, text) is 'Creates an organisation with you as its administrator.';
grant execute on function app_public.create_organization(text, text) to app_anonymous;
--! EndIncluded functions/app_public.create_organization.sql
--! Included functions/app_public.create_role.sql
create or replace function app_public.create_role(organization_id uuid, name text, description text default '')
returns app_public.role_change
language plpgsql volatile security definer
set search_path to pg_catalog, extensions, pg_temp as $$
declare
  v_actor uuid := app_hidden.current_user_id();
  v_id uuid;
begin
  if v_actor is null then
    return row(null, 'LOGIN', app_private.refuse('role.create', 'LOGIN', 'You must log in first.'), null)::app_public.role_change;
  end if;
  if not app_hidden.user_has_permission(v_actor, 'roles:manage', create_role.organization_id)
     or create_role.organization_id is null then
    return row(null, 'PERMS', app_private.refuse('role.create', 'PERMS', 'You may not manage roles in this organisation.',
      'organization', create_role.organization_id::text), null)::app_public.role_change;
  end if;
  if name is null or length(name) not between 1 and 60 or name !~ '^[a-z][a-z0-9_]*$' then
    raise exception 'A role''s name has 1 to 60 lower-case letters, digits or underscores, starting with a letter.'
      using errcode = 'INVAL', hint = 'Choose another name.';
  end if;
  if exists (select 1 from app_public.roles r
             where (r.organization_id = create_role.organization_id or r.organization_id is null) and r.name = create_role.name) then
    return row(null, 'TAKEN', app_private.refuse('role.create', 'TAKEN', 'There is already a role with that name.',
      'organization', create_role.organization_id::text), null)::app_public.role_change;
  end if;
  insert into app_public.roles (organization_id, name, description)
  values (create_role.organization_id, create_role.name, coalesce(left(create_role.description, 500), ''))
  returning id into v_id;
  perform audit.record_event('role.create', 'success', jsonb_build_object('name', create_role.name),
    organisation_id => create_role.organization_id, entity_type => 'role', entity_id => v_id::text);
  return row(v_id, null, null, null)::app_public.role_change;
end;
$$;
comment on function app_public.create_role(uuid, text, text) is 'Creates a role in an organisation (roles:manage).';
grant execute on function app_public.create_role(uuid, text, text) to app_anonymous;
--! EndIncluded functions/app_public.create_role.sql
--! Included functions/app_public.rename_role.sql
create or replace function app_public.rename_role(role_id uuid, name text, description text default null)
returns app_public.role_change
language plpgsql volatile security definer
set search_path to pg_catalog, extensions, pg_temp as $$
declare
  v_refusal text[] := app_private.role_management_refusal(app_hidden.current_user_id(), rename_role.role_id, 'role.rename');
  v_role app_public.roles;
begin
  if v_refusal is not null then
    return row(rename_role.role_id, v_refusal[1], v_refusal[2], null)::app_public.role_change;
  end if;
  if name is null or length(name) not between 1 and 60 or name !~ '^[a-z][a-z0-9_]*$' then
    raise exception 'A role''s name has 1 to 60 lower-case letters, digits or underscores, starting with a letter.'
      using errcode = 'INVAL', hint = 'Choose another name.';
  end if;
  select r.* into v_role from app_public.roles r where r.id = rename_role.role_id;
  if exists (select 1 from app_public.roles r
             where r.id <> v_role.id and (r.organization_id = v_role.organization_id or r.organization_id is null)
               and r.name = rename_role.name) then
    return row(v_role.id, 'TAKEN', app_private.refuse('role.rename', 'TAKEN', 'There is already a role with that name.',
      'role', v_role.id::text), null)::app_public.role_change;
  end if;
  update app_public.roles r
     set name = rename_role.name, description = coalesce(left(rename_role.description, 500), r.description)
   where r.id = v_role.id;
  perform audit.record_event('role.rename', 'success', jsonb_build_object('old', v_role.name, 'new', rename_role.name),
    organisation_id => v_role.organization_id, entity_type => 'role', entity_id => v_role.id::text);
  return row(v_role.id, null, null, null)::app_public.role_change;
end;
$$;
comment on function app_public.rename_role(uuid, text, text) is 'Renames an organisation''s role and optionally changes its description (roles:manage).';
grant execute on function app_public.rename_role(uuid, text, text) to app_anonymous;
--! EndIncluded functions/app_public.rename_role.sql
--! Included functions/app_public.delete_role.sql
create or replace function app_public.delete_role(role_id uuid) returns app_public.role_change
language plpgsql volatile security definer
set search_path to pg_catalog, pg_temp as $$
declare
  v_refusal text[] := app_private.role_management_refusal(app_hidden.current_user_id(), delete_role.role_id, 'role.delete');
begin
  if v_refusal is not null then
    return row(delete_role.role_id, v_refusal[1], v_refusal[2], null)::app_public.role_change;
  end if;
  delete from app_public.roles r where r.id = delete_role.role_id;
  perform audit.record_event('role.delete', 'success', entity_type => 'role', entity_id => delete_role.role_id::text);
  return row(delete_role.role_id, null, null, null)::app_public.role_change;
end;
$$;
comment on function app_public.delete_role(uuid) is 'Deletes an organisation''s role; its holders lose what it gave them (roles:manage).';
grant execute on function app_public.delete_role(uuid) to app_anonymous;
--! EndIncluded functions/app_public.delete_role.sql
--! Included functions/app_public.set_role_parents.sql
/*
 * Replaces a role's parents. Making a role a parent hands out its permissions, so each new parent must be a role the
 * caller could assign (no escalation): they must hold all of its permissions, a system role's included. Parents are
 * global roles or roles of the same organisation. A cycle is refused (LOOPS); the hierarchy lock taken first makes
 * the check hold against concurrent changes.
 */
create or replace function app_public.set_role_parents(role_id uuid, parent_ids uuid[]) returns app_public.role_change
language plpgsql volatile security definer
set search_path to pg_catalog, pg_temp as $$
declare
  v_actor uuid := app_hidden.current_user_id();
  v_refusal text[] := app_private.role_management_refusal(v_actor, set_role_parents.role_id, 'role.set_parents');
  v_role app_public.roles;
  v_parent app_public.roles;
  v_parent_ids uuid[] := coalesce((select array_agg(distinct p) from unnest(set_role_parents.parent_ids) p where p is not null), '{}');
begin
  if v_refusal is not null then
    return row(set_role_parents.role_id, v_refusal[1], v_refusal[2], null)::app_public.role_change;
  end if;
  select r.* into v_role from app_public.roles r where r.id = set_role_parents.role_id;
  perform pg_advisory_xact_lock(hashtextextended('app_public.role_parents', 0));

  for v_parent in select r.* from app_public.roles r where r.id = any (v_parent_ids) loop
    if v_parent.organization_id is not null and v_parent.organization_id is distinct from v_role.organization_id then
      return row(v_role.id, 'NTFND', app_private.refuse('role.set_parents', 'NTFND', 'There is no such parent role.',
        'role', v_role.id::text), null)::app_public.role_change;
    end if;
    if not exists (select 1 from app_public.role_parents x where x.role_id = v_role.id and x.parent_id = v_parent.id)
       and not app_hidden.holds_role_permissions(v_actor, v_parent.id, v_role.organization_id) then
      return row(v_role.id, 'PERMS', app_private.refuse('role.set_parents', 'PERMS',
        format('You cannot make %s a parent: it has permissions you do not hold.', v_parent.name),
        'role', v_role.id::text, jsonb_build_object('parent', v_parent.name)), null)::app_public.role_change;
    end if;
    if exists (select 1 from app_private.role_ancestors a where a.role_id = v_parent.id and a.ancestor_id = v_role.id) then
      return row(v_role.id, 'LOOPS', app_private.refuse('role.set_parents', 'LOOPS',
        format('%s inherits from %s already: that would make a loop.', v_parent.name, v_role.name),
        'role', v_role.id::text), null)::app_public.role_change;
    end if;
  end loop;
  if (select count(*) from app_public.roles r where r.id = any (v_parent_ids)) <> cardinality(v_parent_ids) then
    return row(v_role.id, 'NTFND', app_private.refuse('role.set_parents', 'NTFND', 'There is no such parent role.',
      'role', v_role.id::text), null)::app_public.role_change;
  end if;

  delete from app_public.role_parents x where x.role_id = v_role.id and not x.parent_id = any (v_parent_ids);
  insert into app_public.role_parents (role_id, parent_id)
  select v_role.id, p from unnest(v_parent_ids) p on conflict do nothing;
  perform audit.record_event('role.set_parents', 'success', jsonb_build_object('parents', v_parent_ids),
    organisation_id => v_role.organization_id, entity_type => 'role', entity_id => v_role.id::text);
  return row(v_role.id, null, null, null)::app_public.role_change;
end;
$$;
comment on function app_public.set_role_parents(uuid, uuid[]) is
  'Sets the roles a role inherits from (roles:manage). You can only add parents whose permissions you hold.';
grant execute on function app_public.set_role_parents(uuid, uuid[]) to app_anonymous;
--! EndIncluded functions/app_public.set_role_parents.sql
--! Included functions/app_public.grant_role_permission.sql
/* No escalation: the caller may put on a role only a permission they hold themselves in that organisation. */
create or replace function app_public.grant_role_permission(role_id uuid, permission text) returns app_public.role_change
language plpgsql volatile security definer
set search_path to pg_catalog, pg_temp as $$
declare
  v_actor uuid := app_hidden.current_user_id();
  v_refusal text[] := app_private.role_management_refusal(v_actor, grant_role_permission.role_id, 'role.grant_permission');
  v_org uuid;
begin
  if v_refusal is not null then
    return row(grant_role_permission.role_id, v_refusal[1], v_refusal[2], null)::app_public.role_change;
  end if;
  select r.organization_id into v_org from app_public.roles r where r.id = grant_role_permission.role_id;
  if not exists (select 1 from app_public.permissions p where p.name = grant_role_permission.permission) then
    return row(grant_role_permission.role_id, 'NTFND', app_private.refuse('role.grant_permission', 'NTFND',
      'There is no such permission.', 'role', grant_role_permission.role_id::text), null)::app_public.role_change;
  end if;
  if not app_hidden.user_has_permission(v_actor, grant_role_permission.permission, v_org) then
    return row(grant_role_permission.role_id, 'PERMS', app_private.refuse('role.grant_permission', 'PERMS',
      'You can only grant permissions you hold yourself.', 'role', grant_role_permission.role_id::text,
      jsonb_build_object('permission', grant_role_permission.permission)), null)::app_public.role_change;
  end if;
  insert into app_public.role_permissions (role_id, permission)
  values (grant_role_permission.role_id, grant_role_permission.permission) on conflict do nothing;
  perform audit.record_event('role.grant_permission', 'success', jsonb_build_object('permission', grant_role_permission.permission),
    organisation_id => v_org, entity_type => 'role', entity_id => grant_role_permission.role_id::text);
  return row(grant_role_permission.role_id, null, null, null)::app_public.role_change;
end;
$$;
comment on function app_public.grant_role_permission(uuid, text) is
  'Adds a permission to a role (roles:manage). You can only grant permissions you hold.';
grant execute on function app_public.grant_role_permission(uuid, text) to app_anonymous;
--! EndIncluded functions/app_public.grant_role_permission.sql
--! Included functions/app_public.revoke_role_permission.sql
create or replace function app_public.revoke_role_permission(role_id uuid, permission text) returns app_public.role_change
language plpgsql volatile security definer
set search_path to pg_catalog, pg_temp as $$
declare
  v_refusal text[] := app_private.role_management_refusal(app_hidden.current_user_id(), revoke_role_permission.role_id,
    'role.revoke_permission');
begin
  if v_refusal is not null then
    return row(revoke_role_permission.role_id, v_refusal[1], v_refusal[2], null)::app_public.role_change;
  end if;
  delete from app_public.role_permissions rp
   where rp.role_id = revoke_role_permission.role_id and rp.permission = revoke_role_permission.permission;
  perform audit.record_event('role.revoke_permission', 'success', jsonb_build_object('permission', revoke_role_permission.permission),
    entity_type => 'role', entity_id => revoke_role_permission.role_id::text);
  return row(revoke_role_permission.role_id, null, null, null)::app_public.role_change;
end;
$$;
comment on function app_public.revoke_role_permission(uuid, text) is 'Takes a permission off a role (roles:manage).';
grant execute on function app_public.revoke_role_permission(uuid, text) to app_anonymous;
--! EndIncluded functions/app_public.revoke_role_permission.sql
--! Included functions/app_public.assign_role.sql
/*
 * Gives a member a role in an organisation (roles:assign there), until expires_at if given; a global grant
 * (organization_id null) needs roles:assign globally. No escalation: the caller must hold every permission the role
 * carries. The role must be global or the organisation's own, and the user an active member.
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
begin
  if v_actor is null then
    return row(assign_role.role_id, 'LOGIN', app_private.refuse(v_event, 'LOGIN', 'You must log in first.'), null)::app_public.role_change;
  end if;
  if not app_hidden.user_has_permission(v_actor, 'roles:assign', assign_role.organization_id) then
    return row(assign_role.role_id, 'PERMS', app_private.refuse(v_event, 'PERMS', 'You may not assign roles here.',
      'role', assign_role.role_id::text, v_details), null)::app_public.role_change;
  end if;
  select r.* into v_role from app_public.roles r where r.id = assign_role.role_id;
  if v_role.id is null or (v_role.organization_id is not null and v_role.organization_id is distinct from assign_role.organization_id) then
    return row(assign_role.role_id, 'NTFND', app_private.refuse(v_event, 'NTFND', 'There is no such role here.',
      'role', assign_role.role_id::text, v_details), null)::app_public.role_change;
  end if;
  if assign_role.organization_id is not null and not app_hidden.is_member(assign_role.user_id, assign_role.organization_id) then
    return row(assign_role.role_id, 'NTFND', app_private.refuse(v_event, 'NTFND', 'That person is not a member here.',
      'role', assign_role.role_id::text, v_details), null)::app_public.role_change;
  end if;
  if not app_hidden.holds_role_permissions(v_actor, v_role.id, assign_role.organization_id) then
    return row(assign_role.role_id, 'PERMS', app_private.refuse(v_event, 'PERMS',
      format('You cannot give the role %s: it has permissions you do not hold.', v_role.name),
      'role', assign_role.role_id::text, v_details), null)::app_public.role_change;
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
--! Included functions/app_public.revoke_role.sql
/* Takes a role back (roles:assign in its organisation, and holding its permissions); never the last org_admin's. */
create or replace function app_public.revoke_role(user_role_id uuid) returns app_public.role_change
language plpgsql volatile security definer
set search_path to pg_catalog, pg_temp as $$
declare
  v_actor uuid := app_hidden.current_user_id();
  v_grant app_public.user_roles;
  v_event constant text := 'role.revoke';
begin
  if v_actor is null then
    return row(null, 'LOGIN', app_private.refuse(v_event, 'LOGIN', 'You must log in first.'), null)::app_public.role_change;
  end if;
  select ur.* into v_grant from app_public.user_roles ur where ur.id = revoke_role.user_role_id;
  if v_grant.id is null or not app_hidden.user_has_permission(v_actor, 'roles:assign', v_grant.organization_id)
     or not app_hidden.holds_role_permissions(v_actor, v_grant.role_id, v_grant.organization_id) then
    return row(v_grant.role_id, 'PERMS', app_private.refuse(v_event, 'PERMS', 'You may not take back this role.',
      'user_role', revoke_role.user_role_id::text), null)::app_public.role_change;
  end if;
  if v_grant.organization_id is not null
     and exists (select 1 from app_public.roles r where r.id = v_grant.role_id and r.name = 'org_admin' and r.is_system)
     and app_private.is_last_admin(v_grant.organization_id, v_grant.user_id) then
    return row(v_grant.role_id, 'LASTA', app_private.refuse(v_event, 'LASTA',
      'An organisation needs an administrator: make someone else org_admin first.',
      'user_role', revoke_role.user_role_id::text), null)::app_public.role_change;
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
--! Included functions/app_public.remove_member.sql
/* An admin removes a member (members:remove): the membership ends, and with it every role held in the organisation. */
create or replace function app_public.remove_member(organization_id uuid, user_id uuid) returns app_public.organization_change
language plpgsql volatile security definer
set search_path to pg_catalog, pg_temp as $$
declare
  v_actor uuid := app_hidden.current_user_id();
  v_event constant text := 'membership.remove';
begin
  if v_actor is null then
    return row(remove_member.organization_id, 'LOGIN', app_private.refuse(v_event, 'LOGIN', 'You must log in first.'), null)::app_public.organization_change;
  end if;
  if not app_hidden.user_has_permission(v_actor, 'members:remove', remove_member.organization_id) then
    return row(remove_member.organization_id, 'PERMS', app_private.refuse(v_event, 'PERMS',
      'You may not remove members of this organisation.', 'organization', remove_member.organization_id::text),
      null)::app_public.organization_change;
  end if;
  if not app_hidden.is_member(remove_member.user_id, remove_member.organization_id) then
    return row(remove_member.organization_id, 'NTFND', app_private.refuse(v_event, 'NTFND', 'That person is not a member.',
      'organization', remove_member.organization_id::text), null)::app_public.organization_change;
  end if;
  if app_private.is_last_admin(remove_member.organization_id, remove_member.user_id) then
    return row(remove_member.organization_id, 'LASTA', app_private.refuse(v_event, 'LASTA',
      'An organisation needs an administrator: make someone else org_admin first.',
      'organization', remove_member.organization_id::text), null)::app_public.organization_change;
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
--! Included functions/app_public.leave_organization.sql
create or replace function app_public.leave_organization(organization_id uuid) returns app_public.organization_change
language plpgsql volatile security definer
set search_path to pg_catalog, pg_temp as $$
declare
  v_actor uuid := app_hidden.current_user_id();
  v_event constant text := 'membership.leave';
begin
  if v_actor is null then
    return row(leave_organization.organization_id, 'LOGIN', app_private.refuse(v_event, 'LOGIN', 'You must log in first.'), null)::app_public.organization_change;
  end if;
  if not app_hidden.is_member(v_actor, leave_organization.organization_id) then
    return row(leave_organization.organization_id, 'NTFND', app_private.refuse(v_event, 'NTFND', 'You are not a member.',
      'organization', leave_organization.organization_id::text), null)::app_public.organization_change;
  end if;
  if app_private.is_last_admin(leave_organization.organization_id, v_actor) then
    return row(leave_organization.organization_id, 'LASTA', app_private.refuse(v_event, 'LASTA',
      'You are the last administrator: make someone else org_admin before you leave.',
      'organization', leave_organization.organization_id::text), null)::app_public.organization_change;
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
--! Included functions/app_private.make_super_admin.sql
/* For `npm run create-admin` (run by the owner): makes a verified account a global super_admin, audited. */
create or replace function app_private.make_super_admin(email text) returns uuid
language plpgsql volatile security definer
set search_path to pg_catalog, extensions, pg_temp as $$
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
comment on function app_private.make_super_admin(text) is 'Grants super_admin globally to a verified account (command line only).';
--! EndIncluded functions/app_private.make_super_admin.sql
--! Included functions/app_public.roles_effective_permissions.sql
/* Security definer to read the closure table; answers only for roles the caller can see (global, or their organisation's). */
create or replace function app_public.roles_effective_permissions(r app_public.roles) returns setof text
language sql stable security definer
set search_path to pg_catalog, pg_temp as $$
  select distinct rp.permission
  from app_private.role_ancestors a
  join app_public.role_permissions rp on rp.role_id = a.ancestor_id
  where a.role_id = r.id
    and (r.organization_id is null or app_hidden.is_member(app_hidden.current_user_id(), r.organization_id))
  order by 1
$$;
comment on function app_public.roles_effective_permissions(app_public.roles) is
  'Every permission the role gives: its own and those of all its ancestors.';
grant execute on function app_public.roles_effective_permissions(app_public.roles) to app_authenticated;
--! EndIncluded functions/app_public.roles_effective_permissions.sql
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
  perform audit.record_event(v_event, 'success', jsonb_build_object('email', v_email),
    organisation_id => invite_member.organization_id, entity_type => 'invitation', entity_id => v_id::text);
  return row(invite_member.organization_id, null, null, null)::app_public.organization_change;
end;
$$;
comment on function app_public.invite_member(uuid, text) is 'Invites someone to an organisation by email (members:invite).';
grant execute on function app_public.invite_member(uuid, text) to app_anonymous;
--! EndIncluded functions/app_public.invite_member.sql
--! Included functions/app_hidden.issue_invitation_token.sql
/* Called by the worker with the hash of the invitation token it minted: where to send it and what to say. */
create or replace function app_hidden.issue_invitation_token(invitation_id uuid, token_hash bytea)
returns table (email text, organization_name text, invited_by text, expires_at timestamptz)
language plpgsql volatile security definer
set search_path to pg_catalog, pg_temp as $$
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
comment on function app_hidden.issue_invitation_token(uuid, bytea) is
  'Stores the hash of an invitation token minted by the worker and says where and what to mail.';
grant execute on function app_hidden.issue_invitation_token(uuid, bytea) to app_worker;
--! EndIncluded functions/app_hidden.issue_invitation_token.sql
--! Included functions/app_public.accept_invitation.sql
/*
 * Joins an organisation with the token from an invitation mail, while logged in as an account whose verified address
 * is the invited one (a forwarded or leaked link is no use to anyone else). Once, before it expires. The new member
 * gets the member role.
 */
create or replace function app_public.accept_invitation(token text) returns app_public.organization_change
language plpgsql volatile security definer
set search_path to pg_catalog, extensions, pg_temp as $$
declare
  v_actor uuid := app_hidden.current_user_id();
  v_invitation app_public.invitations;
  v_event constant text := 'invitation.accept';
begin
  if v_actor is null then
    return row(null, 'LOGIN', app_private.refuse(v_event, 'LOGIN', 'Log in to accept the invitation.'), null)::app_public.organization_change;
  end if;
  if token is not null and length(token) between 20 and 200 then
    select i.* into v_invitation
    from app_private.invitation_tokens t
    join app_public.invitations i on i.id = t.invitation_id
    join app_public.users u on u.id = v_actor and u.email = i.email and u.email_verified
    where t.token_hash = app_private.token_hash(accept_invitation.token)
      and i.accepted_at is null
      and i.expires_at > app_hidden.clock_now()
    for update of i;
  end if;
  if v_invitation.id is null then
    return row(null, 'LINKX', app_private.refuse(v_event, 'LINKX',
      'This invitation is not valid for you: it may have expired, been used, or been sent to another address.'),
      null)::app_public.organization_change;
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
--! Included functions/app_public.end_user_sessions.sql
/*
 * Ends every session of one user (ASVS 7.4.5): in an organisation, for holders of sessions:revoke there and only for
 * its members; with organization_id null, for holders of sessions:revoke globally, for anyone.
 */
create or replace function app_public.end_user_sessions(user_id uuid, organization_id uuid default null)
returns app_public.organization_change
language plpgsql volatile security definer
set search_path to pg_catalog, pg_temp as $$
declare
  v_actor uuid := app_hidden.current_user_id();
  v_event constant text := 'auth.sessions_end_user';
  v_ended integer;
begin
  if v_actor is null then
    return row(end_user_sessions.organization_id, 'LOGIN', app_private.refuse(v_event, 'LOGIN', 'You must log in first.'), null)::app_public.organization_change;
  end if;
  if not app_hidden.user_has_permission(v_actor, 'sessions:revoke', end_user_sessions.organization_id)
     or (end_user_sessions.organization_id is not null
         and not app_hidden.is_member(end_user_sessions.user_id, end_user_sessions.organization_id)) then
    return row(end_user_sessions.organization_id, 'PERMS', app_private.refuse(v_event, 'PERMS',
      'You may not end this person''s sessions.', 'user', end_user_sessions.user_id::text), null)::app_public.organization_change;
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
--! Included functions/app_public.end_organization_sessions.sql
/* Ends every session acting in the organisation (sessions:revoke there), the caller's own excepted. */
create or replace function app_public.end_organization_sessions(organization_id uuid) returns app_public.organization_change
language plpgsql volatile security definer
set search_path to pg_catalog, pg_temp as $$
declare
  v_actor uuid := app_hidden.current_user_id();
  v_event constant text := 'auth.sessions_end_organization';
  v_ended integer;
begin
  if v_actor is null then
    return row(end_organization_sessions.organization_id, 'LOGIN', app_private.refuse(v_event, 'LOGIN', 'You must log in first.'), null)::app_public.organization_change;
  end if;
  if not app_hidden.user_has_permission(v_actor, 'sessions:revoke', end_organization_sessions.organization_id) then
    return row(end_organization_sessions.organization_id, 'PERMS', app_private.refuse(v_event, 'PERMS',
      'You may not end sessions in this organisation.', 'organization', end_organization_sessions.organization_id::text),
      null)::app_public.organization_change;
  end if;
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
--! Included functions/app_public.switch_organization.sql
/*
 * Makes an organisation (one you are an active member of) the active one of this session, or, with null, goes back to
 * your personal context; returns an access token for it (its tid claim). Refreshes keep minting for the session's
 * active organisation.
 */
create or replace function app_public.switch_organization(organization_id uuid) returns app_public.login_result
language plpgsql volatile security definer
set search_path to pg_catalog, pg_temp as $$
declare
  v_now timestamptz := date_trunc('second', app_hidden.clock_now());
  v_session app_private.sessions;
begin
  select s.* into v_session from app_private.sessions s where s.id = app_hidden.current_session_id() for update;
  if v_session.id is null then
    return row(null, null, null, null, null, 'LOGIN', app_private.refuse('organization.switch', 'LOGIN', 'You must log in first.'),
      null, null)::app_public.login_result;
  end if;
  if switch_organization.organization_id is not null
     and not app_hidden.is_member(v_session.user_id, switch_organization.organization_id) then
    return row(null, null, null, null, null, 'NTFND', app_private.refuse('organization.switch', 'NTFND',
      'You are not a member of that organisation.', 'organization', switch_organization.organization_id::text),
      null, null)::app_public.login_result;
  end if;
  update app_private.sessions s set organization_id = switch_organization.organization_id where s.id = v_session.id;
  perform audit.record_event('organization.switch', 'success', subject_id => v_session.user_id,
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
    perform audit.record_event('auth.login', 'refused', jsonb_build_object('identifier', left(v_identifier::text, 254)),
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
    perform audit.record_event('auth.login', 'refused', jsonb_build_object('identifier', left(v_identifier::text, 254)),
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
    null, null, null, null
  )::app_public.login_result;
end;
$$;
comment on function app_public.login(text, text) is
  'Logs in with a username or email address and a password, starting a new session.';
grant execute on function app_public.login(text, text) to app_anonymous;
--! EndIncluded functions/app_public.login.sql
--! Included functions/app_public.refresh_token.sql
/*
 * Exchanges a refresh token for new tokens and rotates it. All refreshes of one session run one at a time (the
 * session row is locked), so of many parallel presentations exactly one rotates the token. Presenting a token that was
 * already used is reuse — the session and every token of its family end, and a critical event is recorded — except
 * within auth.refresh_reuse_grace of its first use, when it may yield auth.refresh_reuse_grace_children more tokens
 * (a retry after a lost response, a second tab). See docs/sessions.md.
 * Idle timeout counts from the session's last refresh, absolute lifetime from login; either ends refreshing at once.
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
begin
  if refresh_token is not null and length(refresh_token) between 20 and 200 then
    v_hash := app_private.token_hash(refresh_token);
    select t.session_id into v_session_id from app_private.refresh_tokens t where t.token_hash = v_hash;
  end if;
  if v_session_id is null then
    perform audit.record_event('auth.refresh', 'refused', reason => 'unknown_token', severity => 'notice');
    return row(null, null, null, null, null, 'LOGIN', v_refusal, null, null)::app_public.login_result;
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
      format('Too many refreshes: try again in %s seconds.', v_retry), v_retry, null)::app_public.login_result;
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
        null, null)::app_public.login_result;
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
    return row(null, null, null, null, null, 'LOGIN', v_refusal, null, null)::app_public.login_result;
  end if;

  update app_private.sessions s set last_refreshed_at = v_now where s.id = v_session.id;
  perform audit.record_event('auth.refresh', 'success', jsonb_build_object('grace', v_token.used_at is not null),
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
--! Included functions/app_hidden.current_user_is_platform_admin.sql
/* Platform administrators hold settings:manage through a global grant (super_admin, made by npm run create-admin). */
create or replace function app_hidden.current_user_is_platform_admin() returns boolean
language sql stable security definer
set search_path to pg_catalog, pg_temp as $$
  select coalesce(app_hidden.user_has_permission(app_hidden.current_user_id(), 'settings:manage', null), false)
$$;
comment on function app_hidden.current_user_is_platform_admin() is 'Whether the caller may change system settings (settings:manage, globally).';
grant execute on function app_hidden.current_user_is_platform_admin() to app_anonymous, app_authenticated;
--! EndIncluded functions/app_hidden.current_user_is_platform_admin.sql
drop table app_private.platform_admins;

/* ------------------------------------------------------------------------------------------------------------------
 * Row-level security and grants.
 */
--! Included policies/app_public.organizations.sql
/* Members see their organisations. Changes go through functions. */
alter table app_public.organizations enable row level security;
drop policy if exists select_member on app_public.organizations;
create policy select_member on app_public.organizations for select to app_authenticated
  using (app_hidden.is_member((select app_hidden.current_user_id()), id));
revoke all on app_public.organizations from public, authenticator, app_anonymous, app_authenticated, app_worker, app_analytics;
grant select on app_public.organizations to app_authenticated;
--! EndIncluded policies/app_public.organizations.sql
--! Included policies/app_public.memberships.sql
/* You see your own memberships; with members:read in an organisation, all of its memberships. */
alter table app_public.memberships enable row level security;
drop policy if exists select_self_or_reader on app_public.memberships;
create policy select_self_or_reader on app_public.memberships for select to app_authenticated
  using (user_id = (select app_hidden.current_user_id())
         or app_hidden.user_has_permission((select app_hidden.current_user_id()), 'members:read', organization_id));
revoke all on app_public.memberships from public, authenticator, app_anonymous, app_authenticated, app_worker, app_analytics;
grant select on app_public.memberships to app_authenticated;
--! EndIncluded policies/app_public.memberships.sql
--! Included policies/app_public.permissions.sql
/* The catalogue of permissions is public to logged-in users. */
alter table app_public.permissions enable row level security;
drop policy if exists select_all on app_public.permissions;
create policy select_all on app_public.permissions for select to app_authenticated using (true);
revoke all on app_public.permissions from public, authenticator, app_anonymous, app_authenticated, app_worker, app_analytics;
grant select on app_public.permissions to app_authenticated;
--! EndIncluded policies/app_public.permissions.sql
--! Included policies/app_public.roles.sql
/* Global roles are visible to every logged-in user; an organisation's roles to its members. */
alter table app_public.roles enable row level security;
drop policy if exists select_visible on app_public.roles;
create policy select_visible on app_public.roles for select to app_authenticated
  using (organization_id is null or app_hidden.is_member((select app_hidden.current_user_id()), organization_id));
revoke all on app_public.roles from public, authenticator, app_anonymous, app_authenticated, app_worker, app_analytics;
grant select on app_public.roles to app_authenticated;
--! EndIncluded policies/app_public.roles.sql
--! Included policies/app_public.role_parents.sql
/* The hierarchy edges of the roles you can see. */
alter table app_public.role_parents enable row level security;
drop policy if exists select_visible on app_public.role_parents;
create policy select_visible on app_public.role_parents for select to app_authenticated
  using (exists (select 1 from app_public.roles r where r.id = role_id));
revoke all on app_public.role_parents from public, authenticator, app_anonymous, app_authenticated, app_worker, app_analytics;
grant select on app_public.role_parents to app_authenticated;
--! EndIncluded policies/app_public.role_parents.sql
--! Included policies/app_public.role_permissions.sql
/* The direct permissions of the roles you can see. */
alter table app_public.role_permissions enable row level security;
drop policy if exists select_visible on app_public.role_permissions;
create policy select_visible on app_public.role_permissions for select to app_authenticated
  using (exists (select 1 from app_public.roles r where r.id = role_id));
revoke all on app_public.role_permissions from public, authenticator, app_anonymous, app_authenticated, app_worker, app_analytics;
grant select on app_public.role_permissions to app_authenticated;
--! EndIncluded policies/app_public.role_permissions.sql
--! Included policies/app_public.user_roles.sql
/* You see your own grants; with roles:read in an organisation, everyone's grants there. */
alter table app_public.user_roles enable row level security;
drop policy if exists select_self_or_reader on app_public.user_roles;
create policy select_self_or_reader on app_public.user_roles for select to app_authenticated
  using (user_id = (select app_hidden.current_user_id())
         or app_hidden.user_has_permission((select app_hidden.current_user_id()), 'roles:read', organization_id));
revoke all on app_public.user_roles from public, authenticator, app_anonymous, app_authenticated, app_worker, app_analytics;
grant select on app_public.user_roles to app_authenticated;
--! EndIncluded policies/app_public.user_roles.sql
--! Included policies/app_public.invitations.sql
/* Holders of members:invite or members:read in an organisation see its invitations. */
alter table app_public.invitations enable row level security;
drop policy if exists select_manager on app_public.invitations;
create policy select_manager on app_public.invitations for select to app_authenticated
  using (app_hidden.user_has_permission((select app_hidden.current_user_id()), 'members:invite', organization_id)
         or app_hidden.user_has_permission((select app_hidden.current_user_id()), 'members:read', organization_id));
revoke all on app_public.invitations from public, authenticator, app_anonymous, app_authenticated, app_worker, app_analytics;
grant select on app_public.invitations to app_authenticated;
--! EndIncluded policies/app_public.invitations.sql

/* A read-only view of the same policies in Casbin's rule format (seed 002): derived, never a second source of truth. */
create view app_public.casbin_rule with (security_barrier) as
  select 'p'::text as ptype, r.name::text as v0, coalesce(r.organization_id::text, '*') as v1,
         split_part(rp.permission, ':', 1) as v2, split_part(rp.permission, ':', 2) as v3, ''::text as v4, ''::text as v5
  from app_public.role_permissions rp join app_public.roles r on r.id = rp.role_id
  union all
  select 'g', c.name::text, p.name::text, coalesce(c.organization_id::text, '*'), '', '', ''
  from app_public.role_parents x join app_public.roles c on c.id = x.role_id join app_public.roles p on p.id = x.parent_id
  union all
  select 'g', ur.user_id::text, r.name::text, coalesce(ur.organization_id::text, '*'), '', '', ''
  from app_public.user_roles ur join app_public.roles r on r.id = ur.role_id
  where ur.expires_at is null or ur.expires_at > app_hidden.clock_now();
comment on view app_public.casbin_rule is
  $$@behavior -*
Casbin rule format (p: role, domain, resource, action; g: member, role, domain), derived from the role tables.$$;
revoke all on app_public.casbin_rule from public, authenticator, app_anonymous, app_authenticated, app_worker;
grant select on app_public.casbin_rule to app_analytics;
