/**
 * edge: no single GraphQL request may hold the gateway's event loop for long. Each case sends one document (the
 * largest of its shape the edge accepts, or the smallest it refuses: fixtures/graphqlDocuments.ts, plus the requests
 * of the original report) and, while it is in flight, times a `GET /healthz` on another connection; the baseline is
 * `/healthz` with nothing else in flight. The timed figure of every case is that /healthz latency. The notes add, per
 * case, the largest event-loop delay while the document was in flight (perf_hooks.monitorEventLoopDelay in the
 * benchmark process, which is the gateway's process) and the document's own round trip. Goal: no request holds the
 * event loop more than 100 ms.
 */
import { monitorEventLoopDelay, performance } from "node:perf_hooks";
import { setImmediate as nextTurn } from "node:timers/promises";
import { getIntrospectionQuery } from "postgraphile/graphql";
import { doublingFragments, LIMIT_DOCUMENTS } from "../../fixtures/graphqlDocuments.ts";
import { DOCUMENT_LIMITS } from "../../src/graphql/documentLimits.ts";
import { REQUEST_LIMITS } from "../../src/http/graphqlEdge.ts";
import type { BenchEnvironment } from "../lib/environment.ts";
import { percentile } from "../lib/stats.ts";
import type { BenchCase, Scenario, Target } from "../lib/types.ts";

const GOAL_MS = 100;
const HEALTHZ_TARGET: Target = { kind: "p99-ms", maxMs: GOAL_MS, label: `/healthz p99 < ${GOAL_MS} ms` };

interface Document {
  name: string;
  /**
   * The raw JSON body of the n-th request. Each request's document differs by a comment, so that no cache (the edge's,
   * grafserv's, Grafast's plans) has seen it: every request is parsed, checked, validated and planned afresh, as an
   * attacker's varied documents would be.
   */
  body: (n: number) => string;
  /** `accepted`: the edge lets it through (SQL may still refuse it); else the code (and limit) it is refused with. */
  verdict: "accepted" | { code: string; limit?: string };
}

const LOGIN = `login(input: { identifier: "nobody@example.test", password: "a long passphrase" }) { result { sessionId } }`;

function documents(maxRequestBytes: number): Document[] {
  const json =
    (query: string) =>
    (n: number): string =>
      JSON.stringify({ query: `${query}\n# request ${n}`, variables: {} });
  const shapes = LIMIT_DOCUMENTS.flatMap((shape): Document[] => [
    { name: `${shape.name}: at the ${shape.limit} limit`, body: json(shape.accepted), verdict: "accepted" },
    {
      name: `${shape.name}: one over`,
      body: json(shape.refused),
      verdict: { code: "LARGE", limit: shape.limit },
    },
  ]);
  const aliases = Array.from(
    { length: 807 },
    (_, i) => `a${i}: searchUsers(query: "someone", first: 10) { totalCount nodes { rowId username email } }`,
  ).join(" ");
  const deep = `${"[".repeat(10_000)}1${"]".repeat(10_000)}`;
  return [
    ...shapes,
    {
      name: "introspection query (standard), new each time",
      body: json(getIntrospectionQuery()),
      verdict: "accepted",
    },
    {
      /* The same document every time, as a GraphQL IDE or a code generator sends it: Grafast keeps its answer. */
      name: "introspection query (standard), repeated",
      body: () => JSON.stringify({ query: getIntrospectionQuery(), variables: {} }),
      verdict: "accepted",
    },
    { name: "807 aliases, 95 KB (the report)", body: json(`{ ${aliases} }`), verdict: { code: "LARGE" } },
    {
      name: "fragments doubling 60 times (the report)",
      body: json(doublingFragments(60)),
      verdict: { code: "LARGE", limit: "fields" },
    },
    { name: "two logins", body: json(`mutation { a: ${LOGIN} b: ${LOGIN} }`), verdict: { code: "ONEPW" } },
    {
      name: "45 logins (the report)",
      body: json(`mutation { ${Array.from({ length: 45 }, (_, i) => `a${i}: ${LOGIN}`).join(" ")} }`),
      verdict: { code: "ONEPW" },
    },
    {
      name: "variables nested 10,000 deep (the report)",
      body: () =>
        `{ "query": "mutation ($v: JSON!) { setSystemSetting(input: { key: \\"x\\", value: $v }) { clientMutationId } }", "variables": { "v": ${deep} } }`,
      verdict: { code: "LARGE", limit: "jsonNesting" },
    },
    {
      name: "body one byte over MAX_REQUEST_BYTES",
      body: () =>
        JSON.stringify({ query: `{ serverTime } #${"x".repeat(maxRequestBytes)}` }).slice(0, maxRequestBytes + 1),
      verdict: { code: "LARGE", limit: "bytes" },
    },
  ];
}

/** What each case saw while its documents were in flight. */
interface Observed {
  document: Document;
  /** Per request, the largest event-loop delay seen while it was in flight, in ms. */
  loopDelayMs: number[];
  /** Per request, the CPU time the process spent while it was in flight, in ms (user + system, all threads). */
  cpuMs: number[];
  healthzMs: number[];
  roundTripMs: number[];
}

const SAMPLE_EVERY_MS = 1;

/**
 * Event-loop delay attributed to whatever is in flight: a timer due every millisecond notes how late it fires, and
 * hands the delay to `onDelay`. (perf_hooks' histogram cannot be switched per document: a re-enabled histogram counts
 * the time it was off as delay.)
 */
function sampleLoopDelay(onDelay: (ms: number) => void): () => void {
  let last = performance.now();
  const timer = setInterval(() => {
    const now = performance.now();
    onDelay(Math.max(0, now - last - SAMPLE_EVERY_MS));
    last = now;
  }, SAMPLE_EVERY_MS);
  return () => clearInterval(timer);
}

function check(document: Document, status: number, text: string): string | null {
  let answer: { data?: unknown; errors?: Array<{ extensions?: { code?: string; limit?: string } }> };
  try {
    answer = JSON.parse(text) as typeof answer;
  } catch {
    return `HTTP ${status}, not JSON: ${text.slice(0, 200)}`;
  }
  if (status !== 200) return `HTTP ${status}: ${text.slice(0, 300)}`;
  const codes = (answer.errors ?? []).map((e) => e.extensions?.code);
  if (document.verdict === "accepted") {
    /* Accepted documents run; anonymous mutations end in a coded refusal from SQL, which is fine. */
    return codes.every((code) => code === "LOGIN" || code === "PERMS") && answer.data !== undefined
      ? null
      : `expected it accepted, got ${text.slice(0, 300)}`;
  }
  const first = answer.errors?.[0]?.extensions;
  const { code, limit } = document.verdict;
  return first?.code === code && (limit === undefined || first.limit === limit)
    ? null
    : `expected ${code}${limit ? ` (${limit})` : ""}, got ${text.slice(0, 300)}`;
}

export const edgeScenario: Scenario = {
  name: "edge",
  title: "/healthz while the largest accepted and the smallest refused GraphQL documents are in flight",
  description:
    "Each case sends one document through the real gateway (application/json, anonymous) and, while it is in flight, " +
    "times `GET /healthz` on another connection: the largest document of each shape the edge accepts " +
    `(limits: ${Object.entries(DOCUMENT_LIMITS)
      .map(([k, v]) => `${k} ${v}`)
      .join(
        ", ",
      )}; JSON nesting ${REQUEST_LIMITS.jsonNesting}), the smallest it refuses, and the requests of the report ` +
    "(807 aliases, fragments doubling, 45 logins, variables nested 10,000 deep). Baseline: /healthz with nothing in flight. " +
    `Goal: no request holds the event loop more than ${GOAL_MS} ms.`,
  async setup(env: BenchEnvironment) {
    const healthz = `${env.gatewayUrl}/healthz`;
    const graphql = `${env.gatewayUrl}/graphql`;
    const whole = monitorEventLoopDelay({ resolution: 1 });
    const observed: Observed[] = [];
    /* The largest delay while the current document is in flight, if one is. */
    let inFlight: { maxMs: number } | null = null;
    const stopSampling = sampleLoopDelay((ms) => {
      if (inFlight) inFlight.maxMs = Math.max(inFlight.maxMs, ms);
    });
    /* The document of the previous iteration, awaited (untimed) before the next one starts; a wrong answer is kept
       until then, so it stops the run there rather than as an unhandled rejection. */
    let pending: Promise<Error | null> | null = null;

    const settle = async (): Promise<void> => {
      const previous = pending;
      pending = null;
      const failure = await previous;
      if (failure) throw failure;
    };

    const timeHealthz = async (): Promise<number> => {
      const start = performance.now();
      const response = await fetch(healthz);
      await response.text();
      if (response.status !== 200) throw new Error(`/healthz answered ${response.status}`);
      return performance.now() - start;
    };

    const baseline: BenchCase = {
      name: "idle /healthz",
      description: "`GET /healthz` with no other request in flight.",
      transport: "HTTP",
      target: HEALTHZ_TARGET,
      beforeEach: settle,
      run: async () => void (await timeHealthz()),
    };

    const cases = documents(102_400).map((document): BenchCase => {
      const seen: Observed = { document, loopDelayMs: [], cpuMs: [], healthzMs: [], roundTripMs: [] };
      let sent = 0;
      observed.push(seen);
      return {
        name: document.name,
        description:
          document.verdict === "accepted"
            ? "accepted by the edge"
            : `refused: ${document.verdict.code}${document.verdict.limit ? ` (${document.verdict.limit})` : ""}`,
        transport: "HTTP",
        target: HEALTHZ_TARGET,
        async beforeEach() {
          await settle();
          const delay = { maxMs: 0 };
          inFlight = delay;
          const cpu = process.cpuUsage();
          const start = performance.now();
          pending = (async () => {
            try {
              const response = await fetch(graphql, {
                method: "POST",
                headers: { "content-type": "application/json", accept: "application/json" },
                body: document.body(sent++),
              });
              const text = await response.text();
              seen.roundTripMs.push(performance.now() - start);
              const problem = check(document, response.status, text);
              return problem ? new Error(`${document.name}: ${problem}`) : null;
            } catch (error) {
              return error instanceof Error ? error : new Error(String(error));
            } finally {
              /* The delay that ends as the answer arrives is still this document's: the sampler runs first. */
              await nextTurn();
              inFlight = null;
              seen.loopDelayMs.push(delay.maxMs);
              const used = process.cpuUsage(cpu);
              seen.cpuMs.push((used.user + used.system) / 1000);
            }
          })();
          /* Let the request leave before /healthz is sent. */
          await nextTurn();
        },
        async run() {
          seen.healthzMs.push(await timeHealthz());
        },
      };
    });

    const notes: string[] = [];
    whole.enable();
    return {
      baseline,
      cases,
      notes,
      teardown: async () => {
        stopSampling();
        whole.disable();
      },
      async verify() {
        await settle();
        whole.disable();
        const ms = (ns: number) => (ns / 1e6).toFixed(1);
        notes.push(
          "The timed figure of every case is `GET /healthz`, sent on its own connection just after the case's document. " +
            "The client runs in the benchmark process, which is also the gateway's, so its own work is counted against the " +
            "gateway: the figures are an upper bound.",
          `Largest event-loop delay over the whole run: ${ms(whole.max)} ms (perf_hooks.monitorEventLoopDelay, 1 ms resolution; ` +
            "garbage collection included).",
          "",
          "| document | verdict | /healthz p50 / p99 / max (ms) | event-loop delay p50 / p99 / max (ms) | goal | CPU p50 / max (ms) | its round trip p50 / max (ms) |",
          "| --- | --- | --- | --- | --- | --- | --- |",
          ...observed.map(({ document, loopDelayMs, cpuMs, healthzMs, roundTripMs }) => {
            const cpuSorted = [...cpuMs].sort((a, b) => a - b);
            const healthzSorted = [...healthzMs].sort((a, b) => a - b);
            const tripSorted = [...roundTripMs].sort((a, b) => a - b);
            const delaySorted = [...loopDelayMs].sort((a, b) => a - b);
            const delayMax = delaySorted.at(-1) ?? 0;
            const verdict =
              document.verdict === "accepted"
                ? "accepted"
                : `${document.verdict.code}${document.verdict.limit ? ` ${document.verdict.limit}` : ""}`;
            const met = delayMax < GOAL_MS && (healthzSorted.at(-1) ?? 0) < GOAL_MS;
            return (
              `| ${document.name} | ${verdict} | ${percentile(healthzSorted, 0.5).toFixed(1)} / ` +
              `${percentile(healthzSorted, 0.99).toFixed(1)} / ${(healthzSorted.at(-1) ?? 0).toFixed(1)} | ` +
              `${percentile(delaySorted, 0.5).toFixed(1)} / ${percentile(delaySorted, 0.99).toFixed(1)} / ${delayMax.toFixed(1)} | ` +
              `${met ? "met" : "**missed**"} | ${percentile(cpuSorted, 0.5).toFixed(1)} / ${(cpuSorted.at(-1) ?? 0).toFixed(1)} | ` +
              `${percentile(tripSorted, 0.5).toFixed(1)} / ` +
              `${(tripSorted.at(-1) ?? 0).toFixed(1)} |`
            );
          }),
        );
      },
    };
  },
};
