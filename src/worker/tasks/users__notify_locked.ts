import type { Task } from "graphile-worker";
import type { WorkerDeps } from "../deps.ts";
import { accountLockedMail, type Recipient } from "../../mail/templates.ts";
import { assertUuid } from "../payload.ts";

/** Tells the owner of an account that too many failed logins locked it, and until when. */
export function usersNotifyLocked(deps: WorkerDeps): Task {
  return async (payload, helpers) => {
    const userId = assertUuid(payload, "user_id");
    const lockedUntil = new Date(String((payload as { locked_until?: unknown }).locked_until));
    if (Number.isNaN(lockedUntil.getTime())) throw new Error("payload.locked_until must be a time");
    const { rows } = await helpers.query<Recipient>("select * from app_hidden.mail_recipient($1)", [userId]);
    if (!rows[0]) return;
    await deps.mailer.send(accountLockedMail(rows[0], lockedUntil));
  };
}
