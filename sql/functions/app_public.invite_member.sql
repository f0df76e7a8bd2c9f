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
