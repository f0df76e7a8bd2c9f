/*
 * The record of processing: every column holding personal data, read by the audit trigger, erasure and export.
 * No role but the owner holds a privilege: only security definer functions reach it.
 */
revoke all on app_private.personal_data_columns from public, authenticator, app_anonymous, app_authenticated, app_worker, app_analytics;
