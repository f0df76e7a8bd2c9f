/**
 * The load generator's own process (started by bench/lib/load.ts with `fork`): it fires bursts of HTTP requests at
 * the gateway so that the gateway, which runs inside the benchmark process, never shares its event loop with the
 * client. A burst is a list of POST requests sent over `concurrency` keep-alive connections, each connection sending
 * its next request as soon as the previous answer has arrived. Every answer is checked; latencies are measured here,
 * with this process's clock, from just before a request is written to the end of its response body.
 *
 * Nothing goes to stdout (the benchmark's tables do); messages travel over the IPC channel only.
 */
import http from "node:http";
import { performance } from "node:perf_hooks";
import type { BurstOrder, BurstReply, BurstRequest } from "./load.ts";

/** One connection per concurrent sender at most; kept open between bursts. */
const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });

function post(url: URL, request: BurstRequest): Promise<{ status: number; body: string; ms: number }> {
  return new Promise((resolve, reject) => {
    const body = Buffer.from(request.body);
    const headers: http.OutgoingHttpHeaders = {
      "content-type": "application/json",
      accept: "application/json",
      "content-length": body.length,
      "user-agent": "gatehouse-bench-load",
    };
    if (request.authorization) headers.authorization = request.authorization;
    const start = performance.now();
    const req = http.request(url, { method: "POST", agent, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (chunk: Buffer) => chunks.push(chunk));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString("utf8"), ms: performance.now() - start }));
      res.on("error", reject);
    });
    req.on("error", reject);
    req.end(body);
  });
}

/** The value at `path` in the parsed answer must be a non-empty string (and equal `equals` when given). */
function checkAnswer(status: number, text: string, path: readonly string[], equals: string | undefined): string | null {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return `HTTP ${status}, not JSON: ${text.slice(0, 200)}`;
  }
  for (const key of path) value = value !== null && typeof value === "object" ? (value as Record<string, unknown>)[key] : undefined;
  if (typeof value !== "string" || value === "" || (equals !== undefined && value !== equals)) {
    return `HTTP ${status}, expected ${path.join(".")}${equals === undefined ? "" : ` = ${equals}`}: ${text.slice(0, 300)}`;
  }
  return null;
}

async function burst(order: BurstOrder): Promise<BurstReply> {
  const url = new URL(order.url);
  const latenciesMs = new Array<number>(order.requests.length);
  let next = 0;
  let failure: string | null = null;
  const sender = async (): Promise<void> => {
    while (failure === null && next < order.requests.length) {
      const index = next++;
      const request = order.requests[index] as BurstRequest;
      const answer = await post(url, request);
      latenciesMs[index] = answer.ms;
      failure = checkAnswer(answer.status, answer.body, order.check, request.expect);
    }
  };
  const start = performance.now();
  try {
    await Promise.all(Array.from({ length: Math.min(order.concurrency, order.requests.length) }, sender));
  } catch (error) {
    failure = error instanceof Error ? error.message : String(error);
  }
  const wallMs = performance.now() - start;
  return failure === null ? { id: order.id, ok: true, wallMs, latenciesMs } : { id: order.id, ok: false, error: failure };
}

process.on("message", (message: BurstOrder) => {
  void burst(message).then((reply) => process.send?.(reply));
});
/* The benchmark closed the channel (done, or it died): close the kept-alive connections and leave. */
process.on("disconnect", () => {
  agent.destroy();
});
