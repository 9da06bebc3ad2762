// How a run says it used the scripted demo rather than a model. The demo
// server advertises one model name, and the demo command points every role at
// it; so "any role resolves to that name" is the test. Kept free of heavy
// imports: run-scope.ts and the UI read it on every run and render.

import { ROLES, roleModel, type SpecwrightConfig } from "../config/types.js";

/** The only model the scripted demo server lists. The name says what it is. */
export const SCRIPTED_DEMO_MODEL = "specwright-demo:scripted";

/** What run.json, the plain output and the UI say about such a run. */
export const SCRIPTED_DEMO_LABEL = "scripted demo (not a model): prepared replies for examples/wordfreq";

/** The label when any role of this config talks to the scripted demo, else undefined. */
export function scriptedDemoLabel(config: SpecwrightConfig): string | undefined {
  return ROLES.some((role) => roleModel(config, role).model === SCRIPTED_DEMO_MODEL) ? SCRIPTED_DEMO_LABEL : undefined;
}
