/**
 * Every connection reads a bounded page. Without `first` or `last` a connection returns its first
 * CONNECTION_LIMITS.defaultPage rows (PostGraphile's default is every row); `first` and `last` may be 0 to
 * CONNECTION_LIMITS.maxPage and `offset` 0 to CONNECTION_LIMITS.maxOffset, anything else is invalid input (INVAL, the
 * message names the argument) instead of a database error.
 *
 * PostGraphile applies `first`, `last` and `offset` one argument at a time, and an argument left out is never applied,
 * so the default cannot live there: this plugin takes the three over, and sets all of them from the connection field's
 * plan, where every argument is visible.
 */
import {
  ConnectionStep,
  SafeError,
  access,
  constant,
  lambda,
  type FieldArgs,
  type FieldInfo,
  type Step,
} from "postgraphile/grafast";

export const CONNECTION_LIMITS = {
  /** Rows a connection returns when neither `first` nor `last` is given. */
  defaultPage: 100,
  /** Largest `first` or `last`. */
  maxPage: 100,
  /** Largest `offset`: deeper pages are read with the `after` cursor, which an index serves. */
  maxOffset: 10_000,
} as const;

const PAGE_ARGUMENTS = ["first", "last", "offset"] as const;
type PageArgument = (typeof PAGE_ARGUMENTS)[number];

function invalid(message: string): SafeError {
  return new SafeError(message, { code: "INVAL" });
}

function bounded(name: PageArgument, value: unknown, max: number): number | null {
  if (value === null || value === undefined) return null;
  if (typeof value !== "number" || !Number.isInteger(value) || value < 0 || value > max) {
    throw invalid(`The argument \`${name}\` must be a whole number from 0 to ${max}; ${String(value)} is not.`);
  }
  return value;
}

interface Page {
  first: number | null;
  last: number | null;
  offset: number | null;
}

/** The page a connection reads, from its arguments as the client gave them. */
export function pageOf(first: unknown, last: unknown, offset: unknown): Page {
  const page = {
    first: bounded("first", first, CONNECTION_LIMITS.maxPage),
    last: bounded("last", last, CONNECTION_LIMITS.maxPage),
    offset: bounded("offset", offset, CONNECTION_LIMITS.maxOffset),
  };
  if (page.last !== null && page.offset !== null) {
    throw invalid("The argument `offset` cannot be combined with `last`: page backwards with `before` instead.");
  }
  if (page.first === null && page.last === null) page.first = CONNECTION_LIMITS.defaultPage;
  return page;
}

const DESCRIPTIONS: Record<PageArgument, string> = {
  first: `Only read the first \`n\` values of the set: 0 to ${CONNECTION_LIMITS.maxPage}. Without \`first\` or \`last\`, the first ${CONNECTION_LIMITS.defaultPage}.`,
  last: `Only read the last \`n\` values of the set: 0 to ${CONNECTION_LIMITS.maxPage}.`,
  offset: `Skip the first \`n\` values from our \`after\` cursor: 0 to ${CONNECTION_LIMITS.maxOffset}; cursors reach further. May not be used with \`last\`.`,
};

export const ConnectionBoundsPlugin: GraphileConfig.Plugin = {
  name: "ConnectionBoundsPlugin",
  description: "A default and a maximum page for every connection; out-of-range first, last and offset are INVAL.",
  version: "1.0.0",
  after: ["PgFirstLastBeforeAfterArgsPlugin"],
  schema: {
    hooks: {
      GraphQLObjectType_fields_field_args(args, build, context) {
        if (!context.scope.isPgFieldConnection) return args;
        for (const name of PAGE_ARGUMENTS) {
          const arg = args[name];
          if (!arg) continue;
          /* Applied by the field's plan below, together. */
          const taken = { ...arg, description: build.wrapDescription(DESCRIPTIONS[name], "arg") };
          delete taken.applyPlan;
          args[name] = taken;
        }
        return args;
      },
      GraphQLObjectType_fields_field(field, _build, context) {
        if (!context.scope.isPgFieldConnection || !field.plan) return field;
        const { plan } = field;
        const coordinate = `${context.Self.name}.${context.scope.fieldName}`;
        return {
          ...field,
          plan(...planArgs: Parameters<typeof plan>) {
            const $connection = plan(...planArgs);
            /* The arguments are added after this hook runs: the built field says which it has. */
            const [, fieldArgs, info] = planArgs as unknown as [unknown, FieldArgs, FieldInfo];
            const present = PAGE_ARGUMENTS.filter((name) => info.field.args.some((arg) => arg.name === name));
            if (present.length === 0) return $connection;
            if (!($connection instanceof ConnectionStep)) {
              throw new Error(`${coordinate}: expected a connection step to bound the page of`);
            }
            const raw = (name: PageArgument): Step =>
              present.includes(name) ? fieldArgs.getRaw(name) : constant(null);
            const $page = lambda([raw("first"), raw("last"), raw("offset")], ([first, last, offset]) =>
              pageOf(first, last, offset),
            );
            $connection.setFirst(access($page, "first"));
            if (present.includes("last")) $connection.setLast(access($page, "last"));
            if (present.includes("offset")) $connection.setOffset(access($page, "offset"));
            return $connection;
          },
        };
      },
    },
  },
};
