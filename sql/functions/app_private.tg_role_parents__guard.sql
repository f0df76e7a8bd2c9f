/*
 * Refuses an edge that would close a cycle. The hierarchy lock is taken first and the check reads role_parents itself
 * (edges added earlier in the same statement included), so two concurrent changes that would jointly form a cycle
 * cannot both commit: the second one waits, then sees the first's edge.
 */
create or replace function app_private.tg_role_parents__guard() returns trigger
language plpgsql as $$
begin
  perform pg_advisory_xact_lock(hashtextextended('app_public.role_parents', 0));
  if exists (
    with recursive up (id) as (
      select new.parent_id
      union
      select p.parent_id from app_public.role_parents p join up on p.role_id = up.id
    )
    select 1 from up where up.id = new.role_id
  ) then
    raise exception 'That would make a role inherit from itself.'
      using errcode = 'LOOPS', hint = 'Choose parents that are not below this role in the hierarchy.';
  end if;
  return new;
end;
$$;
comment on function app_private.tg_role_parents__guard() is 'Serialises hierarchy changes and refuses cycles (LOOPS).';
