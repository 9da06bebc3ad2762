// The seam between a retrospective and the intent flow: each recommendation
// as a request to change a spec, in words a person (or `specwright ask`,
// being built in src/intent/) can act on. Retros store these in
// .specwright/retros/<date>.json under `requests`; the intent flow reads them
// from there or takes them through `specChangeRequests`, so neither side
// imports the other.

import type { Recommendation } from "./retro.js";

export interface SpecChangeRequest {
  /** Where it came from: the retro's name, e.g. "2026-12-02", and the recommendation's number (1-based). */
  source: { kind: "retro"; retro: string; recommendation: number };
  spec?: string;
  /** The spec part to change, as a task ref names it ("requirements/top-words", "constraints"). */
  anchor?: string;
  /** The tasks whose builds showed the need. */
  tasks: string[];
  /** One sentence asking for the change, ready to hand to `specwright ask`. */
  request: string;
  why: string;
}

const VERB: Record<Recommendation["kind"], string> = {
  "add-example": "Add an Example",
  "make-explicit": "Make explicit",
  "add-constraint": "Add a Constraint",
  "split-task": "Split the task",
  other: "Change",
};

export function specChangeRequests(retro: string, recommendations: readonly Recommendation[]): SpecChangeRequest[] {
  return recommendations.map((r, i) => {
    const where = [r.spec, r.anchor].filter((x) => x !== undefined && x !== "").join(" ");
    return {
      source: { kind: "retro", retro, recommendation: i + 1 },
      ...(r.spec ? { spec: r.spec } : {}),
      ...(r.anchor ? { anchor: r.anchor } : {}),
      tasks: [...r.tasks],
      request: `${VERB[r.kind]}${where ? ` in ${where}` : ""}: ${r.change.trim()}`,
      why: r.why.trim(),
    };
  });
}
