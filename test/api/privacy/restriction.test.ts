/**
 * Restriction of processing (GDPR Art. 18): an administrator with users:manage freezes an account (sessions end,
 * login refused) while its data stays as it is, and erasure by retention date waits; lifting it lets the person in.
 */
import { afterAll, describe, expect, it } from "vitest";
import { bearer, errorCode, login, loginTokens, registerVerifiedUser } from "../../helpers/auth.ts";
import { useGateway } from "../../helpers/gateway.ts";
import { Inbox, runJobs } from "../../helpers/mail.ts";
import { grantSystemRole } from "../../helpers/users.ts";

const api = useGateway();
const inbox = await Inbox.create();
afterAll(() => inbox.remove());

const RESTRICT = `mutation ($u: UUID!, $r: Boolean!) { restrictProcessing(input: { userId: $u, restricted: $r }) { result { ok } } }`;

describe("restrictProcessing", () => {
  it("freezes an account and keeps its data until lifted; only users:manage may", async () => {
    const person = await registerVerifiedUser(api.client, api.db.urls.worker, inbox);
    const personTokens = await loginTokens(api.client, person.email, person.password);
    const admin = await registerVerifiedUser(api.client, api.db.urls.worker, inbox);
    const adminTokens = await loginTokens(api.client, admin.email, admin.password);

    expect(
      errorCode(
        await api.client.graphql(RESTRICT, { u: personTokens.user.rowId, r: true }, bearer(adminTokens.accessToken)),
      ),
    ).toBe("PERMS");
    const root = await api.db.root.connect();
    await grantSystemRole(root, adminTokens.user.rowId, "super_admin").finally(() => root.release());

    expect(
      (await api.client.graphql(RESTRICT, { u: personTokens.user.rowId, r: true }, bearer(adminTokens.accessToken)))
        .errors,
    ).toBeUndefined();
    const me = await api.client.graphql<{ currentUser: unknown }>(
      `{ currentUser { rowId } }`,
      {},
      bearer(personTokens.accessToken),
    );
    expect(me.data?.currentUser ?? null).toBeNull();
    expect(errorCode(await login(api.client, person.email, person.password))).toBe("WRONG");

    /* A retention date that passes while restricted erases nothing. */
    await api.db.root.query("update app_public.users set retention_until = current_date - 1 where id = $1", [
      personTokens.user.rowId,
    ]);
    await api.db.root.query("select graphile_worker.add_job('users__erase_due', '{}'::json)");
    await runJobs(api.db.urls.worker, inbox);
    await runJobs(api.db.urls.worker, inbox);
    const { rows } = await api.db.root.query("select email, erased_at, status from app_public.users where id = $1", [
      personTokens.user.rowId,
    ]);
    expect(rows[0]).toMatchObject({ email: person.email, erased_at: null, status: "suspended" });

    await api.db.root.query("update app_public.users set retention_until = null where id = $1", [
      personTokens.user.rowId,
    ]);
    expect(
      (await api.client.graphql(RESTRICT, { u: personTokens.user.rowId, r: false }, bearer(adminTokens.accessToken)))
        .errors,
    ).toBeUndefined();
    expect((await login(api.client, person.email, person.password)).data?.login?.result?.accessToken).toBeTruthy();
  });
});
