// What the audit screen shows besides the findings: a running audit's
// progress (per spec: cached, auditing, N new findings; the model loading or
// streaming) and the fix under review (being asked for, or proposed as a
// diff). A plain reducer fed with the engine's and the model's events.

import type { ModelEvent } from "../../models/events.js";
import { applyModelEvent, type ModelActivity } from "../model-activity.js";
import type { AuditEvent } from "../../src/audit/run-audit.js";
import type { CheckFixResult } from "../../src/audit/spec-fix.js";
import type { SpecEdit } from "../../src/audit/spec-edit.js";
import { hunkRows, type DiffRow } from "../widgets/diff-view.js";

export type SpecProgress =
  | { state: "cached"; findings: number }
  | { state: "auditing"; files: string[] }
  | { state: "done"; added: number; kept: number; resolved: number };

export type AuditRun =
  | { phase: "idle" }
  | { phase: "running" | "finished" | "failed"; specs: [string, SpecProgress][]; dropped: number; problem: string[] | undefined };

export type FixReview =
  | { kind: "none" }
  | { kind: "asking"; findingId: string }
  | { kind: "proposed"; findingId: string; edit: SpecEdit; check: CheckFixResult; scroll: number };

export interface AuditView {
  run: AuditRun;
  model: ModelActivity;
  fix: FixReview;
}

export type AuditViewAction =
  | { type: "run-started" }
  | { type: "audit-events"; events: AuditEvent[] }
  | { type: "model-events"; events: ModelEvent[] }
  | { type: "run-ended"; problem: string[] | undefined }
  | { type: "fix-asking"; findingId: string }
  | { type: "fix-proposed"; findingId: string; edit: SpecEdit; check: CheckFixResult }
  | { type: "fix-closed" }
  | { type: "fix-scroll"; by: number; rows: number; total: number };

export function initialAuditView(): AuditView {
  return { run: { phase: "idle" }, model: { kind: "idle" }, fix: { kind: "none" } };
}

export function auditViewReducer(view: AuditView, action: AuditViewAction): AuditView {
  switch (action.type) {
    case "run-started":
      return { ...view, run: { phase: "running", specs: [], dropped: 0, problem: undefined }, model: { kind: "idle" } };
    case "audit-events": {
      if (view.run.phase === "idle") return view;
      let run = view.run;
      for (const event of action.events) run = applyAuditEvent(run, event);
      return { ...view, run };
    }
    case "model-events": {
      let model = view.model;
      for (const event of action.events) model = applyModelEvent(model, event);
      return { ...view, model };
    }
    case "run-ended":
      if (view.run.phase === "idle") return view;
      return { ...view, run: { ...view.run, phase: action.problem ? "failed" : "finished", problem: action.problem }, model: { kind: "idle" } };
    case "fix-asking":
      return { ...view, fix: { kind: "asking", findingId: action.findingId }, model: { kind: "idle" } };
    case "fix-proposed":
      return { ...view, fix: { kind: "proposed", findingId: action.findingId, edit: action.edit, check: action.check, scroll: 0 }, model: { kind: "idle" } };
    case "fix-closed":
      return { ...view, fix: { kind: "none" }, model: { kind: "idle" } };
    case "fix-scroll": {
      if (view.fix.kind !== "proposed") return view;
      const max = Math.max(0, action.total - action.rows);
      return { ...view, fix: { ...view.fix, scroll: Math.max(0, Math.min(max, view.fix.scroll + action.by)) } };
    }
  }
}

function setSpec(specs: [string, SpecProgress][], spec: string, progress: SpecProgress): [string, SpecProgress][] {
  const i = specs.findIndex(([s]) => s === spec);
  if (i === -1) return [...specs, [spec, progress]];
  return specs.map((entry, j) => (j === i ? [spec, progress] : entry));
}

function applyAuditEvent(run: Extract<AuditRun, { specs: unknown }>, event: AuditEvent): Extract<AuditRun, { specs: unknown }> {
  switch (event.type) {
    case "audit-spec-cached":
      return { ...run, specs: setSpec(run.specs, event.spec, { state: "cached", findings: event.findings }) };
    case "audit-spec-started":
      return { ...run, specs: setSpec(run.specs, event.spec, { state: "auditing", files: event.files }) };
    case "audit-spec-finished":
      return { ...run, specs: setSpec(run.specs, event.spec, { state: "done", added: event.added.length, kept: event.kept.length, resolved: event.resolved.length }) };
    case "finding-dropped":
      return { ...run, dropped: run.dropped + 1 };
    case "fix-started":
    case "fix-applied":
    case "fix-rejected":
    case "audit-cycle":
      // The screen audits with --fix none: fixes are asked for one at a time.
      return run;
  }
}

/** How a spec's progress reads: "cached (2 findings)", "auditing…", "1 new, 0 seen before". */
export function specProgressText(progress: SpecProgress): string {
  switch (progress.state) {
    case "cached":
      return `unchanged, cached (${progress.findings} finding${progress.findings === 1 ? "" : "s"})`;
    case "auditing":
      return `auditing ${progress.files.join(", ")}…`;
    case "done":
      return `${progress.added} new finding${progress.added === 1 ? "" : "s"}, ${progress.kept} seen before${progress.resolved > 0 ? `, ${progress.resolved} resolved` : ""}`;
  }
}

/**
 * A proposed fix as diff rows: the change to the spec file when it applies,
 * else why not and the raw search/replace, so the person can edit it.
 */
export function fixRows(check: CheckFixResult, edit: SpecEdit): DiffRow[] {
  if (check.ok) return hunkRows(check.fix.hunks);
  return [
    { kind: "problem", text: `✗ does not apply as proposed: ${check.reason}` },
    { kind: "note", text: "search:" },
    ...edit.search.split("\n").map((text): DiffRow => ({ kind: "removed", text })),
    { kind: "note", text: "replace with:" },
    ...edit.replace.split("\n").map((text): DiffRow => ({ kind: "added", text })),
  ];
}
