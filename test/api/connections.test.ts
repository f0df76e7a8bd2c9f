/**
 * Every connection reads a bounded page (src/graphql/connectionBoundsPlugin.ts): 100 rows without `first` or `last`,
 * at most 100 with them, `offset` at most 10,000; out-of-range values are INVAL naming the argument, never INTRN.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { CONNECTION_LIMITS } from "../../src/graphql/connectionBoundsPlugin.ts";
import { bearer, loginTokens, registerVerifiedUser, type LoginTokens } from "../helpers/auth.ts";
import { useGateway, type GraphQLResponse } from "../helpers/gateway.ts";
import { Inbox } from "../helpers/mail.ts";

const api = useGateway();
const POSTS = 150;
const COMMENTS = 120;
let reader: LoginTokens;
let commented: string;

interface Posts {
  posts: { totalCount: number; nodes: Array<{ title: string }> } | null;
}

function posts(args: string, variables: Record<string, unknown> = {}, declared = ""): Promise<GraphQLResponse<Posts>> {
  return api.client.graphql<Posts>(
    `query ${declared} { posts${args} { totalCount nodes { title } } }`,
    variables,
    bearer(reader.accessToken),
  );
}

function titles(response: GraphQLResponse<Posts>): string[] {
  return response.data?.posts?.nodes.map((n) => n.title) ?? [];
}

beforeAll(async () => {
  const inbox = await Inbox.create();
  const user = await registerVerifiedUser(api.client, api.db.urls.worker, inbox);
  reader = await loginTokens(api.client, user.email, user.password);
  const { rows } = await api.db.root.query<{ id: string }>(
    `insert into app_public.posts (author_id, title, status, published_at)
     select $1, 'post-' || lpad(g::text, 3, '0'), 'published', now() from generate_series(1, $2) g
     returning id`,
    [reader.user.rowId, POSTS],
  );
  commented = rows[0]!.id;
  await api.db.root.query(
    `insert into app_public.comments (post_id, author_id, body) select $1, $2, 'comment ' || g from generate_series(1, $3) g`,
    [rows[0]!.id, reader.user.rowId, COMMENTS],
  );
});

describe("a connection's page", () => {
  it("is the first 100 rows when neither first nor last is given", async () => {
    const response = await posts("(orderBy: PRIMARY_KEY_ASC)");
    expect(response.errors).toBeUndefined();
    expect(response.data?.posts?.totalCount).toBe(POSTS);
    expect(titles(response)).toHaveLength(CONNECTION_LIMITS.defaultPage);
  });

  it("is the first 100 rows when first is a variable left null", async () => {
    const response = await posts("(first: $n, orderBy: PRIMARY_KEY_ASC)", { n: null }, "($n: Int)");
    expect(response.errors).toBeUndefined();
    expect(titles(response)).toHaveLength(CONNECTION_LIMITS.defaultPage);
  });

  it("reads exactly the maximum, 100", async () => {
    const response = await posts("(first: 100)");
    expect(titles(response)).toHaveLength(100);
  });

  it("reads the last rows with last alone, not the last of a default first page", async () => {
    const response = await posts("(last: 3, orderBy: PRIMARY_KEY_ASC)");
    expect(response.errors).toBeUndefined();
    const backwards = titles(await posts("(first: 3, orderBy: PRIMARY_KEY_DESC)"));
    expect(titles(response)).toEqual(backwards.reverse());
  });

  it("applies the default page after an offset", async () => {
    const response = await posts("(offset: 140, orderBy: PRIMARY_KEY_ASC)");
    expect(titles(response)).toHaveLength(POSTS - 140);
  });

  it("bounds nested connections too", async () => {
    const response = await api.client.graphql<{ post: { comments: { totalCount: number; nodes: unknown[] } } }>(
      `query ($id: UUID!) { post(rowId: $id) { comments { totalCount nodes { rowId } } } }`,
      { id: commented },
      bearer(reader.accessToken),
    );
    expect(response.errors).toBeUndefined();
    const comments = response.data?.post.comments;
    expect(comments?.totalCount).toBe(COMMENTS);
    expect(comments?.nodes).toHaveLength(CONNECTION_LIMITS.defaultPage);
  });
});

describe("page arguments out of range", () => {
  for (const [args, named] of [
    ["(first: 101)", "first"],
    ["(first: 2147483647)", "first"],
    ["(first: -1)", "first"],
    ["(last: 101)", "last"],
    ["(last: -5)", "last"],
    ["(offset: 10001)", "offset"],
    ["(offset: -1)", "offset"],
    ["(offset: 2147483647)", "offset"],
  ] as const) {
    it(`refuses ${args} naming the argument (INVAL)`, async () => {
      const response = await posts(args);
      expect(response.errors?.[0]?.extensions?.code).toBe("INVAL");
      expect(response.errors?.[0]?.message).toContain(`\`${named}\``);
      expect(response.data?.posts).toBeNull();
    });
  }

  it("refuses an out-of-range first given as a variable (INVAL)", async () => {
    const response = await posts("(first: $n)", { n: 1000 }, "($n: Int)");
    expect(response.errors?.[0]?.extensions?.code).toBe("INVAL");
    expect(response.errors?.[0]?.message).toMatch(/`first` must be a whole number from 0 to 100/);
  });

  it("refuses offset together with last (INVAL)", async () => {
    const response = await posts("(last: 3, offset: 1)");
    expect(response.errors?.[0]?.extensions?.code).toBe("INVAL");
    expect(response.errors?.[0]?.message).toContain("`offset`");
  });

  it("refuses a cursor that no page gave (INVAL)", async () => {
    const response = await posts(`(after: "bm90IGEgY3Vyc29y")`);
    expect(response.errors?.[0]?.extensions?.code).toBe("INVAL");
  });
});
