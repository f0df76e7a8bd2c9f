/*
 * "Why can this person do that?": each chain of roles through which the user holds the permission in the
 * organisation, from the role they were given to the role that grants it. No row: they do not hold it. For the user
 * themself, and for holders of roles:read or audit:read in that organisation.
 * Definer: must see the role grants of the user asked about, which RLS on user_roles hides from audit:read holders.
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
