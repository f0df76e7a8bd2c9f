import { describe, expect, it } from "vitest";
import { useGateway } from "../helpers/gateway.ts";

const api = useGateway();

describe("the test clock over HTTP", () => {
  it("moves what a request sees as now", async () => {
    const before = await api.client.graphql<{ serverTime: string }>("{ serverTime }");
    await api.db.root.query("select config.set_clock_offset(interval '10 days')");
    try {
      const after = await api.client.graphql<{ serverTime: string }>("{ serverTime }");
      const moved = Date.parse(after.data!.serverTime) - Date.parse(before.data!.serverTime);
      expect(moved).toBeGreaterThan(10 * 86_400_000 - 60_000);
      expect(moved).toBeLessThan(10 * 86_400_000 + 60_000);
    } finally {
      await api.db.root.query("select config.set_clock_offset(interval '0')");
    }
  });
});
