/*
 * Recomputes the closure of the role hierarchy from scratch with a recursive CTE. `union` (not `union all`) keeps each
 * (role, ancestor) pair once, so diamonds cost nothing extra. Serialised with every other hierarchy change by the
 * same advisory lock, so two changes never rebuild at once.
 * Definer: rewrites app_private.role_ancestors (no client role may) from the roles and parents of every
 * organisation, which RLS would filter by the caller.
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
