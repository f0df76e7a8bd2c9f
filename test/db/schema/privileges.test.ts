import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ROLES } from "../../../src/db/roles.ts";
import {
  errorCodeOf,
  setRole,
  tryStatement,
  useTestDatabase,
  withRollback,
  type ClientRole,
} from "../../helpers/database.ts";

const db = useTestDatabase();
const CLIENT_ROLES: ClientRole[] = [
  ROLES.anonymous,
  ROLES.authenticated,
  ROLES.analytics,
  ROLES.worker,
  ROLES.marketing,
];
const PROTECTED_TABLES = [
  "app_private.role_ancestors",
  "app_private.user_security",
  "app_private.password_history",
  "app_private.sessions",
  "app_private.refresh_tokens",
  "app_private.email_verifications",
  "app_private.common_passwords",
  "config.system_settings",
  "config.instance",
  "config.clock",
  "audit.events",
];

describe("the authenticator login role", () => {
  let authenticator: pg.Client;
  beforeAll(async () => {
    authenticator = new pg.Client({ connectionString: db.current.urls.authenticator });
    await authenticator.connect();
  });
  afterAll(() => authenticator.end());

  it("cannot read app_private", async () => {
    expect(await errorCodeOf(authenticator.query("select * from app_private.user_security"))).toBe("42501");
  });

  it.each(PROTECTED_TABLES)("cannot read or write %s directly", async (table) => {
    expect(await errorCodeOf(authenticator.query(`select * from ${table}`))).toBe("42501");
    expect(await errorCodeOf(authenticator.query(`delete from ${table}`))).toBe("42501");
  });

  it("cannot write any table in the project's schemas", async () => {
    const { rows } = await db.current.root.query<{ table: string }>(`
      select format('%I.%I', n.nspname, c.relname) as table
      from pg_class c join pg_namespace n on n.oid = c.relnamespace
      where c.relkind in ('r', 'p') and n.nspname in ('app_public', 'app_hidden', 'app_private', 'audit', 'config', 'analytics')
        and (has_table_privilege('authenticator', c.oid, 'INSERT') or has_table_privilege('authenticator', c.oid, 'UPDATE')
             or has_table_privilege('authenticator', c.oid, 'DELETE') or has_table_privilege('authenticator', c.oid, 'TRUNCATE'))`);
    expect(rows).toEqual([]);
  });

  it("holds no privileges of its own (NOINHERIT) and may switch only to the client roles", async () => {
    const { rows } = await db.current.root.query(
      "select rolinherit, rolsuper, rolcreaterole, rolcreatedb from pg_roles where rolname = 'authenticator'",
    );
    expect(rows[0]).toEqual({ rolinherit: false, rolsuper: false, rolcreaterole: false, rolcreatedb: false });
    expect(await errorCodeOf(authenticator.query("set role app_anonymous"))).toBeNull();
    await authenticator.query("reset role");
    expect(await errorCodeOf(authenticator.query("set role app_authenticated"))).toBeNull();
    await authenticator.query("reset role");
    expect(await errorCodeOf(authenticator.query("set role app_owner"))).toBe("42501");
    expect(await errorCodeOf(authenticator.query("set role app_worker"))).toBe("42501");
    expect(await errorCodeOf(authenticator.query("set role postgres"))).toBe("42501");
  });
});

describe("client roles", () => {
  it.each(
    CLIENT_ROLES.flatMap((role) =>
      PROTECTED_TABLES.filter((t) => !(role === ROLES.worker && t === "config.system_settings")).map((t) => [role, t]),
    ),
  )("%s cannot read %s", async (role, table) => {
    await withRollback(db.current, async (client) => {
      await setRole(client, role as ClientRole);
      expect(await tryStatement(client, `select * from ${table}`)).toBe("42501");
    });
  });

  it("the worker reads system settings but cannot change them", async () => {
    await withRollback(db.current, async (client) => {
      await setRole(client, ROLES.worker);
      expect(await tryStatement(client, "select count(*) from config.system_settings")).toBeNull();
      expect(await tryStatement(client, "update config.system_settings set value = value")).toBe("42501");
    });
  });
});

describe("secrets", () => {
  it("no client role can read a password hash, token hash or security state, whatever the path (ASVS 8.2.3)", async () => {
    const { rows } = await db.current.root.query<{ role: string; column: string }>(`
      select r.rolname as role, format('%I.%I.%I', n.nspname, c.relname, a.attname) as column
      from pg_attribute a
      join pg_class c on c.oid = a.attrelid
      join pg_namespace n on n.oid = c.relnamespace
      cross join pg_roles r
      where r.rolname in ('authenticator', 'app_anonymous', 'app_authenticated', 'app_worker', 'app_marketing', 'app_analytics')
        and a.attnum > 0 and not a.attisdropped
        and a.attname in ('password_hash', 'token_hash', 'failed_login_count', 'locked_until', 'wrapped', 'phone_lookup', 'hmac_key')
        and (has_column_privilege(r.oid, c.oid, a.attnum, 'SELECT') or has_schema_privilege(r.oid, n.oid, 'USAGE') and has_table_privilege(r.oid, c.oid, 'SELECT'))`);
    expect(rows).toEqual([]);
  });
});

describe("default privileges", () => {
  it("grant nothing in the project's schemas to PUBLIC", async () => {
    const { rows } = await db.current.root.query<{ fn: string }>(`
      select p.oid::regprocedure::text as fn
      from pg_proc p join pg_namespace n on n.oid = p.pronamespace
      where n.nspname in ('app_public', 'app_hidden', 'app_private', 'audit', 'config', 'analytics')
        and has_function_privilege('public', p.oid, 'EXECUTE')`);
    expect(rows).toEqual([]);
    const { rows: tables } = await db.current.root.query(`
      select c.relname from pg_class c join pg_namespace n on n.oid = c.relnamespace
      where n.nspname in ('app_public', 'app_hidden', 'app_private', 'audit', 'config', 'analytics')
        and c.relacl::text like '%=%' and exists (select 1 from aclexplode(c.relacl) a where a.grantee = 0)`);
    expect(tables).toEqual([]);
  });

  it("every SECURITY DEFINER function fixes its search_path", async () => {
    const { rows } = await db.current.root.query<{ fn: string }>(`
      select p.oid::regprocedure::text as fn
      from pg_proc p join pg_namespace n on n.oid = p.pronamespace
      where n.nspname in ('app_public', 'app_hidden', 'app_private', 'audit', 'config', 'analytics') and p.prosecdef
        and not exists (select 1 from unnest(p.proconfig) c where c like 'search_path=%')`);
    expect(rows).toEqual([]);
  });
});
