/*
 * Encrypted phone number and date of birth, and the phone blind index.
 * No role but the owner holds a privilege: only security definer functions reach it.
 */
revoke all on app_private.user_personal_data from public, authenticator, app_anonymous, app_authenticated, app_worker, app_analytics;
