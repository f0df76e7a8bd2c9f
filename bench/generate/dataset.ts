/**
 * The generated dataset as a pure, deterministic description: given the options (seed and sizes) and the reference
 * time, every row is a function of its index, computed on demand. The loader (load.ts) streams these rows into the
 * database; a scenario uses the same description to pick users, their organisations and their roles without reading
 * the tables back. Nothing here touches a database.
 *
 * Shape (defaults): N users; N/1000 organisations, sizes skewed (the largest has a few percent of all members); each
 * user in 1–3 of them (5% of memberships ended); 500 permissions resource:action outside the seeded catalogue; 2,000
 * roles, 10% global and the rest owned by organisations (the organisations that have custom roles have about a dozen
 * each), arranged in a DAG whose longest chain has `maxDepth` edges and where about a third of the roles have two or
 * more parents; 1–4 permissions per role; grants per membership (system, global or the organisation's own roles), some
 * expiring or expired, a few global grants. Every account shares one password (GENERATED_PASSWORD).
 */
import { generatedUuid, rngFor, type Rng } from "./random.ts";
import { ACTIONS, EMAIL_DOMAINS, FIRST_NAMES, LANGUAGES, LAST_NAMES, ORG_WORDS, RESOURCES, ROLE_WORDS, TIMEZONES } from "./words.ts";

/** The password of every generated account (one bcrypt hash, computed once, is stored for all of them). */
export const GENERATED_PASSWORD = "generated account password 7f3c";

export interface DatasetOptions {
  /** Any integer; the same seed and sizes give the same rows. Default 1. */
  seed: number;
  /** Default 1,000,000. */
  users: number;
  /** Default users / 1000 (at least 1). */
  organizations: number;
  /** Generated permissions, besides the seeded catalogue. Default 500. */
  permissions: number;
  /** Generated roles, besides the seeded system roles. Default 2,000. */
  roles: number;
  /** Longest chain of parent edges in the role DAG. Default 8. */
  maxDepth: number;
}

export const DEFAULT_DATASET: DatasetOptions = { seed: 1, users: 1_000_000, organizations: 1000, permissions: 500, roles: 2000, maxDepth: 8 };

export function datasetOptions(partial: Partial<DatasetOptions> = {}): DatasetOptions {
  const users = partial.users ?? DEFAULT_DATASET.users;
  const options: DatasetOptions = {
    seed: partial.seed ?? DEFAULT_DATASET.seed,
    users,
    organizations: partial.organizations ?? Math.max(1, Math.round(users / 1000)),
    permissions: partial.permissions ?? DEFAULT_DATASET.permissions,
    roles: partial.roles ?? DEFAULT_DATASET.roles,
    maxDepth: partial.maxDepth ?? DEFAULT_DATASET.maxDepth,
  };
  const check = (name: keyof DatasetOptions, min: number, max: number): void => {
    const value = options[name];
    if (!Number.isSafeInteger(value) || value < min || value > max) throw new Error(`dataset option ${name} must be an integer from ${min} to ${max}, not ${value}`);
  };
  check("seed", -(2 ** 31), 2 ** 32 - 1);
  check("users", 10, 100_000_000);
  check("organizations", 1, options.users);
  check("permissions", 1, 100_000);
  check("maxDepth", 0, 64);
  check("roles", options.maxDepth + 1, 1_000_000);
  return options;
}

/* The byte that tells generated ids of different kinds apart (random.ts: generatedUuid). */
const KIND = { user: 0x01, organization: 0x02, role: 0x03, membership: 0x04, grant: 0x05 } as const;

const DAY_MS = 86_400_000;
/** Accounts were created over the three years before the reference time. */
const HISTORY_MS = 3 * 365 * DAY_MS;

export type UserStatus = "active" | "inactive" | "suspended" | "deleted";

export interface GeneratedUser {
  index: number;
  id: string;
  username: string;
  email: string;
  firstName: string;
  lastName: string;
  status: UserStatus;
  emailVerifiedAt: Date | null;
  tier: "free" | "pro" | "enterprise";
  timezone: string;
  language: string;
  createdAt: Date;
  updatedAt: Date;
  deletedAt: Date | null;
}

export interface GeneratedOrganization {
  index: number;
  id: string;
  name: string;
  slug: string;
  /** The user who created it: its first member, holding org_admin there. */
  creator: number;
  createdAt: Date;
  /** Indexes (into roles) of the roles it owns. */
  roles: number[];
}

export interface GeneratedMembership {
  id: string;
  organization: number;
  active: boolean;
  joinedAt: Date;
  endedAt: Date | null;
}

export interface GeneratedRole {
  index: number;
  id: string;
  name: string;
  /** Owning organisation's index; null for a global role. */
  organization: number | null;
  /** Its longest chain of parent edges: 0 for a root. */
  level: number;
  /** Indexes of its parents (generated roles). */
  parents: number[];
  /** Names of its permissions (generated ones). */
  permissions: string[];
}

export const SYSTEM_ROLES = ["super_admin", "org_admin", "user_manager", "auditor", "member", "viewer"] as const;
export type SystemRole = (typeof SYSTEM_ROLES)[number];

/** A grant's role: a generated role (by index) or a seeded system role (by name). */
export type GrantedRole = { generated: number } | { system: SystemRole };

export interface GeneratedGrant {
  id: string;
  role: GrantedRole;
  /** Organisation index; null for a global grant. */
  organization: number | null;
  assignedAt: Date;
  expiresAt: Date | null;
}

export interface Dataset {
  options: DatasetOptions;
  /** The time every generated timestamp is relative to (the database's clock at the start of the load, to the second). */
  referenceTime: Date;
  permissions: string[];
  roles: GeneratedRole[];
  organizations: GeneratedOrganization[];
  userId(index: number): string;
  user(index: number): GeneratedUser;
  /** The user's memberships (an organisation at most once). */
  memberships(userIndex: number): GeneratedMembership[];
  /** The user's grants: per membership (lingering ones for a few ended memberships) and a few global ones. */
  grants(userIndex: number): GeneratedGrant[];
}

/** Permission names for index k: resource:action over the word lists, then resource_<letters>:action beyond them. */
function permissionName(k: number): string {
  const resource = RESOURCES[Math.floor(k / ACTIONS.length) % RESOURCES.length] as string;
  const action = ACTIONS[k % ACTIONS.length] as string;
  const round = Math.floor(k / (ACTIONS.length * RESOURCES.length));
  return round === 0 ? `${resource}:${action}` : `${resource}_${letters(round)}:${action}`;
}

/** 1 → a, 26 → z, 27 → aa: a suffix without digits (permission names allow letters and underscores only). */
function letters(n: number): string {
  let s = "";
  for (let x = n; x > 0; x = Math.floor((x - 1) / 26)) s = String.fromCharCode(97 + ((x - 1) % 26)) + s;
  return s;
}

/** An index in [0, n) skewed towards 0: the first organisations are the largest, the first permissions the most used. */
function skewed(rng: Rng, n: number, power: number): number {
  return Math.min(n - 1, Math.floor(n * rng.next() ** power));
}

/** The id of a user's n-th membership or grant: unique while a user has fewer than 256 of each. */
function perUserId(rng: Rng, kind: number, userIndex: number, n: number): string {
  if (n >= 256) throw new Error(`user ${userIndex} has more than 256 rows of kind ${kind}`);
  return generatedUuid(rng, kind, userIndex * 256 + n);
}

function atSecond(ms: number): Date {
  return new Date(Math.floor(ms / 1000) * 1000);
}

function buildRoles(options: DatasetOptions, organizations: GeneratedOrganization[], permissions: string[]): GeneratedRole[] {
  const { seed, roles: count, maxDepth } = options;
  const levels = maxDepth + 1;
  const globalCount = Math.min(count, Math.max(levels, Math.round(count * 0.1)));
  const orgRoleCount = count - globalCount;
  /* Organisations with custom roles: about a dozen roles each, spread over large and small organisations alike. */
  const withRoles = orgRoleCount === 0 ? 0 : Math.min(organizations.length, Math.max(1, Math.round(orgRoleCount / 12)));
  const owners = Array.from({ length: withRoles }, (_, t) => Math.floor((t * organizations.length) / withRoles));

  const roles: GeneratedRole[] = [];
  /* byScope[scope][level]: roles of that scope ("g" or an organisation index) and level, for choosing parents. */
  const byScope = new Map<string, number[][]>();
  const scopeLevels = (scope: string): number[][] => {
    let found = byScope.get(scope);
    if (!found) {
      found = Array.from({ length: levels }, () => []);
      byScope.set(scope, found);
    }
    return found;
  };
  for (let r = 0; r < count; r++) {
    const rng = rngFor(seed, "role", r);
    const global = r < globalCount;
    /* Global roles cycle through the levels, so every level has one to inherit from; organisation roles pick one. */
    const level = global ? r % levels : rng.int(levels);
    const organization = global ? null : (owners[(r - globalCount) % withRoles] as number);
    const word = rng.pick(ROLE_WORDS);
    const resource = rng.pick(RESOURCES);
    roles.push({
      index: r,
      id: generatedUuid(rng, KIND.role, r),
      name: `${global ? "g_" : ""}${resource}_${word}_${r}`,
      organization,
      level,
      parents: [],
      permissions: [],
    });
    if (organization !== null) organizations[organization]?.roles.push(r);
  }
  /* Roles are created level by level (roots first), so parents always exist when a child is linked. */
  const order = [...roles].sort((a, b) => a.level - b.level || a.index - b.index);
  for (const role of order) {
    scopeLevels(role.organization === null ? "g" : String(role.organization))[role.level]?.push(role.index);
  }
  for (const role of roles) {
    const rng = rngFor(seed, "role-links", role.index);
    const own = role.organization === null ? null : scopeLevels(String(role.organization));
    const global = scopeLevels("g");
    /* Candidates at one level: the role's own organisation's roles and the global ones. */
    const at = (level: number): number[] => [...(own?.[level] ?? []), ...(global[level] ?? [])];
    if (role.level > 0) {
      /* One parent exactly one level up fixes the role's depth; more parents (any level above) make the DAG. */
      role.parents.push(rng.pick(at(role.level - 1)));
      const extra = rng.chance(0.3) ? (rng.chance(0.2) ? 2 : 1) : 0;
      for (let e = 0; e < extra; e++) {
        const candidate = rng.pick(at(rng.int(role.level)));
        if (!role.parents.includes(candidate)) role.parents.push(candidate);
      }
    }
    const wanted = rng.between(1, 4);
    for (let tries = 0; role.permissions.length < wanted && tries < 20; tries++) {
      const permission = permissions[skewed(rng, permissions.length, 1.5)] as string;
      if (!role.permissions.includes(permission)) role.permissions.push(permission);
    }
  }
  return roles;
}

export function createDataset(partial: Partial<DatasetOptions>, referenceTime: Date): Dataset {
  const options = datasetOptions(partial);
  const { seed, users: userCount } = options;
  const now = atSecond(referenceTime.getTime()).getTime();
  const start = now - HISTORY_MS;

  const permissions = Array.from({ length: options.permissions }, (_, k) => permissionName(k));

  const userId = (index: number): string => generatedUuid(rngFor(seed, "user-id", index), KIND.user, index);

  /* When account `index` was created: in index order over the history, with a day of jitter. */
  const createdMs = (index: number): number => {
    const rng = rngFor(seed, "user-created", index);
    const ms = start + (index / userCount) * HISTORY_MS + (rng.next() - 0.5) * DAY_MS;
    return Math.min(now - 60_000, Math.max(start, ms));
  };

  const organizations: GeneratedOrganization[] = [];
  /* Creators: user index → the organisations they created (they are members from the start). */
  const created = new Map<number, number[]>();
  for (let j = 0; j < options.organizations; j++) {
    const rng = rngFor(seed, "organization", j);
    const creator = rng.int(userCount);
    const a = rng.pick(ORG_WORDS);
    const b = rng.pick(ORG_WORDS);
    const createdAt = atSecond(createdMs(creator) + rng.next() * Math.max(0, now - 60_000 - createdMs(creator)) * 0.5);
    organizations.push({
      index: j,
      id: generatedUuid(rng, KIND.organization, j),
      name: `${a[0]?.toUpperCase()}${a.slice(1)} ${b[0]?.toUpperCase()}${b.slice(1)} ${j}`,
      slug: `${a}-${b}-${j}`,
      creator,
      createdAt,
      roles: [],
    });
    created.set(creator, [...(created.get(creator) ?? []), j]);
  }

  const roles = buildRoles(options, organizations, permissions);
  const globalRoles = roles.filter((r) => r.organization === null).map((r) => r.index);

  const user = (index: number): GeneratedUser => {
    const rng = rngFor(seed, "user", index);
    const firstName = rng.pick(FIRST_NAMES);
    const lastName = rng.pick(LAST_NAMES);
    const x = rng.next();
    const status: UserStatus = x < 0.95 ? "active" : x < 0.97 ? "inactive" : x < 0.985 ? "suspended" : "deleted";
    const createdAt = createdMs(index);
    const verified = rng.chance(status === "active" ? 0.92 : 0.7);
    const y = rng.next();
    return {
      index,
      id: userId(index),
      username: `${firstName}_${lastName}${index}`,
      email: `${firstName}.${lastName}${index}@${rng.pick(EMAIL_DOMAINS)}`,
      firstName: `${firstName[0]?.toUpperCase()}${firstName.slice(1)}`,
      lastName: `${lastName[0]?.toUpperCase()}${lastName.slice(1)}`,
      status,
      emailVerifiedAt: verified ? atSecond(createdAt + rng.next() * 2 * DAY_MS) : null,
      tier: y < 0.85 ? "free" : y < 0.97 ? "pro" : "enterprise",
      timezone: rng.pick(TIMEZONES),
      language: rng.pick(LANGUAGES),
      createdAt: new Date(createdAt),
      updatedAt: new Date(createdAt + rng.next() * (now - createdAt)),
      deletedAt: status === "deleted" ? new Date(createdAt + rng.next() * (now - createdAt)) : null,
    };
  };

  const memberships = (userIndex: number): GeneratedMembership[] => {
    const rng = rngFor(seed, "memberships", userIndex);
    const joinedFrom = createdMs(userIndex);
    const result: GeneratedMembership[] = [];
    let n = 0;
    for (const j of created.get(userIndex) ?? []) {
      result.push({ id: perUserId(rng, KIND.membership, userIndex, n++), organization: j, active: true, joinedAt: organizations[j]?.createdAt as Date, endedAt: null });
    }
    const x = rng.next();
    const wanted = x < 0.6 ? 1 : x < 0.9 ? 2 : 3;
    for (let tries = 0; result.length < wanted && tries < 10; tries++) {
      const j = skewed(rng, organizations.length, 2);
      if (result.some((m) => m.organization === j)) continue;
      const orgCreated = (organizations[j]?.createdAt as Date).getTime();
      const from = Math.max(joinedFrom, orgCreated);
      const joinedAt = from + rng.next() * (now - 60_000 - from) * 0.8;
      const active = rng.chance(0.95);
      result.push({
        id: perUserId(rng, KIND.membership, userIndex, n++),
        organization: j,
        active,
        joinedAt: atSecond(joinedAt),
        endedAt: active ? null : atSecond(joinedAt + rng.next() * (now - 60_000 - joinedAt)),
      });
    }
    return result;
  };

  const systemPick = (rng: Rng): SystemRole => {
    const x = rng.next();
    return x < 0.45 ? "member" : x < 0.75 ? "viewer" : x < 0.9 ? "user_manager" : "auditor";
  };

  const grants = (userIndex: number): GeneratedGrant[] => {
    const rng = rngFor(seed, "grants", userIndex);
    const result: GeneratedGrant[] = [];
    const key = (role: GrantedRole, organization: number | null): string =>
      `${"generated" in role ? `g${role.generated}` : role.system}@${organization ?? "*"}`;
    const taken = new Set<string>();
    const add = (role: GrantedRole, organization: number | null, after: Date): void => {
      const k = key(role, organization);
      if (taken.has(k)) return;
      taken.add(k);
      const assignedAt = atSecond(after.getTime() + rng.next() * (now - 60_000 - after.getTime()) * 0.5);
      /* 6% expire: half of them have (expired grants stay until cleaned up), half will within a year. */
      const e = rng.next();
      const expiresAt = e < 0.03 ? atSecond(now - (1 + rng.next() * 90) * DAY_MS) : e < 0.06 ? atSecond(now + (1 + rng.next() * 365) * DAY_MS) : null;
      result.push({ id: perUserId(rng, KIND.grant, userIndex, result.length), role, organization, assignedAt, expiresAt });
    };
    for (const m of memberships(userIndex)) {
      const org = organizations[m.organization] as GeneratedOrganization;
      if (org.creator === userIndex) {
        add({ system: "org_admin" }, m.organization, m.joinedAt);
        continue;
      }
      /* Ended memberships usually lost their grants; some linger (they no longer count: the membership is over). */
      if (!m.active && !rng.chance(0.5)) continue;
      const x = rng.next();
      const count = x < 0.05 ? 0 : x < 0.8 ? 1 : 2;
      for (let g = 0; g < count; g++) {
        const y = rng.next();
        let role: GrantedRole;
        if (org.roles.length > 0) {
          role = y < 0.55 ? { generated: rng.pick(org.roles) } : y < 0.8 ? { generated: rng.pick(globalRoles) } : { system: systemPick(rng) };
        } else {
          role = y < 0.6 ? { system: systemPick(rng) } : { generated: rng.pick(globalRoles) };
        }
        add(role, m.organization, m.joinedAt);
      }
    }
    /* A few global grants: a generated global role for 0.2% of accounts, super_admin for about one in 100,000. */
    const since = new Date(createdMs(userIndex));
    if (rng.chance(0.002)) add({ generated: rng.pick(globalRoles) }, null, since);
    if (rng.chance(0.00001)) add({ system: "super_admin" }, null, since);
    return result;
  };

  return { options, referenceTime: new Date(now), permissions, roles, organizations, userId, user, memberships, grants };
}
