// Exit codes users and scripts rely on (DESIGN.md section 8).

import { isModelUnavailable, type ModelError } from "../../models/errors.js";

export const EXIT = {
  ok: 0,
  failure: 1,
  usage: 2,
  modelUnavailable: 3,
  internal: 70,
  interrupted: 130,
} as const;
export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

/** A failed model call's exit code: 3 when there is no model to talk to, else 1. */
export function modelExitCode(error: ModelError): ExitCode {
  return isModelUnavailable(error) ? EXIT.modelUnavailable : EXIT.failure;
}
