/**
 * The worker as the tests run it: the real task list and the real mailer (nodemailer's JSON transport) writing into a
 * folder of the test's own, read back like an inbox.
 */
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { createLogger, type Logger } from "../../src/logger.ts";
import { createMailer } from "../../src/mail/mailer.ts";
import { TASKS } from "../../src/worker/taskList.ts";
import { openTestPrivacyKeys } from "./privacy.ts";
import { runTasksOnce } from "./worker.ts";

export const PUBLIC_BASE_URL = "https://gatehouse.example.test";

export interface ReceivedMail {
  file: string;
  to: string;
  subject: string;
  text: string;
  html: string;
  headers: Record<string, string>;
}

export class Inbox {
  readonly dir: string;

  private constructor(dir: string) {
    this.dir = dir;
  }

  static async create(): Promise<Inbox> {
    return new Inbox(await fs.mkdtemp(path.join(os.tmpdir(), "gatehouse-mail-")));
  }

  async all(): Promise<ReceivedMail[]> {
    const files = (await fs.readdir(this.dir).catch(() => [])).filter((f) => f.endsWith(".json")).sort();
    return Promise.all(
      files.map(async (file) => {
        const raw = JSON.parse(await fs.readFile(path.join(this.dir, file), "utf8")) as {
          to: Array<{ address: string }>;
          subject: string;
          text: string;
          html: string;
          headers?: Record<string, string>;
        };
        return {
          file,
          to: raw.to[0]?.address ?? "",
          subject: raw.subject,
          text: raw.text,
          html: raw.html,
          headers: raw.headers ?? {},
        };
      }),
    );
  }

  async to(address: string): Promise<ReceivedMail[]> {
    return (await this.all()).filter((m) => m.to.toLowerCase() === address.toLowerCase());
  }

  /** The verification token in the newest verification mail to `address`. */
  async verificationToken(address: string): Promise<string> {
    const mails = (await this.to(address)).filter((m) => m.subject === "Confirm your email address");
    const match = /verify-email\?token=([A-Za-z0-9_-]+)/.exec(mails.at(-1)?.text ?? "");
    if (!match?.[1]) throw new Error(`no verification mail to ${address}`);
    return match[1];
  }

  async remove(): Promise<void> {
    await fs.rm(this.dir, { recursive: true, force: true });
  }
}

/** Runs every job that is due, once, with the real tasks (graphile-worker's runOnce). */
export async function runJobs(workerUrl: string, inbox: Inbox, log: Logger = createLogger("silent")): Promise<void> {
  const mailer = createMailer({ from: "Gatehouse <no-reply@example.test>", smtpUrl: undefined, mailDir: inbox.dir });
  const privacy = await openTestPrivacyKeys(workerUrl);
  try {
    await runTasksOnce(
      workerUrl,
      TASKS,
      { mailer, publicBaseUrl: PUBLIC_BASE_URL, auditArchiveDir: inbox.dir, privacy },
      log,
    );
  } finally {
    mailer.close();
    await privacy.close();
  }
}
