/*
 * Consent history (append-only): written by app_public.record_consent, read by app_public.my_consents and the data export.
 * No role but the owner holds a privilege: only security definer functions reach it.
 */
revoke all on app_private.consents from public, authenticator, app_anonymous, app_authenticated, app_worker, app_analytics;
revoke all on sequence app_private.consents_id_seq from public, authenticator, app_anonymous, app_authenticated, app_worker, app_analytics;
