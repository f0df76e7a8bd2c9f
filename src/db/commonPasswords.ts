/**
 * Loads the common-password list (the "passwords-common" dictionary of @zxcvbn-ts/language-common, about 49,000
 * entries) into app_private.common_passwords, which the password policy checks. Runs after every migration and does
 * nothing when the table is already complete.
 */
import { dictionary } from "@zxcvbn-ts/language-common";
import { withClient } from "./client.ts";

export function commonPasswords(): string[] {
  const list = (dictionary as Record<string, string[]>)["passwords-common"] ?? [];
  return [...new Set(list.map((p) => p.normalize("NFKC").toLowerCase()))];
}

export async function loadCommonPasswords(ownerUrl: string): Promise<number> {
  const passwords = commonPasswords();
  return withClient(ownerUrl, async (client) => {
    /* A database migrated only up to before the table existed has nothing to load. */
    const { rows: table } = await client.query(
      "select to_regclass('app_private.common_passwords') is not null as present",
    );
    if (!table[0]?.present) return 0;
    const { rows } = await client.query<{ n: number }>("select count(*)::int as n from app_private.common_passwords");
    if ((rows[0]?.n ?? 0) >= passwords.length) return 0;
    const result = await client.query(
      "insert into app_private.common_passwords (password) select unnest($1::text[]) on conflict do nothing",
      [passwords],
    );
    return result.rowCount ?? 0;
  });
}
