import type { TaskFactory } from "../deps.ts";
import { verificationMail, type Recipient } from "../../mail/templates.ts";
import { mintToken } from "../mintToken.ts";
import { assertUuid } from "../payload.ts";

/**
 * Mints the verification token, stores only its hash (app_hidden.issue_verification_token), then mails the link. A
 * retry mints a new token and replaces the stored hash, so a link that was never sent can never work.
 */
const users__send_verification: TaskFactory = (deps) => async (payload, helpers) => {
  const verificationId = assertUuid(payload, "verification_id");
  const { token, hash } = mintToken();
  const { rows } = await helpers.query<Recipient & { expires_at: Date }>(
    "select * from app_hidden.issue_verification_token($1, $2)",
    [verificationId, hash],
  );
  const recipient = rows[0];
  if (!recipient) return; // Used, superseded, or the account is gone: nothing to send.
  const link = `${deps.publicBaseUrl}/verify-email?token=${encodeURIComponent(token)}`;
  await deps.mailer.send(verificationMail(recipient, link, recipient.expires_at));
};

export default users__send_verification;
