/*
 * The one way a function refuses when the refusal must leave a trace (sql/README.md, "Refusals"): audits it, then
 * returns the function's own result row with refusal_code, refusal_message and (where the type has it)
 * refusal_retry_after set, and ok = false on an app_public.outcome. The caller returns that row instead of raising, so
 * its transaction commits and the audit row, counts and locks stay; the gateway turns refusal_code into a coded
 * GraphQL error. `result` is the row to return otherwise unchanged (often null::<type>).
 * A refusal with an organisation_id lands in that organisation trail, where its auditors see it. So that nobody can
 * flood a trail, one signed-in user leaves at most rate_limit.organization_refusals_per_actor of them per window:
 * beyond it the attempt is refused with LIMIT instead, recorded in the global trail only.
 * Definer: writes audit.events through app_private.record_refusal, which no client role may call.
 */
create or replace function app_private.refuse(
  result anyelement,
  event_type text,
  code text,
  message text,
  reason text default null,
  subject_id uuid default null,
  organisation_id uuid default null,
  entity_type text default null,
  entity_id text default null,
  details jsonb default '{}',
  personal_values jsonb default null,
  retry_after integer default null
) returns anyelement
language plpgsql volatile security definer
set search_path to pg_catalog, pg_temp as $$
declare
  v_retry integer;
begin
  if refuse.organisation_id is not null then
    v_retry := app_private.rate_limit_hit(
      'organization_refusals:actor:' || coalesce(app_hidden.current_user_id()::text, 'anonymous'),
      config.setting_integer('rate_limit.organization_refusals_per_actor.max'),
      config.setting_interval('rate_limit.organization_refusals_per_actor.window'));
    if v_retry is not null then
      perform app_private.record_refusal(refuse.event_type, 'LIMIT', 'organization_refusals_limit', refuse.subject_id,
        null, refuse.entity_type, refuse.entity_id,
        coalesce(refuse.details, '{}') || jsonb_build_object('organization_id', refuse.organisation_id, 'code', refuse.code),
        refuse.personal_values);
      return jsonb_populate_record(refuse.result, jsonb_build_object(
        'ok', false, 'refusal_code', 'LIMIT',
        'refusal_message', format('Too many refused attempts: try again in %s seconds.', v_retry),
        'refusal_retry_after', v_retry));
    end if;
  end if;
  perform app_private.record_refusal(refuse.event_type, refuse.code, refuse.reason, refuse.subject_id,
    refuse.organisation_id, refuse.entity_type, refuse.entity_id, refuse.details, refuse.personal_values);
  /* Fields the result type lacks (ok, refusal_retry_after) are ignored. */
  return jsonb_populate_record(refuse.result, jsonb_build_object(
    'ok', false, 'refusal_code', refuse.code, 'refusal_message', refuse.message,
    'refusal_retry_after', refuse.retry_after));
end;
$$;
comment on function app_private.refuse(anyelement, text, text, text, text, uuid, uuid, text, text, jsonb, jsonb, integer) is
  'Audits a refusal and returns the given result row carrying its code and message (the one refusal idiom).';
