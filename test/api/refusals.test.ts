import { describe, expect, it } from "vitest";
import { useGateway } from "../helpers/gateway.ts";
import { openTestPrivacyKeys } from "../helpers/privacy.ts";

const api = useGateway();
const SET_SETTING = `mutation ($key: String!, $value: JSON!) {
  setSystemSetting(input: { key: $key, value: $value }) { result { key value } }
}`;

describe("a refusal that must stick (sql/README.md)", () => {
  it("reaches the client as a coded error while its audit row stays committed (LOGIN)", async () => {
    const requestId = `refusal-${Date.now()}`;
    const response = await api.client.graphql(
      SET_SETTING,
      { key: "auth.lockout_threshold", value: 9 },
      {
        "x-request-id": requestId,
        "user-agent": "refusal-test/1.0",
      },
    );
    expect(response.status).toBe(200);
    expect(response.data?.setSystemSetting).toBeNull();
    expect(response.errors).toHaveLength(1);
    expect(response.errors?.[0]).toMatchObject({
      message: "You must log in to change system settings.",
      path: ["setSystemSetting"],
      extensions: { code: "LOGIN" },
    });

    const { rows } = await api.db.root.query("select * from audit.events where request_id = $1", [requestId]);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      event_type: "config.setting_change",
      outcome: "refused",
      reason: "LOGIN",
      client_ip: null,
      user_agent: null,
      db_role: "app_anonymous",
    });
    /* The refusal wrote its personal part from inside SQL without any secret: encrypted to the system key. */
    const privacy = await openTestPrivacyKeys(api.db.urls.authenticator);
    const personal = JSON.parse((await privacy.reader.decrypt(rows[0].personal)) ?? "{}") as {
      ip?: string;
      user_agent?: string;
    };
    await privacy.close();
    expect(personal.user_agent).toBe("refusal-test/1.0");
    expect(["127.0.0.1", "::1", "::ffff:127.0.0.1"]).toContain(personal.ip);

    const { rows: setting } = await api.db.root.query("select config.setting_integer('auth.lockout_threshold') as n");
    expect(setting[0].n).toBe(5);
  });

  it("does not expose refusal fields in the schema", async () => {
    const response = await api.client.graphql<{ __type: { fields: Array<{ name: string }> } }>(
      `{ __type(name: "SystemSettingChange") { fields { name } } }`,
    );
    expect(response.data?.__type.fields.map((f) => f.name).sort()).toEqual(["key", "value"]);
  });
});
