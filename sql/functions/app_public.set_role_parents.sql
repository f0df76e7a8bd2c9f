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
