/**
 * Seals the audit trail after everything was loaded (history.ts, resourceLoad.ts, the role tables' own triggers) and
 * verifies the chain end to end. The generated events are back-dated, and audit.seal_events only looks for unsealed
 * events from a day before the newest seal: once the worker had sealed an event of today, back-dated ones could never
 * be sealed. So the generator seals them itself, all of them, before anything else writes to the trail; events are
 * sealed in time order (occurred_at, id), so the chain follows time even though the resources' events were inserted
 * after the history's.
 */
import type pg from "pg";
import type { Timed } from "./history.ts";
import { progressBar } from "./progress.ts";

export interface ChainResult {
  sealed: number;
  /** Events in the trail after sealing, and how many of them have no seal (must be 0). */
  events: number;
  unsealed: number;
  verifyMs: number;
}

export async function sealAndVerify(client: pg.Client, timed: Timed): Promise<ChainResult> {
  const { rows: pending } = await client.query<{ n: number }>(
    "select count(*)::integer as n from audit.events e where not exists (select 1 from audit.seals s where s.event_id = e.id and s.event_occurred_at = e.occurred_at)",
  );
  const bar = progressBar("sealing", pending[0]?.n ?? 0, "events");
  const sealed = await timed("chain: seal every event into the hash chain", async () => {
    let n = 0;
    for (;;) {
      const { rows } = await client.query<{ n: number }>("select audit.seal_events(50000) as n");
      const batch = rows[0]?.n ?? 0;
      if (batch === 0) break;
      n += batch;
      bar.tick(batch);
    }
    bar.stop();
    return n;
  }, (n) => n);
  const { rows: left } = await client.query<{ events: number; unsealed: number }>(
    `select count(*)::integer as events,
            count(*) filter (where not exists (select 1 from audit.seals s where s.event_id = e.id and s.event_occurred_at = e.occurred_at))::integer as unsealed
     from audit.events e`,
  );
  const events = left[0]?.events ?? 0;
  const unsealed = left[0]?.unsealed ?? 0;
  if (unsealed > 0) {
    throw new Error(
      `${unsealed} audit events stay unsealed: audit.seal_events only seals events from a day before the newest seal, so the ` +
        "database must not have sealed newer events before the load (generate into a fresh database)",
    );
  }
  const began = performance.now();
  await timed("chain: verify the whole chain", async () => {
    const { rows: broken } = await client.query("select * from audit.verify_chain() limit 1");
    if (broken.length > 0) throw new Error(`the audit chain does not verify after the load: ${JSON.stringify(broken[0])}`);
  });
  const verifyMs = performance.now() - began;
  await timed("chain: vacuum (analyze) the audit trail", async () => {
    for (const table of ["audit.events", "audit.seals"]) await client.query(`vacuum (analyze) ${table}`);
  });
  return { sealed, events, unsealed, verifyMs };
}
