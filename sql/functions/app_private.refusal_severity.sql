/*
 * One severity per refusal code, so that an auditor filtering by severity sees every refusal of a kind, whichever
 * function refused. Reuse of a refresh token is an attack in progress; permission, lockout, limit and wrong-secret
 * refusals are what an attacker probing the system produces; everything else (not logged in, an expired link, a name
 * taken) is ordinary.
 */
create or replace function app_private.refusal_severity(code text) returns text
language sql immutable as $$
  select case
    when code = 'REUSE' then 'critical'
    when code in ('PERMS', 'LASTA', 'LIMIT', 'WRONG') then 'warning'
    else 'notice'
  end
$$;
comment on function app_private.refusal_severity(text) is 'The audit severity of a refusal with this code.';
