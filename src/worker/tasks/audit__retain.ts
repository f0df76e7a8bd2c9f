import { createHash } from "node:crypto";
import { createWriteStream } from "node:fs";
import fs from "node:fs/promises";
import path from "node:path";
import { Transform } from "node:stream";
import { pipeline } from "node:stream/promises";
import { createGzip } from "node:zlib";
import { to as copyTo } from "pg-copy-streams";
import type { TaskFactory } from "../deps.ts";

const PARTITION = /^events_y\d{4}m\d{2}$/;

/**
 * Exports every audit partition older than retention.audit_events and retires it: the rows stream out of
 * `COPY … TO STDOUT` (CSV with a header), through gzip, into `<AUDIT_ARCHIVE_DIR>/<partition>.csv.gz` (written to a
 * temporary name, renamed when complete), counted and hashed on the way; then audit.retire_partition records the count
 * and SHA-256 and drops the partition, refusing if the count does not match. A run killed half-way leaves the
 * partition in place and simply exports it again next time.
 */
const audit__retain: TaskFactory = (deps) => async (_payload, helpers) => {
  const { rows } = await helpers.query<{ partition_name: string }>(
    "select partition_name from audit.retirable_partitions()",
  );
  await fs.mkdir(deps.auditArchiveDir, { recursive: true, mode: 0o700 });
  for (const { partition_name: name } of rows) {
    if (!PARTITION.test(name)) throw new Error(`unexpected partition name ${name}`);
    const file = path.join(deps.auditArchiveDir, `${name}.csv.gz`);
    const partial = `${file}.partial`;
    const hash = createHash("sha256");
    let lines = 0;
    await helpers.withPgClient(async (client) => {
      const source = client.query(
        copyTo(`copy (select * from audit.partition_rows('${name}')) to stdout with (format csv, header)`),
      );
      const countLines = new Transform({
        transform(chunk: Buffer, _encoding, callback) {
          for (const byte of chunk) if (byte === 10) lines++;
          callback(null, chunk);
        },
      });
      const hashOutput = new Transform({
        transform(chunk: Buffer, _encoding, callback) {
          hash.update(chunk);
          callback(null, chunk);
        },
      });
      await pipeline(source, countLines, createGzip(), hashOutput, createWriteStream(partial, { mode: 0o600 }));
    });
    await fs.rename(partial, file);
    const events = Math.max(lines - 1, 0);
    await helpers.query("select audit.retire_partition($1, $2, $3, $4)", [
      name,
      events,
      hash.digest("hex"),
      path.basename(file),
    ]);
    helpers.logger.info(`retired audit partition ${name}: ${events} event(s) exported to ${file}`);
  }
};

export default audit__retain;
