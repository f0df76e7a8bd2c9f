/**
 * The generated dataset's history, loaded after its accounts (load.ts) and timed apart from them: live sessions with
 * refresh tokens, and years of audit events in their monthly partitions. Set-based SQL throughout; every "random"
 * choice is a hash of (seed, kind, index), so the same seed gives the same rows whatever the order the server produces
 * them in. An account's requests always come from the same address and user agent (sqlChoices.ts), in its sessions,
 * its history and its example resources alike.
 *
 * What the triggers would have left, and the load leaves too:
 * - personal parts (a session's origin, an event's address and device) encrypted by app_hidden.encrypt_personal. The
 *   generated accounts have no keys of their own (making a key pair takes 0.1 s: a million would take a day), exactly as
 *   if they had registered while the spare pool was empty: load.ts queues them in app_private.users_awaiting_key
 *   before this runs, and their personal parts are encrypted to the system key meanwhile;
 * - a sealed chain: chain.ts seals every event (these and the example resources' ones) after both are loaded, and
 *   verifies the chain end to end; checks.ts then checks the ciphertext.
 */
import type pg from "pg";
import type { Dataset } from "./dataset.ts";
import { progressBar } from "./progress.ts";
import { pick, requestPersonal } from "./sqlChoices.ts";

export interface HistoryOptions {
  /** Audit events per account over the whole history (default 3: 3 million at 1M accounts). */
  eventsPerUser: number;
  /** Months of history, each its own partition (default 24). */
  months: number;
  /** Share of active accounts with a live session (default 0.2), a third of them with a second one. */
  sessionShare: number;
}

export const DEFAULT_HISTORY: HistoryOptions = { eventsPerUser: 3, months: 24, sessionShare: 0.2 };

export type Timed = <T>(step: string, fn: () => Promise<T>, rowsOf?: (result: T) => number) => Promise<T>;

/** The mix of generated events: type, outcome, reason, share in thousandths (cumulative upper bounds). */
const EVENT_MIX = [
  { type: "auth.login", outcome: "success", reason: null, upTo: 550 },
  { type: "auth.refresh", outcome: "success", reason: null, upTo: 800 },
  { type: "auth.login", outcome: "refused", reason: "wrong_password", upTo: 880 },
  { type: "auth.logout", outcome: "success", reason: null, upTo: 930 },
  { type: "user.profile_update", outcome: "success", reason: null, upTo: 960 },
  { type: "auth.password_change", outcome: "success", reason: null, upTo: 980 },
  { type: "auth.login", outcome: "refused", reason: "locked", upTo: 990 },
  { type: "role.assign", outcome: "success", reason: null, upTo: 1000 },
] as const;

function mixCase(column: "type" | "outcome" | "reason", draw: string): string {
  const value = (v: string | null): string => (v === null ? "null" : `'${v}'`);
  return `case ${EVENT_MIX.map((m) => `when ${draw} < ${m.upTo} then ${value(m[column])}`).join(" ")} end`;
}

/** Personal parts are encrypted to the system key: without one, app_hidden.encrypt_personal would drop them. */
export async function requireSystemKey(client: pg.Client): Promise<void> {
  const { rows: keys } = await client.query<{ n: number }>(
    "select count(*)::integer as n from app_private.encryption_keys where purpose = 'system' and destroyed_at is null",
  );
  if (!keys[0]?.n) {
    throw new Error("the database has no system key to encrypt personal parts to: start Gatehouse on it once (npm start makes one)");
  }
}

export async function loadHistory(client: pg.Client, dataset: Dataset, options: HistoryOptions, timed: Timed): Promise<Record<string, number>> {
  const seed = dataset.options.seed;
  const rows: Record<string, number> = {};
  await requireSystemKey(client);
  await client.query("set max_parallel_workers_per_gather = 0");
  await timed("history: number the generated accounts", () =>
    client.query(`create temp table generated_accounts as
                  select (row_number() over (order by u.created_at, u.id) - 1)::integer as i, u.id, u.created_at, u.status, u.deleted_at
                  from app_public.users u`).then(async () => {
      await client.query("alter table generated_accounts add primary key (i)");
      await client.query("analyze generated_accounts");
    }));
  const { rows: counted } = await client.query<{ n: number; active: number }>(
    "select count(*)::integer as n, count(*) filter (where status = 'active' and deleted_at is null)::integer as active from generated_accounts",
  );
  const accounts = counted[0]?.n ?? 0;

  /* Sessions: the triggers would stamp them now; history gives them their own times, so they are inserted as replica. */
  rows["app_private.sessions"] = await timed("history: live sessions, origins encrypted", async () => {
    await client.query("begin");
    const { rows: role } = await client.query<{ superuser: boolean }>("select current_setting('is_superuser') = 'on' as superuser");
    if (role[0]?.superuser) await client.query("set local session_replication_role = replica");
    else await client.query("alter table app_private.sessions disable trigger user");
    const r = await client.query(
      `insert into app_private.sessions (id, user_id, created_at, last_refreshed_at, absolute_expires_at, personal)
       select md5($1 || ':session:' || a.i || ':' || k)::uuid, a.id, t.created, t.created + interval '1 hour',
              t.created + interval '30 days',
              app_hidden.encrypt_personal(a.id, ${requestPersonal(seed, "a.id")}::text)
       from generated_accounts a
       cross join lateral generate_series(1, case when ${pick(seed, "second-session", "a.i")} % 3 = 0 then 2 else 1 end) k
       cross join lateral (select app_hidden.clock_now() - make_interval(secs => ${pick(seed, "session-age", "a.i || ':' || k")} % (20 * 86400)) as created) t
       where a.status = 'active' and a.deleted_at is null and ${pick(seed, "has-session", "a.i")} % 1000 < $2`,
      [String(seed), Math.round(options.sessionShare * 1000)],
    );
    await client.query(
      `insert into app_private.refresh_tokens (session_id, token_hash, created_at, expires_at)
       select s.id, extensions.digest(s.id::text || ':generated refresh token', 'sha256'), s.last_refreshed_at, s.absolute_expires_at
       from app_private.sessions s join generated_accounts a on a.id = s.user_id`,
    );
    if (!role[0]?.superuser) await client.query("alter table app_private.sessions enable trigger user");
    await client.query("commit");
    return r.rowCount ?? 0;
  }, (n) => n);
  rows["app_private.refresh_tokens"] = rows["app_private.sessions"];

  await timed("history: monthly audit partitions", () => client.query("select audit.ensure_partitions(null, $1)", [options.months]));
  const total = accounts * options.eventsPerUser;
  const perMonth = Math.ceil(total / options.months);
  const events = progressBar("audit events", total, "events");
  rows["audit.events"] = await timed(`history: ${total.toLocaleString("en")} audit events over ${options.months} months, personal parts encrypted`, async () => {
    let inserted = 0;
    for (let m = options.months; m >= 1; m--) {
      const from = (options.months - m) * perMonth;
      const to = Math.min(total, from + perMonth) - 1;
      if (to < from) break;
      /* The m-th month before this one; events in time order inside it, so ids and seals follow time. */
      const r = await client.query(
        `insert into audit.events (occurred_at, event_type, outcome, severity, reason, actor_id, subject_id, entity_type, entity_id,
                                   details, request_id, db_role, personal)
         select e.at, ${mixCase("type", "e.draw")}, ${mixCase("outcome", "e.draw")},
                case when e.draw >= 800 and e.draw < 880 then 'warning' else 'info' end, ${mixCase("reason", "e.draw")},
                a.id, a.id, 'user', a.id::text, '{}'::jsonb, 'gen-' || md5($1 || ':request:' || e.g), 'app_authenticated',
                app_hidden.encrypt_personal(a.id, ${requestPersonal(seed, "a.id")}::text)
         from (select g, ${pick(seed, "event-kind", "g")} % 1000 as draw,
                      ${pick(seed, "event-user", "g")} % $2 as account,
                      date_trunc('month', app_hidden.clock_now()) - make_interval(months => $3)
                        + make_interval(secs => (g - $4) * (28.0 * 86400 / greatest(1, $5 - $4 + 1))) as at
               from generate_series($4::bigint, $5::bigint) g) e
         join generated_accounts a on a.i = e.account
         order by e.at, e.g`,
        [String(seed), accounts, m, from, to],
      );
      inserted += r.rowCount ?? 0;
      events.tick(r.rowCount ?? 0);
    }
    events.stop();
    return inserted;
  }, (n) => n);

  await timed("history: vacuum (analyze) sessions and tokens", async () => {
    for (const table of ["app_private.sessions", "app_private.refresh_tokens"]) await client.query(`vacuum (analyze) ${table}`);
  });
  await client.query("drop table generated_accounts");
  return rows;
}
