/**
 * `npm start`: the database (embedded unless DATABASE_URL is set), migrations, the gateway and the worker, in one
 * process. SIGINT/SIGTERM stop them in reverse order: gateway, worker, then Postgres.
 */
import { loadKeySet } from "./auth/signingKeys.ts";
import { createTokenService } from "./auth/tokens.ts";
import { oneLine } from "./cli/fatal.ts";
import { parseConfig } from "./config.ts";
import { checkConnection } from "./db/client.ts";
import { openDatabaseEnvironment, prepareDatabase, type DatabaseEnvironment } from "./db/environment.ts";
import { openKeystoreEnvironment, type KeystoreEnvironment } from "./privacy/keystoreEnvironment.ts";
import { openPrivacyKeys, privacyKeyOptions, type PrivacyKeys } from "./privacy/privacyKeys.ts";
import { ensureSystemKey } from "./privacy/provision.ts";
import { createLogger } from "./logger.ts";
import type { Gateway } from "./server.ts";
import { startWorker, workerOptionsFrom, type Worker } from "./worker/main.ts";

async function main(): Promise<void> {
  const config = parseConfig();
  /*
   * Grafast reads GRAPHILE_ENV once, when it is first loaded: set it from Gatehouse's mode (unless the operator chose),
   * then load the gateway. Development mode adds Grafast's planning checks; production skips them.
   */
  process.env.GRAPHILE_ENV ??= config.mode === "production" ? "production" : "development";
  const { startGateway } = await import("./server.ts");
  const log = createLogger(config.logLevel);
  let env: DatabaseEnvironment | null = null;
  let keystoreEnv: KeystoreEnvironment | null = null;
  let privacy: PrivacyKeys | null = null;
  let gateway: Gateway | null = null;
  let worker: Worker | null = null;

  let stopping: Promise<void> | null = null;
  const stop = (): Promise<void> =>
    (stopping ??= (async () => {
      await gateway?.close().catch((error: unknown) => log.error({ err: error }, "gateway did not close cleanly"));
      await worker?.stop().catch((error: unknown) => log.error({ err: error }, "worker did not stop cleanly"));
      await privacy?.close();
      await keystoreEnv?.stop();
      await env?.stop();
      log.info("stopped");
    })());
  /*
   * A terminal's Ctrl-C reaches both npm and node, and npm forwards it once more: signals within two seconds of the
   * first are that same Ctrl-C. A later one means "stop now".
   */
  let firstSignalAt = 0;
  const onSignal = (signal: NodeJS.Signals): void => {
    if (stopping) {
      if (Date.now() - firstSignalAt < 2000) return;
      log.warn({ signal }, "second signal: exiting now");
      process.exit(130);
    }
    firstSignalAt = Date.now();
    log.info({ signal }, "shutting down");
    void stop().then(() => process.exit(0));
  };
  process.on("SIGINT", onSignal);
  process.on("SIGTERM", onSignal);

  try {
    if (config.external?.rootUrl) await checkConnection(config.external.rootUrl, "ROOT_DATABASE_URL");
    env = await openDatabaseEnvironment(config, log);
    if (config.migrateOnStart) {
      /* With a superuser URL the roles may not exist yet: bootstrapping creates them, so check them only without one. */
      if (config.external && !config.external.rootUrl) {
        await checkConnection(config.external.ownerUrl as string, "DATABASE_OWNER_URL");
        await checkConnection(config.external.workerUrl, "WORKER_DATABASE_URL");
      }
      /* Committed migrations only: work in progress (current.sql) runs through db:migrate, db:watch and the tests. */
      await prepareDatabase(env, config, log, { includeCurrent: false });
    }
    await checkConnection(env.urls.authenticator, config.external ? "DATABASE_URL" : "the embedded database");
    const keys = await loadKeySet({ ...config.jwt, generateIfMissing: config.mode !== "production" });
    const tokens = createTokenService(keys, config.jwt);
    keystoreEnv = await openKeystoreEnvironment(config, log);
    privacy = await openPrivacyKeys(privacyKeyOptions(config, keystoreEnv.url));
    if (config.external) await checkConnection(env.urls.worker, "WORKER_DATABASE_URL");
    await ensureSystemKey(env.urls.worker, privacy.keystore, privacy.ring);
    gateway = await startGateway({ ...config, authenticatorUrl: env.urls.authenticator, tokens, privacy, log });
    if (config.runWorker) {
      worker = await startWorker(workerOptionsFrom(config, env.urls.worker, log, privacy));
    }
  } catch (error) {
    await stop();
    throw error;
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`gatehouse: ${oneLine(error)}\n`);
  process.exit(1);
});
