/*
 * The password rules every way of setting a new password shares (change and reset): the policy, then the history of
 * auth.password_history_count passwords; on success the old hash joins the history. Sessions and mail are the
 * caller's business. Returns ok, or a refusal (WEAKP, REUSD) for the caller to return.
 * Definer: reads and writes the password hashes in app_private.user_security and password_history, which no client
 * role may touch.
 */
create or replace function app_private.set_password(user_id uuid, new_password text) returns app_public.outcome
language plpgsql volatile security definer
set search_path to pg_catalog, extensions, pg_temp as $$
declare
  v_user app_public.users;
  v_security app_private.user_security;
  v_violation text;
  v_keep integer := config.setting_integer('auth.password_history_count');
begin
  select u.* into v_user from app_public.users u where u.id = set_password.user_id;
  select s.* into v_security from app_private.user_security s where s.user_id = set_password.user_id for update;

  v_violation := app_private.password_policy_violation(new_password, v_user.username::text, v_user.email::text);
  if v_violation is not null then
    return row(false, 'WEAKP', v_violation, null)::app_public.outcome;
  end if;

  if v_keep > 0 and (
       app_private.verify_password(new_password, v_security.password_hash, v_security.password_scheme)
       or exists (
         select 1 from (
           select h.password_hash, h.password_scheme from app_private.password_history h
           where h.user_id = set_password.user_id order by h.created_at desc, h.id desc limit v_keep - 1
         ) recent
         where app_private.verify_password(new_password, recent.password_hash, recent.password_scheme)
       )) then
    return row(false, 'REUSD', format('Choose a password you have not used for your last %s passwords.', v_keep), null)::app_public.outcome;
  end if;

  insert into app_private.password_history (user_id, password_hash, password_scheme, created_at)
  values (set_password.user_id, v_security.password_hash, v_security.password_scheme, v_security.password_changed_at);
  delete from app_private.password_history h
   where h.user_id = set_password.user_id
     and h.id not in (select k.id from app_private.password_history k where k.user_id = set_password.user_id
                      order by k.created_at desc, k.id desc limit greatest(v_keep - 1, 0));
  update app_private.user_security s
     set password_hash = app_private.hash_password(new_password), password_scheme = 'bcrypt-sha384',
         password_changed_at = app_hidden.clock_now()
   where s.user_id = set_password.user_id;
  return row(true, null, null, null)::app_public.outcome;
end;
$$;
comment on function app_private.set_password(uuid, text) is
  'Sets a new password under the policy and the history rule; returns ok or the refusal (WEAKP, REUSD).';
