/**
 * The gateway's half of a login in two transactions (docs/login.md). Before PostGraphile runs `app_public.login`, this
 * plugin runs `app_hidden.reserve_login` in a transaction of its own, committed at once: the client IP and identifier
 * limits are checked and the attempt reserved there, under locks released before the password is hashed. The login
 * function then takes its reservation over (both transactions share the request's `request.attempt_id`, a value the
 * gateway draws for every request) and hashes with no lock that the logins of other accounts or of the same client IP
 * wait on. A refused reservation (LIMIT) ends the mutation with that coded error; the login itself never runs.
 *
 * The reservation is one round trip: the request's settings (role, claims, request context) and the call go to the
 * server as one simple-protocol message of two statements, which PostgreSQL runs as one implicit transaction — so it
 * stands alone, like every transaction of a request, and PgBouncer's transaction pooling is safe.
 */
import type { Pool } from "pg";
import { SafeError, context, sideEffect, type FieldArgs } from "postgraphile/grafast";
import { wrapPlans } from "postgraphile/utils";

interface Reservation {
  refusal_code: string | null;
  refusal_message: string | null;
  refusal_retry_after: number | null;
}

/** The settings the gateway hands PostgreSQL for this request (role, claims, request context), one statement. */
function settingsStatement(settings: Record<string, string>, quote: (value: string) => string): string {
  const calls = Object.entries(settings).map(([name, value]) => `set_config(${quote(name)}, ${quote(value)}, true)`);
  return calls.length > 0 ? `select ${calls.join(", ")};` : "";
}

export function makeLoginReservationPlugin(pool: Pool): GraphileConfig.Plugin {
  return wrapPlans(
    (context) => (context.scope.isRootMutation && context.scope.fieldName === "login" ? {} : null),
    () => (plan, _$source, fieldArgs: FieldArgs) => {
      const $identifier = fieldArgs.getRaw(["input", "identifier"]);
      const $settings = context().get("pgSettings");
      /* A side effect: every step planned after it (the login itself) waits for it, and is skipped if it throws. */
      sideEffect([$identifier, $settings], async ([identifier, settings]) => {
        const client = await pool.connect();
        let reservation: Reservation | undefined;
        try {
          const quote = (value: string): string => client.escapeLiteral(value);
          const text =
            settingsStatement((settings ?? {}) as Record<string, string>, quote) +
            "select refusal_code, refusal_message, refusal_retry_after from app_hidden.reserve_login(" +
            (typeof identifier === "string" ? quote(identifier) : "null") +
            ")";
          const results = (await client.query(text)) as unknown as
            Array<{ rows: Reservation[] }> | { rows: Reservation[] };
          reservation = (Array.isArray(results) ? results.at(-1) : results)?.rows[0];
        } finally {
          client.release();
        }
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
}
