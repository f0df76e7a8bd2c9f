/**
 * The auditor's view over GraphQL: audit:read in an organisation shows its events, filtered and paginated; counts per
 * type per day; nothing for anyone else.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bearer, loginTokens, registerVerifiedUser, type LoginTokens } from "../helpers/auth.ts";
import { useGateway } from "../helpers/gateway.ts";
import { Inbox } from "../helpers/mail.ts";

const api = useGateway();
let inbox: Inbox;
let admin: LoginTokens;
let stranger: LoginTokens;
let org: string;

async function person(): Promise<LoginTokens> {
  const user = await registerVerifiedUser(api.client, api.db.urls.worker, inbox);
  return loginTokens(api.client, user.email, user.password);
}

beforeAll(async () => {
  inbox = await Inbox.create();
  admin = await person();
  stranger = await person();
  const created = await api.client.graphql<{ createOrganization: { result: { organizationId: string } } }>(
    `mutation ($slug: String!) { createOrganization(input: { name: "Audited", slug: $slug }) { result { organizationId } } }`,
    { slug: `audited-${Date.now()}` },
    bearer(admin.accessToken),
  );
  org = created.data!.createOrganization.result.organizationId;
  for (const name of ["alpha", "beta", "gamma"]) {
    await api.client.graphql(
      `mutation ($org: UUID!, $name: String!) { createRole(input: { organizationId: $org, name: $name }) { result { roleId } } }`,
      { org, name },
      { ...bearer(admin.accessToken), "x-request-id": `create-role-${name}` },
    );
  }
});
afterAll(() => inbox.remove());

const EVENTS = `query ($org: UUID, $type: String, $request: String, $first: Int, $after: Cursor) {
  auditEvents(organizationId: $org, eventType: $type, requestId: $request, first: $first, after: $after) {
    nodes { eventType outcome actorId organizationId requestId }
    pageInfo { hasNextPage endCursor }
  }
}`;

interface EventsPage {
  auditEvents: {
    nodes: Array<{ eventType: string; outcome: string; actorId: string; organizationId: string; requestId: string }>;
    pageInfo: { hasNextPage: boolean; endCursor: string };
  };
}

describe("auditEvents", () => {
  it("shows an organisation's events to its audit:read holders, newest first, page by page", async () => {
    const first = await api.client.graphql<EventsPage>(
      EVENTS,
      { org, type: "role.create", first: 2 },
      bearer(admin.accessToken),
    );
    expect(first.data?.auditEvents.nodes.map((n) => n.requestId)).toEqual(["create-role-gamma", "create-role-beta"]);
    expect(first.data?.auditEvents.pageInfo.hasNextPage).toBe(true);
    const next = await api.client.graphql<EventsPage>(
      EVENTS,
      { org, type: "role.create", first: 2, after: first.data!.auditEvents.pageInfo.endCursor },
      bearer(admin.accessToken),
    );
    expect(next.data?.auditEvents.nodes.map((n) => n.requestId)).toEqual(["create-role-alpha"]);
    expect(next.data?.auditEvents.nodes[0]).toMatchObject({
      outcome: "success",
      actorId: admin.user.rowId,
      organizationId: org,
    });
  });

  it("finds the events of one request", async () => {
    const found = await api.client.graphql<EventsPage>(
      EVENTS,
      { org, request: "create-role-beta" },
      bearer(admin.accessToken),
    );
    expect(found.data?.auditEvents.nodes.map((n) => n.eventType)).toEqual(["role.create", "row.roles.insert"]);
  });

  it("shows nothing to someone without audit:read, in that organisation or globally", async () => {
    for (const variables of [{ org }, {}]) {
      const response = await api.client.graphql<EventsPage>(EVENTS, variables, bearer(stranger.accessToken));
      expect(response.data?.auditEvents.nodes).toEqual([]);
    }
    const own = await api.client.graphql<EventsPage>(EVENTS, {}, bearer(admin.accessToken));
    expect(own.data?.auditEvents.nodes).toEqual([]);
  });
});

describe("auditEventCounts", () => {
  it("counts events per type and outcome per day", async () => {
    const response = await api.client.graphql<{
      auditEventCounts: { nodes: Array<{ eventType: string; outcome: string; events: string }> };
    }>(
      `query ($org: UUID, $from: Datetime!, $to: Datetime!) { auditEventCounts(organizationId: $org, since: $from, until: $to) { nodes { day eventType outcome events } } }`,
      {
        org,
        from: new Date(Date.now() - 86_400_000).toISOString(),
        to: new Date(Date.now() + 86_400_000).toISOString(),
      },
      bearer(admin.accessToken),
    );
    expect(response.data?.auditEventCounts.nodes).toContainEqual(
      expect.objectContaining({ eventType: "role.create", outcome: "success", events: "3" }),
    );
  });
});
