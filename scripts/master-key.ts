/**
 * `npm run master-key -- <command>`: the master key's life cycle.
 *
 *   new --out FILE [--from FILE]   write a new master key file; with --from, the old file's keys stay as `previous`
 *                                  (they still unwrap, only the new one wraps)
 *   rotate [--batch N]             rewrap every key in the key store under MASTER_KEY_FILE's current key, in batches
 *                                  that commit one by one: stop it at any time and run it again to finish
 *   status                         how many wrapped keys each master key holds
 *
 * Rotating: `new --from old.json --out new.json`, point MASTER_KEY_FILE at new.json and restart (gateway and worker
 * then read keys under either), run `rotate`, then drop `previous` from the file (`new` never does that for you).
 */
import { existsSync } from "node:fs";
import fs from "node:fs/promises";
import { parseArgs } from "node:util";
import { runCli } from "../src/cli/fatal.ts";
import { ConfigError, parseConfig } from "../src/config.ts";
import { createLogger } from "../src/logger.ts";
import { openKeystoreEnvironment } from "../src/privacy/keystoreEnvironment.ts";
import { keyringFrom, newMasterKeyFile, type MasterKeyFile } from "../src/privacy/masterKey.ts";
import { openPrivacyKeys, privacyKeyOptions } from "../src/privacy/privacyKeys.ts";
import { remainingToRewrap, rewrapAll } from "../src/privacy/rotation.ts";

const USAGE = `usage: npm run master-key -- new --out FILE [--from FILE]
       npm run master-key -- rotate [--batch N]
       npm run master-key -- status`;

runCli("master-key", async () => {
  const { positionals, values } = parseArgs({
    allowPositionals: true,
    options: {
      out: { type: "string" },
      from: { type: "string" },
      batch: { type: "string" },
      help: { type: "boolean", short: "h" },
    },
  });
  const command = positionals[0];
  if (values.help || !command) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  if (command === "new") {
    if (!values.out) throw new ConfigError(USAGE);
    if (existsSync(values.out))
      throw new ConfigError(`${values.out} exists: choose another file (a master key is never overwritten)`);
    const previous = values.from ? (JSON.parse(await fs.readFile(values.from, "utf8")) as MasterKeyFile) : null;
    const file = newMasterKeyFile(previous);
    keyringFrom(file);
    await fs.writeFile(values.out, `${JSON.stringify(file, null, 2)}\n`, { mode: 0o600, flag: "wx" });
    process.stdout.write(`wrote ${values.out} (master key id ${keyringFrom(file).current.id})\n`);
    return;
  }
  if (command !== "rotate" && command !== "status") throw new ConfigError(USAGE);
  const config = parseConfig();
  const log = createLogger(config.logLevel);
  const keystoreEnv = await openKeystoreEnvironment(config, log);
  try {
    const privacy = await openPrivacyKeys({ ...privacyKeyOptions(config, keystoreEnv.url), generateIfMissing: false });
    try {
      if (command === "status") {
        for (const [id, keys] of await privacy.keystore.masterKeyIds()) {
          process.stdout.write(`${id}${id === privacy.ring.current.id ? " (current)" : ""}: ${keys} key(s)\n`);
        }
        return;
      }
      const batchSize = values.batch ? Number(values.batch) : 500;
      if (!Number.isInteger(batchSize) || batchSize < 1)
        throw new ConfigError("--batch must be a positive whole number");
      process.stdout.write(
        `${await remainingToRewrap(privacy.keystore, privacy.ring)} key(s) to rewrap under ${privacy.ring.current.id}\n`,
      );
      const total = await rewrapAll(privacy.keystore, privacy.ring, {
        batchSize,
        onBatch: ({ rewrapped, remaining }) => process.stdout.write(`rewrapped ${rewrapped}, ${remaining} left\n`),
      });
      process.stdout.write(`done: ${total} key(s) rewrapped; every key is under ${privacy.ring.current.id}\n`);
    } finally {
      await privacy.close();
    }
  } finally {
    await keystoreEnv.stop();
  }
});
