/**
 * The user administrator's view over GraphQL, with committed data: the paginated account list filtered by status and
 * sorted newest first (a status condition, cursor pages), and full-text search (searchUsers), both limited to the
 * accounts the caller may read.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { bearer, errorCode, loginTokens } from "../helpers/auth.ts";
import { useGateway, type GraphQLResponse } from "../helpers/gateway.ts";
import { createUser, uniqueName } from "../../fixtures/users.ts";
import { grantSystemRole } from "../helpers/users.ts";

const api = useGateway();

const LIST = `query ($status: String!, $after: Cursor) {
  users(condition: { status: $status }, orderBy: [CREATED_AT_DESC], first: 2, after: $after) {
    nodes { username status }
    pageInfo { hasNextPage endCursor }
  }
}`;
const SEARCH = `query ($query: String!) { searchUsers(query: $query, first: 10) { nodes { username firstName lastName } } }`;

type ListPage = {
  users: { nodes: Array<{ username: string; status: string }>; pageInfo: { hasNextPage: boolean; endCursor: string } };
};

let adminToken: string;
let plainToken: string;
/* Letters only: the search splits words between letters and digits, so a digit in the tag would be a word of its own. */
const tag = uniqueName("ua").replace(/[0-9]/g, (digit) => "ghijklmnop"[Number(digit)]!);
const suspended: string[] = [];

beforeAll(async () => {
  const root = await api.db.root.connect();
  try {
    /* Three suspended accounts, each committed after the one before, so the newest-first order is known. */
    for (let k = 0; k < 3; k++) {
      const user = await createUser(root, { username: `${tag}_suspended_${k}`, status: "suspended" });
      await root.query("update app_public.users set first_name = 'Quelmira', last_name = $2 where id = $1", [
        user.id,
        `Varn${k}`,
      ]);
      suspended.unshift(user.username);
    }
    const admin = await createUser(root, { username: `${tag}_admin` });
    await grantSystemRole(root, admin.id, "user_manager");
    adminToken = (await loginTokens(api.client, admin.email, admin.password)).accessToken;
    const plain = await createUser(root, { username: `${tag}_plain` });
    plainToken = (await loginTokens(api.client, plain.email, plain.password)).accessToken;
  } finally {
    root.release();
  }
});

describe("user administration", () => {
  it("lists accounts by status, newest first, page by page", async () => {
    const seen: string[] = [];
    let after: string | null = null;
    for (;;) {
      const page: GraphQLResponse<ListPage> = await api.client.graphql<ListPage>(
        LIST,
        { status: "suspended", after },
        bearer(adminToken),
      );
      expect(page.errors).toBeUndefined();
      const { nodes, pageInfo } = page.data!.users;
      expect(nodes.every((n) => n.status === "suspended")).toBe(true);
      seen.push(...nodes.map((n) => n.username));
      if (!pageInfo.hasNextPage) break;
      after = pageInfo.endCursor;
    }
    expect(seen.filter((u) => u.startsWith(tag))).toEqual(suspended);
  });

  it("shows someone without users:read only their own account in the list", async () => {
    const page = await api.client.graphql<ListPage>(LIST, { status: "suspended", after: null }, bearer(plainToken));
    expect(page.errors).toBeUndefined();
    expect(page.data!.users.nodes).toEqual([]);
  });

  it("searches accounts by name for a holder of users:read, and finds nothing of others for anyone else", async () => {
    const found = await api.client.graphql<{ searchUsers: { nodes: Array<{ username: string; lastName: string }> } }>(
      SEARCH,
      { query: "quelmira varn1" },
      bearer(adminToken),
    );
    expect(found.errors).toBeUndefined();
    expect(found.data!.searchUsers.nodes.map((n) => n.username)).toEqual([`${tag}_suspended_1`]);
    const prefix = await api.client.graphql<{ searchUsers: { nodes: Array<{ username: string }> } }>(
      SEARCH,
      { query: "Quelm" },
      bearer(adminToken),
    );
    expect(prefix.data!.searchUsers.nodes.map((n) => n.username).sort()).toEqual([...suspended].sort());
    const plain = await api.client.graphql<{ searchUsers: { nodes: unknown[] } }>(
      SEARCH,
      { query: "quelmira" },
      bearer(plainToken),
    );
    expect(plain.errors).toBeUndefined();
    expect(plain.data!.searchUsers.nodes).toEqual([]);
  });

  it("refuses a search of more than 200 characters (INVAL)", async () => {
    const response = await api.client.graphql(SEARCH, { query: "x".repeat(201) }, bearer(adminToken));
    expect(errorCode(response)).toBe("INVAL");
  });

  it("refuses anonymous callers, who may not search (PERMS)", async () => {
    const response = await api.client.graphql<{ searchUsers: unknown }>(SEARCH, { query: "quelmira" });
    expect(errorCode(response)).toBe("PERMS");
    expect(response.data?.searchUsers ?? null).toBeNull();
  });
});
