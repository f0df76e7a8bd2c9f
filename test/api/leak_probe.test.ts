/**
 * The randomised cross-tenant leak probe (ASVS 8.4.1). A generator driven by a random seed builds organisations,
 * members with random roles, projects, tasks, posts, comments and invitations, recording what it made. For each user it
 * walks every exposed connection of the GraphQL schema (found by introspection, so a new table is covered
 * automatically: one without a rule here fails the probe) and compares what comes back with an oracle computed here, in
 * TypeScript, from the generator's record and the visibility rules — never by asking the database. It also tries every
 * generated update and delete mutation on rows the user may not change, and checks that nothing changed.
 *
 * Then, for each exposed table in turn, its policies are replaced by one that lets every row through, and the probe
 * must catch it. Replay a failure with LEAK_PROBE_SEED=<the random seed printed in the test name>.
 */
import { randomBytes } from "node:crypto";
import fs from "node:fs/promises";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PROJECT_ROOT } from "../../src/config.ts";
import { bearer, loginTokens, type LoginTokens } from "../helpers/auth.ts";
import { useGateway, type GraphQLResponse } from "../helpers/gateway.ts";

interface Page {
  nodes: Array<{ id: string; roleId?: string; rowId?: string }>;
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
}
import { createUser } from "../../fixtures/users.ts";

const SEED = Number(process.env.LEAK_PROBE_SEED ?? randomBytes(4).readUInt32LE(0));
const api = useGateway();

/* ---------------------------------------------------------------------------------------------------------------- */
/* A small PRNG (mulberry32) from a random seed, so a failing run replays exactly. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const random = prng(SEED);
const chance = (p: number): boolean => random() < p;
const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;

/* ---------------------------------------------------------------------------------------------------------------- */
/* The built-in catalogue, as documented in docs/authorization.md: what each system role gives, ancestors included. */
const SYSTEM_ROLE_PERMISSIONS: Record<string, string[]> = {
  viewer: ["projects:read", "members:read"],
  member: ["projects:read", "members:read", "projects:write"],
  auditor: ["audit:read", "roles:read", "members:read", "users:read"],
  user_manager: ["users:read", "members:invite", "members:remove", "roles:read", "roles:assign"],
  org_admin: [
    "projects:read",
    "members:read",
    "projects:write",
    "audit:read",
    "roles:read",
    "users:read",
    "members:invite",
    "members:remove",
    "roles:assign",
    "roles:manage",
    "sessions:revoke",
    "organizations:manage",
  ],
};
const ROLE_CHOICES = [null, "viewer", "member", "auditor", "user_manager", "org_admin"] as const;

interface World {
  users: Array<{ id: string; tokens: LoginTokens }>;
  orgs: string[];
  /** user → org → role (active memberships only). */
  active: Map<string, Map<string, string | null>>;
  memberships: Array<{ id: string; org: string; user: string }>;
  customRoles: Array<{ id: string; org: string }>;
  userRoles: Array<{ id: string; user: string; org: string }>;
  invitations: Array<{ id: string; org: string }>;
  projects: Array<{ id: string; org: string; visibility: string; members: Map<string, "owner" | "member"> }>;
  tasks: Array<{ id: string; project: string }>;
  posts: Array<{ id: string; author: string; published: boolean }>;
  comments: Array<{ id: string; post: string; author: string }>;
}

function holds(world: World, user: string, permission: string, org: string): boolean {
  const role = world.active.get(user)?.get(org);
  return role != null && (SYSTEM_ROLE_PERMISSIONS[role] ?? []).includes(permission);
}
const isMember = (world: World, user: string, org: string): boolean => world.active.get(user)?.has(org) ?? false;

function canSeeProject(world: World, user: string, project: World["projects"][number]): boolean {
  if (project.visibility === "public") return true;
  if (project.visibility === "internal" && holds(world, user, "projects:read", project.org)) return true;
  return project.members.has(user) && isMember(world, user, project.org);
}

/** The oracle: for each node type, the keys (JSON of the primary key) a user may see. */
function visibleKeys(world: World, user: string): Record<string, Set<string>> {
  const key = (...parts: string[]) => JSON.stringify(parts);
  const set = (keys: string[]) => new Set(keys);
  const visibleProjects = world.projects.filter((p) => canSeeProject(world, user, p));
  const visiblePosts = world.posts.filter((p) => p.published || p.author === user);
  const visibleRoleIds = new Set([...world.customRoles.filter((r) => isMember(world, user, r.org)).map((r) => r.id)]);
  return {
    Organization: set(world.orgs.filter((o) => isMember(world, user, o)).map((o) => key(o))),
    Membership: set(
      world.memberships
        .filter((m) => m.user === user || holds(world, user, "members:read", m.org))
        .map((m) => key(m.id)),
    ),
    User: set(
      world.users
        .filter(
          (u) =>
            u.id === user || world.orgs.some((o) => holds(world, user, "users:read", o) && isMember(world, u.id, o)),
        )
        .map((u) => key(u.id)),
    ),
    UserRole: set(
      world.userRoles.filter((g) => g.user === user || holds(world, user, "roles:read", g.org)).map((g) => key(g.id)),
    ),
    Invitation: set(
      world.invitations
        .filter((i) => holds(world, user, "members:invite", i.org) || holds(world, user, "members:read", i.org))
        .map((i) => key(i.id)),
    ),
    Project: set(visibleProjects.map((p) => key(p.id))),
    ProjectMember: set(visibleProjects.flatMap((p) => [...p.members.keys()].map((m) => key(p.id, m)))),
    Task: set(world.tasks.filter((t) => visibleProjects.some((p) => p.id === t.project)).map((t) => key(t.id))),
    Post: set(visiblePosts.map((p) => key(p.id))),
    Comment: set(world.comments.filter((c) => visiblePosts.some((p) => p.id === c.post)).map((c) => key(c.id))),
    /* Custom roles only: the system roles, their edges and permissions are the same for everyone. */
    Role: visibleRoleIds,
    RoleParent: visibleRoleIds,
    RolePermission: visibleRoleIds,
    Permission: new Set(["*"]),
    /* Public profiles of active accounts, by id, for anyone signed in (every generated account is active). */
    UserProfile: set(world.users.map((u) => key(u.id))),
  };
}

/** Which rows of a type a user may change through its update/delete mutations. */
function changeable(world: World, user: string, type: string, rowKey: string): boolean {
  const [id] = JSON.parse(rowKey) as string[];
  switch (type) {
    case "User":
      return id === user;
    case "Project": {
      const p = world.projects.find((x) => x.id === id)!;
      return p.members.get(user) === "owner" && isMember(world, user, p.org);
    }
    case "Task": {
      const t = world.tasks.find((x) => x.id === id)!;
      const p = world.projects.find((x) => x.id === t.project)!;
      return p.members.has(user) && isMember(world, user, p.org) && holds(world, user, "projects:write", p.org);
    }
    case "Post":
      return world.posts.find((x) => x.id === id)?.author === user;
    case "Comment":
      return world.comments.find((x) => x.id === id)?.author === user;
    default:
      return false;
  }
}

/* ---------------------------------------------------------------------------------------------------------------- */
/* The generator: committed rows made as the superuser, recorded in `world`. */
async function generate(): Promise<World> {
  const db = api.db.root;
  const world: World = {
    users: [],
    orgs: [],
    active: new Map(),
    memberships: [],
    customRoles: [],
    userRoles: [],
    invitations: [],
    projects: [],
    tasks: [],
    posts: [],
    comments: [],
  };
  const client = await db.connect();
  try {
    for (let i = 0; i < 7; i++) {
      const user = await createUser(client);
      world.users.push({ id: user.id, tokens: await loginTokens(api.client, user.username, user.password) });
      world.active.set(user.id, new Map());
    }
  } finally {
    client.release();
  }
  const q = async (sql: string, values: unknown[]): Promise<string> =>
    (await db.query<{ id: string }>(sql, values)).rows[0]!.id;
  const roleId = async (name: string) => q("select id from app_public.roles where name = $1 and is_system", [name]);

  for (let o = 0; o < 3; o++) {
    const org = await q("insert into app_public.organizations (name, slug) values ($1, $2) returning id", [
      `Org ${o}`,
      `probe-${SEED}-${o}`,
    ]);
    world.orgs.push(org);
    for (const user of world.users) {
      /* The first user belongs nowhere: there is always someone outside every organisation. */
      if (user === world.users[0] || !chance(0.6)) continue;
      const left = chance(0.15);
      const id = await q(
        "insert into app_public.memberships (organization_id, user_id, status, ended_at) values ($1, $2, $3, case when $3 = 'active' then null else now() end) returning id",
        [org, user.id, left ? "left" : "active"],
      );
      world.memberships.push({ id, org, user: user.id });
      if (left) continue;
      const role = pick(ROLE_CHOICES);
      world.active.get(user.id)!.set(org, role);
      if (role) {
        const grant = await q(
          "insert into app_public.user_roles (user_id, role_id, organization_id) values ($1, $2, $3) returning id",
          [user.id, await roleId(role), org],
        );
        world.userRoles.push({ id: grant, user: user.id, org });
      }
    }
    const custom = await q(
      "insert into app_public.roles (organization_id, name) values ($1, 'team_lead') returning id",
      [org],
    );
    await db.query("insert into app_public.role_permissions values ($1, 'projects:read')", [custom]);
    await db.query("insert into app_public.role_parents values ($1, $2)", [custom, await roleId("viewer")]);
    world.customRoles.push({ id: custom, org });
    world.invitations.push({
      id: await q(
        "insert into app_public.invitations (organization_id, email, expires_at) values ($1, $2, now() + interval '1 day') returning id",
        [org, `invitee${o}@example.test`],
      ),
      org,
    });

    const members = world.users.filter((u) => world.active.get(u.id)!.has(org)).map((u) => u.id);
    for (let p = 0; p < 3; p++) {
      const creator = members.length > 0 && chance(0.8) ? pick(members) : null;
      /* Every organisation has a private and an internal project, so every visibility rule is exercised. */
      const visibility = p === 0 ? "private" : p === 1 ? "internal" : pick(["private", "internal", "public"] as const);
      const id = await q(
        "insert into app_public.projects (organization_id, name, visibility, created_by) values ($1, $2, $3, $4) returning id",
        [org, `Project ${o}.${p}`, visibility, creator],
      );
      const projectMembers = new Map<string, "owner" | "member">(creator ? [[creator, "owner"]] : []);
      for (const m of members) {
        if (m !== creator && chance(0.35)) {
          await db.query("insert into app_public.project_members (project_id, user_id) values ($1, $2)", [id, m]);
          projectMembers.set(m, "member");
        }
      }
      world.projects.push({ id, org, visibility, members: projectMembers });
      for (let t = 0; t < 2; t++) {
        world.tasks.push({
          id: await q("insert into app_public.tasks (project_id, title) values ($1, $2) returning id", [
            id,
            `Task ${t}`,
          ]),
          project: id,
        });
      }
    }
  }
  for (const user of world.users) {
    for (let p = 0; p < 2; p++) {
      /* The first post is always a draft, so there is always something only its author may see. */
      if (world.posts.length > 0 && !chance(0.7)) continue;
      const published = world.posts.length > 0 && chance(0.5);
      const id = await q(
        "insert into app_public.posts (author_id, title, status, published_at) values ($1, 'Post', $2, case when $2 = 'published' then now() end) returning id",
        [user.id, published ? "published" : "draft"],
      );
      world.posts.push({ id, author: user.id, published });
    }
  }
  for (const post of world.posts) {
    for (const user of world.users) {
      if (chance(0.2)) {
        world.comments.push({
          id: await q("insert into app_public.comments (post_id, author_id, body) values ($1, $2, 'Hi') returning id", [
            post.id,
            user.id,
          ]),
          post: post.id,
          author: user.id,
        });
      }
    }
  }
  return world;
}

/* ---------------------------------------------------------------------------------------------------------------- */
/* The schema, by introspection: every top-level connection of a Node type, every update/delete mutation by rowId. */
interface Schema {
  connections: Array<{ field: string; type: string }>;
  /** Single-row lookups by primary key: `project(rowId: …)`. */
  lookups: Array<{ field: string; type: string }>;
  updates: Array<{ field: string; type: string; patchField: string; patchInput: string }>;
  deletes: Array<{ field: string; type: string }>;
}

async function introspect(): Promise<Schema> {
  const response = await api.client.graphql<{
    __schema: {
      types: Array<{
        name: string;
        kind: string;
        interfaces: Array<{ name: string }> | null;
        fields: Array<{
          name: string;
          args: Array<{ name: string }>;
          type: { name: string | null; ofType: { name: string | null } | null };
        }> | null;
        inputFields: Array<{ name: string; type: { name: string | null; kind: string } }> | null;
      }>;
    };
  }>(
    `{ __schema { types { name kind interfaces { name } fields { name args { name } type { name ofType { name } } } inputFields { name type { name kind } } } } }`,
  );
  const types = new Map(response.data!.__schema.types.map((t) => [t.name, t]));
  const nodeTypes = new Set(
    [...types.values()]
      .filter((t) => t.interfaces?.some((i) => i.name === "Node") && t.name !== "Query")
      .map((t) => t.name),
  );
  /* Listing connections only: a search with arguments of its own (usersByPhone) is probed by its own tests. */
  const LISTING_ARGS = new Set(["first", "last", "offset", "before", "after", "orderBy", "condition", "filter"]);
  const connections = (types.get("Query")!.fields ?? [])
    .filter((f) => f.type.name?.endsWith("Connection") && nodeTypes.has(f.type.name.replace(/Connection$/, "")))
    .filter((f) => f.args.every((a) => LISTING_ARGS.has(a.name)))
    .map((f) => ({ field: f.name, type: f.type.name!.replace(/Connection$/, "") }));
  const lookups = (types.get("Query")!.fields ?? [])
    .filter((f) => f.args.length === 1 && f.args[0]!.name === "rowId" && nodeTypes.has(f.type.name ?? ""))
    .map((f) => ({ field: f.name, type: f.type.name! }));
  const mutations = types.get("Mutation")!.fields ?? [];
  /* The generated CRUD mutations by primary key (their input has rowId), not functions that happen to share a prefix. */
  const byRowId = (input: string) => (types.get(input)?.inputFields ?? []).some((f) => f.name === "rowId");
  const updates = mutations
    .filter(
      (m) =>
        /^update[A-Z]/.test(m.name) &&
        !m.name.endsWith("ById") &&
        byRowId(`${m.name[0]!.toUpperCase()}${m.name.slice(1)}Input`),
    )
    .map((m) => {
      const type = m.name.replace(/^update/, "");
      const patchInput = `${type}Patch`;
      const patchField = (types.get(patchInput)?.inputFields ?? []).find((f) => f.type.name === "String")?.name ?? "";
      return { field: m.name, type, patchField, patchInput };
    });
  const deletes = mutations
    .filter(
      (m) =>
        /^delete[A-Z]/.test(m.name) &&
        !m.name.endsWith("ById") &&
        byRowId(`${m.name[0]!.toUpperCase()}${m.name.slice(1)}Input`),
    )
    .map((m) => ({ field: m.name, type: m.name.replace(/^delete/, "") }));
  return { connections, lookups, updates, deletes };
}

/** Decodes a node id (base64 of ["table", ...primary key]) to the JSON of its primary key. */
function keyOf(nodeId: string): string {
  const [, ...pk] = JSON.parse(Buffer.from(nodeId, "base64").toString("utf8")) as string[];
  return JSON.stringify(pk);
}

/** What a user sees that the oracle says they may not (and, for completeness, what they miss). */
async function probeReads(world: World, schema: Schema): Promise<string[]> {
  const problems: string[] = [];
  const systemRoleIds = new Set(
    (await api.db.root.query<{ id: string }>("select id from app_public.roles where is_system")).rows.map((r) => r.id),
  );
  for (const user of world.users) {
    const oracle = visibleKeys(world, user.id);
    for (const { field, type } of schema.connections) {
      const expected = oracle[type];
      if (!expected) {
        problems.push(`no visibility rule for ${type} (connection ${field}): add one to the probe's oracle`);
        continue;
      }
      const key = type === "RoleParent" || type === "RolePermission" ? "roleId" : type === "Role" ? "rowId" : "";
      /* Every page: a connection answers at most 100 rows at a time. */
      const nodes: Array<{ id: string; roleId?: string; rowId?: string }> = [];
      let after: string | null = null;
      let failed = false;
      do {
        const response: GraphQLResponse<Record<string, Page>> = await api.client.graphql<Record<string, Page>>(
          `query ($after: Cursor) { ${field}(first: 100, after: $after) { nodes { id ${key} } pageInfo { hasNextPage endCursor } } }`,
          { after },
          bearer(user.tokens.accessToken),
        );
        if (response.errors) {
          problems.push(`${user.id} ${field}: ${response.errors[0]?.message}`);
          failed = true;
          break;
        }
        const page: Page = response.data![field]!;
        nodes.push(...page.nodes);
        after = page.pageInfo.hasNextPage ? page.pageInfo.endCursor : null;
      } while (after);
      if (failed) continue;
      if (expected.has("*")) continue;
      let seen: string[];
      if (type === "Role") seen = nodes.map((n) => n.rowId!).filter((id) => !systemRoleIds.has(id));
      else if (type === "RoleParent" || type === "RolePermission")
        seen = nodes.map((n) => n.roleId!).filter((id) => !systemRoleIds.has(id));
      else seen = nodes.map((n) => keyOf(n.id));
      for (const k of seen)
        if (!expected.has(k)) problems.push(`leak: user ${user.id} sees ${type} ${k} through ${field}`);
      for (const k of expected)
        if (!seen.includes(k)) problems.push(`missing: user ${user.id} does not see ${type} ${k} through ${field}`);
    }
  }
  return problems;
}

/** Every single-row lookup, asked for rows the user may not see (by the oracle), must answer null. */
async function probeLookups(world: World, schema: Schema): Promise<string[]> {
  const problems: string[] = [];
  const allKeys: Record<string, string[]> = {
    Organization: world.orgs,
    Membership: world.memberships.map((m) => m.id),
    User: world.users.map((u) => u.id),
    UserRole: world.userRoles.map((g) => g.id),
    Invitation: world.invitations.map((i) => i.id),
    Project: world.projects.map((p) => p.id),
    Task: world.tasks.map((t) => t.id),
    Post: world.posts.map((p) => p.id),
    Comment: world.comments.map((c) => c.id),
    Role: world.customRoles.map((r) => r.id),
    UserProfile: world.users.map((u) => u.id),
  };
  for (const { field, type } of schema.lookups) {
    const keys = allKeys[type];
    if (!keys) {
      problems.push(`no lookup rule for ${type} (field ${field}): add one to the probe`);
      continue;
    }
    for (const user of world.users) {
      const oracle = visibleKeys(world, user.id)[type]!;
      const hidden = keys.filter((k) => !oracle.has(JSON.stringify([k])) && !oracle.has(k));
      for (const id of hidden.slice(0, 3)) {
        const response = await api.client.graphql<Record<string, unknown>>(
          `query ($id: UUID!) { ${field}(rowId: $id) { id } }`,
          { id },
          bearer(user.tokens.accessToken),
        );
        if (response.data?.[field] != null)
          problems.push(`leak: user ${user.id} looks up ${type} ${id} through ${field}`);
      }
    }
  }
  return problems;
}

/** Tries every update and delete mutation on rows the user may not change; returns what changed anyway. */
async function probeWrites(world: World, schema: Schema): Promise<string[]> {
  const problems: string[] = [];
  const rowsOf: Record<string, Array<{ key: string; table: string }>> = {
    User: world.users.map((u) => ({ key: JSON.stringify([u.id]), table: "app_public.users" })),
    Project: world.projects.map((p) => ({ key: JSON.stringify([p.id]), table: "app_public.projects" })),
    Task: world.tasks.map((t) => ({ key: JSON.stringify([t.id]), table: "app_public.tasks" })),
    Post: world.posts.map((p) => ({ key: JSON.stringify([p.id]), table: "app_public.posts" })),
    Comment: world.comments.map((c) => ({ key: JSON.stringify([c.id]), table: "app_public.comments" })),
  };
  const snapshot = async (table: string, id: string) =>
    JSON.stringify((await api.db.root.query(`select * from ${table} where id = $1`, [id])).rows[0] ?? null);
  for (const mutation of [...schema.updates, ...schema.deletes]) {
    const rows = rowsOf[mutation.type];
    if (!rows) {
      problems.push(`no write rule for ${mutation.type} (mutation ${mutation.field}): add one to the probe`);
      continue;
    }
    for (const user of world.users) {
      const forbidden = rows.filter((r) => !changeable(world, user.id, mutation.type, r.key));
      for (const row of forbidden.slice(0, 3)) {
        const [id] = JSON.parse(row.key) as string[];
        const before = await snapshot(row.table, id!);
        const isUpdate = "patchField" in mutation;
        const query = isUpdate
          ? `mutation ($id: UUID!) { ${mutation.field}(input: { rowId: $id, patch: { ${mutation.patchField}: "probe" } }) { clientMutationId } }`
          : `mutation ($id: UUID!) { ${mutation.field}(input: { rowId: $id }) { clientMutationId } }`;
        await api.client.graphql(query, { id }, bearer(user.tokens.accessToken));
        if ((await snapshot(row.table, id!)) !== before)
          problems.push(`user ${user.id} changed ${mutation.type} ${id} through ${mutation.field}`);
      }
    }
  }
  return problems;
}

/* ---------------------------------------------------------------------------------------------------------------- */
let world: World;
let schema: Schema;
beforeAll(async () => {
  world = await generate();
  schema = await introspect();
}, 120_000);

describe(`the leak probe (random seed ${SEED})`, () => {
  it("finds every exposed table in the schema", () => {
    expect(schema.connections.map((c) => c.type).sort()).toEqual(
      [
        "Comment",
        "Invitation",
        "Membership",
        "Organization",
        "Permission",
        "Post",
        "Project",
        "ProjectMember",
        "Role",
        "RoleParent",
        "RolePermission",
        "Task",
        "User",
        "UserRole",
      ].sort(),
    );
  });

  it(
    "shows every user exactly what the visibility rules allow, through every connection",
    { timeout: 120_000 },
    async () => {
      expect(await probeReads(world, schema)).toEqual([]);
    },
  );

  it("answers null to every single-row lookup of a row the user may not see", { timeout: 120_000 }, async () => {
    expect(schema.lookups.length).toBeGreaterThan(5);
    expect(await probeLookups(world, schema)).toEqual([]);
  });

  it("refuses every update and delete on a row the user may not change", { timeout: 120_000 }, async () => {
    expect(schema.updates.length + schema.deletes.length).toBeGreaterThan(5);
    expect(await probeWrites(world, schema)).toEqual([]);
  });
});

describe("the leak probe catches a policy that lets every row through", () => {
  const TABLES: Array<[string, string]> = [
    ["organizations", "Organization"],
    ["memberships", "Membership"],
    ["users", "User"],
    ["user_roles", "UserRole"],
    ["invitations", "Invitation"],
    ["projects", "Project"],
    ["project_members", "ProjectMember"],
    ["tasks", "Task"],
    ["posts", "Post"],
    ["comments", "Comment"],
    ["roles", "Role"],
    ["role_parents", "RoleParent"],
    ["role_permissions", "RolePermission"],
  ];

  afterAll(async () => {
    for (const [table] of TABLES) await restore(table);
  });

  async function restore(table: string): Promise<void> {
    const sql = await fs.readFile(path.join(PROJECT_ROOT, `sql/policies/app_public.${table}.sql`), "utf8");
    await api.db.root.query(`drop policy if exists probe_everything on app_public.${table}; ${sql}`);
  }

  it.each(TABLES)("app_public.%s", { timeout: 120_000 }, async (table, type) => {
    const { rows } = await api.db.root.query<{ name: string }>(
      "select policyname as name from pg_policies where schemaname = 'app_public' and tablename = $1 and cmd in ('SELECT', 'ALL')",
      [table],
    );
    for (const { name } of rows) await api.db.root.query(`drop policy ${name} on app_public.${table}`);
    await api.db.root.query(
      `create policy probe_everything on app_public.${table} for select to app_authenticated using (true)`,
    );
    try {
      const problems = await probeReads(world, schema);
      expect(problems.filter((p) => p.startsWith("leak:") && p.includes(` ${type} `)).length).toBeGreaterThan(0);
    } finally {
      await restore(table);
    }
    expect(await probeReads(world, schema)).toEqual([]);
  });
});
