/*
 * Called by the worker with the hash of the invitation token it minted: where to send it and what to say.
 * Definer: writes app_private.invitation_tokens, reads invitations, organizations and users; app_worker may not.
 */
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
