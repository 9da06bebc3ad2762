// What an Ollama server can do, from its /api/version. Read once per run; every
// entry names the ollama/ollama change it comes from (checked in its source at
// the tags named). An unknown version (a dev build reports "0.0.0", a proxy or
// the scripted demo something else) is treated as the oldest supported server
// for anything we would trust, and the flags are still sent: Go's
// encoding/json ignores unknown fields, so an old server is not harmed by them.

export interface ServerFeatures {
  /** As the server said it, or undefined when /api/version did not answer. */
  version: string | undefined;
  /** Parsed major.minor.patch, or undefined for an unknown or development version. */
  semver: [number, number, number] | undefined;
  /**
   * `truncate: false` and `shift: false` are honoured, so an over-long prompt is
   * refused with HTTP 400 instead of silently cut (api/types.go ChatRequest,
   * commit 6544e14, PR #12582, v0.12.6).
   */
  refusesOverflow: boolean;
  /**
   * The llama.cpp server engine (llm/llama_server.go, v0.30.0): `shift` is a
   * launch setting, so a different value reloads the model (server/sched.go
   * needsReload), and an overflow refusal carries llama.cpp's token counts.
   */
  llamaServerEngine: boolean;
  /**
   * What prompt_eval_count counts: "all" prompt tokens (the runners before
   * v0.30; llama_server.go `cache_n + prompt_n` from v0.30.1, PR #16428), or
   * "uncached" ones only (v0.30.0 reported `timings.prompt_n`).
   */
  promptEvalCount: "all" | "uncached" | "unknown";
  /** /api/ps context_length is the context really loaded, not the one asked for (commit d11fbd2c6, v0.15.5). */
  psReportsLoadedContext: boolean;
  /** `format` constrains from the first token when `think` is false on a thinking model (PR #15901, v0.31.2). */
  formatWithThinkingOff: boolean;
}

export function parseVersion(version: string | undefined): [number, number, number] | undefined {
  const match = /^v?(\d+)\.(\d+)\.(\d+)/.exec(version?.trim() ?? "");
  if (!match) return undefined;
  const parsed: [number, number, number] = [Number(match[1]), Number(match[2]), Number(match[3])];
  // Development builds report 0.0.0: nothing can be concluded from it.
  return parsed[0] === 0 && parsed[1] === 0 && parsed[2] === 0 ? undefined : parsed;
}

function atLeast(v: [number, number, number] | undefined, major: number, minor: number, patch: number): boolean {
  if (!v) return false;
  if (v[0] !== major) return v[0] > major;
  if (v[1] !== minor) return v[1] > minor;
  return v[2] >= patch;
}

export function serverFeatures(version: string | undefined): ServerFeatures {
  const v = parseVersion(version);
  const llamaServerEngine = atLeast(v, 0, 30, 0);
  return {
    version,
    semver: v,
    refusesOverflow: atLeast(v, 0, 12, 6),
    llamaServerEngine,
    promptEvalCount: !v ? "unknown" : llamaServerEngine && !atLeast(v, 0, 30, 1) ? "uncached" : "all",
    psReportsLoadedContext: atLeast(v, 0, 15, 5),
    formatWithThinkingOff: atLeast(v, 0, 31, 2),
  };
}
