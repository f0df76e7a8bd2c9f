/**
 * Outgoing mail through nodemailer. With SMTP_URL set, messages go to that server; without it (development and
 * tests) nodemailer's JSON transport renders each message and it is written as one JSON file in MAIL_DIR, which is
 * what tests read.
 */
import { randomUUID } from "node:crypto";
import fs from "node:fs/promises";
import path from "node:path";
import nodemailer from "nodemailer";

export interface MailMessage {
  to: string;
  subject: string;
  text: string;
  html: string;
  /** Extra header lines (List-Unsubscribe on marketing mail); nodemailer encodes them. */
  headers?: Record<string, string>;
}

export interface Mailer {
  send(message: MailMessage): Promise<void>;
  close(): void;
}

export interface MailerOptions {
  from: string;
  smtpUrl: string | undefined;
  mailDir: string;
}

export function createMailer(options: MailerOptions): Mailer {
  if (options.smtpUrl) {
    const transport = nodemailer.createTransport(options.smtpUrl);
    return {
      async send(message) {
        await transport.sendMail({ from: options.from, ...message });
      },
      close: () => transport.close(),
    };
  }
  const transport = nodemailer.createTransport({ jsonTransport: true });
  return {
    async send(message) {
      const info = await transport.sendMail({ from: options.from, ...message });
      await fs.mkdir(options.mailDir, { recursive: true, mode: 0o700 });
      const file = path.join(options.mailDir, `${new Date().toISOString().replace(/[:.]/g, "-")}-${randomUUID()}.json`);
      await fs.writeFile(file, String(info.message), { mode: 0o600 });
    },
    close: () => transport.close(),
  };
}
