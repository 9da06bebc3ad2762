// Exit codes users and scripts rely on (DESIGN.md section 8).
export const EXIT = {
  ok: 0,
  failure: 1,
  usage: 2,
  modelUnavailable: 3,
  internal: 70,
  interrupted: 130,
} as const;
export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

/** A failed model call's exit code: 3 when there is no model to talk to (down, gone mid-stream, not installed), else 1. */
export function modelExitCode(error: { kind: string; reason?: string }): ExitCode {
  const gone =
    error.kind === "unreachable" ||
    error.kind === "model-missing" ||
    error.kind === "capability-missing" ||
    (error.kind === "stream-broken" && error.reason === "connection-dropped");
  return gone ? EXIT.modelUnavailable : EXIT.failure;
}
