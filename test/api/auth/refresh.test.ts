/**
 * Refresh-token rotation and reuse detection, over HTTP with committed data. The rule (docs/sessions.md): a used token
 * presented again is reuse and ends the session, except within the grace window, where it may yield a set number of
 * further tokens.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  CURRENT_USER,
  REFRESH,
  bearer,
  errorCode,
  loginTokens,
  registerVerifiedUser,
  setSetting,
  type LoginTokens,
} from "../../helpers/auth.ts";
import { useGateway, type GraphQLResponse } from "../../helpers/gateway.ts";
import { Inbox } from "../../helpers/mail.ts";

const api = useGateway();
let inbox: Inbox;
beforeAll(async () => {
  inbox = await Inbox.create();
});
afterAll(() => inbox.remove());

type RefreshResponse = GraphQLResponse<{ refreshToken: { result: Omit<LoginTokens, "user"> } | null }>;

const refresh = (token: string): Promise<RefreshResponse> => api.client.graphql(REFRESH, { token });

async function session(): Promise<LoginTokens> {
  const user = await registerVerifiedUser(api.client, api.db.urls.worker, inbox);
  return loginTokens(api.client, user.email, user.password);
}

async function withSettings(settings: Record<string, unknown>, fn: () => Promise<void>): Promise<void> {
  const { rows } = await api.db.root.query("select key, value from config.system_settings where key = any($1)", [
    Object.keys(settings),
  ]);
  for (const [key, value] of Object.entries(settings)) await setSetting(api.db.root, key, value);
  try {
    await fn();
  } finally {
    for (const row of rows) await setSetting(api.db.root, row.key, row.value);
  }
}

async function isLive(accessToken: string): Promise<boolean> {
  const response = await api.client.graphql<{ currentUser: unknown }>(CURRENT_USER, {}, bearer(accessToken));
  return response.data?.currentUser != null;
}

describe("refreshToken", () => {
  it("rotates: new access and refresh tokens for the same session, and the old refresh token is used up", async () => {
    const first = await session();
    const response = await refresh(first.refreshToken);
    expect(response.errors).toBeUndefined();
    const next = response.data!.refreshToken!.result;
    expect(next.sessionId).toBe(first.sessionId);
    expect(next.refreshToken).not.toBe(first.refreshToken);
    expect(await isLive(next.accessToken)).toBe(true);
    const { rows } = await api.db.root.query(
      "select count(*)::int as n from app_private.refresh_tokens where session_id = $1 and used_at is not null",
      [first.sessionId],
    );
    expect(rows[0].n).toBe(1);
  });

  it("with no grace window, of 20 parallel refreshes exactly one wins; the rest are reuse and end the session, the winner's tokens too", async () => {
    await withSettings({ "auth.refresh_reuse_grace": "0 seconds" }, async () => {
      const start = await session();
      const replies = await Promise.all(Array.from({ length: 20 }, () => refresh(start.refreshToken)));
      const winners = replies.filter((r) => !r.errors);
      const codes = replies.filter((r) => r.errors).map(errorCode);
      expect(winners).toHaveLength(1);
      expect(codes).toEqual(Array(19).fill("REUSE"));
      const won = winners[0]!.data!.refreshToken!.result;
      expect(await isLive(won.accessToken)).toBe(false);
      expect(errorCode(await refresh(won.refreshToken))).toBe("LOGIN");
      const { rows } = await api.db.root.query("select revoked_reason from app_private.sessions where id = $1", [
        start.sessionId,
      ]);
      expect(rows[0].revoked_reason).toBe("refresh_token_reuse");
      const { rows: events } = await api.db.root.query(
        "select count(*)::int as n from audit.events where event_type = 'auth.refresh_reuse' and entity_id = $1 and severity = 'critical'",
        [start.sessionId],
      );
      expect(events[0].n).toBe(19);
    });
  });

  it("within the grace window, one extra presentation succeeds and keeps the session; a further one revokes it", async () => {
    const start = await session();
    const first = await refresh(start.refreshToken);
    expect(first.errors).toBeUndefined();
    const retry = await refresh(start.refreshToken);
    expect(retry.errors).toBeUndefined();
    const sibling = retry.data!.refreshToken!.result;
    expect(await isLive(sibling.accessToken)).toBe(true);
    expect(errorCode(await refresh(start.refreshToken))).toBe("REUSE");
    expect(await isLive(sibling.accessToken)).toBe(false);
  });

  it("after the window, a replay revokes the family and the newest refresh token dies too (clock moved, not slept)", async () => {
    const start = await session();
    const newest = (await refresh(start.refreshToken)).data!.refreshToken!.result;
    await api.db.root.query("select config.set_clock_offset(interval '11 seconds')");
    try {
      expect(errorCode(await refresh(start.refreshToken))).toBe("REUSE");
      expect(errorCode(await refresh(newest.refreshToken))).toBe("LOGIN");
    } finally {
      await api.db.root.query("select config.set_clock_offset(interval '0')");
    }
  });

  it("stops at the idle timeout, counted from the last refresh (ASVS 7.3.1)", async () => {
    const start = await session();
    const next = (await refresh(start.refreshToken)).data!.refreshToken!.result;
    await api.db.root.query("select config.set_clock_offset(interval '7 days 1 minute')");
    try {
      expect(errorCode(await refresh(next.refreshToken))).toBe("LOGIN");
    } finally {
      await api.db.root.query("select config.set_clock_offset(interval '0')");
    }
    const { rows } = await api.db.root.query(
      "select reason from audit.events where event_type = 'auth.refresh' and entity_id = $1 and outcome = 'refused'",
      [start.sessionId],
    );
    expect(rows).toEqual([{ reason: "session_idle" }]);
  });

  it("stops at the absolute lifetime, however active the session (ASVS 7.3.2)", async () => {
    await withSettings({ "auth.session_absolute_lifetime": "1 hour" }, async () => {
      const start = await session();
      let token = start.refreshToken;
      for (const offset of ["20 minutes", "40 minutes"]) {
        await api.db.root.query("select config.set_clock_offset($1::interval)", [offset]);
        token = (await refresh(token)).data!.refreshToken!.result.refreshToken;
      }
      await api.db.root.query("select config.set_clock_offset(interval '61 minutes')");
      try {
        expect(errorCode(await refresh(token))).toBe("LOGIN");
      } finally {
        await api.db.root.query("select config.set_clock_offset(interval '0')");
      }
    });
  });

  it("refuses an unknown token with LOGIN", async () => {
    expect(errorCode(await refresh("x".repeat(43)))).toBe("LOGIN");
  });
});
