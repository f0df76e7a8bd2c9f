/**
 * The gateway's half of the refusal idiom (sql/README.md, "Refusals"). A mutation whose SQL function returns a row type with
 * `refusal_code` and `refusal_message` commits its transaction even when it refuses, so the audit row, counter or lock
 * it wrote survives. This plugin turns a row whose refusal_code is set into a coded GraphQL error on the mutation
 * field, after the commit. An optional third attribute, `refusal_retry_after` (seconds), becomes
 * `extensions.retryAfter`. The attributes are hidden from the schema with `@behavior -attribute:select`.
 */
import type { PgSelectSingleStep } from "postgraphile/@dataplan/pg";
import { SafeError, constant, lambda, object, type ObjectStep } from "postgraphile/grafast";
import { wrapPlans } from "postgraphile/utils";

const REFUSAL_CODE = "refusal_code";
const REFUSAL_MESSAGE = "refusal_message";
const REFUSAL_RETRY_AFTER = "refusal_retry_after";

export const RefusalPlugin = wrapPlans(
  (context, build) => {
    if (!context.scope.isRootMutation) return null;
    for (const resource of Object.values(build.pgResources)) {
      const attributes = resource.codec.attributes as Record<string, unknown> | undefined;
      if (
        resource.isMutation &&
        resource.parameters &&
        attributes?.[REFUSAL_CODE] &&
        attributes[REFUSAL_MESSAGE] &&
        build.inflection.customMutationField({
          resource: resource as Parameters<typeof build.inflection.customMutationField>[0]["resource"],
        }) === context.scope.fieldName
      ) {
        return { hasRetryAfter: Boolean(attributes[REFUSAL_RETRY_AFTER]) };
      }
    }
    return null;
  },
  ({ hasRetryAfter }) =>
    (plan) => {
      const $payload = plan() as ObjectStep<{ result: PgSelectSingleStep }>;
      const $result = $payload.getStepForKey("result");
      const $retryAfter = hasRetryAfter ? $result.get(REFUSAL_RETRY_AFTER) : constant(null);
      const $refusal = lambda(
        [$result.get(REFUSAL_CODE), $result.get(REFUSAL_MESSAGE), $retryAfter],
        ([code, message, retryAfter]) => {
          if (!code) return null;
          const extensions: Record<string, unknown> = { code: String(code) };
          if (retryAfter != null) extensions.retryAfter = Number(retryAfter);
          throw new SafeError(String(message ?? "The request was refused."), extensions);
        },
      );
      /* The payload now depends on $refusal: when it throws, the mutation field carries that error instead of data. */
      return object({ result: $result, refusal: $refusal });
    },
  { name: "RefusalPlugin", description: "Maps committed refusals (refusal_code) to coded GraphQL errors." },
);
