import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CURRENT_USER, bearer, errorCode, loginTokens, registerVerifiedUser } from "../../helpers/auth.ts";
import { useGateway } from "../../helpers/gateway.ts";
import { Inbox } from "../../helpers/mail.ts";

const api = useGateway();
let inbox: Inbox;
beforeAll(async () => {
  inbox = await Inbox.create();
});
afterAll(() => inbox.remove());

const MY_SESSIONS = `{ mySessions { nodes { rowId createdAt lastRefreshedAt expiresAt ip userAgent isCurrent } } }`;
const REVOKE = `mutation ($id: UUID!) { revokeSession(input: { sessionId: $id }) { result { ok } } }`;

interface SessionNode {
  rowId: string;
  isCurrent: boolean;
  userAgent: string | null;
  ip: string | null;
}

describe("mySessions and revokeSession (ASVS 7.5.2)", () => {
  it("lists the caller's live sessions with device, address and which one is current", async () => {
    const user = await registerVerifiedUser(api.client, api.db.urls.worker, inbox);
    const laptop = await loginTokens(api.client, user.email, user.password);
    const phone = await loginTokens(api.client, user.email, user.password);
    const response = await api.client.graphql<{ mySessions: { nodes: SessionNode[] } }>(
      MY_SESSIONS,
      {},
      bearer(laptop.accessToken),
    );
    const nodes = response.data!.mySessions.nodes;
    expect(nodes.map((n) => n.rowId).sort()).toEqual([laptop.sessionId, phone.sessionId].sort());
    expect(nodes.find((n) => n.isCurrent)?.rowId).toBe(laptop.sessionId);
    expect(nodes[0]?.userAgent).toBeTruthy();
    expect(nodes[0]?.ip).toMatch(/127\.0\.0\.1|::1/);
  });

  it("revokeSession ends that session: its access token is useless on the next request", async () => {
    const user = await registerVerifiedUser(api.client, api.db.urls.worker, inbox);
    const laptop = await loginTokens(api.client, user.email, user.password);
    const phone = await loginTokens(api.client, user.email, user.password);
    const revoked = await api.client.graphql(REVOKE, { id: phone.sessionId }, bearer(laptop.accessToken));
    expect(revoked.data).toEqual({ revokeSession: { result: { ok: true } } });
    const me = await api.client.graphql<{ currentUser: unknown }>(CURRENT_USER, {}, bearer(phone.accessToken));
    expect(me.data?.currentUser).toBeNull();
    const still = await api.client.graphql<{ currentUser: unknown }>(CURRENT_USER, {}, bearer(laptop.accessToken));
    expect(still.data?.currentUser).not.toBeNull();
  });

  it("cannot end someone else's session (NTFND), and needs a login (LOGIN)", async () => {
    const alice = await registerVerifiedUser(api.client, api.db.urls.worker, inbox);
    const bob = await registerVerifiedUser(api.client, api.db.urls.worker, inbox);
    const a = await loginTokens(api.client, alice.email, alice.password);
    const b = await loginTokens(api.client, bob.email, bob.password);
    expect(errorCode(await api.client.graphql(REVOKE, { id: b.sessionId }, bearer(a.accessToken)))).toBe("NTFND");
    expect(errorCode(await api.client.graphql(REVOKE, { id: b.sessionId }))).toBe("LOGIN");
    const me = await api.client.graphql<{ currentUser: unknown }>(CURRENT_USER, {}, bearer(b.accessToken));
    expect(me.data?.currentUser).not.toBeNull();
  });
});
