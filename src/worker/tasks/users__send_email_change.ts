import type { TaskFactory } from "../deps.ts";
import { emailChangeMail, type Recipient } from "../../mail/templates.ts";
import { mintToken } from "../mintToken.ts";
import { assertUuid } from "../payload.ts";

/** Mints the token that confirms a new address, stores only its hash, and mails the link to the new address. */
const users__send_email_change: TaskFactory = (deps) => async (payload, helpers) => {
  const changeId = assertUuid(payload, "change_id");
  const { token, hash } = mintToken();
  const { rows } = await helpers.query<Recipient & { expires_at: Date }>(
    "select * from app_hidden.issue_email_change_token($1, $2)",
    [changeId, hash],
  );
  const recipient = rows[0];
  if (!recipient) return;
  const link = `${deps.publicBaseUrl}/confirm-email?token=${encodeURIComponent(token)}`;
  await deps.mailer.send(emailChangeMail(recipient, link, recipient.expires_at));
};

export default users__send_email_change;
