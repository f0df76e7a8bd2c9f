create or replace function app_private.hash_password(password text) returns text
language sql volatile strict as $$
  select extensions.crypt(
    app_private.password_prehash(password),
    extensions.gen_salt('bf', config.setting_integer('auth.bcrypt_cost'))
  )
$$;
comment on function app_private.hash_password(text) is
  'A new bcrypt-sha384 hash at the cost in setting auth.bcrypt_cost. Also spends the same work for unknown accounts at login.';
