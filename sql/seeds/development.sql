-- Development seed data, loaded by `npm run db:reset` (src/db/developmentSeed.ts, which then adds generated accounts,
-- organisations and roles). Never loaded into production databases.
insert into config.feature_flags (name, description, enabled, is_public, rules) values
  ('ui.dark_mode', 'Offer the dark colour scheme in client applications.', true, true, '{}'),
  ('ui.new_dashboard', 'The redesigned dashboard, rolled out to half of the accounts.', true, true, '{"percentage": 50}'),
  ('auth.passkeys', 'Passkey login (not yet built).', false, false, '{}')
on conflict (name) do nothing;
