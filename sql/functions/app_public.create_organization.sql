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
