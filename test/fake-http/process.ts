// Running a fake model server as its own process (its main.ts), for
// end-to-end tests that start the CLI elsewhere: the URL line on stdout, the
// answered requests appended to a JSON-lines file, and a clean stop on
// SIGTERM/SIGINT.

import { appendFileSync } from "node:fs";

/**
 * Appends each request to `file` as one JSON line once it is answered (it has
 * a status or an outcome), in arrival order. Records are complete only then;
 * polling cheaply beats hooking the server's internals.
 */
export function recordAnswered<R extends { status?: number; outcome?: string }>(requests: readonly R[], file: string, serializable: (request: R) => object = (r) => r): void {
  let written = 0;
  setInterval(() => {
    for (const request of requests.slice(written)) {
      if (request.status === undefined && request.outcome === undefined) break;
      appendFileSync(file, JSON.stringify(serializable(request)) + "\n");
      written += 1;
    }
  }, 20).unref();
}

/** Prints `<name>=<url>` once listening (the test reads it), and closes the server and exits 0 on SIGTERM or SIGINT. */
export function announceUntilSignal(name: string, fake: { url: string; close(): Promise<void> }): void {
  process.stdout.write(`${name}=${fake.url}\n`);
  for (const signal of ["SIGTERM", "SIGINT"] as const) {
    process.once(signal, () => {
      void fake.close().then(() => process.exit(0));
    });
  }
}
