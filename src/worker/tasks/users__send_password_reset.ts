import type { TaskFactory } from "../deps.ts";
import { passwordResetMail, type Recipient } from "../../mail/templates.ts";
import { mintToken } from "../mintToken.ts";
import { assertUuid } from "../payload.ts";

/**
 * Mints a password reset token, stores only its hash, and mails the link with when and where it was requested (the
 * latter decrypted here: the database keeps it only encrypted to the account's key).
 */
const users__send_password_reset: TaskFactory = (deps) => async (payload, helpers) => {
  const resetId = assertUuid(payload, "reset_id");
  const { token, hash } = mintToken();
  const { rows } = await helpers.query<
    Recipient & { expires_at: Date; requested_at: Date; requested_from: Buffer | null }
  >("select * from app_hidden.issue_password_reset_token($1, $2)", [resetId, hash]);
  const recipient = rows[0];
  if (!recipient) return;
  const link = `${deps.publicBaseUrl}/reset-password?token=${encodeURIComponent(token)}`;
  /* Where it was asked from is stored encrypted; a value that cannot be read leaves the line out of the mail. */
  const from = JSON.parse((await deps.privacy.reader.decrypt(recipient.requested_from)) ?? "{}") as {
    ip?: string;
    user_agent?: string;
  };
  await deps.mailer.send(
    passwordResetMail(recipient, link, recipient.expires_at, {
      at: recipient.requested_at,
      ip: from.ip ?? null,
      userAgent: from.user_agent ?? null,
    }),
  );
};

export default users__send_password_reset;
