/**
 * Organisations over GraphQL with committed data: the invitation journey through the mail file, the active
 * organisation in the token (tid), removal taking effect on the next request, refusals that stay audited.
 */
import { decodeJwt } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bearer, errorCode, loginTokens, registerVerifiedUser, type LoginTokens } from "../helpers/auth.ts";
import { useGateway } from "../helpers/gateway.ts";
import { Inbox, runJobs } from "../helpers/mail.ts";

const api = useGateway();
let inbox: Inbox;
beforeAll(async () => {
  inbox = await Inbox.create();
});
afterAll(() => inbox.remove());

const CREATE_ORG = `mutation ($name: String!, $slug: String!) {
  createOrganization(input: { name: $name, slug: $slug }) { result { organizationId } }
}`;
const INVITE = `mutation ($org: UUID!, $email: String!) { inviteMember(input: { organizationId: $org, email: $email }) { result { organizationId } } }`;
const ACCEPT = `mutation ($token: String!) { acceptInvitation(input: { token: $token }) { result { organizationId } } }`;
const SWITCH = `mutation ($org: UUID) { switchOrganization(input: { organizationId: $org }) { result { accessToken accessTokenExpiresAt } } }`;
const HAS = `query ($permission: String!) { hasPermission(permission: $permission) }`;
const REMOVE = `mutation ($org: UUID!, $user: UUID!) { removeMember(input: { organizationId: $org, userId: $user }) { result { organizationId } } }`;
const ASSIGN = `mutation ($user: UUID!, $role: UUID!, $org: UUID) { assignRole(input: { userId: $user, roleId: $role, organizationId: $org }) { result { roleId } } }`;

async function person(): Promise<{ email: string; password: string; tokens: LoginTokens }> {
  const user = await registerVerifiedUser(api.client, api.db.urls.worker, inbox);
  return { ...user, tokens: await loginTokens(api.client, user.email, user.password) };
}

async function systemRole(name: string): Promise<string> {
  const { rows } = await api.db.root.query("select id from app_public.roles where name = $1 and is_system", [name]);
  return rows[0].id;
}

describe("organisations", () => {
  it("invitation journey: invite by mail, accept while logged in, act in the organisation, lose access when removed", async () => {
    const admin = await person();
    const invitee = await person();
    const created = await api.client.graphql<{ createOrganization: { result: { organizationId: string } } }>(
      CREATE_ORG,
      { name: "Acme", slug: `acme-${Date.now()}` },
      bearer(admin.tokens.accessToken),
    );
    const org = created.data!.createOrganization.result.organizationId;

    expect(
      (await api.client.graphql(INVITE, { org, email: invitee.email }, bearer(admin.tokens.accessToken))).errors,
    ).toBeUndefined();
    await runJobs(api.db.urls.worker, inbox);
    const mail = (await inbox.to(invitee.email)).find((m) => m.subject === "You are invited to join Acme")!;
    const token = /accept-invitation\?token=([A-Za-z0-9_-]+)/.exec(mail.text)![1]!;

    expect(errorCode(await api.client.graphql(ACCEPT, { token }, bearer(admin.tokens.accessToken)))).toBe("LINKX");
    expect((await api.client.graphql(ACCEPT, { token }, bearer(invitee.tokens.accessToken))).data).toEqual({
      acceptInvitation: { result: { organizationId: org } },
    });
    expect(errorCode(await api.client.graphql(ACCEPT, { token }, bearer(invitee.tokens.accessToken)))).toBe("LINKX");

    const switched = await api.client.graphql<{ switchOrganization: { result: { accessToken: string } } }>(
      SWITCH,
      { org },
      bearer(invitee.tokens.accessToken),
    );
    const orgToken = switched.data!.switchOrganization.result.accessToken;
    expect(decodeJwt(orgToken).tid).toBe(org);
    const canRead = await api.client.graphql<{ hasPermission: boolean }>(
      HAS,
      { permission: "projects:read" },
      bearer(orgToken),
    );
    expect(canRead.data?.hasPermission).toBe(true);
    const canManage = await api.client.graphql<{ hasPermission: boolean }>(
      HAS,
      { permission: "roles:manage" },
      bearer(orgToken),
    );
    expect(canManage.data?.hasPermission).toBe(false);

    const inviteeId = invitee.tokens.user.rowId;
    expect(
      (await api.client.graphql(REMOVE, { org, user: inviteeId }, bearer(admin.tokens.accessToken))).errors,
    ).toBeUndefined();
    const after = await api.client.graphql<{ hasPermission: boolean }>(
      HAS,
      { permission: "projects:read" },
      bearer(orgToken),
    );
    expect(after.data?.hasPermission).toBe(false);
  });

  it("refresh keeps minting for the session's active organisation", async () => {
    const admin = await person();
    const created = await api.client.graphql<{ createOrganization: { result: { organizationId: string } } }>(
      CREATE_ORG,
      { name: "Refreshers", slug: `refresh-${Date.now()}` },
      bearer(admin.tokens.accessToken),
    );
    const org = created.data!.createOrganization.result.organizationId;
    await api.client.graphql(SWITCH, { org }, bearer(admin.tokens.accessToken));
    const refreshed = await api.client.graphql<{ refreshToken: { result: { accessToken: string } } }>(
      `mutation ($t: String!) { refreshToken(input: { refreshToken: $t }) { result { accessToken } } }`,
      { t: admin.tokens.refreshToken },
    );
    expect(decodeJwt(refreshed.data!.refreshToken.result.accessToken).tid).toBe(org);
  });

  it("an escalation attempt is refused with PERMS and its audit row stays committed", async () => {
    const admin = await person();
    const helper = await person();
    const created = await api.client.graphql<{ createOrganization: { result: { organizationId: string } } }>(
      CREATE_ORG,
      { name: "Guarded", slug: `guarded-${Date.now()}` },
      bearer(admin.tokens.accessToken),
    );
    const org = created.data!.createOrganization.result.organizationId;
    await api.db.root.query("insert into app_public.memberships (organization_id, user_id) values ($1, $2)", [
      org,
      helper.tokens.user.rowId,
    ]);
    await api.db.root.query(
      "insert into app_public.user_roles (user_id, role_id, organization_id) select $2, id, $1 from app_public.roles where name = 'user_manager' and is_system",
      [org, helper.tokens.user.rowId],
    );
    const response = await api.client.graphql(
      ASSIGN,
      { user: helper.tokens.user.rowId, role: await systemRole("org_admin"), org },
      { ...bearer(helper.tokens.accessToken), "x-request-id": "escalation-attempt-1" },
    );
    expect(errorCode(response)).toBe("PERMS");
    const { rows } = await api.db.root.query(
      "select event_type, outcome, reason from audit.events where request_id = 'escalation-attempt-1'",
    );
    expect(rows).toEqual([{ event_type: "role.assign", outcome: "refused", reason: "PERMS" }]);
  });

  it("endOrganizationSessions ends every session acting in the organisation but the caller's", async () => {
    const admin = await person();
    const member = await person();
    const created = await api.client.graphql<{ createOrganization: { result: { organizationId: string } } }>(
      CREATE_ORG,
      { name: "Closers", slug: `closers-${Date.now()}` },
      bearer(admin.tokens.accessToken),
    );
    const org = created.data!.createOrganization.result.organizationId;
    await api.db.root.query("insert into app_public.memberships (organization_id, user_id) values ($1, $2)", [
      org,
      member.tokens.user.rowId,
    ]);
    const memberOrgToken = (
      await api.client.graphql<{ switchOrganization: { result: { accessToken: string } } }>(
        SWITCH,
        { org },
        bearer(member.tokens.accessToken),
      )
    ).data!.switchOrganization.result.accessToken;
    const adminOrgToken = (
      await api.client.graphql<{ switchOrganization: { result: { accessToken: string } } }>(
        SWITCH,
        { org },
        bearer(admin.tokens.accessToken),
      )
    ).data!.switchOrganization.result.accessToken;
    const ended = await api.client.graphql(
      `mutation ($o: UUID!) { endOrganizationSessions(input: { organizationId: $o }) { result { organizationId } } }`,
      { o: org },
      bearer(adminOrgToken),
    );
    expect(ended.errors).toBeUndefined();
    const me = (token: string) =>
      api.client.graphql<{ currentUser: unknown }>(`{ currentUser { rowId } }`, {}, bearer(token));
    expect((await me(memberOrgToken)).data?.currentUser).toBeNull();
    expect((await me(adminOrgToken)).data?.currentUser).not.toBeNull();
  });

  it("an admin with sessions:revoke ends a member's sessions", async () => {
    const admin = await person();
    const member = await person();
    const created = await api.client.graphql<{ createOrganization: { result: { organizationId: string } } }>(
      CREATE_ORG,
      { name: "Enders", slug: `enders-${Date.now()}` },
      bearer(admin.tokens.accessToken),
    );
    const org = created.data!.createOrganization.result.organizationId;
    await api.db.root.query("insert into app_public.memberships (organization_id, user_id) values ($1, $2)", [
      org,
      member.tokens.user.rowId,
    ]);
    const ended = await api.client.graphql(
      `mutation ($u: UUID!, $o: UUID) { endUserSessions(input: { userId: $u, organizationId: $o }) { result { organizationId } } }`,
      { u: member.tokens.user.rowId, o: org },
      bearer(admin.tokens.accessToken),
    );
    expect(ended.errors).toBeUndefined();
    const me = await api.client.graphql<{ currentUser: unknown }>(
      `{ currentUser { rowId } }`,
      {},
      bearer(member.tokens.accessToken),
    );
    expect(me.data?.currentUser).toBeNull();
  });
});
