/**
 * The record of processing (app_private.personal_data_columns) against the schema and against erasure:
 *   - a column whose name looks personal is listed there, or below with the reason it is not personal data;
 *   - every listed column exists;
 *   - erasing an account reaches every listed column: its rows are deleted, its values anonymised, or (encrypted
 *     columns) its ciphertext is under a key that erasure destroys.
 * Export completeness is checked through the API (test/api/privacy/export.test.ts).
 */
import { describe, expect, it } from "vitest";
import { asAnonymous, asRoot, asUser, useTestDatabase, withRollback } from "../../helpers/database.ts";
import { phoneLookupsFor } from "../../helpers/privacy.ts";
import { createLoggedInUser } from "../../helpers/users.ts";

const db = useTestDatabase();

const PERSONAL_LOOKING =
  /(^|_)(email|phone|name|ip|user_agent|birth|address|bio|avatar|personal|identifier|from|username|device)(_|$)/;

/** Columns whose names look personal but are not personal data, and why. */
const NOT_PERSONAL: Record<string, string> = {
  "app_public.organizations.name": "an organisation's name",
  "app_public.projects.name": "a project's name",
  "app_public.roles.name": "a role's name",
  "app_public.permissions.name": "a permission's name",
  "audit.partition_archives.file_name": "an archive file's name",
  "audit.partition_archives.partition_name": "a partition's name",
  "app_private.known_devices.device_hash": "SHA-256 of a user agent, deleted at erasure (no device string is kept)",
  "app_private.email_verifications.email": "the address being verified: the account's own email, deleted at erasure",
  "audit.events.client_ip": "written null since migration 000015 (the address is in personal, encrypted)",
  "audit.events.user_agent": "written null since migration 000015 (the user agent is in personal, encrypted)",
  "app_public.users.email_verified": "whether the address was verified, not the address",
  "app_public.users.email_verified_at": "when the address was verified",
  "app_private.personal_data_columns.table_name": "this list's own metadata",
  "app_private.personal_data_columns.column_name": "this list's own metadata",
  "audit.partition_archives.range_from": "a partition's time range",
  "app_private.login_reservations.client_ip_bucket":
    "SHA-256 of the client IP bucket, a pseudonym like rate_limit_hits.bucket, purged with it within the longest window",
};

/** Which rows of a listed table belong to the account ($1: its id, $2: its email before erasure), and their key. */
const OWNER: Record<string, { where: string; key: string }> = {
  "app_public.users": { where: "id = $1", key: "id" },
  "app_public.invitations": { where: "email = $2::extensions.citext and $1::uuid is not null", key: "id" },
  "app_private.user_personal_data": { where: "user_id = $1", key: "user_id" },
  "app_private.consents": { where: "user_id = $1", key: "id" },
  "app_private.sessions": { where: "user_id = $1", key: "id" },
  "app_private.password_resets": { where: "user_id = $1", key: "id" },
  "app_private.email_changes": { where: "user_id = $1", key: "id" },
  "audit.events": { where: "coalesce(subject_id, actor_id) = $1", key: "id" },
};

interface Listed {
  table_schema: string;
  table_name: string;
  column_name: string;
  protection: string;
  erasure: "shredded" | "anonymised" | "deleted";
}

describe("app_private.personal_data_columns", () => {
  it("lists every column whose name looks personal (or the column is known not to be personal), and only columns that exist", async () => {
    const { rows } = await db.current.root.query<{ name: string; listed: boolean }>(`
      select format('%s.%s.%s', n.nspname, c.relname, a.attname) as name,
             exists (select 1 from app_private.personal_data_columns p
                     where p.table_schema = n.nspname and p.table_name = c.relname and p.column_name = a.attname) as listed
      from pg_attribute a join pg_class c on c.oid = a.attrelid join pg_namespace n on n.oid = c.relnamespace
      where n.nspname in ('app_public', 'app_private', 'audit') and c.relkind in ('r', 'p') and not c.relispartition
        and a.attnum > 0 and not a.attisdropped order by 1`);
    const unlisted = rows
      .filter((r) => PERSONAL_LOOKING.test(r.name.split(".")[2]!) && !r.listed && !NOT_PERSONAL[r.name])
      .map((r) => r.name);
    expect(unlisted).toEqual([]);
    const { rows: dangling } = await db.current.root.query(`
      select p.table_schema, p.table_name, p.column_name from app_private.personal_data_columns p
      where not exists (select 1 from information_schema.columns c
                        where c.table_schema = p.table_schema and c.table_name = p.table_name and c.column_name = p.column_name)`);
    expect(dangling).toEqual([]);
    /* Known-not-personal entries must still exist, or the list rots. */
    const names = new Set(rows.map((r) => r.name));
    expect(Object.keys(NOT_PERSONAL).filter((n) => !names.has(n))).toEqual([]);
  });

  it("is reached by erasure: every listed column of the account is deleted, anonymised or under a key erasure destroys", async () => {
    await withRollback(db.current, async (client) => {
      const user = await createLoggedInUser(client);
      const phone = "+14155550161";
      await client.query("select set_config('gatehouse.phone_lookups', $1, true)", [phoneLookupsFor(phone)]);
      /* Something in every listed table: profile fields, consent, a real login (session), reset, email change, invitation. */
      await asUser(client, user, { ip: "198.51.100.7", userAgent: "ColumnsTest/1" });
      await client.query("select app_public.change_phone($1, $2)", [phone, user.password]);
      await client.query("select app_public.set_date_of_birth('1970-07-07')");
      await client.query("select app_public.record_consent('analytics', 'v1', true)");
      await client.query("select app_public.change_email('elsewhere-columns@example.test', $1)", [user.password]);
      await asAnonymous(client, { ip: "198.51.100.7", userAgent: "ColumnsTest/1" });
      await client.query("select app_public.login($1, $2)", [user.email, user.password]);
      await client.query("select app_public.request_password_reset($1)", [user.email]);
      await asRoot(client);
      await client.query(
        "update app_public.users set first_name = 'Ada', last_name = 'Lovelace', bio = 'Numbers', avatar_url = 'https://example.test/a.png' where id = $1",
        [user.id],
      );
      const { rows: orgs } = await client.query<{ id: string }>(
        "insert into app_public.organizations (name, slug) values ('Cols', 'cols-' || gen_random_uuid()) returning id",
      );
      await client.query(
        "insert into app_public.invitations (organization_id, email, expires_at) values ($1, $2, now() + interval '1 day')",
        [orgs[0]!.id, user.email],
      );

      const params = (owner: { where: string }) => (owner.where.includes("$2") ? [user.id, user.email] : [user.id]);
      const { rows: listed } = await client.query<Listed>(
        "select * from app_private.personal_data_columns order by 1, 2, 3",
      );
      const before = new Map<string, Array<{ key: string; value: string | null }>>();
      for (const column of listed) {
        const table = `${column.table_schema}.${column.table_name}`;
        const owner = OWNER[table];
        expect(owner, `the test needs the owner rule of ${table}`).toBeDefined();
        const { rows } = await client.query<{ key: string; value: string | null }>(
          `select ${owner!.key}::text as key, ${column.column_name}::text as value from ${table} where ${owner!.where}`,
          params(owner!),
        );
        expect(rows.length, `${table}.${column.column_name}: the account has no row here; give it one`).toBeGreaterThan(
          0,
        );
        before.set(`${table}.${column.column_name}`, rows);
      }

      await asUser(client, user);
      await client.query("select app_public.delete_my_account($1, true)", [user.password]);
      await asRoot(client);
      const { rows: keys } = await client.query<{ key_id: string }>("select app_hidden.begin_erasure($1) as key_id", [
        user.id,
      ]);
      const { rows: pgpIds } = await client.query<{ pgp_key_id: string }>(
        "select pgp_key_id from app_private.encryption_keys where key_id = any($1::uuid[])",
        [keys.map((k) => k.key_id)],
      );
      const destroyed = new Set(pgpIds.map((k) => k.pgp_key_id));
      expect(destroyed.size).toBe(1);

      const problems: string[] = [];
      for (const column of listed) {
        const name = `${column.table_schema}.${column.table_name}.${column.column_name}`;
        const old = before.get(name)!;
        const owner = OWNER[`${column.table_schema}.${column.table_name}`]!;
        const { rows: now } = await client.query<{ key: string; value: string | null }>(
          `select ${owner.key}::text as key, ${column.column_name}::text as value
           from ${column.table_schema}.${column.table_name} where ${owner.key}::text = any($1::text[])`,
          [old.map((r) => r.key)],
        );
        if (column.erasure === "deleted") {
          if (now.length > 0) problems.push(`${name}: ${now.length} row(s) not deleted`);
        } else if (column.erasure === "anonymised") {
          for (const row of old) {
            const after = now.find((r) => r.key === row.key) ?? null;
            if (after && row.value !== null && after.value !== null && after.value.includes(row.value))
              problems.push(`${name}: not anonymised`);
          }
        } else {
          const { rows: shredded } = await client.query<{ key: string | null }>(
            `select extensions.pgp_key_id(${column.column_name}) as key from ${column.table_schema}.${column.table_name}
             where ${owner.where} and ${column.column_name} is not null`,
            params(owner),
          );
          for (const row of shredded)
            if (!row.key || !destroyed.has(row.key))
              problems.push(`${name}: encrypted to a key erasure does not destroy (${row.key})`);
        }
      }
      expect(problems).toEqual([]);
    });
  });
});
