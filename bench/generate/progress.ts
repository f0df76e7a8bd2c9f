/**
 * Progress of a long load step on stderr: a bar with the rate and the time left (cli-progress), redrawn in place on a
 * terminal and printed as a line every few seconds elsewhere (CI logs), so a million-row COPY never looks stuck.
 */
import { SingleBar } from "cli-progress";

export interface Progress {
  tick(n?: number): void;
  stop(): void;
}

export function progressBar(label: string, total: number, unit = "rows"): Progress {
  const bar = new SingleBar(
    {
      format: `  ${label} [{bar}] {percentage}% {value}/{total} ${unit} | {rate}/s | ETA {eta_formatted}`,
      barsize: 24,
      hideCursor: true,
      etaBuffer: 50,
      noTTYOutput: true,
      notTTYSchedule: 5000,
      stream: process.stderr,
      formatValue: (value, _options, type) => (type === "value" || type === "total" ? Math.round(value).toLocaleString("en") : String(value)),
    },
  );
  const started = performance.now();
  let done = 0;
  bar.start(total, 0, { rate: "0" });
  return {
    tick(n = 1) {
      done += n;
      const seconds = (performance.now() - started) / 1000;
      bar.update(done, { rate: seconds > 0 ? Math.round(done / seconds).toLocaleString("en") : "0" });
    },
    stop() {
      bar.stop();
    },
  };
}

/** Passes rows through, ticking `progress` every 10,000. */
export function* counted<T>(rows: Iterable<T>, progress: Progress): Generator<T> {
  let pending = 0;
  for (const row of rows) {
    yield row;
    if (++pending === 10_000) {
      progress.tick(pending);
      pending = 0;
    }
  }
  if (pending > 0) progress.tick(pending);
}
