import type { Task } from "graphile-worker";
import type { WorkerDeps } from "../deps.ts";
import { passwordChangedMail, type Recipient } from "../../mail/templates.ts";
import { assertUuid } from "../payload.ts";

/** ASVS 6.3.6: the owner hears about a password change. */
export function usersNotifyPasswordChanged(deps: WorkerDeps): Task {
  return async (payload, helpers) => {
    const userId = assertUuid(payload, "user_id");
    const { rows } = await helpers.query<Recipient>("select * from app_hidden.mail_recipient($1)", [userId]);
    if (!rows[0]) return;
    await deps.mailer.send(passwordChangedMail(rows[0]));
  };
}
