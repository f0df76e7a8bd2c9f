import { execFile } from "node:child_process";
import path from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { PROJECT_ROOT } from "../../src/config.ts";
import { useTestDatabase } from "../helpers/database.ts";
import { createUser } from "../../fixtures/users.ts";

const run = promisify(execFile);
const db = useTestDatabase();

function createAdmin(email: string) {
  const urls = db.current.urls;
  return run(process.execPath, [path.join(PROJECT_ROOT, "scripts/create-admin.ts"), "--email", email], {
    env: {
      PATH: process.env.PATH ?? "",
      DATABASE_URL: urls.authenticator,
      DATABASE_OWNER_URL: urls.owner,
      WORKER_DATABASE_URL: urls.worker,
      GATEHOUSE_ENV: "test",
    },
  });
}

describe("npm run create-admin", () => {
  it("makes a verified account a global super_admin, audited", async () => {
    const client = await db.current.root.connect();
    const user = await createUser(client).finally(() => client.release());
    const { stdout } = await createAdmin(user.email);
    expect(stdout).toContain("is now a super_admin");
    const { rows } = await db.current.root.query(
      "select app_hidden.user_has_permission($1, 'settings:manage', null) as ok",
      [user.id],
    );
    expect(rows[0].ok).toBe(true);
    const { rows: events } = await db.current.root.query(
      "select count(*)::int as n from audit.events where event_type = 'role.assign' and subject_id = $1",
      [user.id],
    );
    expect(events[0].n).toBe(1);
  });

  it("refuses an unknown address in one line", async () => {
    await expect(createAdmin("nobody@example.test")).rejects.toMatchObject({
      code: 1,
      stderr: "create-admin: There is no verified account with the address nobody@example.test.\n",
    });
  });
});
