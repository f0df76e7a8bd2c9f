/*
 * 'bcrypt' hashes come from other systems and hash the raw password. pgcrypto recognises bcrypt only by the $2a$ (and
 * $2x$) prefixes; $2b$ and $2y$ hash exactly like $2a$ for correct implementations, so they are read as $2a$.
 */
create or replace function app_private.verify_password(password text, hash text, scheme text) returns boolean
language plpgsql volatile strict as $$
declare
  v_hash text;
begin
  if scheme = 'bcrypt-sha384' then
    return extensions.crypt(app_private.password_prehash(password), hash) = hash;
  elsif scheme = 'bcrypt' then
    v_hash := pg_catalog.regexp_replace(hash, '^\$2[aby]\$', '$2a$');
    return extensions.crypt(password, v_hash) = v_hash;
  end if;
  return false;
end;
$$;
comment on function app_private.verify_password(text, text, text) is 'Whether a password matches a stored hash of the given scheme.';
