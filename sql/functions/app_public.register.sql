/*
 * Creating an account. Email addresses are not enumerable: a new address and one that already has an account get the
 * same answer and cost the same time (the password is hashed before anything is looked up); the owner of an existing
 * address is told by mail that someone tried to register with it. Usernames are public handles, so a taken one is
 * reported (TAKEN). Refusals return a refusal_code (sql/README.md, "Refusals") so their audit rows stay.
 * Definer: creates the account and writes its password hash to app_private.user_security.
 */
create or replace function app_public.register(
  username text,
  email text,
  password text,
  first_name text default null,
  last_name text default null,
  display_name text default null,
  gdpr_consent boolean default false
) returns app_public.registration
language plpgsql volatile security definer
set search_path to pg_catalog, extensions, pg_temp as $$
declare
  v_username citext := btrim(register.username);
  v_email citext := btrim(register.email);
  v_verification_required boolean := config.setting_boolean('auth.require_email_verification');
  v_retry integer;
  v_violation text;
  v_hash text;
  v_user_id uuid;
  v_constraint text;
  v_event constant text := 'user.register';
  v_base app_public.registration := row(v_email, v_verification_required, null, null, null);
  v_personal jsonb := jsonb_build_object('username', v_username);
begin
  /* Before anything else, and before any hashing. */
  v_retry := app_private.rate_limit_hit(app_private.client_ip_bucket('register'),
    config.setting_integer('rate_limit.register_per_client_ip.max'),
    config.setting_interval('rate_limit.register_per_client_ip.window'));
  if v_retry is not null then
    return app_private.refuse(v_base, v_event, 'LIMIT',
      format('Too many registrations from your address: try again in %s seconds.', v_retry), retry_after => v_retry);
  end if;

  if v_username is null or length(v_username) not between 3 and 50
     or v_username !~ '^[A-Za-z0-9](?:[A-Za-z0-9_.-]*[A-Za-z0-9])?$' then
    raise exception 'A username has 3 to 50 letters, digits, dots, dashes or underscores, and starts and ends with a letter or digit.'
      using errcode = 'INVAL', hint = 'Choose another username.';
  end if;
  if v_email is null or length(v_email) > 254 or v_email !~ '^[^@[:space:]]+@[^@[:space:]]+\.[^@[:space:]]+$' then
    raise exception 'That is not an email address.' using errcode = 'INVAL', hint = 'Check the address.';
  end if;
  if length(first_name) > 100 or length(last_name) > 100 or length(display_name) > 100 then
    raise exception 'Names have at most 100 characters.' using errcode = 'INVAL', hint = 'Shorten the name.';
  end if;

  v_violation := app_private.password_policy_violation(password, v_username::text, v_email::text);
  if v_violation is not null then
    return app_private.refuse(v_base, v_event, 'WEAKP', v_violation, personal_values => v_personal);
  end if;

  /* Hash first: whatever follows, every registration has spent the same bcrypt work. */
  v_hash := app_private.hash_password(password);

  if exists (select 1 from app_public.users u where u.username = v_username and u.deleted_at is null) then
    return app_private.refuse(v_base, v_event, 'TAKEN', 'That username is taken: choose another.',
      personal_values => v_personal);
  end if;

  select u.id into v_user_id from app_public.users u where u.email = v_email and u.deleted_at is null;
  if found then
    perform app_private.notify('duplicate_registration', v_user_id);
    /* Answered as a success: the caller must not learn that the address has an account. */
    perform app_private.record_refusal(v_event, null, 'email_in_use', subject_id => v_user_id,
      personal_values => v_personal);
    return v_base;
  end if;

  begin
    insert into app_public.users (username, email, first_name, last_name, display_name, gdpr_consent_at)
    values (v_username, v_email, nullif(btrim(first_name), ''), nullif(btrim(last_name), ''),
            coalesce(nullif(btrim(display_name), ''), v_username::text),
            case when gdpr_consent then app_hidden.clock_now() end)
    returning id into v_user_id;
  exception when unique_violation then
    /* A registration running at the same moment took the username or the address. */
    get stacked diagnostics v_constraint = constraint_name;
    if v_constraint = 'users_username_key' then
      return app_private.refuse(v_base, v_event, 'TAKEN', 'That username is taken: choose another.',
        personal_values => v_personal);
    end if;
    perform app_private.record_refusal(v_event, null, 'email_in_use', personal_values => v_personal);
    return v_base;
  end;

  insert into app_private.user_security (user_id, password_hash, password_scheme)
  values (v_user_id, v_hash, 'bcrypt-sha384');
  perform app_private.request_email_verification(v_user_id);
  perform audit.record_event(v_event, 'success', personal_values => v_personal,
    subject_id => v_user_id, entity_type => 'user', entity_id => v_user_id::text);
  return v_base;
end;
$$;
comment on function app_public.register(text, text, text, text, text, text, boolean) is
  'Creates an account and mails a link to verify the address. The answer does not tell whether the address already had an account.';
grant execute on function app_public.register(text, text, text, text, text, text, boolean) to app_anonymous;
