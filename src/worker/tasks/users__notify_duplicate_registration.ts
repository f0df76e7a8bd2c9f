import type { Task } from "graphile-worker";
import type { WorkerDeps } from "../deps.ts";
import { duplicateRegistrationMail, type Recipient } from "../../mail/templates.ts";
import { assertUuid } from "../payload.ts";

/** Tells the owner of an address that someone tried to register with it (registration itself answers as if new). */
export function usersNotifyDuplicateRegistration(deps: WorkerDeps): Task {
  return async (payload, helpers) => {
    const userId = assertUuid(payload, "user_id");
    const { rows } = await helpers.query<Recipient>("select * from app_hidden.mail_recipient($1)", [userId]);
    if (!rows[0]) return;
    await deps.mailer.send(duplicateRegistrationMail(rows[0], `${deps.publicBaseUrl}/login`));
  };
}
