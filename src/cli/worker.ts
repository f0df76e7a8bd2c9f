/** `npm run worker`: the worker alone, for deployments that scale it apart from the gateway. */
import { parseConfig } from "../config.ts";
import { openDatabaseEnvironment } from "../db/environment.ts";
import { openKeystoreEnvironment } from "../privacy/keystoreEnvironment.ts";
import { openPrivacyKeys, privacyKeyOptions } from "../privacy/privacyKeys.ts";
import { createLogger } from "../logger.ts";
import { startWorker, workerOptionsFrom } from "../worker/main.ts";
import { runCli } from "./fatal.ts";

runCli("worker", async () => {
  const config = parseConfig();
  const log = createLogger(config.logLevel);
  const env = await openDatabaseEnvironment(config, log);
  const keystoreEnv = await openKeystoreEnvironment(config, log).catch(async (error: unknown) => {
    await env.stop();
    throw error;
  });
  try {
    const privacy = await openPrivacyKeys(privacyKeyOptions(config, keystoreEnv.url));
    try {
      const runner = await startWorker(workerOptionsFrom(config, env.urls.worker, log, privacy));
      const stop = (): Promise<void> => runner.stop();
      process.once("SIGINT", () => void stop());
      process.once("SIGTERM", () => void stop());
      await runner.promise;
    } finally {
      await privacy.close();
    }
  } finally {
    await keystoreEnv.stop();
    await env.stop();
  }
});
