/**
 * A minimal GraphQL-over-HTTP client for timed requests: one POST with fetch (keep-alive), the JSON body parsed.
 * Requests are sequential from the benchmark process, which is fine for latency at one request in flight; throughput
 * scenarios must load the gateway from a separate process instead (bench/README.md).
 */

export interface GraphQLError {
  message: string;
  extensions?: { code?: string };
}

export interface GraphQLResult<T> {
  status: number;
  data?: T | null;
  errors?: GraphQLError[];
}

/** `authorization`: the whole header (`Bearer …`), for requests as a logged-in account. */
export type GraphQLClient = <T = Record<string, unknown>>(
  query: string,
  variables?: Record<string, unknown>,
  authorization?: string,
) => Promise<GraphQLResult<T>>;

export function graphqlClient(baseUrl: string): GraphQLClient {
  const endpoint = `${baseUrl}/graphql`;
  return async <T>(
    query: string,
    variables: Record<string, unknown> = {},
    authorization?: string,
  ): Promise<GraphQLResult<T>> => {
    const response = await fetch(endpoint, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        accept: "application/json",
        "user-agent": "gatehouse-bench",
        ...(authorization ? { authorization } : {}),
      },
      body: JSON.stringify({ query, variables }),
    });
    const body = (await response.json()) as Omit<GraphQLResult<T>, "status">;
    return { status: response.status, ...body };
  };
}

/** The first error's code, for refusals (e.g. WRONG). */
export function errorCode(result: GraphQLResult<unknown>): string | undefined {
  return result.errors?.[0]?.extensions?.code;
}
