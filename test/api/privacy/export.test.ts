/**
 * GDPR access and portability: exportMyData returns everything held about the caller as one decrypted JSON document
 * (one section per table); every table holding personal data (app_private.personal_data_columns) has its section with
 * its columns; an administrator with users:export can export an account; every export is audited.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bearer, errorCode, loginTokens, registerVerifiedUser, type LoginTokens } from "../../helpers/auth.ts";
import { useGateway } from "../../helpers/gateway.ts";
import { Inbox, runJobs } from "../../helpers/mail.ts";
import { grantSystemRole } from "../../helpers/users.ts";

const api = useGateway();
let inbox: Inbox;
let me: { email: string; password: string; tokens: LoginTokens };
const PHONE = "+14155550142";
const AGENT = "ExportTest/3.1";

type Document = Record<string, unknown>;
const EXPORT_MINE = `mutation { exportMyData(input: {}) { result { document } } }`;
const EXPORT_USER = `mutation ($u: UUID!) { exportUserData(input: { userId: $u }) { result { document } } }`;

beforeAll(async () => {
  inbox = await Inbox.create();
  const user = await registerVerifiedUser(api.client, api.db.urls.worker, inbox);
  const tokens = await loginTokens(api.client, user.email, user.password);
  me = { email: user.email, password: user.password, tokens };
  const auth = { ...bearer(tokens.accessToken), "user-agent": AGENT };
  /* Something in every table that holds personal data. */
  const steps = [
    [
      `mutation ($p: String!, $pw: String!) { changePhone(input: { newPhone: $p, password: $pw }) { result { ok } } }`,
      { p: PHONE, pw: user.password },
    ],
    [`mutation { setDateOfBirth(input: { dateOfBirth: "1990-10-11" }) { result { ok } } }`, {}],
    [
      `mutation { recordConsent(input: { purpose: "terms", version: "v3", granted: true }) { result { recordedAt } } }`,
      {},
    ],
    [`mutation ($e: String!) { requestPasswordReset(input: { email: $e }) { result { ok } } }`, { e: user.email }],
    [
      `mutation ($pw: String!) { changeEmail(input: { newEmail: "moved-away@example.test", password: $pw }) { result { ok } } }`,
      { pw: user.password },
    ],
    [
      `mutation ($s: String!) { createOrganization(input: { name: "Export Org", slug: $s }) { result { organizationId } } }`,
      { s: `export-${Date.now()}` },
    ],
  ] as const;
  for (const [query, variables] of steps) {
    const response = await api.client.graphql(query, variables, auth);
    expect(response.errors, query).toBeUndefined();
  }
  const orgs = await api.db.root.query<{ id: string }>(
    "select organization_id as id from app_public.memberships where user_id = $1",
    [tokens.user.rowId],
  );
  await api.client.graphql(
    `mutation ($o: UUID!) { inviteMember(input: { organizationId: $o, email: "invitee-export@example.test" }) { result { organizationId } } }`,
    { o: orgs.rows[0]!.id },
    auth,
  );
  await runJobs(api.db.urls.worker, inbox);
});
afterAll(() => inbox.remove());

describe("exportMyData", () => {
  it("returns everything about the caller, decrypted, with nothing encrypted or secret left in it", async () => {
    const response = await api.client.graphql<{ exportMyData: { result: { document: Document } } }>(
      EXPORT_MINE,
      {},
      bearer(me.tokens.accessToken),
    );
    expect(response.errors).toBeUndefined();
    const document = response.data!.exportMyData.result.document;
    const text = JSON.stringify(document);
    expect(text).not.toContain("$encrypted");
    expect(text).not.toMatch(/password_hash|token_hash|\$2[aby]\$/);
    expect(document).toMatchObject({
      format: "gatehouse-personal-data/1",
      user_id: me.tokens.user.rowId,
      "app_public.users": { email: me.email },
      "app_private.user_personal_data": { phone: PHONE, date_of_birth: "1990-10-11" },
    });
    const sessions = document["app_private.sessions"] as Array<{ personal: { ip: string; user_agent: string } }>;
    expect(sessions.length).toBeGreaterThan(0);
    expect(sessions.every((s) => /127\.0\.0\.1|::1/.test(s.personal?.ip ?? ""))).toBe(true);
    const consents = document["app_private.consents"] as Array<{ purpose: string; ip: string }>;
    expect(consents).toEqual([
      expect.objectContaining({
        purpose: "terms",
        version: "v3",
        granted: true,
        ip: expect.stringMatching(/127\.0\.0\.1|::1/),
      }),
    ]);
    const events = document["audit.events"] as Array<{
      event_type: string;
      personal: { values?: { phone?: string } } | null;
    }>;
    expect(events.find((e) => e.event_type === "user.phone_change")?.personal?.values?.phone).toBe(PHONE);
    /* The export itself is audited. */
    const { rows } = await api.db.root.query(
      "select 1 from audit.events where event_type = 'user.export' and subject_id = $1 and outcome = 'success'",
      [me.tokens.user.rowId],
    );
    expect(rows.length).toBeGreaterThan(0);
  });

  it("has a section, with every column, for each table the record of processing lists", async () => {
    const response = await api.client.graphql<{ exportMyData: { result: { document: Document } } }>(
      EXPORT_MINE,
      {},
      bearer(me.tokens.accessToken),
    );
    const document = response.data!.exportMyData.result.document;
    const { rows: columns } = await api.db.root.query<{
      table_schema: string;
      table_name: string;
      column_name: string;
      protection: string;
    }>(
      "select table_schema, table_name, column_name, protection from app_private.personal_data_columns order by 1, 2, 3",
    );
    const missing: string[] = [];
    for (const column of columns) {
      const section = document[`${column.table_schema}.${column.table_name}`];
      /* A blind index is a keyed hash of a value the document already holds: nothing about the person in itself. */
      if (column.protection === "blind_index") continue;
      if (section === undefined) {
        missing.push(`no section ${column.table_schema}.${column.table_name}`);
        continue;
      }
      const rows = (Array.isArray(section) ? section : [section]) as Array<Record<string, unknown>>;
      if (rows.length === 0)
        missing.push(`${column.table_schema}.${column.table_name}: no rows for a user who has some`);
      else if (!rows.every((row) => column.column_name in row))
        missing.push(`${column.table_schema}.${column.table_name}.${column.column_name}`);
    }
    expect(missing).toEqual([]);
  });

  it("lets an administrator with users:export export an account, and nobody else", async () => {
    const other = await registerVerifiedUser(api.client, api.db.urls.worker, inbox);
    const otherTokens = await loginTokens(api.client, other.email, other.password);
    expect(
      errorCode(await api.client.graphql(EXPORT_USER, { u: me.tokens.user.rowId }, bearer(otherTokens.accessToken))),
    ).toBe("PERMS");
    const root = await api.db.root.connect();
    await grantSystemRole(root, otherTokens.user.rowId, "super_admin").finally(() => root.release());
    const response = await api.client.graphql<{ exportUserData: { result: { document: Document } } }>(
      EXPORT_USER,
      { u: me.tokens.user.rowId },
      bearer(otherTokens.accessToken),
    );
    expect(response.errors).toBeUndefined();
    expect(response.data!.exportUserData.result.document).toMatchObject({
      "app_private.user_personal_data": { phone: PHONE },
    });
    const { rows } = await api.db.root.query(
      "select actor_id, details from audit.events where event_type = 'user.export' and subject_id = $1 order by id",
      [me.tokens.user.rowId],
    );
    expect(rows.map((r) => r.details.requested_by ?? null)).toContain("admin");
    expect(rows.some((r) => r.actor_id === otherTokens.user.rowId)).toBe(true);
  });
});
