/**
 * What one GraphQL document may cost, checked on the parsed document before graphql-js validates it: validation
 * compares every pair of selections that share a response path (an anonymous request of 807 aliases held the gateway
 * for 7.5 s), and fragments that spread each other twice per level double the work at every level of a 1 KB document.
 *
 * The checks run in time linear in the document: the lexer counts tokens and bracket nesting before the recursive
 * parser sees them; then each fragment's cost (depth, selections, aliases, password-hashing root fields) is computed
 * once and reused wherever it is spread, so nothing is expanded textually, and a fragment that spreads itself is
 * refused. Only a document whose expanded selections are within their limit is expanded, to count the selections that
 * share one response path. The limits, their values and why: docs/graphql-limits.md.
 */
import {
  GraphQLError,
  Kind,
  Lexer,
  Source,
  TokenKind,
  parse,
  type DocumentNode,
  type FragmentDefinitionNode,
  type SelectionSetNode,
} from "postgraphile/graphql";

/**
 * The limits, with room above every operation the tests, docs, benchmarks and GraphQL's standard introspection query
 * use (docs/graphql-limits.md gives their measured sizes).
 */
export const DOCUMENT_LIMITS = {
  /** Lexical tokens of the document (graphql-js `parse(source, { maxTokens })`). */
  tokens: 1_000,
  /** Brackets `{ [ (` open at once: bounds the recursion of the parser and of every later walk of the tree. */
  nesting: 40,
  /** Fragment definitions: validation compares every pair of fragments spread in one selection set. */
  fragments: 50,
  /** Fields nested in each other, fragments included. */
  depth: 20,
  /**
   * Selections: fields, and fragment spreads and inline fragments too, each fragment counted as many times as it is
   * spread.
   */
  fields: 500,
  /** Aliased field selections, counted the same way. */
  aliases: 30,
  /**
   * Field selections that share one response path (`query.query.serverTime`), fragments expanded: validation compares
   * each pair of them.
   */
  duplicates: 25,
} as const;

export type DocumentLimit = keyof typeof DOCUMENT_LIMITS;

/**
 * Planning is synchronous: while Grafast plans an operation the event loop waits. The limits above keep every
 * accepted document to a few milliseconds of planning (docs/graphql-limits.md); this is the backstop for what they
 * miss (grafast.timeouts.planning), set well above the few milliseconds, because a busy host stretches a plan's wall
 * time and Grafast remembers a timed-out plan for a while. Grafast allows up to five times as long while the process
 * warms up.
 */
export const PLANNING_TIMEOUT_MS = 500;

/** Why a document is refused: the code and message a client sees, and for a limit its name and value. */
export interface DocumentRefusal {
  code: "QUERY" | "LARGE" | "ONEPW";
  message: string;
  limit?: DocumentLimit;
  max?: number;
  /** The GraphQL error behind a syntax refusal (it carries the location). */
  cause?: GraphQLError;
}

const LIMIT_WORDING: Record<DocumentLimit, string> = {
  tokens: "tokens",
  nesting: "brackets open at once",
  fragments: "fragment definitions",
  depth: "levels of nested fields",
  fields: "selections (fields, fragment spreads and inline fragments, fragments counted each time they are spread)",
  aliases: "aliased fields (fragments counted each time they are spread)",
  duplicates: "field selections that share one response path",
};

export function limitRefusal(limit: DocumentLimit): DocumentRefusal {
  const max = DOCUMENT_LIMITS[limit];
  return {
    code: "LARGE",
    message: `The document exceeds the limit of ${max} ${LIMIT_WORDING[limit]} (limit "${limit}"): ask for less in one request.`,
    limit,
    max,
  };
}

interface Cost {
  depth: number;
  fields: number;
  aliases: number;
  /** Root fields that hash passwords, were this selection set at the root of an operation. */
  hashing: number;
}

const NOTHING: Cost = { depth: 0, fields: 0, aliases: 0, hashing: 0 };

/**
 * Lexes the whole document, counting tokens and open brackets, then parses it. Refuses a syntax error (QUERY), too
 * many tokens or too deep a nesting (LARGE).
 */
export function parseWithinLimits(query: string): DocumentNode | DocumentRefusal {
  const source = new Source(query, "GraphQL request");
  const lexer = new Lexer(source);
  let tokens = 0;
  let open = 0;
  try {
    for (let token = lexer.advance(); token.kind !== TokenKind.EOF; token = lexer.advance()) {
      if (++tokens > DOCUMENT_LIMITS.tokens) return limitRefusal("tokens");
      if (token.kind === TokenKind.BRACE_L || token.kind === TokenKind.BRACKET_L || token.kind === TokenKind.PAREN_L) {
        if (++open > DOCUMENT_LIMITS.nesting) return limitRefusal("nesting");
      } else if (
        token.kind === TokenKind.BRACE_R ||
        token.kind === TokenKind.BRACKET_R ||
        token.kind === TokenKind.PAREN_R
      ) {
        open--;
      }
    }
    return parse(source, { maxTokens: DOCUMENT_LIMITS.tokens });
  } catch (error) {
    if (error instanceof GraphQLError) return { code: "QUERY", message: error.message, cause: error };
    throw error;
  }
}

/** What a parsed document costs, over all its operations and fragments; `cycle`: a fragment that spreads itself. */
export interface DocumentCost extends Cost {
  /** Fragment definitions in the document. */
  fragments: number;
  cycle: string | null;
}

/**
 * Measures every operation of a parsed document, each fragment once (memoised) however often it is spread.
 * `hashing` counts the root fields named in `hashingFields`.
 */
export function measureDocument(document: DocumentNode, hashingFields: ReadonlySet<string>): DocumentCost {
  const fragments = new Map<string, FragmentDefinitionNode>();
  let definitions = 0;
  for (const definition of document.definitions) {
    if (definition.kind !== Kind.FRAGMENT_DEFINITION) continue;
    definitions++;
    if (!fragments.has(definition.name.value)) fragments.set(definition.name.value, definition);
  }
  const costs = new Map<string, Cost>();
  const inProgress = new Set<string>();
  let cycle: string | null = null;

  const fragmentCost = (name: string): Cost => {
    const known = costs.get(name);
    if (known) return known;
    const fragment = fragments.get(name);
    /* An unknown fragment costs nothing here; validation reports it. */
    if (!fragment) return NOTHING;
    if (inProgress.has(name)) {
      cycle ??= name;
      return NOTHING;
    }
    inProgress.add(name);
    const cost = selectionSetCost(fragment.selectionSet);
    inProgress.delete(name);
    costs.set(name, cost);
    return cost;
  };

  const selectionSetCost = (selectionSet: SelectionSetNode): Cost => {
    let depth = 0;
    let fields = 0;
    let aliases = 0;
    let hashing = 0;
    for (const selection of selectionSet.selections) {
      let cost: Cost;
      if (selection.kind === Kind.FIELD) {
        const below = selection.selectionSet ? selectionSetCost(selection.selectionSet) : NOTHING;
        cost = {
          depth: below.depth + 1,
          fields: below.fields + 1,
          aliases: below.aliases + (selection.alias ? 1 : 0),
          hashing: hashingFields.has(selection.name.value) ? 1 : 0,
        };
      } else {
        /* A spread or an inline fragment is a selection too: a chain of spreads with no field is not free. */
        const inner =
          selection.kind === Kind.INLINE_FRAGMENT
            ? selectionSetCost(selection.selectionSet)
            : fragmentCost(selection.name.value);
        cost = { ...inner, fields: inner.fields + 1 };
      }
      depth = Math.max(depth, cost.depth);
      fields += cost.fields;
      aliases += cost.aliases;
      hashing += cost.hashing;
    }
    return { depth, fields, aliases, hashing };
  };

  const total = { depth: 0, fields: 0, aliases: 0, hashing: 0 };
  for (const definition of document.definitions) {
    if (definition.kind !== Kind.OPERATION_DEFINITION) continue;
    const cost = selectionSetCost(definition.selectionSet);
    total.depth = Math.max(total.depth, cost.depth);
    total.fields += cost.fields;
    total.aliases += cost.aliases;
    total.hashing += cost.hashing;
  }
  /* Fragments no operation spreads are still validated: they count once, as if spread. */
  for (const name of fragments.keys()) {
    if (!costs.has(name)) {
      const cost = fragmentCost(name);
      total.depth = Math.max(total.depth, cost.depth);
      total.fields += cost.fields;
      total.aliases += cost.aliases;
    }
  }

  return { ...total, fragments: definitions, cycle };
}

/**
 * Refuses a parsed document that has a fragment that spreads itself, holds more than one root field named in
 * `hashingFields` (the most specific reason first), or is over a limit.
 */
export function checkDocumentCost(document: DocumentNode, hashingFields: ReadonlySet<string>): DocumentRefusal | null {
  const total = measureDocument(document, hashingFields);
  if (total.cycle !== null) {
    return {
      code: "QUERY",
      message: `The fragment "${total.cycle}" spreads itself, directly or through other fragments.`,
    };
  }
  if (total.hashing > 1) {
    return {
      code: "ONEPW",
      message: `A request may hold only one operation that checks or sets a password (${[...hashingFields].sort().join(", ")}); this one holds ${total.hashing}. Send them one per request.`,
    };
  }
  for (const limit of ["depth", "fields", "aliases", "fragments"] as const) {
    if (total[limit] > DOCUMENT_LIMITS[limit]) return limitRefusal(limit);
  }
  /* Only now, with the expanded fields bounded, is this walk bounded too. */
  if (mostDuplicated(document) > DOCUMENT_LIMITS.duplicates) return limitRefusal("duplicates");
  return null;
}

/**
 * The largest number of field selections that share one response path (the chain of aliases or field names from the
 * root: `query.query.serverTime`), fragments expanded. graphql-js validation compares every pair of selections with
 * the same response path, so its work grows with the square of this number; with it bounded, that work is at most
 * this number times the fields. The walk expands fragments, so it runs only once the expanded fields are within their
 * limit; each operation and each fragment definition is a root of its own, as validation sees them.
 */
export function mostDuplicated(document: DocumentNode): number {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of document.definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION && !fragments.has(definition.name.value)) {
      fragments.set(definition.name.value, definition);
    }
  }
  const counts = new Map<string, number>();
  let most = 0;
  const walk = (selectionSet: SelectionSetNode, path: string, spreading: ReadonlySet<string>): void => {
    for (const selection of selectionSet.selections) {
      if (selection.kind === Kind.FIELD) {
        const key = `${path}.${(selection.alias ?? selection.name).value}`;
        const count = (counts.get(key) ?? 0) + 1;
        counts.set(key, count);
        most = Math.max(most, count);
        if (selection.selectionSet) walk(selection.selectionSet, key, spreading);
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        walk(selection.selectionSet, path, spreading);
      } else {
        const fragment = fragments.get(selection.name.value);
        /* A cycle was refused before; the guard only keeps the walk finite whatever it is given. */
        if (fragment && !spreading.has(fragment.name.value)) {
          walk(fragment.selectionSet, path, new Set([...spreading, fragment.name.value]));
        }
      }
    }
  };
  document.definitions.forEach((definition, i) => {
    if (definition.kind === Kind.OPERATION_DEFINITION || definition.kind === Kind.FRAGMENT_DEFINITION) {
      walk(definition.selectionSet, String(i), new Set());
    }
  });
  return most;
}
