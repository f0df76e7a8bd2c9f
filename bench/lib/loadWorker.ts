/**
 * The load generator's own process (started by bench/lib/load.ts with `fork`): it fires bursts of HTTP requests at
 * the gateway so that the gateway, which runs inside the benchmark process, never shares its event loop with the
 * client. The requests are sent by autocannon: one autocannon run per burst, over `concurrency` keep-alive connections
 * (opened for the burst, closed at its end), each connection writing its next request as soon as the previous answer
 * is in. autocannon gives each connection a fixed share of the burst (`amount` divided over the connections); which
 * request a connection sends next comes from one queue shared by all of them (`setupRequest`), so every request of
 * the list is sent exactly once, whatever the interleaving. Every answer is checked (`onResponse`).
 *
 * The figures are not autocannon's summary: its latency histogram keeps whole milliseconds, and a run only reports
 * at its next sampling tick (1 s apart), long after a burst of a few dozen requests is over. Each request's latency
 * is the `responseTime` autocannon passes with every answer (a float in ms, process.hrtime from just before the
 * request is written to the end of its answer); the wall time is measured here, from the moment the connections can
 * start sending to the last answer. The burst's reply goes back as soon as that last answer is checked; the finished
 * autocannon run (its connections already closed) winds down at its own tick, in the background.
 *
 * Nothing goes to stdout (the benchmark's tables do); messages travel over the IPC channel only.
 */
import type { IncomingHttpHeaders } from "node:http";
import { performance } from "node:perf_hooks";
import autocannon from "autocannon";
import type { BurstOrder, BurstReply, BurstRequest } from "./load.ts";

/** Seconds an answer may take; a slower one fails the burst (autocannon would otherwise send a new request instead). */
const TIMEOUT_S = 30;

/** autocannon's per-connection context: which request of the burst the connection has in flight. */
interface InFlight {
  index?: number;
}

function headersOf(request: BurstRequest): IncomingHttpHeaders {
  const headers: IncomingHttpHeaders = {
    "content-type": "application/json",
    accept: "application/json",
    "user-agent": "gatehouse-bench-load",
  };
  if (request.authorization) headers.authorization = request.authorization;
  return headers;
}

/** HTTP 2xx, and the value at `path` in the parsed answer a non-empty string (equal to `equals` when given). */
function checkAnswer(status: number, text: string, path: readonly string[], equals: string | undefined): string | null {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return `HTTP ${status}, not JSON: ${text.slice(0, 200)}`;
  }
  if (status < 200 || status > 299) return `HTTP ${status}: ${text.slice(0, 300)}`;
  for (const key of path)
    value = value !== null && typeof value === "object" ? (value as Record<string, unknown>)[key] : undefined;
  if (typeof value !== "string" || value === "" || (equals !== undefined && value !== equals)) {
    return `HTTP ${status}, expected ${path.join(".")}${equals === undefined ? "" : ` = ${equals}`}: ${text.slice(0, 300)}`;
  }
  return null;
}

function burst(order: BurstOrder): Promise<BurstReply> {
  const total = order.requests.length;
  /* autocannon reads `amount: 0` as "run for `duration` seconds": an empty burst is answered here. */
  if (total === 0) return Promise.resolve({ id: order.id, ok: true, wallMs: 0, latenciesMs: [] });
  return new Promise((resolve) => {
    const latenciesMs = new Array<number>(total);
    let next = 0;
    let answered = 0;
    /* Set by the request's onResponse, read by the instance's 'response' event, which autocannon emits right after. */
    let current: number | undefined;
    let failure: string | null = null;
    /* When each request was built; the first one of every connection is built inside the autocannon call. */
    const builtAt = new Array<number>(total);
    let start = 0;
    let replied = false;
    const reply = (message: BurstReply): void => {
      if (replied) return;
      replied = true;
      resolve(message);
    };
    /* On a failure, stop the run (autocannon ends it at its next tick) and reply once it has closed its connections. */
    const fail = (message: string): void => {
      failure ??= message;
      instance.stop();
    };

    const instance = autocannon(
      {
        url: order.url,
        method: "POST",
        connections: Math.min(order.concurrency, total),
        amount: total,
        pipelining: 1,
        timeout: TIMEOUT_S,
        skipAggregateResult: true,
        requests: [
          {
            method: "POST",
            setupRequest(request, context) {
              const index = next++;
              const item = order.requests[index];
              builtAt[index] = performance.now();
              (context as InFlight).index = index;
              if (!item) {
                /*
                 * Cannot happen with `amount` = the list's length. Never resend a request (tokens are single-use): send
                 * an empty one, which fails its check, and fail the burst. (The first request is built inside the
                 * autocannon call, before `instance` exists, so this sets the failure without stopping the run.)
                 */
                failure ??= `autocannon asked for request ${index + 1} of a burst of ${total}`;
                return { ...request, body: "{}" };
              }
              return { ...request, body: item.body, headers: headersOf(item) };
            },
            onResponse(status, body, context) {
              current = (context as InFlight).index;
              const problem = checkAnswer(
                status,
                body,
                order.check,
                current === undefined ? undefined : order.requests[current]?.expect,
              );
              if (problem) fail(problem);
            },
          },
        ],
      },
      (error: unknown) => {
        if (error) failure ??= `autocannon: ${error instanceof Error ? error.message : String(error)}`;
        if (failure === null && answered < total) failure = `only ${answered} of ${total} requests were answered`;
        if (failure !== null) reply({ id: order.id, ok: false, error: failure });
      },
    );
    /*
     * The clock starts when the call returns: autocannon has then built every connection's first request, and none of
     * them can have left (the connections open on a later tick of the event loop).
     */
    start = performance.now();
    instance.on("response", (_client: autocannon.Client, _status: number, _bytes: number, responseTime: number) => {
      if (current === undefined || latenciesMs[current] !== undefined) {
        fail("an answer could not be matched with its request");
        return;
      }
      /* A first request waited in its connection while the later connections were set up: that wait is not latency. */
      latenciesMs[current] = responseTime - Math.max(0, start - (builtAt[current] ?? start));
      current = undefined;
      answered++;
      if (answered === total && failure === null)
        reply({ id: order.id, ok: true, wallMs: performance.now() - start, latenciesMs });
    });
    /* A connection error or a timeout: the request in flight is lost (autocannon goes on with the next one). */
    instance.on("reqError", (error: unknown) =>
      fail(`request error: ${error instanceof Error ? error.message : String(error)}`),
    );
  });
}

process.on("message", (message: BurstOrder) => {
  void burst(message).then((reply) => process.send?.(reply));
});
/*
 * The benchmark closed the channel (done, or it died): nothing is left to report. Leave at once rather than wait for
 * the last run's tick; a burst still in flight would only load a gateway nobody measures.
 */
process.on("disconnect", () => process.exit(0));
