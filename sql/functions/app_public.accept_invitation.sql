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
  where t.token_hash = app_private.link_token_hash(accept_invitation.token)
  for update of i;
  /* A real invitation that is not for the caller (or no longer valid) is refused in its organisation trail. */
  if v_invitation.id is null or v_invitation.accepted_at is not null or v_invitation.expires_at <= app_hidden.clock_now()
     or not exists (select 1 from app_public.users u where u.id = v_actor and u.email = v_invitation.email and u.email_verified) then
    return app_private.refuse(null::app_public.organization_change, v_event, 'LINKX',
      'This invitation is not valid for you: it may have expired, been used, or been sent to another address.',
      organisation_id => v_invitation.organization_id, entity_type => 'invitation', entity_id => v_invitation.id::text);
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
