/*
 * Marketing messages: written by app_private.queue_marketing_mail (the owner), read by a marketing job through
 * app_hidden.marketing_message. No role but the owner holds a privilege.
 */
revoke all on app_private.marketing_messages from public, authenticator, app_anonymous, app_authenticated, app_worker, app_marketing, app_analytics;
