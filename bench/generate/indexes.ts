/**
 * Dropping secondary indexes before a bulk COPY and building them again after it. Which indexes comes from the
 * catalogue at load time, never from a list kept here: every index of the tables that backs no primary key and no
 * constraint (unique, exclusion), whatever it is (btree, GIN over an expression, partial), so indexes added by later
 * migrations are handled too. pg_get_indexdef gives the statement that builds each again exactly as it was.
 */
import type pg from "pg";

export interface SecondaryIndex {
  name: string;
  def: string;
}

export async function dropSecondaryIndexes(client: pg.ClientBase, tables: readonly string[]): Promise<SecondaryIndex[]> {
  const r = await client.query<SecondaryIndex>(
    `select i.indexrelid::regclass::text as name, pg_get_indexdef(i.indexrelid) as def
     from pg_index i
     where i.indrelid = any($1::regclass[]) and not i.indisprimary
       and not exists (select 1 from pg_constraint c where c.conindid = i.indexrelid)
     order by 1`,
    [tables],
  );
  for (const index of r.rows) await client.query(`drop index ${index.name}`);
  return r.rows;
}
