/**
 * Every mutation leaves an audit event (issue: 100% of authentication and access events). The mutations are found by
 * introspection: one without an example here fails the test, so a new mutation must be given one. Each example runs
 * through the gateway with its own request id; the test then looks for an event of the expected type with that request
 * id, the caller as actor (when logged in) and the client address (in the event's encrypted part).
 */
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bearer, loginTokens, registerVerifiedUser, type LoginTokens } from "../helpers/auth.ts";
import { useGateway } from "../helpers/gateway.ts";
import type { PrivacyKeys } from "../../src/privacy/privacyKeys.ts";
import { Inbox } from "../helpers/mail.ts";
import { openTestPrivacyKeys } from "../helpers/privacy.ts";

const api = useGateway();
let inbox: Inbox;
let owner: LoginTokens;
let org: string;

interface Example {
  /** The event type the mutation must leave. */
  event: string;
  /** Runs the mutation; `headers` carry the request id. Returns nothing: the audit trail is what is checked. */
  run: (headers: Record<string, string>) => Promise<unknown>;
  /** Whether the call is made as `owner` (the actor to expect). */
  actor: boolean;
}

async function gql(
  query: string,
  variables: Record<string, unknown>,
  headers: Record<string, string>,
): Promise<unknown> {
  const response = await api.client.graphql(query, variables, headers);
  return response.data ?? {};
}

/** data.a.b.c, for the shapes these examples ask for. */
function at<T>(data: unknown, ...keys: string[]): T {
  return keys.reduce<unknown>((value, key) => (value as Record<string, unknown>)[key], data) as T;
}

interface Row {
  rowId: string;
  id: string;
}

const asOwner = (headers: Record<string, string>) => ({ ...headers, ...bearer(owner.accessToken) });
const anyId = () => randomUUID();

/** Rows the CRUD examples work on, created fresh so each example changes something. */
async function newPost(): Promise<Row> {
  const data = await gql(
    `mutation { createPost(input: { post: { title: "P", body: "B" } }) { post { rowId id } } }`,
    {},
    bearer(owner.accessToken),
  );
  return at<Row>(data, "createPost", "post");
}
async function newComment(): Promise<Row> {
  const post = await newPost();
  await gql(
    `mutation ($id: UUID!) { publishPost(input: { postId: $id }) { result { ok } } }`,
    { id: post.rowId },
    bearer(owner.accessToken),
  );
  const data = await gql(
    `mutation ($p: UUID!) { createComment(input: { comment: { postId: $p, body: "C" } }) { comment { rowId id } } }`,
    { p: post.rowId },
    bearer(owner.accessToken),
  );
  return at<Row>(data, "createComment", "comment");
}
async function newProject(): Promise<Row> {
  const data = await gql(
    `mutation ($org: UUID!) { createProject(input: { project: { organizationId: $org, name: "X", visibility: "internal" } }) { project { rowId id } } }`,
    { org },
    bearer(owner.accessToken),
  );
  return at<Row>(data, "createProject", "project");
}
async function newTask(): Promise<Row> {
  const project = await newProject();
  const data = await gql(
    `mutation ($p: UUID!) { createTask(input: { task: { projectId: $p, title: "T" } }) { task { rowId id } } }`,
    { p: project.rowId },
    bearer(owner.accessToken),
  );
  return at<Row>(data, "createTask", "task");
}

const anonymous = (event: string, query: string, variables: () => Record<string, unknown>): Example => ({
  event,
  actor: false,
  run: (headers) => gql(query, variables(), headers),
});
const byOwner = (
  event: string,
  query: string,
  variables: () => Promise<Record<string, unknown>> | Record<string, unknown>,
): Example => ({
  event,
  actor: true,
  run: async (headers) => gql(query, await variables(), asOwner(headers)),
});

const EXAMPLES: Record<string, Example> = {
  register: anonymous(
    "user.register",
    `mutation { register(input: { username: "coverage_user", email: "x@example.test", password: "short" }) { clientMutationId } }`,
    () => ({}),
  ),
  login: anonymous(
    "auth.login",
    `mutation { login(input: { identifier: "nobody_here", password: "whatever password" }) { clientMutationId } }`,
    () => ({}),
  ),
  refreshToken: anonymous(
    "auth.refresh",
    `mutation { refreshToken(input: { refreshToken: "not-a-real-refresh-token-000000" }) { clientMutationId } }`,
    () => ({}),
  ),
  verifyEmail: anonymous(
    "user.email_verify",
    `mutation { verifyEmail(input: { token: "not-a-real-token-0000000000" }) { clientMutationId } }`,
    () => ({}),
  ),
  resendVerification: anonymous(
    "user.verification_resend",
    `mutation { resendVerification(input: { email: "nobody@example.test" }) { clientMutationId } }`,
    () => ({}),
  ),
  requestPasswordReset: anonymous(
    "auth.password_reset_request",
    `mutation { requestPasswordReset(input: { email: "nobody@example.test" }) { clientMutationId } }`,
    () => ({}),
  ),
  resetPassword: anonymous(
    "auth.password_reset",
    `mutation { resetPassword(input: { token: "not-a-real-token-0000000000", newPassword: "a fine passphrase" }) { clientMutationId } }`,
    () => ({}),
  ),
  confirmEmailChange: anonymous(
    "user.email_change",
    `mutation { confirmEmailChange(input: { token: "not-a-real-token-0000000000" }) { clientMutationId } }`,
    () => ({}),
  ),
  logout: anonymous("auth.logout", `mutation { logout(input: {}) { clientMutationId } }`, () => ({})),
  logoutAllSessions: anonymous(
    "auth.logout_all",
    `mutation { logoutAllSessions(input: {}) { clientMutationId } }`,
    () => ({}),
  ),
  setSystemSetting: byOwner(
    "config.setting_change",
    `mutation { setSystemSetting(input: { key: "auth.lockout_threshold", value: 6 }) { clientMutationId } }`,
    () => ({}),
  ),
  changePassword: byOwner(
    "auth.password_change",
    `mutation { changePassword(input: { currentPassword: "wrong one", newPassword: "another passphrase" }) { clientMutationId } }`,
    () => ({}),
  ),
  changeEmail: byOwner(
    "user.email_change_request",
    `mutation { changeEmail(input: { newEmail: "new@example.test", password: "wrong one" }) { clientMutationId } }`,
    () => ({}),
  ),
  revokeSession: byOwner(
    "auth.session_revoke",
    `mutation ($id: UUID!) { revokeSession(input: { sessionId: $id }) { clientMutationId } }`,
    () => ({ id: anyId() }),
  ),
  switchOrganization: byOwner(
    "organization.switch",
    `mutation ($id: UUID) { switchOrganization(input: { organizationId: $id }) { clientMutationId } }`,
    () => ({ id: anyId() }),
  ),
  createOrganization: byOwner(
    "organization.create",
    `mutation ($s: String!) { createOrganization(input: { name: "Cov", slug: $s }) { clientMutationId } }`,
    () => ({ s: `cov-${Date.now()}` }),
  ),
  inviteMember: byOwner(
    "invitation.create",
    `mutation ($o: UUID!) { inviteMember(input: { organizationId: $o, email: "guest@example.test" }) { clientMutationId } }`,
    () => ({ o: org }),
  ),
  acceptInvitation: byOwner(
    "invitation.accept",
    `mutation { acceptInvitation(input: { token: "not-a-real-token-0000000000" }) { clientMutationId } }`,
    () => ({}),
  ),
  leaveOrganization: byOwner(
    "membership.leave",
    `mutation ($o: UUID!) { leaveOrganization(input: { organizationId: $o }) { clientMutationId } }`,
    () => ({ o: org }),
  ),
  removeMember: byOwner(
    "membership.remove",
    `mutation ($o: UUID!, $u: UUID!) { removeMember(input: { organizationId: $o, userId: $u }) { clientMutationId } }`,
    () => ({ o: org, u: anyId() }),
  ),
  endUserSessions: byOwner(
    "auth.sessions_end_user",
    `mutation ($u: UUID!, $o: UUID) { endUserSessions(input: { userId: $u, organizationId: $o }) { clientMutationId } }`,
    () => ({ u: anyId(), o: org }),
  ),
  endOrganizationSessions: byOwner(
    "auth.sessions_end_organization",
    `mutation ($o: UUID!) { endOrganizationSessions(input: { organizationId: $o }) { clientMutationId } }`,
    () => ({ o: anyId() }),
  ),
  createRole: byOwner(
    "role.create",
    `mutation ($o: UUID!, $n: String!) { createRole(input: { organizationId: $o, name: $n }) { clientMutationId } }`,
    () => ({ o: org, n: `r${Date.now()}` }),
  ),
  renameRole: byOwner(
    "role.rename",
    `mutation ($r: UUID!) { renameRole(input: { roleId: $r, name: "renamed" }) { clientMutationId } }`,
    () => ({ r: anyId() }),
  ),
  deleteRole: byOwner(
    "role.delete",
    `mutation ($r: UUID!) { deleteRole(input: { roleId: $r }) { clientMutationId } }`,
    () => ({ r: anyId() }),
  ),
  setRoleParents: byOwner(
    "role.set_parents",
    `mutation ($r: UUID!) { setRoleParents(input: { roleId: $r, parentIds: [] }) { clientMutationId } }`,
    () => ({ r: anyId() }),
  ),
  grantRolePermission: byOwner(
    "role.grant_permission",
    `mutation ($r: UUID!) { grantRolePermission(input: { roleId: $r, permission: "projects:read" }) { clientMutationId } }`,
    () => ({ r: anyId() }),
  ),
  revokeRolePermission: byOwner(
    "role.revoke_permission",
    `mutation ($r: UUID!) { revokeRolePermission(input: { roleId: $r, permission: "projects:read" }) { clientMutationId } }`,
    () => ({ r: anyId() }),
  ),
  assignRole: byOwner(
    "role.assign",
    `mutation ($u: UUID!, $r: UUID!, $o: UUID) { assignRole(input: { userId: $u, roleId: $r, organizationId: $o }) { clientMutationId } }`,
    () => ({ u: anyId(), r: anyId(), o: org }),
  ),
  revokeRole: byOwner(
    "role.revoke",
    `mutation ($g: UUID!) { revokeRole(input: { userRoleId: $g }) { clientMutationId } }`,
    () => ({ g: anyId() }),
  ),
  addProjectMember: byOwner(
    "project.add_member",
    `mutation ($p: UUID!, $u: UUID!) { addProjectMember(input: { projectId: $p, userId: $u }) { clientMutationId } }`,
    () => ({ p: anyId(), u: anyId() }),
  ),
  removeProjectMember: byOwner(
    "project.remove_member",
    `mutation ($p: UUID!, $u: UUID!) { removeProjectMember(input: { projectId: $p, userId: $u }) { clientMutationId } }`,
    () => ({ p: anyId(), u: anyId() }),
  ),
  publishPost: byOwner(
    "post.publish",
    `mutation ($p: UUID!) { publishPost(input: { postId: $p }) { clientMutationId } }`,
    () => ({ p: anyId() }),
  ),
  updateUser: byOwner(
    "row.users.update",
    `mutation ($u: UUID!, $b: String!) { updateUser(input: { rowId: $u, patch: { bio: $b } }) { clientMutationId } }`,
    () => ({ u: owner.user.rowId, b: randomUUID() }),
  ),
  updateUserById: byOwner(
    "row.users.update",
    `mutation ($id: ID!, $b: String!) { updateUserById(input: { id: $id, patch: { bio: $b } }) { clientMutationId } }`,
    async () => {
      const data = await gql(`{ currentUser { id } }`, {}, bearer(owner.accessToken));
      return { id: at<string>(data, "currentUser", "id"), b: randomUUID() };
    },
  ),
  createPost: byOwner(
    "row.posts.insert",
    `mutation { createPost(input: { post: { title: "New" } }) { clientMutationId } }`,
    () => ({}),
  ),
  updatePost: byOwner(
    "row.posts.update",
    `mutation ($p: UUID!) { updatePost(input: { rowId: $p, patch: { title: "Changed" } }) { clientMutationId } }`,
    async () => ({ p: (await newPost()).rowId }),
  ),
  updatePostById: byOwner(
    "row.posts.update",
    `mutation ($id: ID!) { updatePostById(input: { id: $id, patch: { title: "Changed" } }) { clientMutationId } }`,
    async () => ({ id: (await newPost()).id }),
  ),
  deletePost: byOwner(
    "row.posts.delete",
    `mutation ($p: UUID!) { deletePost(input: { rowId: $p }) { clientMutationId } }`,
    async () => ({ p: (await newPost()).rowId }),
  ),
  deletePostById: byOwner(
    "row.posts.delete",
    `mutation ($id: ID!) { deletePostById(input: { id: $id }) { clientMutationId } }`,
    async () => ({ id: (await newPost()).id }),
  ),
  createComment: byOwner(
    "row.comments.insert",
    `mutation ($p: UUID!) { createComment(input: { comment: { postId: $p, body: "Hi" } }) { clientMutationId } }`,
    async () => {
      const post = await newPost();
      await gql(
        `mutation ($id: UUID!) { publishPost(input: { postId: $id }) { result { ok } } }`,
        { id: post.rowId },
        bearer(owner.accessToken),
      );
      return { p: post.rowId };
    },
  ),
  updateComment: byOwner(
    "row.comments.update",
    `mutation ($c: UUID!) { updateComment(input: { rowId: $c, patch: { body: "Edited" } }) { clientMutationId } }`,
    async () => ({ c: (await newComment()).rowId }),
  ),
  updateCommentById: byOwner(
    "row.comments.update",
    `mutation ($id: ID!) { updateCommentById(input: { id: $id, patch: { body: "Edited" } }) { clientMutationId } }`,
    async () => ({ id: (await newComment()).id }),
  ),
  deleteComment: byOwner(
    "row.comments.delete",
    `mutation ($c: UUID!) { deleteComment(input: { rowId: $c }) { clientMutationId } }`,
    async () => ({ c: (await newComment()).rowId }),
  ),
  deleteCommentById: byOwner(
    "row.comments.delete",
    `mutation ($id: ID!) { deleteCommentById(input: { id: $id }) { clientMutationId } }`,
    async () => ({ id: (await newComment()).id }),
  ),
  createProject: byOwner(
    "row.projects.insert",
    `mutation ($o: UUID!) { createProject(input: { project: { organizationId: $o, name: "Y" } }) { clientMutationId } }`,
    () => ({ o: org }),
  ),
  updateProject: byOwner(
    "row.projects.update",
    `mutation ($p: UUID!) { updateProject(input: { rowId: $p, patch: { name: "Z" } }) { clientMutationId } }`,
    async () => ({ p: (await newProject()).rowId }),
  ),
  updateProjectById: byOwner(
    "row.projects.update",
    `mutation ($id: ID!) { updateProjectById(input: { id: $id, patch: { name: "Z" } }) { clientMutationId } }`,
    async () => ({ id: (await newProject()).id }),
  ),
  createTask: byOwner(
    "row.tasks.insert",
    `mutation ($p: UUID!) { createTask(input: { task: { projectId: $p, title: "T" } }) { clientMutationId } }`,
    async () => ({ p: (await newProject()).rowId }),
  ),
  updateTask: byOwner(
    "row.tasks.update",
    `mutation ($t: UUID!) { updateTask(input: { rowId: $t, patch: { status: "done" } }) { clientMutationId } }`,
    async () => ({ t: (await newTask()).rowId }),
  ),
  updateTaskById: byOwner(
    "row.tasks.update",
    `mutation ($id: ID!) { updateTaskById(input: { id: $id, patch: { status: "done" } }) { clientMutationId } }`,
    async () => ({ id: (await newTask()).id }),
  ),
  deleteTask: byOwner(
    "row.tasks.delete",
    `mutation ($t: UUID!) { deleteTask(input: { rowId: $t }) { clientMutationId } }`,
    async () => ({ t: (await newTask()).rowId }),
  ),
  changePhone: byOwner(
    "user.phone_change",
    `mutation { changePhone(input: { newPhone: "+14155550100", password: "wrong one" }) { clientMutationId } }`,
    () => ({}),
  ),
  setDateOfBirth: byOwner(
    "user.profile_update",
    `mutation { setDateOfBirth(input: { dateOfBirth: "1990-01-02" }) { clientMutationId } }`,
    () => ({}),
  ),
  recordConsent: byOwner(
    "consent.grant",
    `mutation { recordConsent(input: { purpose: "marketing", version: "2026-11", granted: true }) { clientMutationId } }`,
    () => ({}),
  ),
  deleteMyAccount: byOwner(
    "user.delete",
    `mutation { deleteMyAccount(input: { password: "wrong one" }) { clientMutationId } }`,
    () => ({}),
  ),
  restoreAccount: anonymous(
    "user.restore",
    `mutation { restoreAccount(input: { identifier: "nobody_here", password: "whatever password" }) { clientMutationId } }`,
    () => ({}),
  ),
  exportMyData: byOwner("user.export", `mutation { exportMyData(input: {}) { clientMutationId } }`, () => ({})),
  exportUserData: byOwner(
    "user.export",
    `mutation ($u: UUID!) { exportUserData(input: { userId: $u }) { clientMutationId } }`,
    () => ({ u: anyId() }),
  ),
  restrictProcessing: byOwner(
    "user.restrict",
    `mutation ($u: UUID!) { restrictProcessing(input: { userId: $u, restricted: true }) { clientMutationId } }`,
    () => ({ u: anyId() }),
  ),
  deleteTaskById: byOwner(
    "row.tasks.delete",
    `mutation ($id: ID!) { deleteTaskById(input: { id: $id }) { clientMutationId } }`,
    async () => ({ id: (await newTask()).id }),
  ),
};

let mutations: string[] = [];
let privacy: PrivacyKeys;
beforeAll(async () => {
  privacy = await openTestPrivacyKeys(api.db.urls.authenticator);
  inbox = await Inbox.create();
  const user = await registerVerifiedUser(api.client, api.db.urls.worker, inbox);
  owner = await loginTokens(api.client, user.email, user.password);
  const created = await gql(
    `mutation ($s: String!) { createOrganization(input: { name: "Coverage", slug: $s }) { result { organizationId } } }`,
    { s: `coverage-${Date.now()}` },
    bearer(owner.accessToken),
  );
  org = at<string>(created, "createOrganization", "result", "organizationId");
  const schema = await gql(`{ __type(name: "Mutation") { fields { name } } }`, {}, {});
  mutations = at<Array<{ name: string }>>(schema, "__type", "fields")
    .map((f) => f.name)
    .sort();
});
afterAll(async () => {
  await inbox.remove();
  await privacy.close();
});

describe("every mutation leaves an audit event", () => {
  it("has an example for every mutation in the schema", () => {
    expect(mutations.length).toBeGreaterThan(40);
    expect(mutations.filter((m) => !EXAMPLES[m])).toEqual([]);
  });

  it(
    "records the expected event, with request id, actor and client address, for each",
    { timeout: 120_000 },
    async () => {
      const missing: string[] = [];
      for (const name of mutations) {
        const example = EXAMPLES[name];
        if (!example) continue;
        const requestId = `coverage-${name}-${randomUUID()}`;
        await example.run({ "x-request-id": requestId });
        const { rows } = await api.db.root.query<{ actor_id: string | null; personal: Buffer | null }>(
          "select actor_id, personal from audit.events where request_id = $1 and event_type = $2",
          [requestId, example.event],
        );
        const event = rows[0];
        /* The client address is stored only in the encrypted personal part. */
        const personal =
          event && (JSON.parse((await privacy.reader.decrypt(event.personal)) ?? "{}") as { ip?: string });
        if (!event) missing.push(`${name}: no ${example.event} event`);
        else if (!personal?.ip) missing.push(`${name}: event without client address`);
        else if (example.actor && event.actor_id !== owner.user.rowId) missing.push(`${name}: event without the actor`);
      }
      expect(missing).toEqual([]);
    },
  );
});
