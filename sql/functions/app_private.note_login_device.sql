/*
 * Remembers the device (a hash of the user agent) an account just logged in from. A device not seen before, on an
 * account that already knew other devices, gets the owner a "new sign-in" mail: once per device.
 * Definer: reads and writes app_private.known_devices, which no client role may touch, and queues mail (notify).
 */
create or replace function app_private.note_login_device(user_id uuid) returns void
language plpgsql volatile security definer
set search_path to pg_catalog, extensions, pg_temp as $$
declare
  v_hash bytea := extensions.digest(coalesce(app_hidden.current_user_agent(), ''), 'sha256');
begin
  insert into app_private.known_devices (user_id, device_hash) values (note_login_device.user_id, v_hash)
  on conflict do nothing;
  if not found then
    update app_private.known_devices d set last_seen_at = app_hidden.clock_now()
     where d.user_id = note_login_device.user_id and d.device_hash = v_hash;
  elsif exists (select 1 from app_private.known_devices d
                where d.user_id = note_login_device.user_id and d.device_hash <> v_hash) then
    perform app_private.notify('new_sign_in', note_login_device.user_id);
  end if;
end;
$$;
comment on function app_private.note_login_device(uuid) is
  'Records the device of a login and queues a new-sign-in mail the first time a further device is used.';
