/**
 * Loads the example resources (resources.ts) and what their triggers would have written, timed apart from the
 * accounts and the history.
 *
 * How, and why this way: the rows are COPYed with their user triggers off, and the audit events a normal creation
 * through the API would have left are then written set-based, each at the time of its request. The other way, an
 * INSERT … SELECT with the triggers on, would not leave what a normal insert leaves: the timestamps trigger would stamp
 * every project, task and post with the load's clock (a post published before it was written, say), and without a
 * request the audit triggers would record no actor, no request and no personal part. What the triggers leave for one
 * creation by a signed-in member, and what is written here for each:
 * - a project (createProject, by its creator): the creator as owner (tg_projects__add_owner), then the events
 *   row.project_members.insert, project.create, row.projects.insert, in that order;
 * - a member (addProjectMember, by the project's creator): the row, row.project_members.insert, project.add_member;
 * - a task (createTask, by its creator): row.tasks.insert;
 * - a post (createPost, a draft): row.posts.insert with the draft's columns; a published one also publishPost, at its
 *   published_at: row.posts.update (status and published_at, old and new), post.publish;
 * - a comment (createComment): row.comments.insert.
 * Each event as audit.record_event / audit.record_row_changes writes it: details shaped by audit.row_change_parts
 * itself (secrets redacted, personal columns moved out), the actor and the subject, organisation_id from the row,
 * request id, db_role app_authenticated, and the request's address and user agent (the actor's device,
 * sqlChoices.ts) encrypted by app_hidden.encrypt_personal to the subject, else the actor (here the system key: the
 * accounts wait for keys of their own). The probe (probeResourceEvents) makes one of each through the real triggers
 * in a rolled-back transaction and compares: the load fails if they differ.
 */
import type pg from "pg";
import type { CopyValue } from "./copy.ts";
import type { Dataset } from "./dataset.ts";
import { requireSystemKey, type Timed } from "./history.ts";
import { dropSecondaryIndexes, type SecondaryIndex } from "./indexes.ts";
import { progressBar } from "./progress.ts";
import { createResources, type ResourceOptions, type Resources } from "./resources.ts";
import { deviceIp, deviceUserAgent, requestPersonal } from "./sqlChoices.ts";

export const RESOURCE_TABLES = ["app_public.projects", "app_public.project_members", "app_public.tasks", "app_public.posts", "app_public.comments"];

/** The request id that marks the probe's events (rolled back, never kept). */
const PROBE_REQUEST = "generator-probe";

type Copy = (table: string, columns: readonly string[], rows: Iterable<readonly CopyValue[]>, expected?: number) => Promise<number>;

export interface ResourceLoadResult {
  resources: Resources;
  rows: Record<string, number>;
  /** Events written for the resources, and how many a normal creation of each would have left. */
  events: number;
  expectedEvents: number;
}

/** A table's personal columns (app_private.personal_data_columns), which row_change_parts moves into the encrypted part. */
const personalColumns = (table: string): string =>
  `(select coalesce(array_agg(c.column_name::text), '{}') from app_private.personal_data_columns c
    where c.table_schema = 'app_public' and c.table_name = '${table}')`;

const parts = (operation: "insert" | "update", table: string, oldRow: string, newRow: string): string =>
  `cross join lateral audit.row_change_parts('${operation}', ${oldRow}, ${newRow}, ${personalColumns(table)}) x`;

/**
 * The events a normal creation of the resources would have left (SQL select), for the projects whose ids
 * `projectIds` selects (their members and tasks too) and the posts whose ids `postIds` selects (their comments too),
 * occurring in [$1, $2). Columns: at, request (one request per creation), ord (order within it), the events' columns,
 * and personal_text (the personal part before encryption).
 */
export function resourceEventsSql(seed: number, projectIds: string, postIds: string): string {
  /* A post as it was written: a draft, last changed when it was created. */
  const draft = "(to_jsonb(p) || jsonb_build_object('status', 'draft', 'published_at', null, 'updated_at', p.created_at))";
  return `
    with pr as (select p.* from app_public.projects p where p.id in (${projectIds})),
    po as (select p.* from app_public.posts p where p.id in (${postIds})),
    ev as (
      select p.created_at as at, p.id::text as request, 1 as ord, 'row.project_members.insert' as event_type, p.created_by as actor,
             m.user_id as subject, null::uuid as organisation, 'project_members' as entity_type, m.project_id || ',' || m.user_id as entity_id,
             x.details, x.personal_values
      from pr p join app_public.project_members m on m.project_id = p.id and m.user_id = p.created_by
      ${parts("insert", "project_members", "null", "to_jsonb(m)")}
      union all
      select p.created_at, p.id::text, 2, 'project.create', p.created_by, null, p.organization_id, 'project', p.id::text,
             jsonb_build_object('name', p.name, 'visibility', p.visibility), null
      from pr p
      union all
      select p.created_at, p.id::text, 3, 'row.projects.insert', p.created_by, null, p.organization_id, 'projects', p.id::text,
             x.details, x.personal_values
      from pr p ${parts("insert", "projects", "null", "to_jsonb(p)")}
      union all
      select m.added_at, m.project_id || ':' || m.user_id, 1, 'row.project_members.insert', p.created_by, m.user_id, null, 'project_members',
             m.project_id || ',' || m.user_id, x.details, x.personal_values
      from pr p join app_public.project_members m on m.project_id = p.id and m.user_id <> p.created_by
      ${parts("insert", "project_members", "null", "to_jsonb(m)")}
      union all
      select m.added_at, m.project_id || ':' || m.user_id, 2, 'project.add_member', p.created_by, m.user_id, p.organization_id, 'project',
             p.id::text, jsonb_build_object('role', m.role), null
      from pr p join app_public.project_members m on m.project_id = p.id and m.user_id <> p.created_by
      union all
      select t.created_at, t.id::text, 1, 'row.tasks.insert', t.created_by, null, null, 'tasks', t.id::text, x.details, x.personal_values
      from pr p join app_public.tasks t on t.project_id = p.id ${parts("insert", "tasks", "null", "to_jsonb(t)")}
      union all
      select p.created_at, p.id::text, 1, 'row.posts.insert', p.author_id, null, null, 'posts', p.id::text, x.details, x.personal_values
      from po p ${parts("insert", "posts", "null", draft)}
      union all
      select p.published_at, p.id || ':publish', 1, 'row.posts.update', p.author_id, null, null, 'posts', p.id::text, x.details, x.personal_values
      from po p ${parts("update", "posts", draft, "to_jsonb(p)")}
      where p.status = 'published' and x.details is not null
      union all
      select p.published_at, p.id || ':publish', 2, 'post.publish', p.author_id, null, null, 'post', p.id::text, '{}'::jsonb, null
      from po p where p.status = 'published'
      union all
      select c.created_at, c.id::text, 1, 'row.comments.insert', c.author_id, null, null, 'comments', c.id::text, x.details, x.personal_values
      from po p join app_public.comments c on c.post_id = p.id ${parts("insert", "comments", "null", "to_jsonb(c)")}
    )
    select e.at, e.request, e.ord, e.event_type, e.actor, e.subject, e.organisation, e.entity_type, e.entity_id, e.details,
           'gen-' || md5('${seed}:resource:' || e.request) as request_id,
           ${requestPersonal(seed, "e.actor", "e.personal_values")}::text as personal_text
    from ev e
    where e.at >= $1 and e.at < $2`;
}

function* rowsOf<T>(items: Iterable<T>, row: (item: T) => readonly CopyValue[]): Generator<readonly CopyValue[]> {
  for (const item of items) yield row(item);
}

/** Month boundaries from `from` (the first of a month) to past `until`. */
function months(from: Date, until: Date): Array<[Date, Date]> {
  const result: Array<[Date, Date]> = [];
  for (let d = from; d.getTime() <= until.getTime(); ) {
    const next = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1));
    result.push([d, next]);
    d = next;
  }
  return result;
}

export async function loadResources(
  client: pg.Client,
  dataset: Dataset,
  options: Partial<ResourceOptions>,
  context: { timed: Timed; copy: Copy; superuser: boolean; rebuildIndexes: boolean },
): Promise<ResourceLoadResult> {
  const { timed, copy, superuser } = context;
  const seed = dataset.options.seed;
  await requireSystemKey(client);
  const resources = await timed("resources: work out projects, members and posts", async () => createResources(dataset, options));
  const { projects, posts } = resources;
  const userId = (i: number): string => dataset.userId(i);
  const orgId = (j: number): string => dataset.organizations[j]?.id as string;
  const rows: Record<string, number> = {};

  await timed("resources: monthly audit partitions", () => client.query("select audit.ensure_partitions(null, $1)", [resources.options.months]));

  await client.query("begin");
  try {
    const triggers = async (on: boolean): Promise<void> => {
      if (superuser) await client.query(`set local session_replication_role = ${on ? "origin" : "replica"}`);
      else for (const table of RESOURCE_TABLES) await client.query(`alter table ${table} ${on ? "enable" : "disable"} trigger user`);
    };
    let indexes: SecondaryIndex[] = [];
    if (context.rebuildIndexes) {
      indexes = await timed("resources: drop secondary indexes", () => dropSecondaryIndexes(client, RESOURCE_TABLES), (r) => r.length);
    }
    await triggers(false);
    rows["app_public.projects"] = await copy(
      "app_public.projects",
      ["id", "organization_id", "name", "description", "visibility", "created_by", "created_at", "updated_at"],
      rowsOf(projects, (p) => [p.id, orgId(p.organization), p.name, p.description, p.visibility, userId(p.creator), p.createdAt, p.createdAt]),
    );
    rows["app_public.project_members"] = await copy(
      "app_public.project_members",
      ["project_id", "user_id", "role", "added_at"],
      (function* () {
        for (const p of projects) for (const m of p.members) yield [p.id, userId(m.user), m.role, m.addedAt];
      })(),
    );
    rows["app_public.tasks"] = await copy(
      "app_public.tasks",
      ["id", "project_id", "title", "description", "status", "priority", "labels", "due_date", "assignee_id", "created_by", "created_at", "updated_at"],
      (function* () {
        for (const p of projects) {
          for (const t of resources.tasks(p.index)) {
            yield [t.id, p.id, t.title, t.description, t.status, t.priority, `{${t.labels.join(",")}}`, t.dueDate,
              t.assignee === null ? null : userId(t.assignee), userId(t.createdBy), t.createdAt, t.createdAt];
          }
        }
      })(),
    );
    rows["app_public.posts"] = await copy(
      "app_public.posts",
      ["id", "author_id", "title", "body", "status", "published_at", "created_at", "updated_at"],
      rowsOf(posts, (q) => [q.id, userId(q.author), q.title, q.body, q.publishedAt ? "published" : "draft", q.publishedAt, q.createdAt, q.updatedAt]),
    );
    rows["app_public.comments"] = await copy(
      "app_public.comments",
      ["id", "post_id", "author_id", "body", "created_at", "updated_at"],
      (function* () {
        for (const q of posts) for (const c of resources.comments(q.index)) yield [c.id, q.id, userId(c.author), c.body, c.createdAt, c.createdAt];
      })(),
    );
    await triggers(true);
    for (const index of indexes) await timed(`resources: build index ${index.name}`, () => client.query(index.def));

    const added = projects.reduce((n, p) => n + p.members.length - 1, 0);
    const published = posts.filter((q) => q.publishedAt !== null).length;
    const expectedEvents = 3 * projects.length + 2 * added + (rows["app_public.tasks"] ?? 0) + posts.length + 2 * published + (rows["app_public.comments"] ?? 0);

    await client.query("create temp table generated_projects (id uuid primary key) on commit drop");
    await client.query("create temp table generated_posts (id uuid primary key) on commit drop");
    await client.query("insert into generated_projects select unnest($1::uuid[])", [projects.map((p) => p.id)]);
    await client.query("insert into generated_posts select unnest($1::uuid[])", [posts.map((q) => q.id)]);
    const select = resourceEventsSql(seed, "select g.id from generated_projects g", "select g.id from generated_posts g");
    const bar = progressBar("resource events", expectedEvents, "events");
    const events = await timed(`resources: ${expectedEvents.toLocaleString("en")} audit events of their creation, personal parts encrypted`, async () => {
      let inserted = 0;
      for (const [from, to] of months(resources.windowStart, dataset.referenceTime)) {
        const r = await client.query(
          `insert into audit.events (occurred_at, event_type, outcome, severity, reason, actor_id, subject_id, organisation_id, entity_type, entity_id,
                                     details, request_id, db_role, personal)
           select e.at, e.event_type, 'success', 'info', null, e.actor, e.subject, e.organisation, e.entity_type, e.entity_id,
                  e.details, e.request_id, 'app_authenticated', app_hidden.encrypt_personal(coalesce(e.subject, e.actor), e.personal_text)
           from (${select}) e
           order by e.at, e.request, e.ord`,
          [from, to],
        );
        inserted += r.rowCount ?? 0;
        bar.tick(r.rowCount ?? 0);
      }
      bar.stop();
      return inserted;
    }, (n) => n);
    if (events !== expectedEvents) {
      throw new Error(`the resources' creation left ${events} audit events, a normal creation of each leaves ${expectedEvents}`);
    }
    await timed("resources: commit", () => client.query("commit"));
    await timed("resources: vacuum (analyze)", async () => {
      for (const table of RESOURCE_TABLES) await client.query(`vacuum (analyze) ${table}`);
    });
    return { resources, rows, events, expectedEvents };
  } catch (error) {
    await client.query("rollback").catch(() => undefined);
    throw error;
  }
}

interface EventRow {
  occurred_at: Date;
  event_type: string;
  actor_id: string | null;
  subject_id: string | null;
  organisation_id: string | null;
  entity_type: string | null;
  entity_id: string | null;
  details: unknown;
  db_role: string | null;
  outcome: string;
  severity: string;
  reason: string | null;
  personal: Buffer | null;
  personal_text?: string;
}

export type Decrypt = (values: Buffer[]) => Promise<Array<string | null>>;

/**
 * Makes one project (with a second member), one task, one post (published) and one comment through the API's path (as
 * app_authenticated when the connection may take that role, with a live session and the request context of a
 * generated project's creator), so the real triggers and functions record them, and compares those events with what
 * resourceEventsSql writes for the same rows. All in a transaction that is rolled back. Returns what was compared;
 * throws on a difference.
 */
export async function probeResourceEvents(client: pg.Client, dataset: Dataset, resources: Resources, superuser: boolean, decrypt?: Decrypt): Promise<string> {
  const project = resources.projects.find((p) => p.members.length > 1);
  if (!project) return "skipped: no generated project has a second member to add";
  const seed = dataset.options.seed;
  const creator = dataset.userId(project.creator);
  const member = dataset.userId(project.members[1]?.user as number);
  await client.query("begin");
  try {
    const { rows: device } = await client.query<{ ip: string; ua: string }>(
      `select ${deviceIp(seed, "$1::uuid")} as ip, ${deviceUserAgent(seed, "$1::uuid")} as ua`,
      [creator],
    );
    const { rows: session } = await client.query<{ id: string }>("insert into app_private.sessions (user_id) values ($1) returning id", [creator]);
    if (superuser) await client.query("set local role app_authenticated");
    await client.query(
      `select set_config('jwt.claims.sub', $1, true), set_config('jwt.claims.sid', $2, true), set_config('request.ip', $3, true),
              set_config('request.user_agent', $4, true), set_config('request.id', $5, true)`,
      [creator, session[0]?.id, device[0]?.ip, device[0]?.ua, PROBE_REQUEST],
    );
    const one = async (sql: string, values: unknown[]): Promise<string> => {
      const { rows } = await client.query<{ v: string }>(sql, values);
      if (!rows[0]) throw new Error(`the probe's ${sql.split(" ").slice(0, 3).join(" ")} returned nothing`);
      return rows[0].v;
    };
    const ok = async (sql: string, values: unknown[]): Promise<void> => {
      const outcome = await one(sql, values);
      if (!outcome.startsWith("(t,")) throw new Error(`the probe's ${sql} was refused: ${outcome}`);
    };
    const projectId = await one(
      "insert into app_public.projects (organization_id, name, description, visibility) values ($1, $2, $3, $4) returning id as v",
      [dataset.organizations[project.organization]?.id, `Probe of ${project.name}`, project.description, project.visibility],
    );
    await ok("select app_public.add_project_member($1, $2, 'member')::text as v", [projectId, member]);
    await one(
      `insert into app_public.tasks (project_id, title, description, status, priority, labels, due_date, assignee_id)
       values ($1, 'Probe task', 'What the triggers write', 'in_progress', 2, '{docs,ops}', '2030-01-31', $2) returning id as v`,
      [projectId, member],
    );
    const postId = await one("insert into app_public.posts (title, body) values ('Probe post', 'Body') returning id as v", []);
    await ok("select app_public.publish_post($1)::text as v", [postId]);
    await one("insert into app_public.comments (post_id, body) values ($1, 'Probe comment') returning id as v", [postId]);
    if (superuser) await client.query("reset role");

    const { rows: fired } = await client.query<EventRow>(
      `select occurred_at, event_type, outcome, severity, reason, actor_id, subject_id, organisation_id, entity_type, entity_id, details, db_role, personal
       from audit.events where request_id = $1 order by id`,
      [PROBE_REQUEST],
    );
    const { rows: written } = await client.query<EventRow>(
      `select e.at as occurred_at, e.event_type, 'success' as outcome, 'info' as severity, null as reason, e.actor as actor_id, e.subject as subject_id,
              e.organisation as organisation_id, e.entity_type, e.entity_id, e.details, 'app_authenticated' as db_role, null::bytea as personal, e.personal_text
       from (${resourceEventsSql(seed, "select $3::uuid", "select $4::uuid")}) e order by e.at, e.request, e.ord`,
      ["-infinity", "infinity", projectId, postId],
    );
    const key = (e: EventRow): string => `${e.event_type} ${e.entity_id}`;
    const shape = (e: EventRow): string =>
      JSON.stringify([e.occurred_at.toISOString(), e.event_type, e.outcome, e.severity, e.reason, e.actor_id, e.subject_id, e.organisation_id,
        e.entity_type, e.entity_id, e.details, superuser ? e.db_role : "(not compared)"]);
    const mine = new Map(written.map((e) => [key(e), e]));
    const problems: string[] = [];
    if (fired.length !== written.length) problems.push(`the triggers wrote ${fired.length} events, the generator ${written.length}`);
    for (const e of fired) {
      const w = mine.get(key(e));
      if (!w) problems.push(`the generator writes no ${key(e)}`);
      else if (shape(e) !== shape(w)) problems.push(`${key(e)}: triggers ${shape(e)}, generator ${shape(w)}`);
      if (!e.personal) problems.push(`${key(e)}: the triggers left no personal part`);
    }
    let personal = "personal parts present (no key store here to decrypt them)";
    if (decrypt && problems.length === 0) {
      const plain = await decrypt(fired.map((e) => e.personal as Buffer));
      fired.forEach((e, n) => {
        const expected = JSON.parse(mine.get(key(e))?.personal_text ?? "null") as unknown;
        const actual = JSON.parse(plain[n] ?? "null") as unknown;
        if (JSON.stringify(actual) !== JSON.stringify(expected)) problems.push(`${key(e)}: personal part ${plain[n]}, the generator writes ${JSON.stringify(expected)}`);
      });
      personal = "personal parts decrypted and equal";
    }
    if (problems.length > 0) throw new Error(`the resources' events differ from what the triggers write:\n  ${problems.join("\n  ")}`);
    return `${fired.length} events made through the real triggers (project, member, task, post, publication, comment) equal the generator's: ` +
      `every column${superuser ? "" : " but db_role (the owner cannot act as app_authenticated)"}, details included; ${personal}`;
  } finally {
    await client.query("rollback");
  }
}
