/* Definer: sets status and published_at, columns no client may update directly. */
create or replace function app_public.publish_post(post_id uuid) returns app_public.outcome
language plpgsql volatile security definer
set search_path to pg_catalog, pg_temp as $$
declare
  v_event constant text := 'post.publish';
begin
  update app_public.posts p set status = 'published', published_at = app_hidden.clock_now()
   where p.id = publish_post.post_id and p.author_id = app_hidden.current_user_id() and p.status = 'draft';
  if not found then
    return app_private.refuse(null::app_public.outcome, v_event, 'NTFND', 'You have no draft with that id.',
      entity_type => 'post', entity_id => publish_post.post_id::text);
  end if;
  perform audit.record_event(v_event, 'success', entity_type => 'post', entity_id => publish_post.post_id::text);
  return row(true, null, null, null)::app_public.outcome;
end;
$$;
comment on function app_public.publish_post(uuid) is 'Publishes one of your drafts: everyone signed in can then read it and comment.';
grant execute on function app_public.publish_post(uuid) to app_authenticated;
