/**
 * The walls that make consent enforced rather than recorded (docs/consent.md), read from the catalogue so that a new
 * grant, table or function cannot slip through:
 *   - app_analytics reads the analytics schema and nothing else: no personal data (a column of
 *     app_private.personal_data_columns, or any table keyed by an account), in any schema, by table, column or function;
 *   - a marketing job (app_marketing) reaches an address only through app_hidden.mail_recipient(user_id, purpose),
 *     which asks for consent in the same query; the worker (app_worker) does not inherit that role, and its own ways
 *     to an address are listed here with the reason a marketing job cannot use them.
 */
import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { createUser } from "../../../fixtures/users.ts";
import { ROLES } from "../../../src/db/roles.ts";
import { setSetting } from "../../helpers/auth.ts";
import { recordConsentFor } from "../../helpers/consent.ts";
import { asRoot, setRole, useTestDatabase, withRollback } from "../../helpers/database.ts";
import { addressFunctions, callableFunctions, readableRelations } from "../../helpers/reach.ts";

const db = useTestDatabase();

const ANALYTICS_VIEWS = [
  "analytics.consenting_user_activity",
  "analytics.consenting_users",
  "analytics.daily_activity",
  "analytics.organization_daily_activity",
];

const MARKETING_FUNCTIONS = [
  "app_hidden.issue_unsubscribe_token(uuid,uuid,bytea)",
  "app_hidden.mail_recipient(uuid,text)",
  "app_hidden.mark_marketing_sent(uuid,uuid)",
  "app_hidden.marketing_message(uuid)",
];

/**
 * The worker's own ways to an address, and why a marketing job cannot use them: it runs as app_marketing, which may
 * execute none of them, and app_worker does not pass its rights on. A new entry needs a reason here.
 */
const WORKER_ADDRESS_FUNCTIONS: Record<string, string> = {
  "app_hidden.mail_recipient(uuid)": "security notifications of the account itself (users__notify)",
  "app_hidden.issue_email_change_token(uuid,bytea)":
    "the new address of one pending email change, keyed by its request",
  "app_hidden.issue_invitation_token(uuid,bytea)": "the invited address of one open invitation, keyed by it",
  "app_hidden.issue_password_reset_token(uuid,bytea)": "the address of one pending password reset, keyed by it",
  "app_hidden.issue_verification_token(uuid,bytea)": "the address of one pending verification, keyed by it",
};

describe("app_analytics reads no personal data", () => {
  it("reads the views of the analytics schema and no other table or view, in any schema", async () => {
    expect(await readableRelations(db.current.root, ROLES.analytics)).toEqual(ANALYTICS_VIEWS);
  });

  it("cannot read any table keyed by an account, nor any column of the record of processing", async () => {
    const { rows } = await db.current.root.query(
      `select format('%I.%I.%I', n.nspname, c.relname, a.attname) as col
       from pg_attribute a join pg_class c on c.oid = a.attrelid join pg_namespace n on n.oid = c.relnamespace
       where a.attnum > 0 and not a.attisdropped and c.relkind in ('r', 'p', 'v', 'm', 'f')
         and (has_column_privilege($1, c.oid, a.attnum, 'SELECT') and has_schema_privilege($1, n.oid, 'USAGE'))
         and (a.attname = 'user_id'
              or exists (select 1 from pg_constraint f where f.conrelid = c.oid and f.contype = 'f'
                         and f.confrelid = 'app_public.users'::regclass and a.attnum = any(f.conkey))
              or exists (select 1 from app_private.personal_data_columns p
                         where p.table_schema = n.nspname and p.table_name = c.relname and p.column_name = a.attname))`,
      [ROLES.analytics],
    );
    expect(rows).toEqual([]);
  });

  it("may call only the functions under its views, none of which takes an argument (no caller-chosen group)", async () => {
    const callable = await callableFunctions(db.current.root, ROLES.analytics);
    expect(callable).toEqual([
      "analytics.consenting_user_activity()",
      "analytics.consenting_users()",
      "analytics.daily_activity()",
      "analytics.organization_daily_activity()",
    ]);
    const { rows } = await db.current.root.query(
      "select p.oid::regprocedure::text as fn from pg_proc p where p.pronamespace = 'analytics'::regnamespace and p.pronargs > 0",
    );
    expect(rows).toEqual([]);
  });

  it("its views read only those functions, and expose no personal column and no account id", async () => {
    const { rows: deps } = await db.current.root.query(
      `select distinct format('%s', v.oid::regclass) as view, coalesce(d.refobjid::regclass::text, d.refobjid::regprocedure::text) as uses
       from pg_class v join pg_namespace n on n.oid = v.relnamespace
       join pg_rewrite r on r.ev_class = v.oid
       join pg_depend d on d.objid = r.oid and d.classid = 'pg_rewrite'::regclass
       where n.nspname = 'analytics' and v.relkind = 'v' and d.refobjid <> v.oid
         and d.refclassid in ('pg_class'::regclass)`,
    );
    expect(deps).toEqual([]);
    const { rows: columns } = await db.current.root.query<{ col: string; type: string }>(
      `select format('%s.%s', c.oid::regclass, a.attname) as col, format_type(a.atttypid, a.atttypmod) as type
       from pg_attribute a join pg_class c on c.oid = a.attrelid join pg_namespace n on n.oid = c.relnamespace
       where n.nspname = 'analytics' and a.attnum > 0 and not a.attisdropped order by 1`,
    );
    const { rows: listed } = await db.current.root.query<{ column_name: string }>(
      "select distinct column_name from app_private.personal_data_columns",
    );
    const personalNames = new Set(listed.map((r) => r.column_name));
    expect(columns.filter((c) => personalNames.has(c.col.split(".").at(-1)!))).toEqual([]);
    /* The only uuid is an organisation's; an account appears only as its pseudonym. */
    expect(columns.filter((c) => c.type === "uuid").map((c) => c.col)).toEqual([
      "analytics.organization_daily_activity.organization_id",
    ]);
  });

  it("finds no account id, address, username or name in any row it can read", async () => {
    await withRollback(db.current, async (client) => {
      await setSetting(client, "analytics.min_group_size", 2);
      const people = [await createUser(client), await createUser(client), await createUser(client)];
      const { rows: orgs } = await client.query<{ id: string }>(
        "insert into app_public.organizations (name, slug) values ('Reach', 'reach-probe') returning id",
      );
      for (const person of people) {
        await recordConsentFor(client, person.id, "analytics", true);
        await client.query("insert into app_public.memberships (organization_id, user_id) values ($1, $2)", [
          orgs[0]!.id,
          person.id,
        ]);
        await client.query("select audit.record_event('auth.login', 'success', subject_id => $1)", [person.id]);
      }
      await setRole(client, ROLES.analytics);
      const seen: string[] = [];
      for (const view of ANALYTICS_VIEWS) {
        const { rows } = await client.query<{ row: string }>(`select to_jsonb(v)::text as row from ${view} v`);
        expect(rows.length, view).toBeGreaterThan(0);
        seen.push(...rows.map((r) => r.row));
      }
      await asRoot(client);
      const text = seen.join("\n").toLowerCase();
      for (const person of people) {
        for (const value of [
          person.id,
          person.email,
          person.username,
          createHash("sha256").update(person.id).digest("hex"),
        ]) {
          expect(text).not.toContain(value.toLowerCase());
        }
      }
    });
  });
});

describe("a marketing job reaches an address only through the consent check", () => {
  it("app_marketing uses app_hidden alone, reads no table or view, and may call only the marketing functions", async () => {
    const { rows: schemas } = await db.current.root.query<{ nspname: string }>(
      `select n.nspname from pg_namespace n
       where has_schema_privilege($1, n.oid, 'USAGE') and n.nspname not in ('pg_catalog', 'information_schema')
       order by 1`,
      [ROLES.marketing],
    );
    expect(schemas.map((s) => s.nspname)).toEqual(["app_hidden"]);
    expect(await readableRelations(db.current.root, ROLES.marketing)).toEqual([]);
    expect(await callableFunctions(db.current.root, ROLES.marketing)).toEqual(MARKETING_FUNCTIONS);
  });

  it("the only function that can give app_marketing an address is mail_recipient(user_id, purpose)", async () => {
    expect(await addressFunctions(db.current.root, ROLES.marketing)).toEqual(["app_hidden.mail_recipient(uuid,text)"]);
  });

  it("app_marketing is no member of any role, and the worker holds its rights only after switching to it", async () => {
    const { rows } = await db.current.root.query(
      `select r.rolname as role, m.rolname as member
       from pg_auth_members a join pg_roles r on r.oid = a.roleid join pg_roles m on m.oid = a.member
       where r.rolname = $1 or m.rolname = $1`,
      [ROLES.marketing],
    );
    expect(rows).toEqual([{ role: ROLES.marketing, member: ROLES.worker }]);
    const { rows: worker } = await db.current.root.query(
      `select rolinherit, pg_has_role('app_worker', 'app_marketing', 'USAGE') as uses, pg_has_role('app_worker', 'app_marketing', 'MEMBER') as member
       from pg_roles where rolname = 'app_worker'`,
    );
    expect(worker).toEqual([{ rolinherit: false, uses: false, member: true }]);
    for (const fn of MARKETING_FUNCTIONS) {
      const { rows: may } = await db.current.root.query(
        "select has_function_privilege('app_worker', $1, 'EXECUTE') as may",
        [fn],
      );
      expect(may[0].may, fn).toBe(false);
    }
  });

  it("app_worker reads no table that holds an address: only the settings and its own job queue", async () => {
    const readable = await readableRelations(db.current.root, ROLES.worker);
    expect(readable.filter((r) => !r.startsWith("graphile_worker."))).toEqual(["config.system_settings"]);
  });

  it("every other way the worker has to an address is listed with its reason", async () => {
    expect(await addressFunctions(db.current.root, ROLES.worker)).toEqual(Object.keys(WORKER_ADDRESS_FUNCTIONS).sort());
  });
});
