/**
 * Streams rows into a table with `COPY … FROM STDIN` (text format) through pg-copy-streams. Rows come from a
 * generator and are sent in chunks of a few hundred kB with back-pressure, so a million rows never sit in memory.
 */
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import type pg from "pg";
import { from as copyFrom } from "pg-copy-streams";

/** A value in a COPY row: null is SQL NULL; Dates are sent as ISO 8601 (UTC). */
export type CopyValue = string | number | boolean | Date | null;

const CHUNK_CHARS = 256 * 1024;

/** One field in COPY's text format: backslash, tab, newline and carriage return escaped, \N for null. */
export function copyField(value: CopyValue): string {
  if (value === null) return "\\N";
  if (value instanceof Date) return value.toISOString();
  if (typeof value !== "string") return String(value);
  return /[\\\t\n\r]/.test(value) ? value.replace(/[\\\t\n\r]/g, (c) => ({ "\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r" })[c] as string) : value;
}

function* chunks(rows: Iterable<readonly CopyValue[]>): Generator<string> {
  let parts: string[] = [];
  let size = 0;
  for (const row of rows) {
    const line = `${row.map(copyField).join("\t")}\n`;
    parts.push(line);
    size += line.length;
    if (size >= CHUNK_CHARS) {
      yield parts.join("");
      parts = [];
      size = 0;
    }
  }
  if (parts.length > 0) yield parts.join("");
}

/** COPYs `rows` into `table` (a qualified name, trusted) and returns how many rows the server says it loaded. */
export async function copyRows(client: pg.ClientBase, table: string, columns: readonly string[], rows: Iterable<readonly CopyValue[]>): Promise<number> {
  const stream = client.query(copyFrom(`copy ${table} (${columns.join(", ")}) from stdin`));
  await pipeline(Readable.from(chunks(rows)), stream);
  return stream.rowCount;
}
