/**
 * The live-session check every authenticated statement makes (app_hidden.current_session_id) finds the session by its
 * primary key, even for an account with many live sessions and fresh statistics: the partial index of a user's live
 * sessions would read all of them. (The plan that chose that index was seen at 1M users, where both indexes estimate
 * one row; this guards the property the function's `offset 0` fence now enforces, it does not recreate that data.)
 */
import { describe, expect, it } from "vitest";
import { useTestDatabase, withRollback } from "../../helpers/database.ts";
import { createUser } from "../../../fixtures/users.ts";

const db = useTestDatabase();

describe("current_session_id", () => {
  it("looks the session up by primary key on an account with 20,000 live sessions", async () => {
    await withRollback(db.current, async (client) => {
      const user = await createUser(client);
      const { rows } = await client.query<{ id: string }>(
        "insert into app_private.sessions (user_id) select $1 from generate_series(1, 20000) returning id",
        [user.id],
      );
      await client.query("analyze app_private.sessions");
      await client.query("select set_config('jwt.claims.sid', $1, true), set_config('jwt.claims.sub', $2, true)", [
        rows[0]!.id,
        user.id,
      ]);
      const body = (
        await client.query<{ src: string }>(
          "select prosrc as src from pg_proc where oid = 'app_hidden.current_session_id()'::regprocedure",
        )
      ).rows[0]!.src;
      const { rows: plan } = await client.query<{ "QUERY PLAN": string }>(`explain ${body}`);
      const text = plan.map((r) => r["QUERY PLAN"]).join("\n");
      expect(text).toContain("sessions_pkey");
      expect(text).not.toContain("sessions_live_user_idx");
      expect((await client.query("select app_hidden.current_session_id() as id")).rows[0].id).toBe(rows[0]!.id);
    });
  });
});
