create or replace function app_public.has_permission(permission text, organization_id uuid default app_hidden.current_organization_id())
returns boolean
language sql stable as $$
  select coalesce(app_hidden.user_has_permission(app_hidden.current_user_id(), permission, organization_id), false)
$$;
comment on function app_public.has_permission(text, uuid) is
  'Whether you hold a permission (resource:action) in an organisation: by default the one your token acts in.';
grant execute on function app_public.has_permission(text, uuid) to app_authenticated;
