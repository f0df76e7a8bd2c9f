/* Fires for every role, the table owner included: audit rows are written once and never changed or removed. */
create or replace function audit.tg_events__forbid_change() returns trigger
language plpgsql as $$
begin
  raise exception 'Audit events cannot be changed or removed.'
    using errcode = 'RDONL', hint = 'Old partitions leave only through the audit retention procedure.';
end;
$$;
comment on function audit.tg_events__forbid_change() is 'Refuses UPDATE, DELETE and TRUNCATE on audit events.';
