/*
 * The record of audit partitions exported and dropped past retention (file name and checksum): written by audit__retain
 * through audit.retire_partition. No application role holds a table privilege; row-level security is on as a second wall.
 */
alter table audit.partition_archives enable row level security;
revoke all on audit.partition_archives from public, authenticator, app_anonymous, app_authenticated, app_worker, app_analytics;
