/**
 * Refusals the tenant can see, over HTTP with committed data: a refused attempt against an organisation lands in its
 * audit trail, where its auditors (audit:read there) see the actor, the action, the code and the time, while the
 * personal part (client IP, user agent) stays readable only to global auditors; one actor can leave only so many of
 * them in a window, so nobody can flood an organisation's trail.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { bearer, errorCode, loginTokens, registerVerifiedUser, setSetting, type LoginTokens } from "../helpers/auth.ts";
import { useGateway } from "../helpers/gateway.ts";
import { Inbox, runJobs } from "../helpers/mail.ts";

const api = useGateway();
let inbox: Inbox;
beforeAll(async () => {
  inbox = await Inbox.create();
});
afterAll(() => inbox.remove());
afterEach(async () => {
  await api.db.root.query("update config.system_settings set value = '100000' where key like 'rate_limit.%.max'");
});

interface Person {
  id: string;
  email: string;
  tokens: LoginTokens;
}

async function person(): Promise<Person> {
  const user = await registerVerifiedUser(api.client, api.db.urls.worker, inbox);
  const tokens = await loginTokens(api.client, user.email, user.password);
  return { id: tokens.user.rowId, email: user.email, tokens };
}

async function organisation(admin: Person): Promise<string> {
  const created = await api.client.graphql<{ createOrganization: { result: { organizationId: string } } }>(
    `mutation ($slug: String!) { createOrganization(input: { name: "Watched", slug: $slug }) { result { organizationId } } }`,
    { slug: `watched-${Date.now()}-${Math.floor(Math.random() * 1e6)}` },
    bearer(admin.tokens.accessToken),
  );
  return created.data!.createOrganization.result.organizationId;
}

async function grantRole(userId: string, role: string, org: string | null): Promise<void> {
  if (org)
    await api.db.root.query(
      "insert into app_public.memberships (organization_id, user_id) values ($1, $2) on conflict do nothing",
      [org, userId],
    );
  await api.db.root.query(
    "insert into app_public.user_roles (user_id, role_id, organization_id) select $1, id, $3 from app_public.roles where name = $2 and is_system",
    [userId, role, org],
  );
}

interface Seen {
  eventType: string;
  outcome: string;
  reason: string;
  actorId: string;
  occurredAt: string;
  clientIp: string | null;
}

async function refusalsSeenBy(viewer: Person, org: string, actor: string): Promise<Seen[]> {
  const response = await api.client.graphql<{ auditEvents: { nodes: Seen[] } }>(
    `query ($org: UUID, $actor: UUID) { auditEvents(organizationId: $org, userId: $actor) {
       nodes { eventType outcome reason actorId occurredAt clientIp } } }`,
    { org, actor },
    bearer(viewer.tokens.accessToken),
  );
  if (response.errors) throw new Error(JSON.stringify(response.errors));
  return response.data!.auditEvents.nodes.filter((n) => n.outcome === "refused");
}

const ATTEMPTS: Record<string, { query: string; code: string; eventType: string }> = {
  inviteMember: {
    query: `mutation ($org: UUID!) { inviteMember(input: { organizationId: $org, email: "friend@example.test" }) { result { organizationId } } }`,
    code: "PERMS",
    eventType: "invitation.create",
  },
  assignRole: {
    query: `mutation ($org: UUID!, $user: UUID!, $role: UUID!) { assignRole(input: { userId: $user, roleId: $role, organizationId: $org }) { result { roleId } } }`,
    code: "PERMS",
    eventType: "role.assign",
  },
  removeMember: {
    query: `mutation ($org: UUID!, $user: UUID!) { removeMember(input: { organizationId: $org, userId: $user }) { result { organizationId } } }`,
    code: "PERMS",
    eventType: "membership.remove",
  },
  endUserSessions: {
    query: `mutation ($org: UUID!, $user: UUID!) { endUserSessions(input: { userId: $user, organizationId: $org }) { result { organizationId } } }`,
    code: "PERMS",
    eventType: "auth.sessions_end_user",
  },
  endOrganizationSessions: {
    query: `mutation ($org: UUID!) { endOrganizationSessions(input: { organizationId: $org }) { result { organizationId } } }`,
    code: "PERMS",
    eventType: "auth.sessions_end_organization",
  },
  switchOrganization: {
    query: `mutation ($org: UUID!) { switchOrganization(input: { organizationId: $org }) { result { accessToken } } }`,
    code: "NTFND",
    eventType: "organization.switch",
  },
};

describe("refusals the tenant can see", () => {
  for (const [mutation, attempt] of Object.entries(ATTEMPTS)) {
    it(`${mutation} without the right lands in the organisation's trail, without the personal part (${attempt.code})`, async () => {
      const admin = await person();
      const org = await organisation(admin);
      const intruder = await person();
      const globalAuditor = await person();
      await grantRole(globalAuditor.id, "auditor", null);
      /* A plain member for the member-targeted mutations; switchOrganization is tried by a non-member. */
      if (mutation !== "switchOrganization") await grantRole(intruder.id, "member", org);
      const { rows } = await api.db.root.query(
        "select id from app_public.roles where name = 'org_admin' and is_system",
      );
      const response = await api.client.graphql(
        attempt.query,
        { org, user: admin.id, role: rows[0].id },
        bearer(intruder.tokens.accessToken),
      );
      expect(errorCode(response)).toBe(attempt.code);

      const seen = await refusalsSeenBy(admin, org, intruder.id);
      expect(seen.map(({ eventType, reason, actorId }) => ({ eventType, reason, actorId }))).toEqual([
        { eventType: attempt.eventType, reason: attempt.code, actorId: intruder.id },
      ]);
      expect(seen[0]!.occurredAt).toBeTruthy();
      expect(seen[0]!.clientIp).toBeNull();
      const seenGlobally = await refusalsSeenBy(globalAuditor, org, intruder.id);
      expect(seenGlobally.map((n) => n.clientIp)).toEqual(["127.0.0.1"]);
    });
  }

  it("accepting an organisation's invitation as someone else lands in its trail (LINKX)", async () => {
    const admin = await person();
    const org = await organisation(admin);
    const invitee = `${Date.now()}-invitee@example.test`;
    const invited = await api.client.graphql(
      `mutation ($org: UUID!, $email: String!) { inviteMember(input: { organizationId: $org, email: $email }) { result { organizationId } } }`,
      { org, email: invitee },
      bearer(admin.tokens.accessToken),
    );
    expect(invited.errors).toBeUndefined();
    await runJobs(api.db.urls.worker, inbox);
    const mail = (await inbox.to(invitee))[0]!;
    const token = /accept-invitation\?token=([A-Za-z0-9_-]+)/.exec(mail.text)![1]!;
    const stranger = await person();
    const response = await api.client.graphql(
      `mutation ($token: String!) { acceptInvitation(input: { token: $token }) { result { organizationId } } }`,
      { token },
      bearer(stranger.tokens.accessToken),
    );
    expect(errorCode(response)).toBe("LINKX");
    const seen = await refusalsSeenBy(admin, org, stranger.id);
    expect(seen.map(({ eventType, reason }) => ({ eventType, reason }))).toEqual([
      { eventType: "invitation.accept", reason: "LINKX" },
    ]);
  });

  it("one actor leaves at most rate_limit.organization_refusals_per_actor refusals in a trail; then LIMIT", async () => {
    const admin = await person();
    const org = await organisation(admin);
    const member = await person();
    await grantRole(member.id, "member", org);
    await setSetting(api.db.root, "rate_limit.organization_refusals_per_actor.max", 3);
    const codes: Array<string | undefined> = [];
    for (let i = 0; i < 5; i++)
      codes.push(
        errorCode(await api.client.graphql(ATTEMPTS.inviteMember!.query, { org }, bearer(member.tokens.accessToken))),
      );
    expect(codes).toEqual(["PERMS", "PERMS", "PERMS", "LIMIT", "LIMIT"]);
    expect(await refusalsSeenBy(admin, org, member.id)).toHaveLength(3);
    const { rows } = await api.db.root.query<{ n: number }>(
      `select count(*)::int as n from audit.events
        where actor_id = $1 and organisation_id is null and reason = 'organization_refusals_limit'`,
      [member.id],
    );
    expect(rows[0]!.n).toBe(2);
  });
});
