/**
 * Signing-key rotation: a gateway restarted with a new signing key and the old public key in its verification set
 * still accepts the old key's tokens until they expire, and publishes both keys.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generateSigningJwk, publicPart } from "../../../src/auth/signingKeys.ts";
import { CURRENT_USER, bearer, errorCode, loginTokens } from "../../helpers/auth.ts";
import { createTestDatabase, dropTestDatabase, type TestDatabase } from "../../helpers/database.ts";
import { GatewayClient, startTestGateway, testTokenService } from "../../helpers/gateway.ts";
import { createUser } from "../../../fixtures/users.ts";

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(() => dropTestDatabase(db));

describe("signing key rotation", () => {
  it("keeps a rotated-out key's tokens valid until they expire, and stops trusting it once removed", async () => {
    const oldKey = await generateSigningJwk();
    const newKey = await generateSigningJwk();
    const client = await db.root.connect();
    const user = await createUser(client).finally(() => client.release());

    const before = await startTestGateway(db, { tokens: await testTokenService(oldKey) });
    const oldToken = (await loginTokens(new GatewayClient(before.url), user.username, user.password)).accessToken;
    await before.close();

    const rotated = await startTestGateway(db, { tokens: await testTokenService(newKey, [publicPart(oldKey)]) });
    try {
      const api = new GatewayClient(rotated.url);
      const me = await api.graphql<{ currentUser: { username: string } }>(CURRENT_USER, {}, bearer(oldToken));
      expect(me.data?.currentUser.username).toBe(user.username);
      const newToken = (await loginTokens(api, user.username, user.password)).accessToken;
      expect(
        (await api.graphql<{ currentUser: unknown }>(CURRENT_USER, {}, bearer(newToken))).data?.currentUser,
      ).not.toBeNull();
      const jwks = (await (await fetch(`${rotated.url}/.well-known/jwks.json`)).json()) as {
        keys: Array<{ kid: string; d?: string }>;
      };
      expect(jwks.keys.map((k) => k.kid)).toEqual([newKey.kid, oldKey.kid]);
      expect(jwks.keys.every((k) => k.d === undefined)).toBe(true);
    } finally {
      await rotated.close();
    }

    const retired = await startTestGateway(db, { tokens: await testTokenService(newKey) });
    try {
      const response = await new GatewayClient(retired.url).graphql(CURRENT_USER, {}, bearer(oldToken));
      expect(response.status).toBe(401);
      expect(errorCode(response)).toBe("TOKEN");
    } finally {
      await retired.close();
    }
  });
});
