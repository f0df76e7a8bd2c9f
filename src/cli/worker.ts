/** `npm run worker`: the worker alone, for deployments that scale it apart from the gateway. */
import { parseConfig } from "../config.ts";
import { openDatabaseEnvironment } from "../db/environment.ts";
import { createLogger } from "../logger.ts";
import { startWorker, workerOptionsFrom } from "../worker/main.ts";
import { runCli } from "./fatal.ts";

runCli("worker", async () => {
  const config = parseConfig();
  const log = createLogger(config.logLevel);
  const env = await openDatabaseEnvironment(config, log);
  try {
    const runner = await startWorker(workerOptionsFrom(config, env.urls.worker, log));
    const stop = (): Promise<void> => runner.stop();
    process.once("SIGINT", () => void stop());
    process.once("SIGTERM", () => void stop());
    await runner.promise;
  } finally {
    await env.stop();
  }
});
