/**
 * Encrypted personal fields through the real gateway: set and read back in the clear by their owner, stored only as
 * ciphertext, found by blind index, audited with encrypted parts that an auditor reads in the clear.
 */
import { afterAll, describe, expect, it } from "vitest";
import { bearer, errorCode, loginTokens, registerVerifiedUser, type LoginTokens } from "../../helpers/auth.ts";
import { useGateway } from "../../helpers/gateway.ts";
import { Inbox } from "../../helpers/mail.ts";
import { grantSystemRole } from "../../helpers/users.ts";

const api = useGateway();
const inbox = await Inbox.create();
afterAll(() => inbox.remove());

const CHANGE_PHONE = `mutation ($phone: String, $password: String!) {
  changePhone(input: { newPhone: $phone, password: $password }) { result { ok } }
}`;
const SET_BIRTH = `mutation ($date: Date) { setDateOfBirth(input: { dateOfBirth: $date }) { result { ok } } }`;
const ME = `{ currentUser { rowId phone dateOfBirth } }`;

async function member(): Promise<{ password: string; tokens: LoginTokens }> {
  const user = await registerVerifiedUser(api.client, api.db.urls.worker, inbox);
  return { password: user.password, tokens: await loginTokens(api.client, user.email, user.password) };
}

describe("phone number and date of birth", () => {
  it("round-trips through GraphQL in the clear while the tables hold only ciphertext", async () => {
    const { password, tokens } = await member();
    const auth = bearer(tokens.accessToken);
    const phone = "+14155550123";
    expect((await api.client.graphql(CHANGE_PHONE, { phone, password }, auth)).errors).toBeUndefined();
    expect((await api.client.graphql(SET_BIRTH, { date: "1987-06-05" }, auth)).errors).toBeUndefined();

    const me = await api.client.graphql<{ currentUser: { phone: string; dateOfBirth: string } }>(ME, {}, auth);
    expect(me.data?.currentUser).toMatchObject({ phone, dateOfBirth: "1987-06-05" });

    const { rows } = await api.db.root.query(
      "select t::text as row_text from app_private.user_personal_data t where user_id = $1",
      [tokens.user.rowId],
    );
    expect(rows).toHaveLength(1);
    expect(rows[0].row_text).not.toContain("4155550123");
    expect(rows[0].row_text).not.toContain("1987");
    /* Nor does any audit event about it hold the number in the clear. */
    const { rows: leaks } = await api.db.root.query(
      "select count(*)::int as n from audit.events e where e::text like '%4155550123%'",
    );
    expect(leaks[0].n).toBe(0);
  });

  it("needs the password and an international number", async () => {
    const { password, tokens } = await member();
    const auth = bearer(tokens.accessToken);
    expect(errorCode(await api.client.graphql(CHANGE_PHONE, { phone: "+14155550124", password: "not it" }, auth))).toBe(
      "WRONG",
    );
    expect(errorCode(await api.client.graphql(CHANGE_PHONE, { phone: "0415 555 0124", password }, auth))).toBe("INVAL");
    expect(errorCode(await api.client.graphql(SET_BIRTH, { date: "1850-01-01" }, auth))).toBe("INVAL");
    const me = await api.client.graphql<{ currentUser: { phone: string | null } }>(ME, {}, auth);
    expect(me.data?.currentUser.phone).toBeNull();
  });

  it("is found by its blind index, without the number ever reaching SQL in a searchable form", async () => {
    const { password, tokens } = await member();
    const auth = bearer(tokens.accessToken);
    const phone = "+447700900123";
    await api.client.graphql(CHANGE_PHONE, { phone, password }, auth);
    const lookup = `query ($phone: String!) { usersByPhone(phone: $phone) { nodes { rowId } } }`;
    const found = await api.client.graphql<{ usersByPhone: { nodes: Array<{ rowId: string }> } }>(
      lookup,
      { phone },
      auth,
    );
    expect(found.data?.usersByPhone.nodes.map((n) => n.rowId)).toEqual([tokens.user.rowId]);
    /* The same number written inline in the query is indexed too. */
    const inline = await api.client.graphql<{ usersByPhone: { nodes: unknown[] } }>(
      `{ usersByPhone(phone: "${phone}") { nodes { rowId } } }`,
      {},
      auth,
    );
    expect(inline.data?.usersByPhone.nodes).toHaveLength(1);
    const other = await api.client.graphql<{ usersByPhone: { nodes: unknown[] } }>(
      lookup,
      { phone: "+447700900124" },
      auth,
    );
    expect(other.data?.usersByPhone.nodes).toEqual([]);
    /* Someone who may not read the account learns nothing from its number. */
    const stranger = await member();
    const hidden = await api.client.graphql<{ usersByPhone: { nodes: unknown[] } }>(
      lookup,
      { phone },
      bearer(stranger.tokens.accessToken),
    );
    expect(hidden.data?.usersByPhone.nodes).toEqual([]);
  });

  it("shows an auditor the encrypted parts of events in the clear", async () => {
    const { password, tokens } = await member();
    const auditor = await member();
    const root = await api.db.root.connect();
    await grantSystemRole(root, auditor.tokens.user.rowId, "super_admin").finally(() => root.release());
    const agent = "PrivacyTest/2.0 (audited)";
    await api.client.graphql(
      CHANGE_PHONE,
      { phone: "+14155550199", password },
      { ...bearer(tokens.accessToken), "user-agent": agent },
    );
    const events = await api.client.graphql<{
      auditEvents: {
        nodes: Array<{ eventType: string; clientIp: string; userAgent: string; personalValues: unknown }>;
      };
    }>(
      `query ($user: UUID!) { auditEvents(userId: $user, eventType: "user.phone_change") { nodes { eventType clientIp userAgent personalValues } } }`,
      { user: tokens.user.rowId },
      bearer(auditor.tokens.accessToken),
    );
    expect(events.errors).toBeUndefined();
    expect(events.data?.auditEvents.nodes[0]).toMatchObject({
      eventType: "user.phone_change",
      clientIp: "127.0.0.1",
      userAgent: agent,
      personalValues: { phone: "+14155550199" },
    });
  });
});
