/**
 * A benchmark case that is one GraphQL request as a logged-in account: sent one at a time with fetch for the
 * one-client rounds, and handed to the separate load generator for the runs at several clients. `request(i)` gives
 * the i-th request of the case (the same sequence in both), `check` judges a one-client answer (null when right);
 * the load generator checks that the value at `loadCheck` is a non-empty string.
 */
import type { BenchEnvironment } from "./environment.ts";
import type { BurstRequest } from "./load.ts";
import type { BenchCase, Target } from "./types.ts";

export interface GraphQLCaseSpec {
  name: string;
  description: string;
  request(i: number): { query: string; variables: Record<string, unknown> };
  check(data: unknown, i: number): string | null;
  loadCheck: string[];
  target?: Target;
}

export function graphqlCase(env: BenchEnvironment, authorization: string, spec: GraphQLCaseSpec): BenchCase {
  let i = 0;
  let j = 0;
  return {
    name: spec.name,
    description: spec.description,
    transport: "HTTP",
    ...(spec.target ? { target: spec.target } : {}),
    async run() {
      const k = i++;
      const { query, variables } = spec.request(k);
      const answer = await env.graphql(query, variables, authorization);
      const problem = answer.errors ? JSON.stringify(answer.errors) : spec.check(answer.data, k);
      if (problem) throw new Error(`${spec.name}: ${problem}`);
    },
    parallel: {
      kind: "http",
      next(): BurstRequest {
        const { query, variables } = spec.request(j++);
        return { body: JSON.stringify({ query, variables }), authorization };
      },
      check: spec.loadCheck,
    },
  };
}
