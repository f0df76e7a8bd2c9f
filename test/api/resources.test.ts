/**
 * The example resources over GraphQL: projects (private / internal / public), project members, tasks, posts and
 * comments, for the right people and refused for the wrong ones; and who may read whose account.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bearer, errorCode, loginTokens, registerVerifiedUser, type LoginTokens } from "../helpers/auth.ts";
import { useGateway, type GraphQLResponse } from "../helpers/gateway.ts";
import { Inbox } from "../helpers/mail.ts";

const api = useGateway();
let inbox: Inbox;
let admin: LoginTokens;
let member: LoginTokens;
let outsider: LoginTokens;
let org: string;

async function person(): Promise<LoginTokens> {
  const user = await registerVerifiedUser(api.client, api.db.urls.worker, inbox);
  return loginTokens(api.client, user.email, user.password);
}

function as<T = Record<string, unknown>>(
  who: LoginTokens,
  query: string,
  variables: Record<string, unknown> = {},
): Promise<GraphQLResponse<T>> {
  return api.client.graphql<T>(query, variables, bearer(who.accessToken));
}

const CREATE_PROJECT = `mutation ($org: UUID!, $name: String!, $visibility: String!) {
  createProject(input: { project: { organizationId: $org, name: $name, visibility: $visibility } }) { project { rowId } }
}`;
const PROJECT = `query ($id: UUID!) { project(rowId: $id) { name tasks { nodes { title } } } }`;
const ADD_MEMBER = `mutation ($p: UUID!, $u: UUID!) { addProjectMember(input: { projectId: $p, userId: $u }) { result { ok } } }`;
const CREATE_TASK = `mutation ($p: UUID!, $title: String!, $assignee: UUID) {
  createTask(input: { task: { projectId: $p, title: $title, assigneeId: $assignee } }) { task { rowId status } }
}`;

async function project(visibility: string): Promise<string> {
  const created = await as<{ createProject: { project: { rowId: string } } }>(admin, CREATE_PROJECT, {
    org,
    name: `${visibility} project`,
    visibility,
  });
  expect(created.errors, JSON.stringify(created.errors)).toBeUndefined();
  return created.data!.createProject.project.rowId;
}

async function canSee(who: LoginTokens, id: string): Promise<boolean> {
  const response = await as<{ project: unknown }>(who, PROJECT, { id });
  expect(response.errors).toBeUndefined();
  return response.data?.project != null;
}

beforeAll(async () => {
  inbox = await Inbox.create();
  [admin, member, outsider] = [await person(), await person(), await person()];
  const created = await as<{ createOrganization: { result: { organizationId: string } } }>(
    admin,
    `mutation ($slug: String!) { createOrganization(input: { name: "Works", slug: $slug }) { result { organizationId } } }`,
    { slug: `works-${Date.now()}` },
  );
  org = created.data!.createOrganization.result.organizationId;
  await api.db.root.query("insert into app_public.memberships (organization_id, user_id) values ($1, $2)", [
    org,
    member.user.rowId,
  ]);
  await api.db.root.query(
    "insert into app_public.user_roles (user_id, role_id, organization_id) select $2, id, $1 from app_public.roles where name = 'member' and is_system",
    [org, member.user.rowId],
  );
});
afterAll(() => inbox.remove());

describe("projects", () => {
  it("follow their visibility: private to members, internal to the organisation, public to everyone signed in", async () => {
    const [privateId, internalId, publicId] = [
      await project("private"),
      await project("internal"),
      await project("public"),
    ];
    expect([
      await canSee(admin, privateId),
      await canSee(member, privateId),
      await canSee(outsider, privateId),
    ]).toEqual([true, false, false]);
    expect([await canSee(member, internalId), await canSee(outsider, internalId)]).toEqual([true, false]);
    expect(await canSee(outsider, publicId)).toBe(true);

    expect((await as(admin, ADD_MEMBER, { p: privateId, u: member.user.rowId })).errors).toBeUndefined();
    expect(await canSee(member, privateId)).toBe(true);
  });

  it("refuses a project to someone without projects:write, and a member addition by a non-owner (audited)", async () => {
    expect(errorCode(await as(outsider, CREATE_PROJECT, { org, name: "nope", visibility: "public" }))).toBe("PERMS");
    const id = await project("internal");
    const refused = await api.client.graphql(
      ADD_MEMBER,
      { p: id, u: member.user.rowId },
      {
        ...bearer(member.accessToken),
        "x-request-id": "add-member-refused-1",
      },
    );
    expect(errorCode(refused)).toBe("PERMS");
    const { rows } = await api.db.root.query(
      "select reason from audit.events where request_id = 'add-member-refused-1'",
    );
    expect(rows).toEqual([{ reason: "PERMS" }]);
  });
});

describe("tasks", () => {
  it("are created by project members with projects:write, assigned to members, grouped by status; outsiders are refused", async () => {
    const id = await project("internal");
    await as(admin, ADD_MEMBER, { p: id, u: member.user.rowId });
    const created = await as<{ createTask: { task: { status: string } } }>(member, CREATE_TASK, {
      p: id,
      title: "Write the docs",
      assignee: member.user.rowId,
    });
    expect(created.data?.createTask.task.status).toBe("todo");
    await as(admin, CREATE_TASK, { p: id, title: "Review the docs" });

    expect(
      errorCode(await as(member, CREATE_TASK, { p: id, title: "Give it away", assignee: outsider.user.rowId })),
    ).toBe("PERMS");
    expect(errorCode(await as(outsider, CREATE_TASK, { p: id, title: "Sneak in" }))).toBe("PERMS");

    const grouped = await as<{
      tasks: { groupedAggregates: Array<{ keys: string[]; distinctCount: { rowId: string } }> };
    }>(
      member,
      `query ($p: UUID!) { tasks(condition: { projectId: $p }) { groupedAggregates(groupBy: STATUS) { keys distinctCount { rowId } } } }`,
      { p: id },
    );
    expect(grouped.data?.tasks.groupedAggregates).toEqual([{ keys: ["todo"], distinctCount: { rowId: "2" } }]);
    const seen = await as<{ tasks: { totalCount: number } }>(
      outsider,
      `query ($p: UUID!) { tasks(condition: { projectId: $p }) { totalCount } }`,
      { p: id },
    );
    expect(seen.data?.tasks.totalCount).toBe(0);
  });
});

describe("posts and comments", () => {
  it("a draft is the author's alone; once published, anyone signed in reads it and comments; only the author edits", async () => {
    const created = await as<{ createPost: { post: { rowId: string } } }>(
      outsider,
      `mutation { createPost(input: { post: { title: "Hello", body: "First!" } }) { post { rowId } } }`,
    );
    const post = created.data!.createPost.post.rowId;
    const read = (who: LoginTokens) =>
      as<{ post: { title: string } | null }>(who, `query ($id: UUID!) { post(rowId: $id) { title } }`, { id: post });
    const comment = (who: LoginTokens) =>
      as(
        who,
        `mutation ($p: UUID!) { createComment(input: { comment: { postId: $p, body: "Nice" } }) { comment { rowId } } }`,
        { p: post },
      );

    expect((await read(member)).data?.post).toBeNull();
    expect(errorCode(await comment(member))).toBe("PERMS");
    expect(
      errorCode(
        await as(member, `mutation ($p: UUID!) { publishPost(input: { postId: $p }) { result { ok } } }`, { p: post }),
      ),
    ).toBe("NTFND");
    expect(
      (await as(outsider, `mutation ($p: UUID!) { publishPost(input: { postId: $p }) { result { ok } } }`, { p: post }))
        .errors,
    ).toBeUndefined();

    expect((await read(member)).data?.post?.title).toBe("Hello");
    expect((await comment(member)).errors).toBeUndefined();
    const edit = await as<{ updatePost: { post: unknown } | null }>(
      member,
      `mutation ($id: UUID!) { updatePost(input: { rowId: $id, patch: { title: "Mine now" } }) { post { title } } }`,
      { id: post },
    );
    expect(edit.data?.updatePost?.post ?? null).toBeNull();
    expect((await read(member)).data?.post?.title).toBe("Hello");
  });
});

describe("accounts", () => {
  it("an organisation's users:read holders read its members' accounts, nobody else's", async () => {
    const read = (who: LoginTokens, id: string) =>
      as<{ user: { email: string } | null }>(who, `query ($id: UUID!) { user(rowId: $id) { email } }`, { id });
    expect((await read(admin, member.user.rowId)).data?.user?.email).toBe(member.user.email);
    expect((await read(admin, outsider.user.rowId)).data?.user).toBeNull();
    expect((await read(member, admin.user.rowId)).data?.user).toBeNull();
  });

  it("a global super_admin reads every account", async () => {
    const root = await person();
    await api.db.root.query(
      "insert into app_public.user_roles (user_id, role_id) select $1, id from app_public.roles where name = 'super_admin' and is_system",
      [root.user.rowId],
    );
    const read = await as<{ user: { email: string } | null }>(
      root,
      `query ($id: UUID!) { user(rowId: $id) { email } }`,
      { id: outsider.user.rowId },
    );
    expect(read.data?.user?.email).toBe(outsider.user.email);
  });
});
