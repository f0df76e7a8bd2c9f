/**
 * The generated dataset's example resources, as a pure, deterministic description (like dataset.ts): projects of the
 * organisations with their members, tasks, posts and comments on the published ones. Every choice comes from the
 * generator's own streams (random.ts), named by (seed, kind, index), so the same seed and sizes give the same rows.
 * Nothing here touches a database; resourceLoad.ts loads the rows and what their triggers would have written.
 *
 * Who does what follows the rules a request would meet:
 * - a project is created by an active member of its organisation who holds projects:write there (an unexpired grant
 *   of the system roles member or org_admin), after joining and after that grant; the creator is its owner, as the
 *   trigger makes them; most organisations get a few projects, the large ones more (half the projects go to a uniform
 *   organisation, half in proportion to its writers); visibility 30% private, 55% internal, 15% public;
 * - the owner adds other active members of the organisation (project.add_member), some of them as owners too;
 * - tasks are created by project members holding projects:write, assigned (or not) to someone who was a project member
 *   by then; older tasks are more often done;
 * - posts are written by active accounts (older accounts write more), created as drafts, three quarters published
 *   later (publishPost); comments go to published posts only, by accounts that existed by then.
 * Project members come from a deterministic sample of the accounts beyond 100,000 (MEMBER_POOL_ACCOUNTS). Projects
 * and tasks follow the growth of the organisations (dataset.ts: most memberships and grants are recent), each started
 * soon after its creator could; posts and comments are spread over the months.
 * Everything happens within the last `months` months (the audit partitions the history has), after the account, the
 * organisation and the membership it needs. Rows are never changed after they were made, except a post's publication.
 */
import type { Dataset, GeneratedGrant } from "./dataset.ts";
import { generatedUuid, rngFor, type Rng } from "./random.ts";
import {
  COMMENT_PHRASES, ORG_WORDS, POST_SUBJECTS, POST_TOPICS, PROJECT_NOUNS, SENTENCE_ENDS, SENTENCE_STARTS, TASK_LABELS, TASK_OBJECTS, TASK_VERBS,
} from "./words.ts";

export interface ResourceOptions {
  /** Projects in all; null: PROJECTS_PER_1000_USERS per 1,000 accounts (at least 1). */
  projects: number | null;
  /** Average members of a project besides its creator (default 3). */
  membersPerProject: number;
  /** Average tasks per project (default 10). */
  tasksPerProject: number;
  /** Posts in all; null: POSTS_PER_1000_USERS per 1,000 accounts. */
  posts: number | null;
  /** Average comments per published post (default 2). */
  commentsPerPost: number;
  /** Resources are made over the last `months` months, the span of the audit partitions (default 24, as the history). */
  months: number;
}

export const PROJECTS_PER_1000_USERS = 10;
export const POSTS_PER_1000_USERS = 50;
export const DEFAULT_RESOURCES: ResourceOptions = { projects: null, membersPerProject: 3, tasksPerProject: 10, posts: null, commentsPerPost: 2, months: 24 };

export type ResolvedResourceOptions = Omit<ResourceOptions, "projects" | "posts"> & { projects: number; posts: number };

export function resourceOptions(partial: Partial<ResourceOptions>, users: number): ResolvedResourceOptions {
  const options: ResolvedResourceOptions = {
    projects: partial.projects ?? Math.max(1, Math.round((users * PROJECTS_PER_1000_USERS) / 1000)),
    membersPerProject: partial.membersPerProject ?? DEFAULT_RESOURCES.membersPerProject,
    tasksPerProject: partial.tasksPerProject ?? DEFAULT_RESOURCES.tasksPerProject,
    posts: partial.posts ?? Math.round((users * POSTS_PER_1000_USERS) / 1000),
    commentsPerPost: partial.commentsPerPost ?? DEFAULT_RESOURCES.commentsPerPost,
    months: partial.months ?? DEFAULT_RESOURCES.months,
  };
  const check = (name: keyof ResolvedResourceOptions, min: number, max: number): void => {
    const value = options[name];
    if (!Number.isFinite(value) || value < min || value > max) throw new Error(`resource option ${name} must be from ${min} to ${max}, not ${value}`);
  };
  check("projects", 0, 10_000_000);
  check("membersPerProject", 0, 100);
  check("tasksPerProject", 0, 500);
  check("posts", 0, 10_000_000);
  check("commentsPerPost", 0, 100);
  check("months", 1, 120);
  if (!Number.isSafeInteger(options.projects) || !Number.isSafeInteger(options.posts) || !Number.isSafeInteger(options.months)) {
    throw new Error("resource options projects, posts and months must be integers");
  }
  return options;
}

/* Kind bytes of the ids (random.ts: generatedUuid), after dataset.ts's 0x01–0x05. */
const KIND = { project: 0x06, task: 0x07, post: 0x08, comment: 0x09 } as const;
/* Index spaces: a task's id index is project * 2^20 + k, a comment's post * 2^16 + k. */
const TASKS_PER_PROJECT_MAX = 2 ** 20;
const COMMENTS_PER_POST_MAX = 2 ** 16;

const MINUTE_MS = 60_000;
const HOUR_MS = 60 * MINUTE_MS;
const DAY_MS = 24 * HOUR_MS;

export type Visibility = "private" | "internal" | "public";
export type TaskStatus = "todo" | "in_progress" | "done";

export interface ProjectMember {
  user: number;
  role: "owner" | "member";
  addedAt: Date;
  /** When they came to hold projects:write in the organisation; Infinity if they do not. */
  writerSince: number;
}

export interface GeneratedProject {
  index: number;
  id: string;
  organization: number;
  /** The creator's user index: its first member and owner. */
  creator: number;
  name: string;
  description: string;
  visibility: Visibility;
  createdAt: Date;
  /** The creator first (owner, added when the project was created), then the members the creator added. */
  members: ProjectMember[];
}

export interface GeneratedTask {
  id: string;
  title: string;
  description: string;
  status: TaskStatus;
  priority: number;
  labels: string[];
  /** A date (YYYY-MM-DD) or null. */
  dueDate: string | null;
  assignee: number | null;
  createdBy: number;
  createdAt: Date;
}

export interface GeneratedPost {
  index: number;
  id: string;
  author: number;
  title: string;
  body: string;
  /** Set for published posts; drafts have none (posts_check). */
  publishedAt: Date | null;
  createdAt: Date;
  /** The publication's time for a published post (publishing is its last change), else the creation's. */
  updatedAt: Date;
}

export interface GeneratedComment {
  id: string;
  author: number;
  body: string;
  createdAt: Date;
}

export interface Resources {
  options: ResolvedResourceOptions;
  /** Nothing is made before this (the first day of the oldest audit partition). */
  windowStart: Date;
  projects: GeneratedProject[];
  /** A project's tasks, computed on demand (they are not kept). */
  tasks(project: number): GeneratedTask[];
  posts: GeneratedPost[];
  /** A published post's comments, computed on demand; none for a draft. */
  comments(post: number): GeneratedComment[];
}

/** An active member of an organisation who can take part in its projects. */
interface OrgMember {
  user: number;
  joinedAt: number;
  writerSince: number;
}

/** The first day (UTC) of the month `months` months before the one `now` is in: where audit.ensure_partitions(_, months) begins. */
export function firstDayMonthsBack(now: Date, months: number): Date {
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - months, 1));
}

/**
 * A time in [from, to], uniform or (power > 1) nearer `from`; `from` when the span is empty (callers make sure `from`
 * is in the past). Memberships and grants are mostly recent (dataset.ts), so a uniform choice after them would pile
 * projects and their tasks up in the last months; people start projects and tasks soon after they can.
 */
function between(rng: Rng, from: number, to: number, power = 1): number {
  return to <= from ? from : from + rng.next() ** power * (to - from);
}

/** A count with the given mean, spread from 0 to 2.5 × mean (mean × 2.5 × u^1.5). */
function spreadCount(rng: Rng, mean: number, max: number): number {
  return Math.min(max, Math.floor(mean * 2.5 * rng.next() ** 1.5));
}

const capitalise = (s: string): string => `${s[0]?.toUpperCase() ?? ""}${s.slice(1)}`;

function sentence(rng: Rng): string {
  return `${rng.pick(SENTENCE_STARTS)} ${rng.pick(POST_SUBJECTS)}, and it led to ${rng.pick(SENTENCE_ENDS)}`;
}

function isWriterGrant(grant: GeneratedGrant, organization: number, now: number): boolean {
  return grant.organization === organization && "system" in grant.role && (grant.role.system === "member" || grant.role.system === "org_admin") &&
    (grant.expiresAt === null || grant.expiresAt.getTime() > now);
}

/**
 * Accounts whose memberships are looked at for project work: every account up to this many, beyond it every k-th
 * (every 10th at 1,000,000), spread over the years like all accounts. Working out an account's memberships and grants
 * takes about 30 µs; scanning a million would make this step half a minute, and a tenth of the members of even the
 * smallest organisation is more than its projects need.
 */
const MEMBER_POOL_ACCOUNTS = 100_000;

/** Active members (active accounts) of every organisation among the scanned accounts, with when they hold projects:write there. */
function organisationMembers(dataset: Dataset): OrgMember[][] {
  const now = dataset.referenceTime.getTime();
  const members: OrgMember[][] = dataset.organizations.map(() => []);
  const stride = Math.max(1, Math.floor(dataset.options.users / MEMBER_POOL_ACCOUNTS));
  for (let i = 0; i < dataset.options.users; i += stride) {
    const user = dataset.user(i);
    if (user.status !== "active" || user.deletedAt !== null) continue;
    const memberships = dataset.memberships(i).filter((m) => m.active);
    if (memberships.length === 0) continue;
    const grants = dataset.grants(i);
    for (const m of memberships) {
      let writerSince = Infinity;
      for (const g of grants) if (isWriterGrant(g, m.organization, now)) writerSince = Math.min(writerSince, g.assignedAt.getTime());
      members[m.organization]?.push({ user: i, joinedAt: m.joinedAt.getTime(), writerSince });
    }
  }
  return members;
}

export function createResources(dataset: Dataset, partial: Partial<ResourceOptions> = {}): Resources {
  const options = resourceOptions(partial, dataset.options.users);
  const { seed, users: userCount } = dataset.options;
  const now = dataset.referenceTime.getTime();
  const latest = now - MINUTE_MS;
  const windowStart = firstDayMonthsBack(dataset.referenceTime, options.months);
  const start = windowStart.getTime();

  /* Projects: organisations with at least one writer; half the projects uniform over them, half by their writers. */
  const members = options.projects > 0 ? organisationMembers(dataset) : [];
  const writers = members.map((list) => list.filter((m) => m.writerSince <= latest));
  const eligible = writers.map((w, j) => (w.length > 0 ? j : -1)).filter((j) => j >= 0);
  const cumulative: number[] = [];
  let totalWriters = 0;
  for (const j of eligible) {
    totalWriters += writers[j]?.length ?? 0;
    cumulative.push(totalWriters);
  }
  const byWriters = (rng: Rng): number => {
    const x = rng.int(totalWriters);
    let lo = 0;
    let hi = cumulative.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((cumulative[mid] as number) > x) hi = mid;
      else lo = mid + 1;
    }
    return eligible[lo] as number;
  };

  const projects: GeneratedProject[] = [];
  for (let p = 0; eligible.length > 0 && p < options.projects; p++) {
    const rng = rngFor(seed, "project", p);
    const organization = rng.chance(0.5) ? (eligible[rng.int(eligible.length)] as number) : byWriters(rng);
    const org = dataset.organizations[organization];
    /* The longer-standing of two writers: people who have held projects:write for a while start more projects. */
    const a = rng.pick(writers[organization] as OrgMember[]);
    const b = rng.pick(writers[organization] as OrgMember[]);
    const creator = Math.max(a.joinedAt, a.writerSince) <= Math.max(b.joinedAt, b.writerSince) ? a : b;
    const from = Math.max(start, creator.joinedAt, creator.writerSince, org?.createdAt.getTime() ?? 0);
    const createdAt = between(rng, from, now - HOUR_MS, 3);
    const v = rng.next();
    const project: GeneratedProject = {
      index: p,
      id: generatedUuid(rng, KIND.project, p),
      organization,
      creator: creator.user,
      name: `${capitalise(rng.pick(ORG_WORDS))} ${rng.pick(PROJECT_NOUNS)} ${p}`,
      description: rng.chance(0.6) ? sentence(rng) : "",
      visibility: v < 0.3 ? "private" : v < 0.85 ? "internal" : "public",
      createdAt: new Date(createdAt),
      members: [{ user: creator.user, role: "owner", addedAt: new Date(createdAt), writerSince: creator.writerSince }],
    };
    const pool = members[organization] as OrgMember[];
    const wanted = Math.min(pool.length - 1, 200, Math.round(-options.membersPerProject * Math.log(1 - rng.next())));
    const taken = new Set([creator.user]);
    for (let tries = 0; project.members.length < wanted + 1 && tries < wanted * 4; tries++) {
      const m = rng.pick(pool);
      if (taken.has(m.user)) continue;
      taken.add(m.user);
      const since = Math.max(createdAt, m.joinedAt);
      /* Most members join soon after the project starts. */
      const addedAt = since + rng.next() ** 2 * Math.max(0, latest - since) * 0.5;
      project.members.push({ user: m.user, role: rng.chance(0.1) ? "owner" : "member", addedAt: new Date(addedAt), writerSince: m.writerSince });
    }
    projects.push(project);
  }

  const tasks = (p: number): GeneratedTask[] => {
    const project = projects[p];
    if (!project) return [];
    const rng = rngFor(seed, "tasks", p);
    const n = spreadCount(rng, options.tasksPerProject, TASKS_PER_PROJECT_MAX - 1);
    const owner = project.members[0] as ProjectMember;
    const canWrite = project.members.filter((m) => m.writerSince <= latest);
    const result: GeneratedTask[] = [];
    for (let k = 0; k < n; k++) {
      const creator = rng.chance(0.6) ? owner : rng.pick(canWrite);
      const createdAt = between(rng, Math.max(creator.addedAt.getTime(), creator.writerSince), latest, 3);
      const assignable = project.members.filter((m) => m.addedAt.getTime() <= createdAt);
      const assignee = rng.chance(0.75) && assignable.length > 0 ? rng.pick(assignable).user : null;
      /* Older tasks are more often done. */
      const age = (now - createdAt) / Math.max(1, now - start);
      const s = rng.next();
      const status: TaskStatus = s < 0.25 + 0.65 * age ? "done" : s < 0.4 + 0.65 * age ? "in_progress" : "todo";
      const q = rng.next();
      const labels: string[] = [];
      const labelCount = rng.chance(0.6) ? rng.between(1, 3) : 0;
      for (let l = 0; l < labelCount; l++) {
        const label = rng.pick(TASK_LABELS);
        if (!labels.includes(label)) labels.push(label);
      }
      result.push({
        id: generatedUuid(rng, KIND.task, p * TASKS_PER_PROJECT_MAX + k),
        title: `${capitalise(rng.pick(TASK_VERBS))} ${rng.pick(TASK_OBJECTS)}`,
        description: rng.chance(0.5) ? sentence(rng) : "",
        status,
        priority: q < 0.05 ? 1 : q < 0.25 ? 2 : q < 0.75 ? 3 : q < 0.95 ? 4 : 5,
        labels,
        dueDate: rng.chance(0.55) ? new Date(createdAt + rng.between(3, 90) * DAY_MS).toISOString().slice(0, 10) : null,
        assignee,
        createdBy: creator.user,
        createdAt: new Date(createdAt),
      });
    }
    return result;
  };

  /* Posts: authors skewed towards older accounts (lower indexes), active ones only. */
  const posts: GeneratedPost[] = [];
  for (let q = 0; q < options.posts; q++) {
    const rng = rngFor(seed, "post", q);
    let author = dataset.user(Math.floor(userCount * rng.next() ** 2));
    for (let tries = 0; tries < 20 && (author.status !== "active" || author.deletedAt !== null); tries++) {
      author = dataset.user(Math.floor(userCount * rng.next() ** 2));
    }
    const createdAt = between(rng, Math.max(start, author.createdAt.getTime()), latest);
    const published = rng.chance(0.75) && createdAt < now - 10 * MINUTE_MS;
    const publishedAt = published ? createdAt + rng.next() ** 3 * Math.min(14 * DAY_MS, latest - createdAt) : null;
    const paragraphs = Array.from({ length: rng.between(1, 5) }, () => Array.from({ length: rng.between(2, 5) }, () => sentence(rng)).join(" "));
    posts.push({
      index: q,
      id: generatedUuid(rng, KIND.post, q),
      author: author.index,
      title: `${rng.pick(POST_TOPICS)} ${rng.pick(POST_SUBJECTS)}`,
      body: paragraphs.join("\n\n"),
      publishedAt: publishedAt === null ? null : new Date(publishedAt),
      createdAt: new Date(createdAt),
      updatedAt: new Date(publishedAt ?? createdAt),
    });
  }

  const comments = (q: number): GeneratedComment[] => {
    const post = posts[q];
    if (!post?.publishedAt) return [];
    const rng = rngFor(seed, "comments", q);
    const n = spreadCount(rng, options.commentsPerPost, COMMENTS_PER_POST_MAX - 1);
    const published = post.publishedAt.getTime();
    const result: GeneratedComment[] = [];
    for (let k = 0; k < n; k++) {
      /* Most comments come soon after the publication. */
      const createdAt = published + rng.next() ** 2 * Math.max(0, latest - published);
      let author = post.author;
      if (!rng.chance(0.2)) {
        for (let tries = 0; tries < 10; tries++) {
          const u = dataset.user(rng.int(userCount));
          if (u.status === "active" && u.deletedAt === null && u.createdAt.getTime() <= createdAt) {
            author = u.index;
            break;
          }
        }
      }
      result.push({
        id: generatedUuid(rng, KIND.comment, q * COMMENTS_PER_POST_MAX + k),
        author,
        body: rng.chance(0.5) ? rng.pick(COMMENT_PHRASES) : `${rng.pick(COMMENT_PHRASES)} ${sentence(rng)}`,
        createdAt: new Date(createdAt),
      });
    }
    return result;
  };

  return { options, windowStart, projects, tasks, posts, comments };
}
