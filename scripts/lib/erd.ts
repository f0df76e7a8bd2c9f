/**
 * The entity-relationship diagram of Gatehouse's own schemas, read from the catalog of a migrated database and written
 * as Mermaid `erDiagram` text. `npm run docs:erd` writes it to docs/erd.md, and test/docs/erd.test.ts checks that the
 * committed file still matches what the migrations build.
 *
 * Entities are the ordinary and partitioned tables (partitions are left out: they repeat their parent). Columns keep
 * their order, with PK, FK and UK (unique on its own) markers. Relationships come from foreign keys:
 *   parent side  exactly one (`||`) when every referencing column is NOT NULL, else zero or one (`|o`)
 *   child side   zero or one (`o|`) when the referencing columns hold a unique key of the child, else zero or more (`o{`)
 *   line         identifying (`--`) when the referencing columns are part of the child's primary key, else dashed (`..`)
 * Everything is sorted, so the same schema always gives the same text whatever the server version or search_path.
 */
import type pg from "pg";

/** The schemas Gatehouse's migrations own (graphile_worker's and graphile_migrate's are not ours to draw). */
export const ERD_SCHEMAS = ["app_public", "app_hidden", "app_private", "audit", "config"] as const;

interface ColumnRow {
  schema: string;
  table: string;
  column: string;
  type: string;
  not_null: boolean;
}

interface TableRow {
  schema: string;
  table: string;
}

interface ConstraintRow {
  schema: string;
  table: string;
  name: string;
  kind: "p" | "f";
  columns: string[];
  ref_schema: string | null;
  ref_table: string | null;
}

interface UniqueKeyRow {
  schema: string;
  table: string;
  columns: string[];
}

interface Column {
  name: string;
  type: string;
  notNull: boolean;
}

interface Table {
  name: string;
  columns: Column[];
  primaryKey: string[];
  uniqueKeys: string[][];
  foreignKeys: Array<{ name: string; columns: string[]; references: string }>;
}

/* Tables drawn: ordinary (r) and partitioned (p) ones of our schemas, never a partition. */
const TABLE_FILTER = `n.nspname = any($1::text[]) and c.relkind in ('r', 'p') and not c.relispartition`;

/* Column names of `keys` (attribute numbers of `rel`) in key order, as text[] so node-pg parses them. */
const columnNames = (keys: string, rel: string, limit = ""): string =>
  `array(select a.attname::text from unnest(${keys}::int2[]) with ordinality as k(attnum, ord)
         join pg_catalog.pg_attribute a on a.attrelid = ${rel} and a.attnum = k.attnum ${limit} order by k.ord)`;

const TABLES_SQL = `
  select n.nspname::text as schema, c.relname::text as table
  from pg_catalog.pg_class c join pg_catalog.pg_namespace n on n.oid = c.relnamespace
  where ${TABLE_FILTER}`;

/*
 * format_type() qualifies a type with its schema only when the type is not visible on the session's search_path, and
 * Mermaid takes no dot in an attribute type: built-in types are spelled by format_type(), others by their bare name.
 */
const COLUMNS_SQL = `
  select n.nspname::text as schema, c.relname::text as table, a.attname::text as column, a.attnotnull as not_null,
         case when bn.nspname = 'pg_catalog' then pg_catalog.format_type(a.atttypid, a.atttypmod)
              else b.typname || case when e.oid is null then '' else '[]' end
         end as type
  from pg_catalog.pg_class c
  join pg_catalog.pg_namespace n on n.oid = c.relnamespace
  join pg_catalog.pg_attribute a on a.attrelid = c.oid and a.attnum > 0 and not a.attisdropped
  join pg_catalog.pg_type t on t.oid = a.atttypid
  left join pg_catalog.pg_type e on e.oid = t.typelem and t.typcategory = 'A' and t.typtype = 'b'
  join pg_catalog.pg_type b on b.oid = coalesce(e.oid, t.oid)
  join pg_catalog.pg_namespace bn on bn.oid = b.typnamespace
  where ${TABLE_FILTER}
  order by a.attnum`;

/* Primary and foreign keys declared on the table itself (conparentid = 0: not the copies made on partitions). */
const CONSTRAINTS_SQL = `
  select n.nspname::text as schema, c.relname::text as table, con.conname::text as name, con.contype::text as kind,
         ${columnNames("con.conkey", "con.conrelid")} as columns,
         rn.nspname::text as ref_schema, rc.relname::text as ref_table
  from pg_catalog.pg_constraint con
  join pg_catalog.pg_class c on c.oid = con.conrelid
  join pg_catalog.pg_namespace n on n.oid = c.relnamespace
  left join pg_catalog.pg_class rc on rc.oid = con.confrelid
  left join pg_catalog.pg_namespace rn on rn.oid = rc.relnamespace
  where ${TABLE_FILTER} and con.contype in ('p', 'f') and con.conparentid = 0`;

/* Keys that make rows unique: primary keys, unique constraints and unique indexes, without predicates or expressions. */
const UNIQUE_KEYS_SQL = `
  select n.nspname::text as schema, c.relname::text as table,
         ${columnNames("i.indkey", "i.indrelid", "where k.ord <= i.indnkeyatts")} as columns
  from pg_catalog.pg_index i
  join pg_catalog.pg_class c on c.oid = i.indrelid
  join pg_catalog.pg_namespace n on n.oid = c.relnamespace
  where ${TABLE_FILTER} and i.indisunique and i.indpred is null and i.indexprs is null`;

/** Plain code-point order, the same on every machine (no locale). */
function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

const qualified = (schema: string, table: string): string => `${schema}.${table}`;

/* The multi-word SQL spellings of built-in types, shortened to the one word Mermaid accepts as an attribute type. */
const SHORT_TYPES: ReadonlyArray<readonly [RegExp, string]> = [
  [/^timestamp(\(\d+\))? with time zone/, "timestamptz$1"],
  [/^timestamp(\(\d+\))? without time zone/, "timestamp$1"],
  [/^time(\(\d+\))? with time zone/, "timetz$1"],
  [/^time(\(\d+\))? without time zone/, "time$1"],
  [/^character varying/, "varchar"],
  [/^character/, "char"],
  [/^bit varying/, "varbit"],
  [/^double precision/, "float8"],
];

/**
 * A type as one Mermaid attribute word. Older renderers (Mermaid 11.4 among them) take letters, digits and `_-[]()`
 * only, so anything else becomes `_`: `numeric(10,2)` is drawn `numeric(10_2)`.
 */
export function mermaidType(sqlType: string): string {
  let type = sqlType;
  for (const [pattern, replacement] of SHORT_TYPES) {
    if (pattern.test(type)) {
      type = type.replace(pattern, replacement);
      break;
    }
  }
  type = type.replace(/[^A-Za-z0-9_\-[\]()]/g, "_");
  return /^[A-Za-z_]/.test(type) ? type : `_${type}`;
}

/** A column name as one Mermaid attribute word. */
function mermaidName(name: string): string {
  const word = name.replace(/[^A-Za-z0-9_]/g, "_");
  return /^[A-Za-z_]/.test(word) ? word : `_${word}`;
}

/** A quoted Mermaid entity name or label (a quoted name may not hold `"`, `%`, a backslash or a line break). */
function quoted(text: string): string {
  return `"${text.replace(/["%\\\r\n\v\b]/g, "_")}"`;
}

const sameSet = (a: readonly string[], b: readonly string[]): boolean =>
  a.length === b.length && a.every((x) => b.includes(x));
const isSubset = (part: readonly string[], whole: readonly string[]): boolean => part.every((x) => whole.includes(x));

async function readTables(client: pg.ClientBase): Promise<Map<string, Table>> {
  const schemas = [...ERD_SCHEMAS];
  const [tables, columns, constraints, uniqueKeys] = [
    (await client.query<TableRow>(TABLES_SQL, [schemas])).rows,
    (await client.query<ColumnRow>(COLUMNS_SQL, [schemas])).rows,
    (await client.query<ConstraintRow>(CONSTRAINTS_SQL, [schemas])).rows,
    (await client.query<UniqueKeyRow>(UNIQUE_KEYS_SQL, [schemas])).rows,
  ];
  const byName = new Map<string, Table>();
  for (const row of tables) {
    byName.set(qualified(row.schema, row.table), {
      name: qualified(row.schema, row.table),
      columns: [],
      primaryKey: [],
      uniqueKeys: [],
      foreignKeys: [],
    });
  }
  const tableOf = (row: { schema: string; table: string }): Table => {
    const table = byName.get(qualified(row.schema, row.table));
    if (!table) throw new Error(`ERD: ${qualified(row.schema, row.table)} is not among the tables read`);
    return table;
  };
  for (const row of columns) tableOf(row).columns.push({ name: row.column, type: row.type, notNull: row.not_null });
  for (const row of uniqueKeys) tableOf(row).uniqueKeys.push(row.columns);
  for (const row of constraints) {
    const table = tableOf(row);
    if (row.kind === "p") table.primaryKey = row.columns;
    else if (row.ref_schema !== null && row.ref_table !== null) {
      table.foreignKeys.push({
        name: row.name,
        columns: row.columns,
        references: qualified(row.ref_schema, row.ref_table),
      });
    }
  }
  for (const table of byName.values()) table.foreignKeys.sort((a, b) => compare(a.name, b.name));
  return byName;
}

function renderEntity(table: Table): string[] {
  const foreign = new Set(table.foreignKeys.flatMap((fk) => fk.columns));
  const unique = new Set(
    table.uniqueKeys.filter((key) => key.length === 1 && !sameSet(key, table.primaryKey)).flatMap((key) => key),
  );
  const lines = [`    ${quoted(table.name)} {`];
  for (const column of table.columns) {
    const keys = [
      ...(table.primaryKey.includes(column.name) ? ["PK"] : []),
      ...(foreign.has(column.name) ? ["FK"] : []),
      ...(unique.has(column.name) ? ["UK"] : []),
    ];
    const parts = [mermaidType(column.type), mermaidName(column.name)];
    if (keys.length) parts.push(keys.join(", "));
    if (!column.notNull) parts.push('"nullable"');
    lines.push(`        ${parts.join(" ")}`);
  }
  lines.push("    }");
  return lines;
}

function renderRelationships(table: Table): string[] {
  const notNull = new Set(table.columns.filter((c) => c.notNull).map((c) => c.name));
  return table.foreignKeys.map((fk) => {
    const parent = fk.columns.every((c) => notNull.has(c)) ? "||" : "|o";
    const child = table.uniqueKeys.some((key) => isSubset(key, fk.columns)) ? "o|" : "o{";
    const line = table.primaryKey.length > 0 && isSubset(fk.columns, table.primaryKey) ? "--" : "..";
    return `    ${quoted(fk.references)} ${parent}${line}${child} ${quoted(table.name)} : ${quoted(fk.columns.join(", "))}`;
  });
}

/** docs/erd.md: a short header, then the Mermaid diagram of the schemas in ERD_SCHEMAS as the database has them. */
export async function renderErd(client: pg.ClientBase): Promise<string> {
  const tables = [...(await readTables(client)).values()].sort((a, b) => compare(a.name, b.name));
  const entities = tables.flatMap(renderEntity);
  const relationships = tables.flatMap(renderRelationships);
  const schemas = `${ERD_SCHEMAS.slice(0, -1).join(", ")} and ${ERD_SCHEMAS.at(-1)}`;
  return [
    "# Entity-relationship diagram",
    "",
    "Generated by `npm run docs:erd` from the catalog of a freshly migrated database: do not edit by hand. " +
      "The test suite fails while this file differs from what the migrations build.",
    "",
    `Tables of ${schemas}, without their partitions; columns that allow NULL are marked \`nullable\`. ` +
      "Each line is a foreign key. At the parent's end, `||` means every referencing column is NOT NULL and `|o` that " +
      "one may be NULL; at the child's end, `o|` means the referencing columns are unique in the child and `o{` that " +
      "they are not. A solid line means they are part of the child's primary key.",
    "",
    "```mermaid",
    "erDiagram",
    ...entities,
    ...(relationships.length ? ["", ...relationships] : []),
    "```",
    "",
  ].join("\n");
}
