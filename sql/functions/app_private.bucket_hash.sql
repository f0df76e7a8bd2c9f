/*
 * How rate-limit buckets are stored: SHA-256 of the bucket name, a pseudonym of the client IP or submitted identifier
 * it names (the rows are purged within hours).
 */
create or replace function app_private.bucket_hash(bucket text) returns text
language sql immutable strict as $$
  select encode(extensions.digest(bucket, 'sha256'), 'hex')
$$;
comment on function app_private.bucket_hash(text) is 'The stored form of a rate-limit bucket name: SHA-256, hex.';
