// After a proposal is applied: a focused audit of only the parts of the specs
// the change touched (the requirement, component or section around every
// changed line, with its real line numbers), by the audit role's model, in one
// call. Problems the change introduced come back as findings, each with a
// follow-up edit where the fix lies in the shown text. The edits become a new
// intent entry in the same thread (kind "follow-up", every edit inferred,
// pending like any proposal: never applied without a person); the findings
// are recorded on the applied entry as an "audited" event. Writes no spec.

import { estimateMessagesTokens } from "../../models/context-budget.js";
import type { CallRecorder, ChatMessage } from "../../models/call-record.js";
import type { JsonSchema } from "../../models/json-schema.js";
import { findingsSchema } from "../audit/audit-prompt.js";
import type { FindingReport } from "../audit/findings.js";
import type { ModelError } from "../../models/errors.js";
import type { ModelEvent } from "../../models/events.js";
import { componentsOf, requirementsOf, type AmdDocument, type SmdDocument } from "../../grammar/ast.js";
import type { LoadedConfig } from "../config/types.js";
import { ModelSession } from "../model-session.js";
import { openRunScope } from "../run-scope.js";
import type { SpecGroup } from "../specs/project-specs.js";
import { redactModelEvents } from "../traces/redact-model-events.js";
import { ASK_OUTPUT_BUDGET } from "./ask-prompt.js";
import { logEvent, logRequest, type FocusedFinding, type IntentEdit } from "./intent-log.js";
import { checkProposal, fileChanges, textHash, type NumberedHunk, type ProposedFile } from "./proposal.js";
import type { DiffLine } from "../text/line-diff.js";
import type { IntentEntry } from "./intent-log.js";
import { currentPlan, reviewOf, specSnapshot, type ProposalReview } from "./review.js";

export const FOCUSED_AUDIT_PROMPT_VERSION = 1;

/** Output budget of a focused audit: a few findings, each with one short search/replace. */
export const FOCUSED_AUDIT_OUTPUT_BUDGET = 2048;

export const FOCUSED_AUDIT_SYSTEM = `You check a change that was just made to software specifications, before any code is built from them.

You get the person's request the change came from, and the parts of the spec files the change touched — whole requirements, components or sections as they are now — each line starting with its real line number in its file (the numbers are not part of the files). The rest of the specs did not change and is not shown.

Report a finding only when the change introduced it:
- two statements in the shown parts now contradict each other;
- a changed part leaves a behaviour, input, output, error case or format ambiguous enough that two competent developers would build incompatible things;
- the change says something in one shown part that another shown part must now say too (a requirement changed, its acceptance criterion or the component's contract did not).

Do not report style, wording, formatting, missing detail that would not change what gets built, problems that were there before the change, or the same problem twice. A sound change gets an empty list.

Severity: "error" when implementations would be incompatible or broken; "warning" when a developer would likely guess wrong; "info" when it is worth a second look.

For each finding give: "file" exactly as named in the part's header, "line" the number at the start of the line the problem is on, "section" the ## section it is in, "issue" one or two concrete sentences, "suggestion" a concrete change, and the follow-up edit that makes it: "search" text copied exactly from a shown part (without the line numbers), long enough to occur once in its file, and "replace" that text changed. Leave "search" and "replace" empty when the fix needs text that is not shown. Answer with JSON only.`;

export const FOCUSED_AUDIT_SCHEMA: JsonSchema = findingsSchema({ search: { type: "string" }, replace: { type: "string" } });

interface FocusedReply {
  findings: (FindingReport & { search: string; replace: string })[];
}

/** One part of a spec file shown to the auditor: lines `from`..`to` (1-based) and what they are. */
export interface ChangedPart {
  file: string;
  from: number;
  to: number;
  /** `CALC#requirements/divide`, `CALC#components/Cli`, `CALC#constraints`, `specs/calc.smd frontmatter`… */
  labels: string[];
}

interface Unit {
  from: number;
  to: number;
  label: string;
}

/** The units a change is widened to: requirements and components, else the `##` section, else the frontmatter. */
function unitsOf(file: string, groups: readonly SpecGroup[]): Unit[] {
  for (const g of groups) {
    const doc: SmdDocument | AmdDocument | undefined = g.smd.file === file ? g.smd.ast : g.amds.find((a) => a.file === file)?.ast;
    if (!doc) continue;
    const units: Unit[] = [];
    if (doc.frontmatter) units.push({ from: doc.frontmatter.line, to: doc.frontmatter.endLine, label: `${file} frontmatter` });
    const nodes = doc.kind === "smd" ? requirementsOf(doc).map((r) => ({ line: r.line, endLine: r.endLine, label: `${g.id}#requirements/${r.anchor}` })) : componentsOf(doc).map((c) => ({ line: c.line, endLine: c.endLine, label: `${g.id}#components/${c.name}` }));
    for (const section of doc.sections) {
      const inside = nodes.filter((n) => n.line > section.line && n.line <= section.endLine);
      const label = `${g.id}#${section.name.toLowerCase()}`;
      if (inside.length === 0) units.push({ from: section.line, to: section.endLine, label });
      else {
        // The section's own text before its first requirement or component, then each of those alone.
        units.push({ from: section.line, to: inside[0]!.line - 1, label });
        for (const n of inside) units.push({ from: n.line, to: n.endLine, label: n.label });
      }
    }
    return units;
  }
  return [];
}

/** New-text line numbers the change wrote: added lines, and where lines were only removed, the line after. */
function touchedLines(hunks: readonly NumberedHunk[], file: string, lineCount: number): number[] {
  const out = new Set<number>();
  for (const { hunk } of hunks.filter((h) => h.file === file)) {
    let next = hunk.newStart;
    for (const l of hunk.lines) {
      if (l.kind === "added") {
        out.add(l.newLine);
        next = l.newLine + 1;
      } else if (l.kind === "context") next = l.newLine + 1;
      else out.add(Math.max(1, Math.min(lineCount, next)));
    }
  }
  return [...out].sort((a, b) => a - b);
}

/** A few lines either side of a change no unit holds (the title, a VMD case). */
const LOOSE_CONTEXT = 2;

/**
 * The parts of the changed files that hold a changed line, widened to whole
 * units (a requirement, a component, a section) and merged where they touch.
 */
export function changedParts(files: readonly ProposedFile[], hunks: readonly NumberedHunk[], groups: readonly SpecGroup[]): ChangedPart[] {
  const parts: ChangedPart[] = [];
  for (const f of files) {
    const lines = linesOf(f.after);
    const units = unitsOf(f.file, groups);
    // A blank line holds nothing to check: it goes with the text above it (a diff may place an added blank either side).
    const meaningful = touchedLines(hunks, f.file, lines.length).map((line) => {
      let at = line;
      while (at > 1 && (lines[at - 1] ?? "").trim() === "") at--;
      return at;
    });
    const lineCount = lines.length;
    const spans = [...new Set(meaningful)].map((line) => {
      const holding = units.filter((u) => u.from <= line && line <= u.to).sort((a, b) => a.to - a.from - (b.to - b.from))[0];
      return holding ? { ...holding, labels: [holding.label] } : { from: Math.max(1, line - LOOSE_CONTEXT), to: Math.min(lineCount, line + LOOSE_CONTEXT), labels: [`${f.file}:${line}`] };
    });
    spans.sort((a, b) => a.from - b.from);
    const merged: ChangedPart[] = [];
    for (const s of spans) {
      const last = merged.at(-1);
      // Parts that touch, or are apart only by blank lines, are one excerpt (one header, no gap).
      const gap = last ? lines.slice(last.to, s.from - 1) : [];
      if (last && s.from <= last.to + 1 + gap.length && gap.every((l) => l.trim() === "")) {
        last.to = Math.max(last.to, s.to);
        for (const l of s.labels) if (!last.labels.includes(l)) last.labels.push(l);
      } else merged.push({ file: f.file, from: s.from, to: s.to, labels: [...s.labels] });
    }
    parts.push(...merged);
  }
  return parts;
}

function linesOf(text: string): string[] {
  const body = text.replace(/^\uFEFF/, "").replace(/\r\n?/g, "\n").replace(/\n$/, "");
  return body === "" ? [] : body.split("\n");
}

/** A part as the model sees it: a header naming the file, its lines and what they are, then `  34| text` lines. */
export function numberedPart(part: ChangedPart, text: string): string {
  const lines = linesOf(text);
  const width = String(part.to).length;
  const body = lines.slice(part.from - 1, part.to).map((line, i) => `${String(part.from + i).padStart(width)}| ${line}`);
  return [`=== file: ${part.file} lines ${part.from}–${part.to} (${part.labels.join(", ")}) ===`, ...body].join("\n");
}

export function focusedAuditMessages(input: { id: string; words: string; parts: readonly ChangedPart[]; texts: ReadonlyMap<string, string> }): ChatMessage[] {
  const request = input.words.replace(/\r\n?/g, "\n").replace(/\n+$/, "");
  return [
    { role: "system", content: FOCUSED_AUDIT_SYSTEM },
    {
      role: "user",
      content: `The request (${input.id}, verbatim):\n<<<\n${request}\n>>>\n\nThe parts the change touched (${input.parts.length}):\n\n${input.parts.map((p) => numberedPart(p, input.texts.get(p.file) ?? "")).join("\n\n")}\n\nCheck the change.`,
    },
  ];
}

export type FocusedAuditEvent = { type: "auditing"; id: string; model: string; promptTokens: number; parts: ChangedPart[] };

export type FocusedAuditResult =
  /** Nothing a task can see changed (or nothing validated): no call made. */
  | { kind: "skipped"; id: string; reason: string }
  | { kind: "failed"; id: string; message: string; hint: string; error?: ModelError; interrupted: boolean; traceDir?: string }
  | {
      kind: "audited";
      id: string;
      findings: FocusedFinding[];
      /** The follow-up entry holding the findings' edits, pending; absent when no finding came with an edit that applies. */
      followUp?: { id: string; review: ProposalReview };
      calls: number;
      promptTokens: number;
      traceDir: string;
    };

export interface FocusedAuditInput {
  loaded: LoadedConfig;
  env: NodeJS.ProcessEnv;
  /** The applied entry, its words, and the review of what was applied (files before/after, hunks). */
  id: string;
  words: string;
  applied: Pick<ProposalReview, "files" | "hunks">;
  /** Estimated tokens of the ask that proposed the change: with the same model for both roles, the audit asks for the same context, so Ollama does not reload the model. */
  askPromptTokens?: number;
  onEvent(event: FocusedAuditEvent): void;
  onModelEvent(event: ModelEvent): void;
  onNotice(message: string): void;
  signal?: AbortSignal;
  now?: () => string;
}

const noRecorder: CallRecorder = { started: async () => undefined, delta: () => undefined, finished: async () => undefined };

/** Runs the focused audit of an applied change and logs its outcome (and any follow-up entry). */
export async function auditAppliedChange(input: FocusedAuditInput): Promise<FocusedAuditResult> {
  const { loaded, id } = input;
  const root = loaded.root;
  const now = input.now ?? (() => new Date().toISOString());
  const snapshot = await specSnapshot(loaded);
  if (snapshot.errors.length > 0) return { kind: "skipped", id, reason: `the specs have errors now (${snapshot.errors[0]})` };
  // The files as they are on disk now (the change was just written under the lock).
  const files = input.applied.files.map((f) => ({ ...f, after: snapshot.sources.get(f.file) ?? f.after }));
  const parts = changedParts(files, input.applied.hunks, snapshot.groups);
  if (parts.length === 0) return { kind: "skipped", id, reason: "the change touched no spec text" };
  const messages = focusedAuditMessages({ id, words: input.words, parts, texts: snapshot.sources });
  const promptTokens = estimateMessagesTokens(messages);

  const opened = await openRunScope({
    root,
    command: "ask-audit",
    config: loaded.config,
    env: input.env,
    info: { intent: id },
    ...(input.signal ? { signal: input.signal } : {}),
    onInterrupt: input.onNotice,
  });
  if (!opened.ok) return { kind: "failed", id, message: opened.message, hint: opened.hint, interrupted: false };
  if (opened.notice) input.onNotice(opened.notice);
  const scope = opened.scope;
  const traceDir = scope.trace.dir;
  let calls = 0;
  const fail = async (error: ModelError): Promise<FocusedAuditResult> => {
    await scope.close({ intent: id, calls, ok: false });
    const interrupted = scope.interrupted();
    return { kind: "failed", id, message: interrupted ? "interrupted" : error.message, hint: interrupted ? "the change stays applied" : `${error.hint}; the change stays applied`, error, interrupted, traceDir };
  };
  const session = new ModelSession(loaded.config, redactModelEvents(scope.trace.secrets, input.onModelEvent), scope.signal);
  // Roles on one model share a run: planning the ask's need too gives the audit the num_ctx the ask had
  // (a num_ctx change reloads the model in Ollama, seconds for a 14B); a drafter on another model is never opened.
  session.plan([
    { role: "audit", largestPromptTokens: promptTokens, outputBudget: FOCUSED_AUDIT_OUTPUT_BUDGET },
    ...(input.askPromptTokens !== undefined ? [{ role: "drafter" as const, largestPromptTokens: input.askPromptTokens, outputBudget: ASK_OUTPUT_BUDGET }] : []),
  ]);
  const run = await session.run("audit");
  if (!run.ok) return fail(run.error);
  const model = run.value;
  input.onEvent({ type: "auditing", id, model: model.model, promptTokens, parts });
  const caller = `audit-${id}`;
  const reply = await model.callStructured<FocusedReply>({
    caller,
    messages,
    schema: FOCUSED_AUDIT_SCHEMA,
    outputBudget: FOCUSED_AUDIT_OUTPUT_BUDGET,
    recorder: () => scope.trace.nextCallRecorder(caller) ?? noRecorder,
  });
  calls += reply.ok ? reply.value.asks : 1;
  if (!reply.ok) return fail(reply.error);

  // Findings must point at a shown line; their edits must apply together and keep the specs valid.
  const shown = (file: string, line: number) => parts.some((p) => p.file === file && p.from <= line && line <= p.to);
  const findings: FocusedFinding[] = [];
  const edits: IntentEdit[] = [];
  let checked: Extract<ReturnType<typeof checkProposal>, { ok: true }> | undefined;
  for (const f of reply.value.value.findings) {
    const file = resolvePartFile(f.file, parts);
    if (file === undefined || !shown(file, f.line)) {
      scope.note(`${id}: dropped a finding that points outside the shown parts: ${JSON.stringify(f)}`);
      continue;
    }
    const finding: FocusedFinding = { severity: f.severity, file, line: f.line, section: f.section, issue: f.issue, suggestion: f.suggestion, edit: false };
    if (f.search.trim() !== "" && f.search !== f.replace) {
      const edit: IntentEdit = { file, search: f.search, replace: f.replace, kind: "inferred", reason: `focused audit of ${id}: ${f.issue}` };
      const attempt = checkProposal({ sources: snapshot.sources, specDir: loaded.config.project.specDir, edits: [...edits, edit] });
      if (attempt.ok) {
        edits.push(edit);
        checked = attempt;
        finding.edit = true;
      } else scope.note(`${id}: the edit for "${f.issue}" is not offered: ${attempt.problems.join("; ")}`);
    }
    findings.push(finding);
  }

  let followUp: { id: string; review: ProposalReview } | undefined;
  if (checked && edits.length > 0 && checked.files.length > 0) {
    const words = [`Focused audit of ${id}'s change by ${model.model}:`, ...findings.filter((f) => f.edit).map((f) => `- ${f.severity} ${f.file}:${f.line} (${f.section}): ${f.issue} Suggestion: ${f.suggestion}`)].join("\n");
    const request = await logRequest(root, { author: `audit model ${model.model}`, kind: "follow-up", words, context: { source: `focused audit of ${id}` }, thread: id, at: now() });
    await logEvent(root, { event: "proposal", id: request.id, at: now(), model: model.model, trace: traceDir, edits, questions: [], assumptions: [], files: fileChanges(checked.files), calls, leftOut: [] });
    followUp = { id: request.id, review: reviewOf({ id: request.id, edits, files: checked.files, hunks: checked.hunks, snapshot, plan: await currentPlan(root), loaded }) };
  }
  await logEvent(root, { event: "audited", id, at: now(), model: model.model, trace: traceDir, calls, promptTokens, parts: parts.map((p) => `${p.file}:${p.from}-${p.to}`), findings, ...(followUp ? { followUp: followUp.id } : {}) });
  await scope.close({ intent: id, calls, ok: true, findings: findings.length, ...(followUp ? { followUp: followUp.id } : {}) });
  return { kind: "audited", id, findings, ...(followUp ? { followUp } : {}), calls, promptTokens, traceDir };
}

/** The model's file name as one of the shown files: exact, else the one with that base name. */
function resolvePartFile(name: string, parts: readonly ChangedPart[]): string | undefined {
  const files = [...new Set(parts.map((p) => p.file))];
  const clean = name.trim().replace(/^\.\//, "");
  if (files.includes(clean)) return clean;
  const base = clean.split("/").pop();
  const matches = files.filter((f) => f.split("/").pop() === base);
  return matches.length === 1 ? matches[0] : undefined;
}

/**
 * An applied entry's change as the audit needs it, read back from its
 * decision (`ask --audit ID`, after a check that failed or was skipped): the
 * files as they are now — refused when one changed since — and the hunks of
 * the applied diff.
 */
export function appliedChangeOf(entry: IntentEntry, sources: ReadonlyMap<string, string>): { ok: true; applied: Pick<ProposalReview, "files" | "hunks"> } | { ok: false; message: string; hint: string } {
  const d = entry.decision;
  if (!d || (d.decision !== "accepted" && d.decision !== "edited") || !d.diff || !d.files) {
    return { ok: false, message: `${entry.id} has no applied change to check (it is ${entry.status})`, hint: "`specwright intent` lists the entries" };
  }
  const changed = d.files.filter((f) => textHash(sources.get(f.file)) !== f.after).map((f) => f.file);
  if (changed.length > 0) return { ok: false, message: `${changed.join(", ")} changed since ${entry.id} was applied; the focused audit checks a change as it was made`, hint: "`specwright audit` checks the specs as they are" };
  const hunks = parseProposalDiff(d.diff);
  const files = d.files.map((f) => ({ file: f.file, before: undefined, after: sources.get(f.file)! }));
  return { ok: true, applied: { files, hunks } };
}

/** The hunks of a diff written by renderProposalDiff (`@@ -a,b +c,d @@ hunk N` headers under `+++ b/<file>`). */
export function parseProposalDiff(diff: string): NumberedHunk[] {
  const out: NumberedHunk[] = [];
  let file = "";
  let current: NumberedHunk | undefined;
  let oldLine = 0;
  let newLine = 0;
  for (const line of diff.replace(/\n$/, "").split("\n")) {
    const header = /^@@ -(\d+),(\d+) \+(\d+),(\d+) @@ hunk (\d+)$/.exec(line);
    if (line.startsWith("+++ b/")) file = line.slice(6);
    else if (line.startsWith("--- ")) continue;
    else if (header) {
      const [oldStart, oldLines, newStart, newLines, number] = header.slice(1).map(Number) as [number, number, number, number, number];
      current = { number, file, hunk: { oldStart, oldLines, newStart, newLines, lines: [] } };
      out.push(current);
      oldLine = oldStart;
      newLine = newStart;
    } else if (current) {
      const text = line.slice(1);
      const kind = line[0];
      const l: DiffLine = kind === "+" ? { kind: "added", text, newLine: newLine++ } : kind === "-" ? { kind: "removed", text, oldLine: oldLine++ } : { kind: "context", text, oldLine: oldLine++, newLine: newLine++ };
      current.hunk.lines.push(l);
    }
  }
  return out;
}

/** Whether an entry's acceptance is audited: not a follow-up's (its edits came from an audit already). */
export function auditsAfterAccept(kind: string): boolean {
  return kind !== "follow-up" && kind !== "confirm" && kind !== "reject-inferred";
}
