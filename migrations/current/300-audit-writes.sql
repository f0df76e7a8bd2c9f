/*
 * Cheaper audited writes (issue 17; the measured breakdown is in docs/performance.md, "Audited writes").
 *
 * 1. Row-change events are written by audit.tg__row_changes itself in one insert per statement, one row or many:
 *    audit.row_change_parts becomes a set-returning `language sql` function the planner inlines (it was a plpgsql call
 *    per row), the redacted keys are found once per statement (audit.secret_keys), the clock is read once per
 *    statement rather than by the occurred_at default of every row, and audit.record_row_changes (with its single-row
 *    detour through audit.record_event) goes. One event per row, with the same columns as before.
 * 2. app_hidden.encrypt_personal finds a person's key in one lookup and gives the same ciphertext again for the same
 *    value to the same key within a transaction (a login's session origin and its audit event, say).
 * 3. audit.events loses one of its seven indexes: the primary key becomes (occurred_at, id), which serves what
 *    events_time_idx (occurred_at desc) served (time ranges, newest first, now in the auditor's exact order
 *    occurred_at desc, id desc) as well as every lookup by (id, occurred_at) (seals, verify_chain).
 */
drop function if exists audit.record_row_changes(text, text, text, text[], jsonb[], jsonb[]);
/* The old row_change_parts returned one record (a plpgsql function); the new one returns a set: it cannot be replaced. */
drop function if exists audit.row_change_parts(text, jsonb, jsonb, text[]);

--!include functions/audit.secret_keys.sql
--!include functions/audit.row_change_parts.sql
--!include functions/audit.tg__row_changes.sql
--!include functions/app_hidden.encrypt_personal.sql

/*
 * The primary key (id, occurred_at) becomes (occurred_at, id), built partition by partition.
 *
 * Why per partition: a primary key (or any index) added to the partitioned table itself is built on every partition
 * in one statement, under a lock that stops every write to audit.events, and so every login, until the last
 * partition is done; and CREATE INDEX CONCURRENTLY is refused on a partitioned table. Built per partition and then
 * attached, each partition's index can be made without blocking writes: on a large trail, run before this migration,
 * outside any transaction, for every partition P of audit.events (the default partition included):
 *
 *   create unique index concurrently if not exists P_occurred_at_id_key on audit.P (occurred_at, id);
 *
 * This migration then finds those indexes and only attaches them. graphile-migrate runs a migration in a transaction
 * (and refuses `--! no-transaction` in a current/ folder), so without that step it builds each missing one here,
 * inside its transaction. Attaching is bookkeeping: each index becomes its partition's primary key (ADD CONSTRAINT …
 * USING INDEX, no scan: the columns are already not null), and the parent's new primary key adopts those instead of
 * building its own (ALTER INDEX … ATTACH PARTITION is how a plain index is adopted; a primary key of a partitioned
 * table cannot be added USING INDEX, so it is adopted this way). Partitions made later inherit the key.
 */
do $$
declare
  v_partition text;
begin
  if (select array_agg(a.attname::text order by k.n)
      from pg_catalog.pg_index i
      cross join lateral unnest(i.indkey::int2[]) with ordinality k (attnum, n)
      join pg_catalog.pg_attribute a on a.attrelid = i.indrelid and a.attnum = k.attnum
      where i.indexrelid = 'audit.events_pkey'::regclass) = array['occurred_at', 'id'] then
    return;
  end if;
  for v_partition in
    select c.relname from pg_catalog.pg_inherits i join pg_catalog.pg_class c on c.oid = i.inhrelid
    where i.inhparent = 'audit.events'::regclass order by c.relname
  loop
    execute format('create unique index if not exists %I on audit.%I (occurred_at, id)',
                   v_partition || '_occurred_at_id_key', v_partition);
  end loop;
  alter table audit.events drop constraint events_pkey;
  for v_partition in
    select c.relname from pg_catalog.pg_inherits i join pg_catalog.pg_class c on c.oid = i.inhrelid
    where i.inhparent = 'audit.events'::regclass order by c.relname
  loop
    execute format('alter table audit.%I add constraint %I primary key using index %I',
                   v_partition, v_partition || '_pkey', v_partition || '_occurred_at_id_key');
  end loop;
  alter table audit.events add constraint events_pkey primary key (occurred_at, id);
end;
$$;
/* Served by the primary key now. Dropping a partitioned index drops its partitions' indexes: no scan, a brief lock. */
drop index if exists audit.events_time_idx;
