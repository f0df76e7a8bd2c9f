/*
 * Marketing deliveries and the hashes of their unsubscribe tokens: written by a marketing job through
 * app_hidden.issue_unsubscribe_token and mark_marketing_sent, used by app_hidden.unsubscribe, deleted by
 * app_hidden.expire_auth_records and at erasure. No role but the owner holds a privilege.
 */
revoke all on app_private.marketing_deliveries from public, authenticator, app_anonymous, app_authenticated, app_worker, app_marketing, app_analytics;
