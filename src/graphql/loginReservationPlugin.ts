/**
 * The gateway's half of a login in two transactions (docs/login.md). Before PostGraphile runs `app_public.login`, this
 * plugin runs `app_hidden.reserve_login` in a transaction of its own, committed at once: the client IP and identifier
 * limits and the account's lockout budget are checked and the attempt reserved there, under locks released before
 * the password is hashed. The login function then takes its reservation over (both transactions share the request's
 * `request.attempt_id`, a value the gateway draws for every request) and hashes with no lock that another account or
 * the other logins of the client IP wait on. A refused reservation (LIMIT) ends the mutation with that coded error;
 * the login itself never runs. Each transaction stands alone, so PgBouncer's transaction pooling is safe.
 */
import { sideEffectWithPgClientTransaction, type PgExecutor } from "postgraphile/@dataplan/pg";
import { SafeError, sideEffect, type FieldArgs } from "postgraphile/grafast";
import { wrapPlans } from "postgraphile/utils";

interface Reservation {
  refusal_code: string | null;
  refusal_message: string | null;
  refusal_retry_after: number | null;
}

const RESERVE = "select refusal_code, refusal_message, refusal_retry_after from app_hidden.reserve_login($1)";

export const LoginReservationPlugin = wrapPlans(
  (context, build) => {
    if (!context.scope.isRootMutation || context.scope.fieldName !== "login") return null;
    const executor = build.input.pgRegistry.pgExecutors.main as PgExecutor;
    return { executor };
  },
  ({ executor }) =>
    (plan, _$source, fieldArgs: FieldArgs) => {
      const $identifier = fieldArgs.getRaw(["input", "identifier"]);
      const $reservation = sideEffectWithPgClientTransaction(executor, $identifier, async (client, identifier) => {
        const { rows } = await client.query<Reservation>({ text: RESERVE, values: [identifier ?? null] });
        return rows[0] ?? null;
      });
      /* A side effect: every step planned after it (the login itself) waits for it, and is skipped if it throws. */
      sideEffect($reservation, (reservation) => {
        if (!reservation?.refusal_code) return null;
        const extensions: Record<string, unknown> = { code: reservation.refusal_code };
        if (reservation.refusal_retry_after != null) extensions.retryAfter = Number(reservation.refusal_retry_after);
        throw new SafeError(reservation.refusal_message ?? "The request was refused.", extensions);
      });
      return plan();
    },
  {
    name: "LoginReservationPlugin",
    description: "Reserves a login in its own transaction before the password is hashed.",
  },
);
