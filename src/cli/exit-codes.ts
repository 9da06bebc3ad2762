// Exit codes users and scripts rely on (DESIGN.md section 8).

import { modelFault, type ModelError, type ModelFault } from "../../models/errors.js";

export const EXIT = {
  ok: 0,
  failure: 1,
  usage: 2,
  modelUnavailable: 3,
  internal: 70,
  interrupted: 130,
} as const;
export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

/** The exit code of a model-server fault, the same for every command (see `modelFault`). */
export function faultExitCode(fault: ModelFault): ExitCode {
  switch (fault) {
    case "unavailable":
      return EXIT.modelUnavailable;
    case "config":
      return EXIT.usage;
    case "cancelled":
      return EXIT.interrupted;
    case "call-failed":
      return EXIT.failure;
  }
}

/** A failed model call's exit code: 3 when there is no model to talk to, 2 for a config gap, else 1. */
export function modelExitCode(error: ModelError): ExitCode {
  return faultExitCode(modelFault(error));
}
