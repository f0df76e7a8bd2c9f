/**
 * `npm start`'s process as a user runs it: a bad configuration fails in one line, and SIGINT leaves nothing running.
 */
import { spawn, execFileSync } from "node:child_process";
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { PROJECT_ROOT } from "../../src/config.ts";
import { findFreePort } from "../../src/db/cluster.ts";

const MAIN = path.join(PROJECT_ROOT, "src/main.ts");

interface Exit {
  code: number | null;
  stdout: string;
  stderr: string;
}

function runMain(
  env: Record<string, string>,
  whileRunning?: (child: ReturnType<typeof spawn>) => Promise<void>,
): Promise<Exit> {
  const child = spawn(process.execPath, [MAIN], {
    env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "", LOG_LEVEL: "warn", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
  child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<Exit>((resolve) => child.on("exit", (code) => resolve({ code, stdout, stderr })));
  if (whileRunning) void whileRunning(child);
  return exited;
}

async function waitForReady(url: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const response = await fetch(url);
      if (response.status === 200) return;
    } catch {
      /* not listening yet */
    }
    if (Date.now() > deadline) throw new Error(`${url} not ready within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

describe("npm start", () => {
  it("refuses a bad config value in one line naming the variable, with no stack trace", async () => {
    const result = await runMain({ PORT: "not-a-port" });
    expect(result.code).toBe(1);
    expect(result.stderr.trim()).toMatch(/^gatehouse: Invalid configuration: PORT /);
    expect(result.stderr.trim().split("\n")).toHaveLength(1);
  });

  it("refuses an unreachable DATABASE_URL in one line naming it, without the password", async () => {
    const port = await findFreePort();
    const url = `postgres://authenticator:s3cret@127.0.0.1:${port}/gatehouse`;
    const result = await runMain({ DATABASE_URL: url, WORKER_DATABASE_URL: url, MIGRATE_ON_START: "false" });
    expect(result.code).toBe(1);
    const lines = result.stderr.trim().split("\n");
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(
      /^gatehouse: Cannot connect to DATABASE_URL \(authenticator@127\.0\.0\.1:\d+\/gatehouse\): .*ECONNREFUSED/,
    );
    expect(result.stderr).not.toContain("s3cret");
  });

  it(
    "starts the embedded database and key store, serves, and on SIGINT stops everything, both clusters included",
    { timeout: 120_000 },
    async () => {
      const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), "gatehouse-start-"));
      await fs.chmod(dataDir, 0o755);
      const [port, dbPort, keystorePort] = [await findFreePort(), await findFreePort(), await findFreePort()];
      try {
        const result = await runMain(
          {
            DATA_DIR: dataDir,
            PORT: String(port),
            EMBEDDED_DATABASE_PORT: String(dbPort),
            EMBEDDED_KEYSTORE_PORT: String(keystorePort),
          },
          async (child) => {
            await waitForReady(`http://127.0.0.1:${port}/readyz`, 90_000);
            const response = await fetch(`http://127.0.0.1:${port}/graphql`, {
              method: "POST",
              headers: { "content-type": "application/json" },
              body: JSON.stringify({ query: "{ __schema { queryType { name } } }" }),
            });
            expect(response.status).toBe(200);
            /* Development mode (the default) serves the Ruru GraphQL IDE at the root. */
            const ide = await fetch(`http://127.0.0.1:${port}/`, { headers: { accept: "text/html" } });
            expect(ide.status).toBe(200);
            expect(await ide.text()).toMatch(/ruru/i);
            child.kill("SIGINT");
          },
        );
        expect(result.stderr).toBe("");
        expect(result.code).toBe(0);
        const running = execFileSync("ps", ["-eo", "args"], { encoding: "utf8" })
          .split("\n")
          .filter((line) => line.includes(dataDir) && line.includes("postgres"));
        expect(running).toEqual([]);
        /* The key store is a cluster of its own, and the master key a file (owner-only), made at the first start. */
        await expect(fs.stat(path.join(dataDir, "keystore", "pg", "PG_VERSION"))).resolves.toBeTruthy();
        expect((await fs.stat(path.join(dataDir, "keys", "master-key.json"))).mode & 0o777).toBe(0o600);
      } finally {
        await fs.rm(dataDir, { recursive: true, force: true });
      }
    },
  );
});
