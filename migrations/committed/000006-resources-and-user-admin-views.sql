--! Previous: sha1:520dd5767b482c4c126b429080106149cf8e5f92
--! Hash: sha1:1339b912b8899da139a38755eac16185a958c7da
--! Message: resources-and-user-admin-views

-- Row-level security at work: admin views of users, and the seeds' example resources (projects, project members,
-- tasks; posts and comments) whose policies combine ownership, membership and permissions.

/* current.sql is re-run on every save by `npm run db:watch`: start from a clean slate so it stays idempotent. */
drop table if exists app_public.comments, app_public.posts, app_public.tasks, app_public.project_members,
  app_public.projects cascade;
drop policy if exists select_user_reader on app_public.users;

/* ------------------------------------------------------------------------------------------------------------------
 * Projects: owned by an organisation. Visibility: private (project members), internal (members of the organisation
 * who hold projects:read there), public (any signed-in user).
 */
create table app_public.projects (
  id uuid primary key default gen_random_uuid(),
  organization_id uuid not null references app_public.organizations (id) on delete cascade,
  name text not null check (length(btrim(name)) between 1 and 200),
  description text not null default '' check (length(description) <= 5000),
  visibility text not null default 'internal' check (visibility in ('private', 'internal', 'public')),
  created_by uuid default app_hidden.current_user_id() references app_public.users (id) on delete set null,
  created_at timestamptz not null default app_hidden.clock_now(),
  updated_at timestamptz not null default app_hidden.clock_now()
);
create index projects_organization_idx on app_public.projects (organization_id, created_at desc);
create index projects_created_by_idx on app_public.projects (created_by);
create index projects_public_idx on app_public.projects (created_at desc) where visibility = 'public';
comment on table app_public.projects is
  $$@behavior -delete
A project of an organisation. private: its members only; internal: members of the organisation with projects:read;
public: anyone signed in. Members of the organisation with projects:write create projects and become their owners.$$;
create trigger _100_timestamps before insert or update on app_public.projects
  for each row execute function app_hidden.tg__timestamps();

create table app_public.project_members (
  project_id uuid not null references app_public.projects (id) on delete cascade,
  user_id uuid not null references app_public.users (id) on delete cascade,
  role text not null default 'member' check (role in ('owner', 'member')),
  added_at timestamptz not null default app_hidden.clock_now(),
  primary key (project_id, user_id)
);
create index project_members_user_idx on app_public.project_members (user_id);
comment on table app_public.project_members is
  $$@behavior -insert -update -delete
Who works on a project. Owners add and remove members with addProjectMember and removeProjectMember.$$;

create table app_public.tasks (
  id uuid primary key default gen_random_uuid(),
  project_id uuid not null references app_public.projects (id) on delete cascade,
  title text not null check (length(btrim(title)) between 1 and 300),
  description text not null default '' check (length(description) <= 10000),
  status text not null default 'todo' check (status in ('todo', 'in_progress', 'done')),
  priority integer not null default 3 check (priority between 1 and 5),
  labels text[] not null default '{}' check (cardinality(labels) <= 20),
  due_date date,
  assignee_id uuid references app_public.users (id) on delete set null,
  created_by uuid default app_hidden.current_user_id() references app_public.users (id) on delete set null,
  created_at timestamptz not null default app_hidden.clock_now(),
  updated_at timestamptz not null default app_hidden.clock_now()
);
create index tasks_project_status_idx on app_public.tasks (project_id, status);
create index tasks_assignee_idx on app_public.tasks (assignee_id);
create index tasks_created_by_idx on app_public.tasks (created_by);
comment on table app_public.tasks is
  $$@behavior +aggregates +aggregates:filterBy +groupedAggregates
A task of a project, visible to whoever sees the project; project members with projects:write create and change tasks.$$;
create trigger _100_timestamps before insert or update on app_public.tasks
  for each row execute function app_hidden.tg__timestamps();

/* ------------------------------------------------------------------------------------------------------------------
 * Posts and comments: owned by their authors. Drafts are the author's alone; published posts and their comments are
 * visible to anyone signed in.
 */
create table app_public.posts (
  id uuid primary key default gen_random_uuid(),
  author_id uuid not null default app_hidden.current_user_id() references app_public.users (id) on delete cascade,
  title text not null check (length(btrim(title)) between 1 and 300),
  body text not null default '' check (length(body) <= 100000),
  status text not null default 'draft' check (status in ('draft', 'published')),
  published_at timestamptz,
  created_at timestamptz not null default app_hidden.clock_now(),
  updated_at timestamptz not null default app_hidden.clock_now(),
  check ((status = 'published') = (published_at is not null))
);
create index posts_author_idx on app_public.posts (author_id, created_at desc);
create index posts_published_idx on app_public.posts (published_at desc) where status = 'published';
comment on table app_public.posts is
  $$@behavior +aggregates +groupedAggregates
A post. A draft is visible to its author only; publishPost makes it visible to everyone signed in.$$;
create trigger _100_timestamps before insert or update on app_public.posts
  for each row execute function app_hidden.tg__timestamps();

create table app_public.comments (
  id uuid primary key default gen_random_uuid(),
  post_id uuid not null references app_public.posts (id) on delete cascade,
  author_id uuid not null default app_hidden.current_user_id() references app_public.users (id) on delete cascade,
  body text not null check (length(btrim(body)) between 1 and 5000),
  created_at timestamptz not null default app_hidden.clock_now(),
  updated_at timestamptz not null default app_hidden.clock_now()
);
create index comments_post_idx on app_public.comments (post_id, created_at);
create index comments_author_idx on app_public.comments (author_id);
comment on table app_public.comments is
  'A comment on a published post, visible to everyone signed in; its author may edit or delete it.';
create trigger _100_timestamps before insert or update on app_public.comments
  for each row execute function app_hidden.tg__timestamps();

/* ------------------------------------------------------------------------------------------------------------------
 * Functions.
 */
--! Included functions/app_hidden.project_role.sql
/* The caller's role in a project (owner or member) while they are an active member of its organisation; else null. */
create or replace function app_hidden.project_role(project_id uuid) returns text
language sql stable security definer
set search_path to pg_catalog, pg_temp as $$
  select pm.role
  from app_public.project_members pm
  join app_public.projects p on p.id = pm.project_id
  where pm.project_id = project_role.project_id
    and pm.user_id = app_hidden.current_user_id()
    and app_hidden.is_member(pm.user_id, p.organization_id)
$$;
comment on function app_hidden.project_role(uuid) is 'Your role in a project (owner, member), or null.';
grant execute on function app_hidden.project_role(uuid) to app_authenticated;
--! EndIncluded functions/app_hidden.project_role.sql
--! Included functions/app_hidden.can_see_project.sql
/*
 * The visibility rule of projects, in one place for every table that hangs off a project: public to anyone signed
 * in; internal to the organisation's members holding projects:read; private to the project's members.
 */
create or replace function app_hidden.can_see_project(project_id uuid) returns boolean
language sql stable security definer
set search_path to pg_catalog, pg_temp as $$
  select exists (
    select 1 from app_public.projects p
    where p.id = can_see_project.project_id
      and app_hidden.current_user_id() is not null
      and (p.visibility = 'public'
           or (p.visibility = 'internal' and app_hidden.user_has_permission(app_hidden.current_user_id(), 'projects:read', p.organization_id))
           or app_hidden.project_role(p.id) is not null)
  )
$$;
comment on function app_hidden.can_see_project(uuid) is 'Whether the caller may see a project (and its members and tasks).';
grant execute on function app_hidden.can_see_project(uuid) to app_authenticated;
--! EndIncluded functions/app_hidden.can_see_project.sql
--! Included functions/app_hidden.can_write_project.sql
/* Project members holding projects:write in its organisation create and change its tasks. */
create or replace function app_hidden.can_write_project(project_id uuid) returns boolean
language sql stable security definer
set search_path to pg_catalog, pg_temp as $$
  select exists (
    select 1 from app_public.projects p
    where p.id = can_write_project.project_id
      and app_hidden.project_role(p.id) is not null
      and app_hidden.user_has_permission(app_hidden.current_user_id(), 'projects:write', p.organization_id)
  )
$$;
comment on function app_hidden.can_write_project(uuid) is 'Whether the caller may create and change the tasks of a project.';
grant execute on function app_hidden.can_write_project(uuid) to app_authenticated;
--! EndIncluded functions/app_hidden.can_write_project.sql
--! Included functions/app_private.tg_projects__add_owner.sql
/* Whoever creates a project owns it. */
create or replace function app_private.tg_projects__add_owner() returns trigger
language plpgsql security definer
set search_path to pg_catalog, pg_temp as $$
begin
  if new.created_by is not null then
    insert into app_public.project_members (project_id, user_id, role) values (new.id, new.created_by, 'owner');
  end if;
  perform audit.record_event('project.create', 'success', jsonb_build_object('name', new.name, 'visibility', new.visibility),
    organisation_id => new.organization_id, entity_type => 'project', entity_id => new.id::text);
  return null;
end;
$$;
comment on function app_private.tg_projects__add_owner() is 'Makes the creator of a project its owner, and audits the creation.';
--! EndIncluded functions/app_private.tg_projects__add_owner.sql
create trigger _900_add_owner after insert on app_public.projects
  for each row execute function app_private.tg_projects__add_owner();
--! Included functions/app_public.add_project_member.sql
/* A project owner adds a member of the organisation to the project (or changes their role in it). */
create or replace function app_public.add_project_member(project_id uuid, user_id uuid, role text default 'member')
returns app_public.outcome
language plpgsql volatile security definer
set search_path to pg_catalog, pg_temp as $$
declare
  v_org uuid;
  v_event constant text := 'project.add_member';
begin
  if app_hidden.current_user_id() is null then
    return row(false, 'LOGIN', app_private.refuse(v_event, 'LOGIN', 'You must log in first.'), null)::app_public.outcome;
  end if;
  if app_hidden.project_role(add_project_member.project_id) is distinct from 'owner' then
    return row(false, 'PERMS', app_private.refuse(v_event, 'PERMS', 'Only the project''s owners can add members.',
      'project', add_project_member.project_id::text), null)::app_public.outcome;
  end if;
  if add_project_member.role not in ('owner', 'member') then
    raise exception 'A project role is owner or member.' using errcode = 'INVAL', hint = 'Choose owner or member.';
  end if;
  select p.organization_id into v_org from app_public.projects p where p.id = add_project_member.project_id;
  if not app_hidden.is_member(add_project_member.user_id, v_org) then
    return row(false, 'NTFND', app_private.refuse(v_event, 'NTFND', 'That person is not a member of the organisation.',
      'project', add_project_member.project_id::text), null)::app_public.outcome;
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
--! Included functions/app_public.remove_project_member.sql
create or replace function app_public.remove_project_member(project_id uuid, user_id uuid) returns app_public.outcome
language plpgsql volatile security definer
set search_path to pg_catalog, pg_temp as $$
declare
  v_event constant text := 'project.remove_member';
begin
  if app_hidden.project_role(remove_project_member.project_id) is distinct from 'owner' then
    return row(false, 'PERMS', app_private.refuse(v_event, 'PERMS', 'Only the project''s owners can remove members.',
      'project', remove_project_member.project_id::text), null)::app_public.outcome;
  end if;
  if not exists (select 1 from app_public.project_members pm
                 where pm.project_id = remove_project_member.project_id and pm.role = 'owner'
                   and pm.user_id <> remove_project_member.user_id) then
    return row(false, 'LASTA', app_private.refuse(v_event, 'LASTA', 'A project needs an owner: add another owner first.',
      'project', remove_project_member.project_id::text), null)::app_public.outcome;
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
--! Included functions/app_public.publish_post.sql
create or replace function app_public.publish_post(post_id uuid) returns app_public.outcome
language plpgsql volatile security definer
set search_path to pg_catalog, pg_temp as $$
begin
  update app_public.posts p set status = 'published', published_at = app_hidden.clock_now()
   where p.id = publish_post.post_id and p.author_id = app_hidden.current_user_id() and p.status = 'draft';
  if not found then
    return row(false, 'NTFND', app_private.refuse('post.publish', 'NTFND', 'You have no draft with that id.',
      'post', publish_post.post_id::text), null)::app_public.outcome;
  end if;
  perform audit.record_event('post.publish', 'success', entity_type => 'post', entity_id => publish_post.post_id::text);
  return row(true, null, null, null)::app_public.outcome;
end;
$$;
comment on function app_public.publish_post(uuid) is 'Publishes one of your drafts: everyone signed in can then read it and comment.';
grant execute on function app_public.publish_post(uuid) to app_authenticated;
--! EndIncluded functions/app_public.publish_post.sql

/* ------------------------------------------------------------------------------------------------------------------
 * Row-level security and grants.
 */
--! Included policies/app_public.users.sql
/*
 * You read and edit your own account. Holders of users:read in an organisation read the accounts of its active members
 * (a global users:read, super_admin's, reads every account); everyone else sees only user_profiles. Security state
 * and secrets are in app_private, never here. Only profile columns are writable; status, verification, tier, metadata
 * and the email address change through functions.
 */
alter table app_public.users enable row level security;

drop policy if exists select_self on app_public.users;
create policy select_self on app_public.users for select to app_authenticated
  using (id = (select app_hidden.current_user_id()));

drop policy if exists select_user_reader on app_public.users;
create policy select_user_reader on app_public.users for select to app_authenticated
  using (app_hidden.user_has_permission((select app_hidden.current_user_id()), 'users:read', null)
         or exists (select 1 from app_public.memberships m
                    where m.user_id = users.id and m.status = 'active'
                      and app_hidden.user_has_permission((select app_hidden.current_user_id()), 'users:read', m.organization_id)));

drop policy if exists update_self on app_public.users;
create policy update_self on app_public.users for update to app_authenticated
  using (id = (select app_hidden.current_user_id()))
  with check (id = (select app_hidden.current_user_id()));

revoke all on app_public.users from public, authenticator, app_anonymous, app_authenticated, app_worker, app_analytics;
grant select on app_public.users to app_authenticated;
grant update (first_name, last_name, display_name, avatar_url, bio, timezone, language, preferences)
  on app_public.users to app_authenticated;
--! EndIncluded policies/app_public.users.sql
--! Included policies/app_public.projects.sql
/*
 * The pattern to copy for an organisation's resources: reading follows visibility (app_hidden.can_see_project);
 * creating needs projects:write in the organisation, as oneself; changing a project is for its owners. No deletes.
 */
alter table app_public.projects enable row level security;

/*
 * The same rule as app_hidden.can_see_project, written on the row's own columns: while a project is being inserted
 * (INSERT ... RETURNING checks this policy too) a lookup by id cannot see it yet, nor its owner, whom a trigger adds
 * after. created_by is always an owner or null (remove_project_member clears it).
 */
drop policy if exists select_visible on app_public.projects;
create policy select_visible on app_public.projects for select to app_authenticated
  using (visibility = 'public'
         or (visibility = 'internal'
             and app_hidden.user_has_permission((select app_hidden.current_user_id()), 'projects:read', organization_id))
         or app_hidden.project_role(id) is not null
         or (created_by = (select app_hidden.current_user_id())
             and app_hidden.is_member((select app_hidden.current_user_id()), organization_id)));

drop policy if exists insert_writer on app_public.projects;
create policy insert_writer on app_public.projects for insert to app_authenticated
  with check (created_by = (select app_hidden.current_user_id())
              and app_hidden.user_has_permission((select app_hidden.current_user_id()), 'projects:write', organization_id));

drop policy if exists update_owner on app_public.projects;
create policy update_owner on app_public.projects for update to app_authenticated
  using (app_hidden.project_role(id) = 'owner')
  with check (app_hidden.project_role(id) = 'owner');

revoke all on app_public.projects from public, authenticator, app_anonymous, app_authenticated, app_worker, app_analytics;
grant select on app_public.projects to app_authenticated;
grant insert (organization_id, name, description, visibility) on app_public.projects to app_authenticated;
grant update (name, description, visibility) on app_public.projects to app_authenticated;
--! EndIncluded policies/app_public.projects.sql
--! Included policies/app_public.project_members.sql
/* Whoever sees a project sees its members; owners change them through add_project_member / remove_project_member. */
alter table app_public.project_members enable row level security;
drop policy if exists select_visible on app_public.project_members;
create policy select_visible on app_public.project_members for select to app_authenticated
  using (app_hidden.can_see_project(project_id));
revoke all on app_public.project_members from public, authenticator, app_anonymous, app_authenticated, app_worker, app_analytics;
grant select on app_public.project_members to app_authenticated;
--! EndIncluded policies/app_public.project_members.sql
--! Included policies/app_public.tasks.sql
/*
 * Tasks follow their project: whoever sees the project sees its tasks; its members with projects:write create,
 * change and delete them. An assignee must be a member of the project.
 */
alter table app_public.tasks enable row level security;

drop policy if exists select_visible on app_public.tasks;
create policy select_visible on app_public.tasks for select to app_authenticated
  using (app_hidden.can_see_project(project_id));

drop policy if exists insert_writer on app_public.tasks;
create policy insert_writer on app_public.tasks for insert to app_authenticated
  with check (app_hidden.can_write_project(project_id)
              and created_by = (select app_hidden.current_user_id())
              and (assignee_id is null or exists (select 1 from app_public.project_members pm
                                                   where pm.project_id = tasks.project_id and pm.user_id = tasks.assignee_id)));

drop policy if exists update_writer on app_public.tasks;
create policy update_writer on app_public.tasks for update to app_authenticated
  using (app_hidden.can_write_project(project_id))
  with check (app_hidden.can_write_project(project_id)
              and (assignee_id is null or exists (select 1 from app_public.project_members pm
                                                   where pm.project_id = tasks.project_id and pm.user_id = tasks.assignee_id)));

drop policy if exists delete_writer on app_public.tasks;
create policy delete_writer on app_public.tasks for delete to app_authenticated
  using (app_hidden.can_write_project(project_id));

revoke all on app_public.tasks from public, authenticator, app_anonymous, app_authenticated, app_worker, app_analytics;
grant select, delete on app_public.tasks to app_authenticated;
grant insert (project_id, title, description, status, priority, labels, due_date, assignee_id) on app_public.tasks to app_authenticated;
grant update (title, description, status, priority, labels, due_date, assignee_id) on app_public.tasks to app_authenticated;
--! EndIncluded policies/app_public.tasks.sql
--! Included policies/app_public.posts.sql
/* Author-owned: drafts are the author's alone, published posts are read by anyone signed in; only the author writes. */
alter table app_public.posts enable row level security;

drop policy if exists select_published_or_own on app_public.posts;
create policy select_published_or_own on app_public.posts for select to app_authenticated
  using (status = 'published' or author_id = (select app_hidden.current_user_id()));

drop policy if exists insert_own_draft on app_public.posts;
create policy insert_own_draft on app_public.posts for insert to app_authenticated
  with check (author_id = (select app_hidden.current_user_id()) and status = 'draft');

drop policy if exists update_own on app_public.posts;
create policy update_own on app_public.posts for update to app_authenticated
  using (author_id = (select app_hidden.current_user_id()))
  with check (author_id = (select app_hidden.current_user_id()));

drop policy if exists delete_own on app_public.posts;
create policy delete_own on app_public.posts for delete to app_authenticated
  using (author_id = (select app_hidden.current_user_id()));

revoke all on app_public.posts from public, authenticator, app_anonymous, app_authenticated, app_worker, app_analytics;
grant select, delete on app_public.posts to app_authenticated;
grant insert (title, body) on app_public.posts to app_authenticated;
grant update (title, body) on app_public.posts to app_authenticated;
--! EndIncluded policies/app_public.posts.sql
--! Included policies/app_public.comments.sql
/* Comments are visible where their post is; anyone signed in comments on a published post; authors edit their own. */
alter table app_public.comments enable row level security;

drop policy if exists select_visible on app_public.comments;
create policy select_visible on app_public.comments for select to app_authenticated
  using (exists (select 1 from app_public.posts p where p.id = post_id));

drop policy if exists insert_on_published on app_public.comments;
create policy insert_on_published on app_public.comments for insert to app_authenticated
  with check (author_id = (select app_hidden.current_user_id())
              and exists (select 1 from app_public.posts p where p.id = post_id and p.status = 'published'));

drop policy if exists update_own on app_public.comments;
create policy update_own on app_public.comments for update to app_authenticated
  using (author_id = (select app_hidden.current_user_id()))
  with check (author_id = (select app_hidden.current_user_id()));

drop policy if exists delete_own on app_public.comments;
create policy delete_own on app_public.comments for delete to app_authenticated
  using (author_id = (select app_hidden.current_user_id()));

revoke all on app_public.comments from public, authenticator, app_anonymous, app_authenticated, app_worker, app_analytics;
grant select, delete on app_public.comments to app_authenticated;
grant insert (post_id, body) on app_public.comments to app_authenticated;
grant update (body) on app_public.comments to app_authenticated;
--! EndIncluded policies/app_public.comments.sql
