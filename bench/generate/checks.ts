/**
 * The checks after a load: the bulk loads bypassed triggers, so the generator checks that what they left is what the
 * triggers would have left (docs/privacy.md, the audit chain, the role closure), reports each with its time, and
 * throws on the first failure. Set-based over everything that was loaded, except the decryption, which takes a few
 * rows of each kind (one RSA operation each) when the generator holds the key store (the throw-away database).
 */
import { performance } from "node:perf_hooks";
import type pg from "pg";
import type { ChainResult } from "./chain.ts";
import type { Dataset } from "./dataset.ts";
import type { LoadReport } from "./load.ts";
import { probeResourceEvents, type Decrypt, type ResourceLoadResult } from "./resourceLoad.ts";
import { deviceIp, deviceUserAgent } from "./sqlChoices.ts";

export interface CheckResult {
  check: string;
  result: string;
  ms: number;
}

/** A failed check; `report` is the load's report so far (the checks up to the failed one included). */
export class LoadCheckError extends Error {
  report?: LoadReport;
}

/** Personal parts decrypted per kind (sessions, history events, resource events). */
const DECRYPTED_PER_KIND = 4;

export interface CheckContext {
  dataset: Dataset;
  superuser: boolean;
  chain: ChainResult;
  resources: ResourceLoadResult | null;
  decrypt?: Decrypt;
}

export async function runChecks(client: pg.Client, context: CheckContext, record: (result: CheckResult) => void): Promise<void> {
  const { dataset, resources } = context;
  const seed = dataset.options.seed;
  const check = async (name: string, fn: () => Promise<string>): Promise<void> => {
    const began = performance.now();
    let result: string;
    try {
      result = await fn();
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      record({ check: name, result: `FAILED: ${message}`, ms: performance.now() - began });
      throw new LoadCheckError(`check "${name}" failed: ${message}`);
    }
    record({ check: name, result, ms: performance.now() - began });
  };
  const fail = (message: string): never => {
    throw new Error(message);
  };

  record({
    check: "audit chain sealed and verifying",
    result: `${context.chain.events.toLocaleString("en")} events in the trail, none unsealed (${context.chain.sealed.toLocaleString("en")} sealed by the load); ` +
      "audit.verify_chain() finds no broken link",
    ms: context.chain.verifyMs,
  });

  await check("accounts queued for keys, as registration leaves them", async () => {
    const { rows } = await client.query<{ accounts: number; keyed: number; queued: number; neither: number }>(
      `select count(*)::integer as accounts,
              count(*) filter (where k.user_id is not null)::integer as keyed,
              count(*) filter (where w.user_id is not null)::integer as queued,
              count(*) filter (where k.user_id is null and w.user_id is null)::integer as neither
       from app_public.users u
       left join lateral (select k.user_id from app_private.encryption_keys k where k.user_id = u.id and k.destroyed_at is null limit 1) k on true
       left join app_private.users_awaiting_key w on w.user_id = u.id
       where u.erased_at is null`,
    );
    const r = rows[0] ?? fail("no answer");
    if (r.neither > 0) fail(`${r.neither} accounts have no key of their own and are not queued for one (app_private.users_awaiting_key)`);
    if (r.accounts < dataset.options.users) fail(`${r.accounts} accounts, the dataset has ${dataset.options.users}`);
    return `${r.accounts.toLocaleString("en")} accounts: ${r.queued.toLocaleString("en")} queued for a key of their own (as after registering with ` +
      `an empty spare pool), ${r.keyed.toLocaleString("en")} with one, none with neither`;
  });

  /* pgp_key_id fails on anything that is not an OpenPGP message: plaintext stops the check with that error. */
  await check("session origins are ciphertext", async () => {
    const { rows } = await client.query<{ sessions: number; missing: number; wrong: number }>(
      `select count(*)::integer as sessions,
              count(*) filter (where s.personal is null)::integer as missing,
              count(*) filter (where s.personal is not null and not exists (
                select 1 from app_private.encryption_keys k
                where k.destroyed_at is null and k.pgp_key_id = extensions.pgp_key_id(s.personal)
                  and (k.purpose = 'system' or k.user_id = s.user_id)))::integer as wrong
       from app_private.sessions s`,
    );
    const r = rows[0] ?? fail("no answer");
    if (r.missing > 0) fail(`${r.missing} sessions have no encrypted origin`);
    if (r.wrong > 0) fail(`${r.wrong} sessions' origins are encrypted to neither their account's key nor a system key`);
    if (r.sessions === 0) return "no sessions were loaded";
    return `${r.sessions.toLocaleString("en")} sessions, every origin an OpenPGP message to the account's key or a live system key`;
  });

  await check("generated events' personal parts are ciphertext", async () => {
    const { rows } = await client.query<{ events: number; missing: number; clear: number; wrong: number }>(
      `select count(*)::integer as events,
              count(*) filter (where e.personal is null)::integer as missing,
              count(*) filter (where e.client_ip is not null or e.user_agent is not null)::integer as clear,
              count(*) filter (where e.personal is not null and not exists (
                select 1 from app_private.encryption_keys k
                where k.destroyed_at is null and k.pgp_key_id = extensions.pgp_key_id(e.personal)
                  and (k.purpose = 'system' or k.user_id = coalesce(e.subject_id, e.actor_id))))::integer as wrong
       from audit.events e where e.request_id like 'gen-%'`,
    );
    const r = rows[0] ?? fail("no answer");
    if (r.missing > 0) fail(`${r.missing} generated events have no encrypted personal part`);
    if (r.clear > 0) fail(`${r.clear} generated events keep an address or user agent in the clear columns`);
    if (r.wrong > 0) fail(`${r.wrong} generated events are encrypted to neither their person's key nor a system key`);
    return `${r.events.toLocaleString("en")} generated events (history and resources), every personal part an OpenPGP message to the ` +
      "person's key or a live system key, no address or user agent in the clear";
  });

  if (context.decrypt) {
    const decrypt = context.decrypt;
    await check("a sample decrypts to what was generated", async () => {
      const { rows } = await client.query<{ kind: string; personal: Buffer; ip: string; ua: string }>(
        `(select 'session' as kind, s.personal, ${deviceIp(seed, "s.user_id")} as ip, ${deviceUserAgent(seed, "s.user_id")} as ua
          from app_private.sessions s where s.personal is not null order by s.id limit ${DECRYPTED_PER_KIND})
         union all
         (select 'history event', e.personal, ${deviceIp(seed, "e.actor_id")}, ${deviceUserAgent(seed, "e.actor_id")}
          from audit.events e where e.request_id like 'gen-%' and e.entity_type = 'user' order by e.id limit ${DECRYPTED_PER_KIND})
         union all
         (select 'resource event', e.personal, ${deviceIp(seed, "e.actor_id")}, ${deviceUserAgent(seed, "e.actor_id")}
          from audit.events e where e.request_id like 'gen-%' and e.entity_type <> 'user' order by e.id limit ${DECRYPTED_PER_KIND})`,
      );
      if (rows.length === 0) return "nothing encrypted was generated";
      const plain = await decrypt(rows.map((r) => r.personal));
      const kinds = new Map<string, number>();
      rows.forEach((r, n) => {
        const value = JSON.parse(plain[n] ?? "null") as { ip?: string; user_agent?: string } | null;
        if (value?.ip !== r.ip || value.user_agent !== r.ua) fail(`a ${r.kind}'s personal part decrypts to ${plain[n]}, generated: ${r.ip} / ${r.ua}`);
        kinds.set(r.kind, (kinds.get(r.kind) ?? 0) + 1);
      });
      return `${rows.length} personal parts decrypted with the throw-away key store (${[...kinds].map(([k, n]) => `${n} ${k}s`).join(", ")}): ` +
        "each holds the address and user agent generated for its account";
    });
  }

  if (resources) {
    const projectIds = resources.resources.projects.map((p) => p.id);
    const postIds = resources.resources.posts.map((q) => q.id);
    await check("resources follow the triggers' and policies' rules", async () => {
      const { rows } = await client.query<Record<string, number>>(
        `with pr as (select p.* from app_public.projects p where p.id = any($1::uuid[])),
              po as (select p.* from app_public.posts p where p.id = any($2::uuid[]))
         select
           (select count(*) from pr p where not exists (select 1 from app_public.project_members m
              where m.project_id = p.id and m.user_id = p.created_by and m.role = 'owner' and m.added_at = p.created_at))::integer as "projects without their creator as owner",
           (select count(*) from pr p join app_public.project_members m on m.project_id = p.id
              where not app_hidden.is_member(m.user_id, p.organization_id))::integer as "project members outside the organisation",
           (select count(*) from pr p join app_public.tasks t on t.project_id = p.id
              where not exists (select 1 from app_public.project_members m where m.project_id = p.id and m.user_id = t.created_by and m.added_at <= t.created_at)
                 or (t.assignee_id is not null and not exists (select 1 from app_public.project_members m where m.project_id = p.id and m.user_id = t.assignee_id)))::integer
             as "tasks by or for someone outside the project",
           (select count(*) from (select p.created_by as who, p.organization_id as org from pr p
                                  union select t.created_by, p.organization_id from pr p join app_public.tasks t on t.project_id = p.id) w
              where not app_hidden.user_has_permission(w.who, 'projects:write', w.org))::integer as "project or task creators without projects:write",
           (select count(*) from po p join app_public.comments c on c.post_id = p.id
              where p.status <> 'published' or c.created_at < p.published_at)::integer as "comments on unpublished posts",
           (select count(*) from po p where p.status = 'published' and p.updated_at <> p.published_at)::integer as "published posts changed after publication"`,
        [projectIds, postIds],
      );
      const r = rows[0] ?? fail("no answer");
      const broken = Object.entries(r).filter(([, n]) => n > 0);
      if (broken.length > 0) fail(broken.map(([what, n]) => `${n} ${what}`).join(", "));
      return "every project has its creator as owner (tg_projects__add_owner); members are active members of the organisation; projects " +
        "and tasks are made by members holding projects:write, tasks by project members and assigned to project members; comments follow the publication";
    });
    await check("resources' events are what the triggers write", async () => {
      const r = resources;
      return `${r.events.toLocaleString("en")} events, as many as a normal creation of each leaves (3 per project, 2 per added member, ` +
        `1 per task, 1 per post and 2 more per publication, 1 per comment); probe: ` +
        (await probeResourceEvents(client, dataset, r.resources, context.superuser, context.decrypt));
    });
  }
}
