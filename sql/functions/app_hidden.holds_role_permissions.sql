/*
 * The no-escalation rule: may the user hand out this role (or make it a parent)? Only if their own permissions in the
 * organisation include every permission the role carries, its ancestors' included.
 * Definer: reads app_private.role_ancestors and calls app_hidden.user_permissions, neither open to any client role.
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
