/**
 * The key store: a database of its own (on its own cluster in the embedded setup, under DATA_DIR/keystore; named by
 * KEYSTORE_DATABASE_URL otherwise), so that the main database's dumps and base backups never hold a private key,
 * wrapped or not. It holds one table: each private key wrapped by the master key. Destroying a key is deleting its
 * row; once the key store's own backups age out (its shorter retention, docs/privacy.md), the data encrypted to it
 * is gone everywhere, old main-database backups included.
 */
import pg from "pg";

const SCHEMA = `
  create table if not exists wrapped_keys (
    key_id uuid primary key,
    pgp_key_id text not null unique check (pgp_key_id ~ '^[0-9A-F]{16}$'),
    purpose text not null check (purpose in ('user', 'system')),
    master_key_id text not null check (master_key_id ~ '^[0-9a-f]{16}$'),
    wrapped bytea not null,
    created_at timestamptz not null default now(),
    rewrapped_at timestamptz
  );
  create index if not exists wrapped_keys_master_key_idx on wrapped_keys (master_key_id, key_id);
  comment on table wrapped_keys is
    'Private keys of Gatehouse personal data, each wrapped (AES-256-GCM) by the master key, which is never stored here.';
`;

export interface WrappedKey {
  keyId: string;
  pgpKeyId: string;
  purpose: "user" | "system";
  masterKeyId: string;
  wrapped: Buffer;
}

interface WrappedKeyRow {
  key_id: string;
  pgp_key_id: string;
  purpose: "user" | "system";
  master_key_id: string;
  wrapped: Buffer;
}

const fromRow = (row: WrappedKeyRow): WrappedKey => ({
  keyId: row.key_id,
  pgpKeyId: row.pgp_key_id,
  purpose: row.purpose,
  masterKeyId: row.master_key_id,
  wrapped: row.wrapped,
});

export class KeyStore {
  readonly pool: pg.Pool;

  constructor(url: string, options: { max?: number } = {}) {
    this.pool = new pg.Pool({ connectionString: url, max: options.max ?? 4 });
    this.pool.on("error", () => undefined);
  }

  /** Creates the table when missing (the key store's role owns its database). */
  async prepare(): Promise<void> {
    await this.pool.query(SCHEMA);
  }

  async put(keys: readonly WrappedKey[]): Promise<void> {
    if (keys.length === 0) return;
    await this.pool.query(
      `insert into wrapped_keys (key_id, pgp_key_id, purpose, master_key_id, wrapped)
       select * from unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::bytea[])
       on conflict (key_id) do nothing`,
      [
        keys.map((k) => k.keyId),
        keys.map((k) => k.pgpKeyId),
        keys.map((k) => k.purpose),
        keys.map((k) => k.masterKeyId),
        keys.map((k) => k.wrapped),
      ],
    );
  }

  async byPgpKeyIds(pgpKeyIds: readonly string[]): Promise<Map<string, WrappedKey>> {
    if (pgpKeyIds.length === 0) return new Map();
    const { rows } = await this.pool.query<WrappedKeyRow>(
      "select key_id, pgp_key_id, purpose, master_key_id, wrapped from wrapped_keys where pgp_key_id = any($1::text[])",
      [pgpKeyIds],
    );
    return new Map(rows.map((row) => [row.pgp_key_id, fromRow(row)]));
  }

  /** Destroys keys for good (crypto-shredding); returns how many rows were still there. */
  async destroy(keyIds: readonly string[]): Promise<number> {
    if (keyIds.length === 0) return 0;
    const { rowCount } = await this.pool.query("delete from wrapped_keys where key_id = any($1::uuid[])", [keyIds]);
    return rowCount ?? 0;
  }

  /** The master key ids that wrapped keys are under, with how many keys each. */
  async masterKeyIds(): Promise<Map<string, number>> {
    const { rows } = await this.pool.query<{ master_key_id: string; keys: string }>(
      "select master_key_id, count(*) as keys from wrapped_keys group by master_key_id",
    );
    return new Map(rows.map((row) => [row.master_key_id, Number(row.keys)]));
  }

  /** A batch of keys not under `masterKeyId`, locked for rewrapping (other rotators skip them). */
  async notUnder(client: pg.ClientBase, masterKeyId: string, limit: number): Promise<WrappedKey[]> {
    const { rows } = await client.query<WrappedKeyRow>(
      `select key_id, pgp_key_id, purpose, master_key_id, wrapped from wrapped_keys
       where master_key_id <> $1 order by key_id limit $2 for update skip locked`,
      [masterKeyId, limit],
    );
    return rows.map(fromRow);
  }

  async close(): Promise<void> {
    await this.pool.end();
  }
}
