/*
 * The offset of the movable clock (development and test databases only): set by config.set_clock_offset.
 * No role but the owner holds a privilege: only security definer functions reach it.
 */
revoke all on config.clock from public, authenticator, app_anonymous, app_authenticated, app_worker, app_analytics;
