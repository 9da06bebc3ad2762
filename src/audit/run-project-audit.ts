// One audit of a project, wired the same way for every consumer: the run lock
// and trace folder, the model session sized for the audit and fixer roles,
// and the engine. `specwright audit` and the TUI's audit screen both call
// these; they differ only in how they show events. Also here: asking for one
// fix without applying it, applying a (possibly edited) fix, and undoing one,
// each re-reading findings.json and the specs so nothing stale is written.

import { PLAN_SCOPE } from "../planning/plan-review.js";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import type { ModelError } from "../../models/errors.js";
import type { ModelEvent } from "../../models/events.js";
import type { LoadedConfig } from "../config/types.js";
import { ModelSession } from "../model-session.js";
import { withRunLock } from "../lock.js";
import { openRunScope } from "../run-scope.js";
import { redactValue } from "../traces/redact.js";
import { redactModelEvents } from "../traces/redact-model-events.js";
import { loadProjectSpecs, type ProjectSpecs } from "../specs/project-specs.js";
import { readFindings, writeFindings } from "./findings-file.js";
import { triage, type Finding, type FindingsFile, type TriageAction } from "./findings.js";
import { undoLatestFix } from "./fix-records.js";
import { AUDIT_OUTPUT_BUDGET, auditPromptSizes, runAudit, type AuditEvent, type FixMode } from "./run-audit.js";
import { FIX_OUTPUT_BUDGET, applyFix, checkFix, proposeFix, type CheckFixResult } from "./spec-fix.js";
import type { SpecEdit } from "./spec-edit.js";

export interface ProjectAuditInput {
  loaded: LoadedConfig;
  env: NodeJS.ProcessEnv;
  /** The validated specs (at least one group). */
  specs: ProjectSpecs;
  /** findings.json as read; the audit updates it in place and saves it after every spec. */
  findings: FindingsFile;
  fix: FixMode;
  maxFixCycles: number;
  onEvent(event: AuditEvent): void;
  onModelEvent(event: ModelEvent): void;
  /** A notice before the work starts (a stale lock taken over). */
  onNotice(message: string): void;
  /** Stops the audit like Ctrl-C does in the headless command. */
  signal?: AbortSignal;
}

export type ProjectAuditResult =
  /** The audit did not start: the lock is held. */
  | { kind: "not-started"; message: string; hint: string }
  | { kind: "finished"; ok: true; calls: number; fixesApplied: number; traceDir: string; interrupted: boolean }
  | { kind: "finished"; ok: false; error: ModelError; calls: number; fixesApplied: number; traceDir: string; interrupted: boolean };

export async function runProjectAudit(input: ProjectAuditInput): Promise<ProjectAuditResult> {
  const { loaded, specs } = input;
  const root = loaded.root;
  const opened = await openRunScope({
    root,
    command: "audit",
    config: loaded.config,
    env: input.env,
    info: { fix: input.fix, specs: specs.groups.map((g) => g.id) },
    ...(input.signal ? { signal: input.signal } : {}),
    onInterrupt: input.onNotice,
  });
  if (!opened.ok) return { kind: "not-started", message: opened.message, hint: opened.hint };
  if (opened.notice) input.onNotice(opened.notice);
  const scope = opened.scope;
  // Events leave redacted like the traces (a spec or an error can quote a secret).
  const redactor = scope.trace.secrets;
  const session = new ModelSession(loaded.config, redactModelEvents(redactor, input.onModelEvent), scope.signal);
  const sizes = auditPromptSizes(specs.groups);
  session.plan([
    { role: "audit", largestPromptTokens: Math.max(sizes.cross, ...sizes.perSpec.values()), outputBudget: AUDIT_OUTPUT_BUDGET },
    { role: "fixer", largestPromptTokens: Math.max(...sizes.perSpec.values()), outputBudget: FIX_OUTPUT_BUDGET },
  ]);
  const result = await runAudit({
    root,
    groups: specs.groups,
    findings: input.findings,
    session,
    fix: input.fix,
    maxFixCycles: input.maxFixCycles,
    recorder: (caller) => scope.trace.nextCallRecorder(caller),
    onEvent: (event) => input.onEvent(redactValue(redactor, event)),
    note: scope.note,
  });
  await scope.close({ calls: result.calls, fixesApplied: result.fixesApplied, ok: result.ok, models: await session.describe() });
  const common = { kind: "finished" as const, calls: result.calls, fixesApplied: result.fixesApplied, traceDir: scope.trace.dir, interrupted: scope.interrupted() };
  return result.ok ? { ...common, ok: true } : { ...common, ok: false, error: result.error };
}

/** A problem a person can act on, for the steps below that need no model. */
export type FixStepProblem = { ok: false; message: string; hint?: string };

async function findingAndSpecs(
  loaded: LoadedConfig,
  findingId: string,
): Promise<{ ok: true; findings: FindingsFile; finding: Finding; specs: ProjectSpecs } | FixStepProblem> {
  const load = await readFindings(loaded.root);
  if (!load.ok) return { ok: false, message: load.problem };
  const finding = load.file.findings.find((f) => f.id === findingId);
  if (!finding) return { ok: false, message: `finding ${findingId} is no longer in findings.json` };
  if (finding.spec === "*") return { ok: false, message: `${finding.id} is a cross-spec finding; fix it by editing the specs it names` };
  // The plan judge's findings are about plan.toml, not a spec: the fixer edits specs only.
  if (finding.spec === PLAN_SCOPE) return { ok: false, message: `${finding.id} is the plan judge's finding about ${finding.file}, not a spec`, hint: "change the task on the Plan screen (or in plan.toml), or re-plan; then R reviews the plan again" };
  const specs = await loadProjectSpecs(loaded);
  if (specs.groups.length === 0 || specs.diagnostics.some((d) => d.severity === "error")) {
    return { ok: false, message: "the specs have errors; fix them before fixing findings", hint: "the Specs screen shows them" };
  }
  return { ok: true, findings: load.file, finding, specs };
}

export type ProposeProjectFixResult =
  | { ok: true; edit: SpecEdit; check: CheckFixResult; traceDir: string }
  | { ok: false; error: ModelError; traceDir: string }
  | FixStepProblem;

/**
 * Asks the fixer model for an edit to one finding's spec, recorded as an
 * audit run's trace, and checks it; writes nothing to the spec or findings.
 */
export async function proposeProjectFix(input: {
  loaded: LoadedConfig;
  env: NodeJS.ProcessEnv;
  findingId: string;
  onModelEvent(event: ModelEvent): void;
  signal?: AbortSignal;
}): Promise<ProposeProjectFixResult> {
  const { loaded } = input;
  const found = await findingAndSpecs(loaded, input.findingId);
  if (!found.ok) return found;
  const opened = await openRunScope({
    root: loaded.root,
    command: "audit",
    config: loaded.config,
    env: input.env,
    info: { fix: "propose", finding: found.finding.id },
    ...(input.signal ? { signal: input.signal } : {}),
  });
  if (!opened.ok) return { ok: false, message: opened.message, hint: opened.hint };
  const scope = opened.scope;
  const session = new ModelSession(loaded.config, redactModelEvents(scope.trace.secrets, input.onModelEvent), scope.signal);
  const sizes = auditPromptSizes(found.specs.groups);
  session.plan([{ role: "fixer", largestPromptTokens: Math.max(...sizes.perSpec.values()), outputBudget: FIX_OUTPUT_BUDGET }]);
  const run = await session.run("fixer");
  if (!run.ok) {
    await scope.close({ calls: 0, ok: false });
    return { ok: false, error: run.error, traceDir: scope.trace.dir };
  }
  const proposed = await proposeFix({ root: loaded.root, groups: found.specs.groups, finding: found.finding, model: run.value, recorder: (caller) => scope.trace.nextCallRecorder(caller) });
  if (proposed.ok && !proposed.check.ok) scope.note(`fix for ${found.finding.id} would not apply: ${proposed.check.reason}`);
  await scope.close({ calls: proposed.asks, ok: proposed.ok });
  return proposed.ok ? { ok: true, edit: proposed.edit, check: proposed.check, traceDir: scope.trace.dir } : { ok: false, error: proposed.error, traceDir: scope.trace.dir };
}

/**
 * Applies an edit (the fixer's, or the person's version of it) to a finding's
 * spec with the same checks as the automatic fix: it must apply once, the
 * specs must still validate, new text is marked [inferred], a fix record is
 * kept for undo, and the finding is marked fixed in findings.json.
 */
export async function applyProjectFix(loaded: LoadedConfig, findingId: string, edit: SpecEdit, now = new Date().toISOString()): Promise<{ ok: true; file: string } | FixStepProblem> {
  const found = await findingAndSpecs(loaded, findingId);
  if (!found.ok) return found;
  const before = await readFile(join(loaded.root, found.finding.file), "utf8").catch(() => undefined);
  if (before === undefined) return { ok: false, message: `${found.finding.file} no longer exists` };
  const checked = checkFix(found.specs.groups, found.finding, before, edit);
  if (!checked.ok) return { ok: false, message: checked.reason };
  const locked = await withRunLock(loaded.root, `specwright audit (fix ${findingId})`, async () => {
    const applied = await applyFix(loaded.root, checked.fix, now);
    if (applied.ok) await writeFindings(loaded.root, found.findings);
    return applied;
  });
  if (!locked.ok) return { ok: false, message: `${locked.message} (${locked.hint})` };
  return locked.value.ok ? locked.value : { ok: false, message: locked.value.reason };
}

/** Reverses a finding's latest applied fix and reopens the finding (`audit --undo`). */
export async function undoProjectFix(root: string, findingId: string, now = new Date().toISOString()): Promise<{ ok: true; file: string } | FixStepProblem> {
  const load = await readFindings(root);
  if (!load.ok) return { ok: false, message: load.problem };
  const finding = load.file.findings.find((f) => f.id === findingId);
  if (!finding) return { ok: false, message: `finding ${findingId} is no longer in findings.json` };
  const locked = await withRunLock(root, `specwright audit --undo ${finding.id}`, async () => {
    const undone = await undoLatestFix(root, finding.id, now);
    if (undone.ok) {
      triage(finding, { action: "fix-undone", detail: `fix reverted in ${undone.file}` }, now);
      await writeFindings(root, load.file);
    }
    return undone;
  });
  if (!locked.ok) return { ok: false, message: `${locked.message} (${locked.hint})` };
  return locked.value.ok ? locked.value : { ok: false, message: locked.value.problem };
}

/**
 * A person's triage of one finding (dismiss, accept, reopen), written under
 * the run lock: findings.json is re-read there, so a concurrent audit's or
 * another triage's change to other findings is kept. `usage` marks a change
 * the finding's state does not allow (reopening an open finding).
 */
export async function triageProjectFinding(
  root: string,
  findingId: string,
  change: TriageAction,
  now = new Date().toISOString(),
): Promise<{ ok: true; finding: Finding } | (FixStepProblem & { usage?: boolean })> {
  const locked = await withRunLock(root, `specwright audit (triage ${findingId})`, async (): Promise<{ ok: true; finding: Finding } | (FixStepProblem & { usage?: boolean })> => {
    const load = await readFindings(root);
    if (!load.ok) return { ok: false, message: load.problem };
    const finding = load.file.findings.find((f) => f.id.toLowerCase() === findingId.toLowerCase());
    if (!finding) return { ok: false, message: `finding ${findingId} is no longer in findings.json` };
    const problem = triage(finding, change, now);
    if (problem) return { ok: false, message: problem, usage: true };
    await writeFindings(root, load.file);
    return { ok: true, finding };
  });
  return locked.ok ? locked.value : { ok: false, message: locked.message, hint: locked.hint };
}
