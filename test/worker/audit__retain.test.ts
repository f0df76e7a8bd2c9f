import { createHash } from "node:crypto";
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { gunzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createMailer } from "../../src/mail/mailer.ts";
import audit__retain from "../../src/worker/tasks/audit__retain.ts";
import { useTestDatabase } from "../helpers/database.ts";
import { openTestPrivacyKeys } from "../helpers/privacy.ts";
import { runTasksOnce } from "../helpers/worker.ts";

const db = useTestDatabase();
let dir: string;
beforeAll(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), "gatehouse-archive-"));
});
afterAll(() => fs.rm(dir, { recursive: true, force: true }));

describe("audit__retain", () => {
  it("exports a partition past retention to a compressed file, records its checksum, drops it, and the chain still verifies", async () => {
    for (let i = 0; i < 3; i++)
      await db.current.root.query(
        "select audit.record_event('test.to_archive', 'success', jsonb_build_object('i', $1::int))",
        [i],
      );
    await db.current.root.query("select audit.seal_events()");
    const { rows: part } = await db.current.root.query<{ name: string; n: string }>(
      `select tableoid::regclass::text as name, count(*) over (partition by tableoid) as n
       from audit.events where event_type = 'test.to_archive' limit 1`,
    );
    const partition = part[0]!.name.replace(/^audit\./, "");
    const { rows: total } = await db.current.root.query<{ n: string }>(`select count(*) as n from audit.${partition}`);

    await db.current.root.query("select config.set_clock_offset(interval '7 years 2 months')");
    try {
      const mailer = createMailer({ from: "x <x@example.test>", smtpUrl: undefined, mailDir: dir });
      await db.current.root.query("select graphile_worker.add_job('audit__retain', '{}'::json)");
      const privacy = await openTestPrivacyKeys(db.current.urls.worker);
      await runTasksOnce(
        db.current.urls.worker,
        { audit__retain },
        { mailer, publicBaseUrl: "https://x.test", auditArchiveDir: dir, privacy },
      );
      mailer.close();
      await privacy.close();

      const file = path.join(dir, `${partition}.csv.gz`);
      const compressed = await fs.readFile(file);
      const lines = gunzipSync(compressed).toString("utf8").trimEnd().split("\n");
      expect(lines[0]).toMatch(/^id,occurred_at,event_type,/);
      expect(lines.length - 1).toBe(Number(total[0]!.n));
      expect(lines.filter((l) => l.includes("test.to_archive"))).toHaveLength(3);

      const { rows: archive } = await db.current.root.query(
        "select events, sha256, file_name from audit.partition_archives where partition_name = $1",
        [partition],
      );
      expect(archive).toEqual([
        {
          events: String(total[0]!.n),
          sha256: createHash("sha256").update(compressed).digest("hex"),
          file_name: `${partition}.csv.gz`,
        },
      ]);
      const { rows: gone } = await db.current.root.query("select to_regclass($1) as t", [`audit.${partition}`]);
      expect(gone[0].t).toBeNull();
      expect((await db.current.root.query("select * from audit.verify_chain()")).rows).toEqual([]);
      const { rows: events } = await db.current.root.query(
        "select count(*)::int as n from audit.events where event_type = 'audit.partition_retired' and details->>'partition' = $1",
        [partition],
      );
      expect(events[0].n).toBe(1);
    } finally {
      await db.current.root.query("select config.set_clock_offset(interval '0')");
    }
  });

  it("refuses to retire a partition whose export does not hold all its events", async () => {
    /* Far enough for the months the first test kept (the migration makes partitions three months ahead). */
    await db.current.root.query("select config.set_clock_offset(interval '7 years 4 months')");
    try {
      const { rows } = await db.current.root.query("select partition_name from audit.retirable_partitions() limit 1");
      expect(rows).toHaveLength(1);
      await expect(
        db.current.root.query("select audit.retire_partition($1, 999999, repeat('0', 64), 'x')", [
          rows[0].partition_name,
        ]),
      ).rejects.toMatchObject({ code: "INVAL" });
      const { rows: still } = await db.current.root.query("select to_regclass($1) as t", [
        `audit.${rows[0].partition_name}`,
      ]);
      expect(still[0].t).not.toBeNull();
    } finally {
      await db.current.root.query("select config.set_clock_offset(interval '0')");
    }
  });
});
