/*
 * `npm run db:reset` loads the development seed: the feature flags, then the data generator (fixtures/generate/) at
 * small size. Loaded here into a database of this file's own (the generator commits), the way db:reset does.
 */
import { describe, expect, it } from "vitest";
import { DEVELOPMENT_DATASET, loadDevelopmentSeed } from "../../src/db/developmentSeed.ts";
import { asAnonymous, useTestDatabase, withRollback } from "../helpers/database.ts";

const db = useTestDatabase();

describe("development seed", () => {
  it("loads the flags and a small generated world whose sample account can log in", async () => {
    const report = await loadDevelopmentSeed(db.current.urls.owner);
    expect(report.users).toBe(DEVELOPMENT_DATASET.users);

    const { rows } = await db.current.root.query(`
      select (select count(*)::int from app_public.users) as users,
             (select count(*)::int from app_public.organizations) as organizations,
             (select count(*)::int from app_public.memberships) as memberships,
             (select count(*)::int from app_public.user_roles) as grants,
             (select count(*)::int from app_private.role_ancestors where role_id <> ancestor_id) as inherited,
             (select count(*)::int from config.feature_flags where name = 'ui.dark_mode') as flags`);
    expect(rows[0]).toMatchObject({ users: 1000, organizations: DEVELOPMENT_DATASET.organizations, flags: 1 });
    expect(rows[0].memberships).toBeGreaterThanOrEqual(1000);
    expect(rows[0].grants).toBeGreaterThan(0);
    expect(rows[0].inherited).toBeGreaterThan(0);

    expect(report.sampleLogin).toMatch(/@/);
    const login = await withRollback(db.current, async (client) => {
      await asAnonymous(client);
      const r = await client.query("select user_id, refusal_code from app_public.login($1, $2)", [
        report.sampleLogin,
        report.password,
      ]);
      return r.rows[0];
    });
    expect(login).toMatchObject({ refusal_code: null });
    expect(login.user_id).toBeTruthy();
  });
});
