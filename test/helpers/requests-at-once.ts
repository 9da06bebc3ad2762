// How many requests a fake server (or several) had out at the same moment,
// read from their own logs: each request's arrival and end.

import type { RecordedRequest } from "../fake-ollama/server.js";

/** The most requests out at once; one that ended in the same millisecond another arrived did not overlap it (ends count first). */
export function mostAtOnce(requests: readonly RecordedRequest[]): number {
  const moments = requests.flatMap((r) => [[r.receivedAt, 1], [r.endedAt!, -1]] as const).sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  let out = 0;
  let most = 0;
  for (const [, change] of moments) most = Math.max(most, (out += change));
  return most;
}
