/**
 * refused-login: a refused login must take the same time whatever the reason, so timing cannot tell which accounts
 * exist or are locked. Three refusals over HTTP: a known account with a wrong password (the baseline), an unknown
 * identifier, a locked account. Target: each within ±10% of the known-account case.
 */
import { randomBytes } from "node:crypto";
import { createUser } from "../../fixtures/users.ts";
import { errorCode } from "../lib/http.ts";
import type { BenchEnvironment } from "../lib/environment.ts";
import { lockLogin, resetLoginFailures } from "../lib/loginState.ts";
import type { BenchCase, Scenario } from "../lib/types.ts";
import { LOGIN } from "./login.ts";

const WITHIN_10_PERCENT = { kind: "ratio-p50", min: 0.9, max: 1.1, label: "÷ within 0.90–1.10" } as const;

function refusal(env: BenchEnvironment, identifier: string, password: string): () => Promise<void> {
  return async () => {
    const response = await env.graphql(LOGIN, { identifier, password });
    const code = errorCode(response);
    if (code !== "WRONG")
      throw new Error(`expected refusal WRONG, got ${JSON.stringify(response.errors ?? response.data)}`);
  };
}

export const refusedLoginScenario: Scenario = {
  name: "refused-login",
  title: "refused logins take the same time whatever the reason",
  description:
    "Three refused `login` mutations through the real gateway, each answered with the same code (WRONG): a known, active " +
    "account with a wrong password; an identifier no account has; a locked account (locked for the next hour) with its " +
    "right password. The known-account case is the baseline; the other two should sit within ±10% of it.",
  async setup(env) {
    const { rows: began } = await env.root.query<{ now: Date }>("select app_hidden.clock_now() as now");
    const known = await createUser(env.root);
    const locked = await createUser(env.root);
    await lockLogin(env.root, locked.id, locked.email);
    const unknownEmail = `nobody_${randomBytes(6).toString("hex")}@example.test`;
    const wrongPassword = `not the password ${randomBytes(6).toString("hex")}`;

    const baseline: BenchCase = {
      name: "known account, wrong password",
      description:
        "Verified, active account; wrong password. Its failure count is reset before every iteration (untimed), so the " +
        "lockout never turns it into the locked case.",
      transport: "HTTP",
      beforeEach: () => resetLoginFailures(env.root, known.id, known.email),
      run: refusal(env, known.email, wrongPassword),
    };
    return {
      baseline,
      cases: [
        {
          name: "unknown identifier",
          description:
            "An email address no account has. Unknown identifiers are counted and locked like accounts: its count is reset before every iteration (untimed).",
          transport: "HTTP",
          target: WITHIN_10_PERCENT,
          beforeEach: () => resetLoginFailures(env.root, null, unknownEmail),
          run: refusal(env, unknownEmail, wrongPassword),
        },
        {
          name: "locked account",
          description:
            "Verified, active account locked for the next hour (`app_private.login_attempts.locked_until`), with its right password.",
          transport: "HTTP",
          target: WITHIN_10_PERCENT,
          run: refusal(env, locked.email, locked.password),
        },
      ],
      /* The answer is the same WRONG whatever the reason: the audit trail says whether each case was refused for its own. */
      async verify(iterations) {
        /*
         * The identifier is personal, so it is in each event's encrypted part: the events are told apart by their
         * subject (the account; none for the unknown identifier) among this scenario's refused logins.
         */
        const expected = [
          { subject: known.id, reason: "wrong_password" },
          { subject: null, reason: "unknown_identifier" },
          { subject: locked.id, reason: "locked" },
        ];
        const { rows } = await env.root.query<{ subject: string | null; reason: string | null; n: number }>(
          `select subject_id::text as subject, reason, count(*)::integer as n
           from audit.events
           where event_type = 'auth.login' and outcome = 'refused' and occurred_at >= $1
             and (subject_id = any($2::uuid[]) or subject_id is null)
           group by 1, 2`,
          [began[0]!.now, [known.id, locked.id]],
        );
        for (const { subject, reason } of expected) {
          const found = rows.filter((r) => r.subject === subject);
          const right = found.find((r) => r.reason === reason)?.n ?? 0;
          if (found.length !== 1 || right !== iterations) {
            throw new Error(
              `expected ${iterations} refusals for reason ${reason}, the audit trail has ${JSON.stringify(found.map((r) => [r.reason, r.n]))}: ` +
                "the case no longer measures what it claims (a lockout or rate limit in play?); adjust its setup or beforeEach",
            );
          }
        }
      },
      notes: [
        "All three answers are the same error (code WRONG) over HTTP 200. Each passes the two login rate limits (raised for the " +
          "run so none refuses), locks its login_attempts row and writes one audit row. The wrong-password case checks the " +
          "password against the stored hash; the other two hash it afresh; the first two also count a failure.",
        "Every case's reason is checked in the audit trail after the last round (wrong_password, unknown_identifier, locked).",
      ],
    };
  },
};
