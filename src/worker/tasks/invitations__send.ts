import type { TaskFactory } from "../deps.ts";
import { invitationMail } from "../../mail/templates.ts";
import { mintToken } from "../mintToken.ts";
import { assertUuid } from "../payload.ts";

/** Mints an invitation token, stores only its hash (app_hidden.issue_invitation_token), and mails the link. */
const invitations__send: TaskFactory = (deps) => async (payload, helpers) => {
  const invitationId = assertUuid(payload, "invitation_id");
  const { token, hash } = mintToken();
  const { rows } = await helpers.query<{
    email: string;
    organization_name: string;
    invited_by: string;
    expires_at: Date;
  }>("select * from app_hidden.issue_invitation_token($1, $2)", [invitationId, hash]);
  const invitation = rows[0];
  if (!invitation) return; // Accepted, expired or deleted: nothing to send.
  const link = `${deps.publicBaseUrl}/accept-invitation?token=${encodeURIComponent(token)}`;
  await deps.mailer.send(
    invitationMail(
      { email: invitation.email },
      invitation.organization_name,
      invitation.invited_by,
      link,
      invitation.expires_at,
    ),
  );
};

export default invitations__send;
