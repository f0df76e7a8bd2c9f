/*
 * NIST 800-63B style: length, not composition (that is an opt-in setting); no part of the username or the email's
 * local part; not on the common-password list. Returns the sentence to show, or null when the password is acceptable.
 */
create or replace function app_private.password_policy_violation(password text, username text, email text)
returns text
language plpgsql stable as $$
declare
  v_password text := normalize(coalesce(password, ''), NFKC);
  v_lower text := lower(v_password);
  v_length integer := char_length(v_password);
  v_min integer := config.setting_integer('auth.password_min_length');
  v_max integer := config.setting_integer('auth.password_max_length');
  v_local text := lower(split_part(coalesce(email, ''), '@', 1));
begin
  if v_length < v_min then
    return format('Use at least %s characters.', v_min);
  end if;
  if v_length > v_max then
    return format('Use at most %s characters.', v_max);
  end if;
  if char_length(coalesce(username, '')) >= 3 and strpos(v_lower, lower(username)) > 0 then
    return 'Do not use your username in your password.';
  end if;
  if char_length(v_local) >= 3 and strpos(v_lower, v_local) > 0 then
    return 'Do not use your email address in your password.';
  end if;
  if exists (select 1 from app_private.common_passwords c where c.password = v_lower) then
    return 'This password is too common: choose one that is harder to guess.';
  end if;
  if config.setting_boolean('auth.password_require_composition')
     and not (v_password ~ '[[:upper:]]' and v_password ~ '[[:lower:]]' and v_password ~ '[[:digit:]]'
              and v_password ~ '[^[:alnum:]]') then
    return 'Use upper- and lower-case letters, digits and symbols.';
  end if;
  return null;
end;
$$;
comment on function app_private.password_policy_violation(text, text, text) is
  'Why a password is not acceptable (a sentence for the user), or null when it is.';
