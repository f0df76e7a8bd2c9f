/**
 * app_private.client_ip_bucket: the rate-limit bucket of the caller's client IP. IPv4 addresses count one by one,
 * IPv6 addresses by their /64, and an IPv4 address mapped into IPv6 stays one address.
 */
import { describe, expect, it } from "vitest";
import { useTestDatabase, withRollback } from "../../helpers/database.ts";

const db = useTestDatabase();

async function bucketOf(ip: string): Promise<string> {
  return withRollback(db.current, async (client) => {
    await client.query("select set_config('request.ip', $1, true)", [ip]);
    const { rows } = await client.query<{ bucket: string }>(
      "select app_private.client_ip_bucket('login_failure') as bucket",
    );
    return rows[0]!.bucket;
  });
}

describe("app_private.client_ip_bucket", () => {
  it("counts IPv4 addresses one by one", async () => {
    expect(await bucketOf("203.0.113.7")).toBe("login_failure:client_ip:203.0.113.7/32");
    expect(await bucketOf("203.0.113.8")).not.toBe(await bucketOf("203.0.113.7"));
  });

  it("groups IPv6 addresses by their /64", async () => {
    expect(await bucketOf("2001:db8:1:2::1")).toBe("login_failure:client_ip:2001:db8:1:2::/64");
    expect(await bucketOf("2001:db8:1:2:ffff::9")).toBe(await bucketOf("2001:db8:1:2::1"));
    expect(await bucketOf("2001:db8:1:3::1")).not.toBe(await bucketOf("2001:db8:1:2::1"));
  });

  it("keeps an IPv4 address mapped into IPv6 apart from its neighbours", async () => {
    expect(await bucketOf("::ffff:203.0.113.7")).not.toBe(await bucketOf("::ffff:203.0.113.8"));
  });

  it("puts callers without an address in one bucket of their own", async () => {
    expect(await bucketOf("")).toBe("login_failure:client_ip:unknown");
  });
});
