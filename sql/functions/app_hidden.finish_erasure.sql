/*
 * Step two of erasure, after the worker has deleted the keys from the key store: the keys are marked destroyed (their
 * public halves stay: they are public, and they name what was shredded) and the erasure is audited. Idempotent.
 * Definer: updates app_private.encryption_keys, which no client role may touch.
 */
create or replace function app_hidden.finish_erasure(user_id uuid, destroyed_key_ids uuid[]) returns integer
language plpgsql volatile security definer
set search_path to pg_catalog, pg_temp as $$
declare
  v_count integer;
begin
  update app_private.encryption_keys k set destroyed_at = app_hidden.clock_now()
   where k.user_id = finish_erasure.user_id and k.key_id = any(finish_erasure.destroyed_key_ids) and k.destroyed_at is null;
  get diagnostics v_count = row_count;
  if v_count > 0 then
    perform audit.record_event('user.erase', 'success', subject_id => finish_erasure.user_id, entity_type => 'user',
      entity_id => finish_erasure.user_id::text, severity => 'notice', details => jsonb_build_object('keys_destroyed', v_count));
  end if;
  return v_count;
end;
$$;
comment on function app_hidden.finish_erasure(uuid, uuid[]) is
  'Marks an erased account''s keys destroyed once the key store no longer holds them, and audits the erasure.';
grant execute on function app_hidden.finish_erasure(uuid, uuid[]) to app_worker;
