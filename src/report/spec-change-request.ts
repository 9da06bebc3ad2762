// The seam between a retrospective and the intent flow: each recommendation
// as a request to change a spec, in words a person (or `specwright ask`,
// being built in src/intent/) can act on. Retros store these in
// .specwright/retros/<date>.json under `requests`, each with the exact
// `specwright ask` arguments that send it to the intent flow (src/intent/,
// `ask "<words>" --at SPEC#anchor`); neither side imports the other.

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
  /** The arguments of `specwright ask` that send this request to the intent flow. */
  ask: string[];
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
      request: saysVerb(r) ? `${r.change.trim()}${where ? ` (${where})` : ""}` : `${VERB[r.kind]}${where ? ` in ${where}` : ""}: ${r.change.trim()}`,
      why: r.why.trim(),
      ask: askArgs(r),
    };
  });
}

/** The change led by its kind's verb ("Add an Example: …"), unless the model's words already start with it (said twice otherwise). */
function saysVerb(r: Recommendation): boolean {
  return r.change.trim().toLowerCase().startsWith(VERB[r.kind].toLowerCase());
}

/** What `--at` names for a spec and ref: a ref's last segment is the anchor ask takes; a section ref names the spec only; no usable spec id, nothing. */
function atOf(spec: string | undefined, ref: string | undefined): { spec: string; anchor?: string } | undefined {
  if (!spec || !/^[A-Za-z][A-Za-z0-9_-]*$/.test(spec)) return undefined;
  const anchor = ref?.includes("/") ? ref.slice(ref.lastIndexOf("/") + 1) : undefined;
  return anchor && /^[A-Za-z0-9_.-]+$/.test(anchor) ? { spec, anchor } : { spec };
}

/** `ask "<change> (why)" --at SPEC#anchor`. */
function askArgs(r: Recommendation): string[] {
  const words = `${saysVerb(r) ? "" : `${VERB[r.kind]}: `}${r.change.trim()} (${r.why.trim()})`;
  const at = atOf(r.spec, r.anchor);
  return at ? ["ask", words, "--at", at.anchor ? `${at.spec}#${at.anchor}` : at.spec] : ["ask", words];
}

/** Where an intent entry sent from a retro says it came from: "retro .specwright/retros/2026-12-02.md recommendation 2". */
export function retroSource(request: SpecChangeRequest): string {
  return `retro .specwright/retros/${request.source.retro}.md recommendation ${request.source.recommendation}`;
}

/** What the ask panel starts from for a request: the words and the `--at` of its `ask` arguments, and where they came from. */
export interface AskStart {
  words: string;
  spec?: string;
  anchor?: string;
  source: string;
  /** The tasks the recommendation names: the ask's impact says whether the change reaches each. */
  tasks: string[];
}

/**
 * The request as `specwright ask` would get it: the words of `request.ask`,
 * the spec and anchor its `--at` names (by the rule that wrote it), and the
 * tasks it names.
 */
export function askStartOf(request: SpecChangeRequest): AskStart {
  const words = request.ask[1] ?? request.request;
  const at = atOf(request.spec, request.anchor);
  // The retro file is the user's to edit: only task ids that look like ids count.
  const tasks = Array.isArray(request.tasks) ? request.tasks.filter((t): t is string => typeof t === "string" && /^[A-Za-z0-9_.-]+$/.test(t)) : [];
  return { words, ...at, source: retroSource(request), tasks };
}
