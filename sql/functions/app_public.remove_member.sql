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
comment on function app_public.remove_member(uuid, uuid) is
  'Removes a member from an organisation (members:remove). The last administrator cannot be removed.';
grant execute on function app_public.remove_member(uuid, uuid) to app_anonymous;
