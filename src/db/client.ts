import pg from "pg";

/** Runs `fn` with a one-off connection that is always closed afterwards. */
export async function withClient<T>(connectionString: string, fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/** Thrown when a configured database cannot be reached; its message names the variable, never the password. */
export class DatabaseUnreachableError extends Error {
  override name = "DatabaseUnreachableError";
}

/** Connects once, so a wrong URL fails at start with a message naming the variable that holds it. */
export async function checkConnection(connectionString: string, variable: string): Promise<void> {
  const url = new URL(connectionString);
  const where = `${url.username || "(default user)"}@${url.hostname}:${url.port || "5432"}${url.pathname}`;
  const client = new pg.Client({ connectionString, connectionTimeoutMillis: 10_000 });
  try {
    await client.connect();
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new DatabaseUnreachableError(`Cannot connect to ${variable} (${where}): ${reason}`);
  } finally {
    await client.end().catch(() => undefined);
  }
}
