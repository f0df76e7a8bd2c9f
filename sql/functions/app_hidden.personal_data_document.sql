/*
 * Everything Gatehouse holds about one person (GDPR access and portability), as one JSON document: one section per
 * table, named schema.table, with the person's rows. Encrypted values appear as {"$encrypted": "<base64>"}; the
 * gateway decrypts them before the document leaves (the database cannot). Secrets (password and token hashes) are
 * left out: they are not information about the person, and handing them out would weaken the account. An audit
 * event's encrypted part is included only when the event is about this person (its subject, or its actor when it has
 * no subject): the personal part of an event about someone else belongs to that someone.
 * test/api/privacy/export.test.ts fails when a table listed in app_private.personal_data_columns has no section here.
 * Definer: reads app_private tables (security state, sessions, devices, consents, requests) and audit.events, which
 * no client role may read, and every row about the person past the RLS that would filter them by the caller.
 */
create or replace function app_hidden.personal_data_document(user_id uuid) returns jsonb
language sql stable security definer
set search_path to pg_catalog, pg_temp as $$
  select jsonb_build_object(
    'format', 'gatehouse-personal-data/1',
    'exported_at', app_hidden.clock_now(),
    'user_id', personal_data_document.user_id,
    'app_public.users', (select to_jsonb(u) from app_public.users u where u.id = personal_data_document.user_id),
    'app_private.user_personal_data', (
      select jsonb_build_object('phone', app_hidden.encrypted_json(p.phone), 'date_of_birth', app_hidden.encrypted_json(p.date_of_birth),
                                'updated_at', p.updated_at)
      from app_private.user_personal_data p where p.user_id = personal_data_document.user_id),
    'app_private.user_security', (
      select jsonb_build_object('password_changed_at', s.password_changed_at, 'last_login_at', s.last_login_at)
      from app_private.user_security s where s.user_id = personal_data_document.user_id),
    'app_private.sessions', coalesce((
      select jsonb_agg(jsonb_build_object('id', s.id, 'created_at', s.created_at, 'last_refreshed_at', s.last_refreshed_at,
                                          'absolute_expires_at', s.absolute_expires_at, 'revoked_at', s.revoked_at,
                                          'revoked_reason', s.revoked_reason, 'device_info', s.device_info,
                                          'personal', app_hidden.encrypted_json(s.personal)) order by s.created_at)
      from app_private.sessions s where s.user_id = personal_data_document.user_id), '[]'),
    'app_private.known_devices', coalesce((
      select jsonb_agg(jsonb_build_object('device_hash', encode(d.device_hash, 'hex'), 'first_seen_at', d.first_seen_at,
                                          'last_seen_at', d.last_seen_at) order by d.first_seen_at)
      from app_private.known_devices d where d.user_id = personal_data_document.user_id), '[]'),
    'app_private.consents', coalesce((
      select jsonb_agg(jsonb_build_object('id', c.id, 'purpose', c.purpose, 'version', c.version, 'granted', c.granted,
                                          'recorded_at', c.recorded_at, 'ip', app_hidden.encrypted_json(c.ip)) order by c.id)
      from app_private.consents c where c.user_id = personal_data_document.user_id), '[]'),
    'app_private.password_resets', coalesce((
      select jsonb_agg(jsonb_build_object('id', r.id, 'email', r.email, 'requested_at', r.requested_at, 'used_at', r.used_at,
                                          'requested_from', app_hidden.encrypted_json(r.requested_from)) order by r.requested_at)
      from app_private.password_resets r where r.user_id = personal_data_document.user_id), '[]'),
    'app_private.email_changes', coalesce((
      select jsonb_agg(jsonb_build_object('id', c.id, 'old_email', c.old_email, 'new_email', c.new_email,
                                          'requested_at', c.requested_at, 'used_at', c.used_at) order by c.requested_at)
      from app_private.email_changes c where c.user_id = personal_data_document.user_id), '[]'),
    'app_public.memberships', coalesce((
      select jsonb_agg(to_jsonb(m) order by m.joined_at) from app_public.memberships m where m.user_id = personal_data_document.user_id), '[]'),
    'app_public.user_roles', coalesce((
      select jsonb_agg(to_jsonb(g) || jsonb_build_object('role_name', r.name) order by g.assigned_at)
      from app_public.user_roles g join app_public.roles r on r.id = g.role_id where g.user_id = personal_data_document.user_id), '[]'),
    'app_public.invitations', coalesce((
      select jsonb_agg(to_jsonb(i) order by i.created_at) from app_public.invitations i
      where i.accepted_by = personal_data_document.user_id or i.invited_by = personal_data_document.user_id
         or i.email = (select u.email from app_public.users u where u.id = personal_data_document.user_id)), '[]'),
    'app_public.project_members', coalesce((
      select jsonb_agg(to_jsonb(m)) from app_public.project_members m where m.user_id = personal_data_document.user_id), '[]'),
    'app_public.posts', coalesce((
      select jsonb_agg(to_jsonb(p) order by p.created_at) from app_public.posts p where p.author_id = personal_data_document.user_id), '[]'),
    'app_public.comments', coalesce((
      select jsonb_agg(to_jsonb(c) order by c.created_at) from app_public.comments c where c.author_id = personal_data_document.user_id), '[]'),
    'app_public.tasks', coalesce((
      select jsonb_agg(to_jsonb(t) order by t.created_at) from app_public.tasks t
      where t.assignee_id = personal_data_document.user_id or t.created_by = personal_data_document.user_id), '[]'),
    'audit.events', coalesce((
      select jsonb_agg(jsonb_build_object(
               'id', e.id, 'occurred_at', e.occurred_at, 'event_type', e.event_type, 'outcome', e.outcome,
               'severity', e.severity, 'reason', e.reason, 'actor_id', e.actor_id, 'subject_id', e.subject_id,
               'organisation_id', e.organisation_id, 'entity_type', e.entity_type, 'entity_id', e.entity_id,
               'details', e.details, 'request_id', e.request_id,
               'personal', case when coalesce(e.subject_id, e.actor_id) = personal_data_document.user_id
                                then app_hidden.encrypted_json(e.personal) end) order by e.occurred_at, e.id)
      from (select * from audit.events x where x.subject_id = personal_data_document.user_id
            union
            select * from audit.events x where x.actor_id = personal_data_document.user_id) e), '[]')
  )
$$;
comment on function app_hidden.personal_data_document(uuid) is
  'Everything held about a person, one section per table; encrypted values as {"$encrypted": base64} for the gateway to decrypt.';
