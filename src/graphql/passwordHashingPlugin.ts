/**
 * Which mutations hash passwords, derived from the catalogue so that every later sign-in feature inherits the rule
 * "one hashing field per document" (src/http/graphqlEdge.ts) without anyone keeping a list.
 *
 * A function hashes when its source (pg_proc.prosrc, as PostGraphile's introspection read it) calls
 * app_private.verify_password or app_private.hash_password, or calls a function that does, at any depth. Calls are
 * found by their schema-qualified name (sql/README.md: every name is qualified), so a mention in a comment counts
 * too: the rule errs on the strict side. The mutation field of each such function carries
 * `extensions.gatehouse.hashesPasswords` in the built schema; `passwordHashingFields(schema)` reads them back.
 */
import type { GraphQLSchema } from "postgraphile/graphql";

/** What this plugin adds to a function resource's extensions. */
interface HashingExtensions {
  /** The function reaches a password hash. */
  hashesPasswords?: boolean;
}

/** The functions that do the hashing work themselves. */
export const HASHING_FUNCTIONS = ["app_private.verify_password", "app_private.hash_password"] as const;

interface ProcSource {
  _id: string;
  proname: string;
  prosrc: string | null;
  getNamespace(): { nspname: string } | undefined;
}

/** A schema-qualified call: `schema.function(` (whitespace allowed around the dot and before the parenthesis). */
const QUALIFIED_CALL = /\b([a-z_][a-z0-9_$]*)\s*\.\s*([a-z_][a-z0-9_$]*)\s*\(/gi;

/** The oids of every function that reaches one of HASHING_FUNCTIONS through the calls in its source. */
export function hashingProcIds(procs: readonly ProcSource[]): Set<string> {
  const idsByName = new Map<string, string[]>();
  for (const proc of procs) {
    const name = `${proc.getNamespace()?.nspname ?? ""}.${proc.proname}`;
    idsByName.set(name, [...(idsByName.get(name) ?? []), proc._id]);
  }
  const callersOf = new Map<string, Set<string>>();
  for (const caller of procs) {
    for (const [, schema, name] of (caller.prosrc ?? "").matchAll(QUALIFIED_CALL)) {
      for (const callee of idsByName.get(`${schema!.toLowerCase()}.${name!.toLowerCase()}`) ?? []) {
        if (!callersOf.has(callee)) callersOf.set(callee, new Set());
        callersOf.get(callee)!.add(caller._id);
      }
    }
  }
  const reached = new Set(HASHING_FUNCTIONS.flatMap((name) => idsByName.get(name) ?? []));
  const queue = [...reached];
  while (queue.length > 0) {
    for (const caller of callersOf.get(queue.pop()!) ?? []) {
      if (!reached.has(caller)) {
        reached.add(caller);
        queue.push(caller);
      }
    }
  }
  return reached;
}

interface FieldExtensions {
  gatehouse?: { hashesPasswords?: boolean };
}

/** The mutation fields of a built schema that hash passwords, by name. */
export function passwordHashingFields(schema: GraphQLSchema): Set<string> {
  const fields = schema.getMutationType()?.getFields() ?? {};
  return new Set(
    Object.values(fields)
      .filter((field) => (field.extensions as FieldExtensions).gatehouse?.hashesPasswords === true)
      .map((field) => field.name),
  );
}

/* One reachability walk per introspection (one per schema build), however many functions ask. */
const reachedByProcs = new WeakMap<readonly ProcSource[], Set<string>>();

export const PasswordHashingPlugin: GraphileConfig.Plugin = {
  name: "PasswordHashingPlugin",
  description: "Marks the mutations whose functions reach a password hash (for the one-hashing-field rule).",
  version: "1.0.0",
  gather: {
    hooks: {
      async pgProcedures_PgResourceOptions(info, event) {
        const { introspection } = await info.helpers.pgIntrospection.getService(event.serviceName);
        let reached = reachedByProcs.get(introspection.procs);
        if (!reached) {
          reached = hashingProcIds(introspection.procs);
          reachedByProcs.set(introspection.procs, reached);
        }
        if (reached.has(event.pgProc._id)) {
          const extensions: HashingExtensions = { hashesPasswords: true };
          event.resourceOptions.extensions = { ...event.resourceOptions.extensions, ...extensions };
        }
      },
    },
  },
  schema: {
    hooks: {
      GraphQLObjectType_fields(fields, build, context) {
        if (!context.scope.isRootMutation) return fields;
        for (const resource of Object.values(build.pgResources)) {
          const extensions = resource.extensions as HashingExtensions | undefined;
          if (!resource.isMutation || !resource.parameters || !extensions?.hashesPasswords) continue;
          const name = build.inflection.customMutationField({
            resource: resource as Parameters<typeof build.inflection.customMutationField>[0]["resource"],
          });
          const field = fields[name];
          if (!field) continue;
          /*
           * In place, not a copy: graphile-build runs the per-field hooks (plan wrappers such as the login
           * reservation's) over any field spec it has not seen, so a copy would be wrapped a second time.
           */
          field.extensions = { ...field.extensions, gatehouse: { hashesPasswords: true } };
        }
        return fields;
      },
    },
  },
};
