/*
 * Login at the speed of bcrypt (docs/login.md): a login is reserved in a short committed transaction
 * (app_hidden.reserve_login), then hashed and recorded in a second one, so no lock that another account or the other
 * logins of a client IP wait on is held through the hash. The client IP limit counts failures and logins in flight,
 * not successes. Every other password check shares the account's failure count and lockout
 * (app_private.require_password). Setting names say "client_ip" and "email_address" for what they count.
 */
create table if not exists app_private.login_reservations (
  id uuid primary key default gen_random_uuid(),
  attempt_id uuid not null unique,
  client_ip_bucket text not null check (length(client_ip_bucket) <= 300),
  attempt_key text not null check (length(attempt_key) <= 300),
  user_id uuid references app_public.users (id) on delete cascade,
  created_at timestamptz not null,
  expires_at timestamptz not null
);
comment on table app_private.login_reservations is
  'Logins in flight, between app_hidden.reserve_login and app_public.login: a failure of their client IP until recorded.';
create index if not exists login_reservations_client_ip_idx on app_private.login_reservations (client_ip_bucket, created_at);
create index if not exists login_reservations_user_id_idx on app_private.login_reservations (user_id);
create index if not exists login_reservations_created_at_idx on app_private.login_reservations (created_at);
--!include policies/app_private.login_reservations.sql

/* Renamed: the setting names say what they count, the client IP or a submitted email address. */
update config.system_settings s set key = r.new_key, description = r.description
from (values
  ('rate_limit.login_per_ip.max', 'rate_limit.login_failures_per_client_ip.max',
   'Failed logins plus logins in flight per client IP (IPv6: per /64) per window. Successful logins do not count.'),
  ('rate_limit.login_per_ip.window', 'rate_limit.login_failures_per_client_ip.window',
   'Window of rate_limit.login_failures_per_client_ip.'),
  ('rate_limit.register_per_ip.max', 'rate_limit.register_per_client_ip.max',
   'Registrations per client IP (IPv6: per /64) per window.'),
  ('rate_limit.register_per_ip.window', 'rate_limit.register_per_client_ip.window',
   'Window of rate_limit.register_per_client_ip.'),
  ('rate_limit.password_reset_per_address.max', 'rate_limit.password_reset_per_email_address.max',
   'Password reset requests per submitted email address per window.'),
  ('rate_limit.password_reset_per_address.window', 'rate_limit.password_reset_per_email_address.window',
   'Window of rate_limit.password_reset_per_email_address.'),
  ('rate_limit.verification_resend_per_address.max', 'rate_limit.verification_resend_per_email_address.max',
   'Verification resend requests per submitted email address per window.'),
  ('rate_limit.verification_resend_per_address.window', 'rate_limit.verification_resend_per_email_address.window',
   'Window of rate_limit.verification_resend_per_email_address.')
) as r(old_key, new_key, description)
where s.key = r.old_key;
update config.system_settings set description = 'Login attempts per submitted identifier (username or email address) per window.'
 where key = 'rate_limit.login_per_identifier.max';
update config.system_settings set description = 'Failed logins and other failed password checks of one account (or unknown identifier) before it is locked.'
 where key = 'auth.lockout_threshold';

insert into config.system_settings (key, value_type, default_value, value, min_value, max_value, is_public, description)
select key, value_type, default_value, default_value, min_value, max_value, false, description
from (values
  ('auth.login_reservation_ttl', 'interval', '"30 seconds"'::jsonb, null::numeric, null::numeric,
   'How long a reserved login may take to be checked; an attempt not recorded by then is refused (LIMIT, retry).'),
  ('rate_limit.password_reset_per_client_ip.max', 'integer', '20', 1, 100000,
   'Password reset requests per client IP (IPv6: per /64) per window, whatever the address.'),
  ('rate_limit.password_reset_per_client_ip.window', 'interval', '"1 hour"', null, null,
   'Window of rate_limit.password_reset_per_client_ip.'),
  ('rate_limit.verification_resend_per_client_ip.max', 'integer', '20', 1, 100000,
   'Verification resend requests per client IP (IPv6: per /64) per window, whatever the address.'),
  ('rate_limit.verification_resend_per_client_ip.window', 'interval', '"1 hour"', null, null,
   'Window of rate_limit.verification_resend_per_client_ip.'),
  ('rate_limit.restore_per_client_ip.max', 'integer', '20', 1, 100000,
   'Account restore attempts per client IP (IPv6: per /64) per window.'),
  ('rate_limit.restore_per_client_ip.window', 'interval', '"1 hour"', null, null,
   'Window of rate_limit.restore_per_client_ip.'),
  ('rate_limit.organization_refusals_per_actor.max', 'integer', '30', 1, 100000,
   'Refused attempts against organisations one user may leave in their audit trails per window; beyond it, LIMIT.'),
  ('rate_limit.organization_refusals_per_actor.window', 'interval', '"15 minutes"', null, null,
   'Window of rate_limit.organization_refusals_per_actor.')
) as s(key, value_type, default_value, min_value, max_value, description)
on conflict (key) do nothing;

--!include functions/app_private.bucket_hash.sql
--!include functions/app_private.client_ip_bucket.sql
--!include functions/app_private.rate_limit_hit.sql
--!include functions/app_hidden.reserve_login.sql
--!include functions/app_public.login.sql
--!include functions/app_private.require_password.sql
--!include functions/app_public.change_password.sql
--!include functions/app_public.change_email.sql
--!include functions/app_public.change_phone.sql
--!include functions/app_public.delete_my_account.sql
--!include functions/app_public.restore_account.sql
--!include functions/app_public.register.sql
--!include functions/app_public.request_password_reset.sql
--!include functions/app_public.resend_verification.sql
--!include functions/app_hidden.purge_login_throttles.sql

/*
 * Refusals the tenant can see: a refused attempt against an organisation (the permission gate, invitations,
 * switching in, role and member changes) is audited with its organisation_id, limited per actor; organisation
 * auditors see actor, action, code and time, and only global auditors the personal part.
 */
--!include functions/app_private.refuse.sql
--!include functions/app_private.require_permission.sql
--!include functions/app_private.require_role_management.sql
--!include functions/app_public.accept_invitation.sql
--!include functions/app_public.switch_organization.sql
--!include functions/app_public.assign_role.sql
--!include functions/app_public.end_user_sessions.sql
--!include functions/app_public.remove_member.sql
--!include functions/app_public.revoke_role.sql
--!include functions/app_public.audit_events.sql
