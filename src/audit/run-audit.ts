// The audit engine: per spec (only when its files, the model or the prompt
// changed) a structured call for findings, a cross-spec call when there are
// several specs, then fixes by the fixer role, re-auditing what changed, up
// to the configured cycles. It emits events and never prints.

import { PLAN_SCOPE } from "../planning/plan-review.js";
import { createHash } from "node:crypto";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { estimateMessagesTokens } from "../../models/context-budget.js";
import type { CallRecorder } from "../../models/call-record.js";
import type { ModelError } from "../../models/errors.js";
import { validateSpecs } from "../../grammar/validate.js";
import type { ModelSession } from "../model-session.js";
import type { SpecGroup } from "../specs/project-specs.js";
import {
  AUDIT_PROMPT_VERSION,
  FINDINGS_SCHEMA,
  auditMessages,
  crossSpecMessages,
  type NumberedFile,
} from "./audit-prompt.js";
import { mergeAudit, type Finding, type FindingReport, type FindingsFile } from "./findings.js";
import { writeFindings } from "./findings-file.js";
import { FIX_OUTPUT_BUDGET, applyFix, proposeFix } from "./spec-fix.js";

export { FIX_OUTPUT_BUDGET };

export type FixMode = "errors" | "none" | "all";

export type AuditEvent =
  | { type: "audit-spec-cached"; spec: string; findings: number }
  | { type: "audit-spec-started"; spec: string; files: string[]; estimatedTokens: number }
  | { type: "audit-spec-finished"; spec: string; added: Finding[]; kept: Finding[]; resolved: Finding[] }
  | { type: "finding-dropped"; spec: string; report: FindingReport; reason: string }
  | { type: "fix-started"; finding: Finding }
  | { type: "fix-applied"; finding: Finding; file: string }
  | { type: "fix-rejected"; finding: Finding; reason: string }
  | { type: "audit-cycle"; cycle: number; of: number };

export interface AuditInput {
  root: string;
  groups: SpecGroup[];
  findings: FindingsFile;
  session: ModelSession;
  fix: FixMode;
  maxFixCycles: number;
  /** A recorder for one call (the trace), or undefined to record nothing. */
  recorder: (caller: string) => CallRecorder | undefined;
  onEvent: (event: AuditEvent) => void;
  /** Notes for the run's trace (dropped findings, rejected fixes). */
  note: (text: string) => void;
  now?: () => string;
}

export type AuditOutcome =
  | { ok: true; calls: number; fixesApplied: number }
  | { ok: false; error: ModelError; calls: number; fixesApplied: number };

/** Output budget of an audit answer: findings are short, but a dozen of them with suggestions is a few thousand tokens. */
export const AUDIT_OUTPUT_BUDGET = 4096;

function hash(parts: readonly string[]): string {
  const h = createHash("sha256");
  for (const p of parts) h.update(p).update("\u0000");
  return h.digest("hex");
}

function filesOf(group: SpecGroup): NumberedFile[] {
  return [group.smd, ...group.amds].map((f) => ({ file: f.file, text: f.text }));
}

/** Estimated prompt tokens of every audit call, so the run's num_ctx fits the largest. */
export function auditPromptSizes(groups: readonly SpecGroup[]): { perSpec: Map<string, number>; cross: number } {
  const perSpec = new Map(groups.map((g) => [g.id, estimateMessagesTokens(auditMessages(g.id, filesOf(g)))]));
  const cross = groups.length > 1 ? estimateMessagesTokens(crossSpecMessages(groups.flatMap(filesOf))) : 0;
  return { perSpec, cross };
}

export async function runAudit(input: AuditInput): Promise<AuditOutcome> {
  const now = input.now ?? (() => new Date().toISOString());
  let calls = 0;
  let fixesApplied = 0;
  let groups = input.groups;
  const cycles = input.fix === "none" ? 0 : input.maxFixCycles;

  for (let cycle = 0; ; cycle++) {
    if (cycles > 0) input.onEvent({ type: "audit-cycle", cycle: cycle + 1, of: cycles + 1 });
    const audited = await auditAll(groups);
    if (!audited.ok) return { ok: false, error: audited.error, calls, fixesApplied };
    if (cycle >= cycles) break;
    const fixed = await fixOpen();
    if (!fixed.ok) return { ok: false, error: fixed.error, calls, fixesApplied };
    if (fixed.applied === 0) break;
    groups = await reloadGroups(groups);
  }
  return { ok: true, calls, fixesApplied };

  async function auditAll(current: SpecGroup[]): Promise<{ ok: true } | { ok: false; error: ModelError }> {
    const run = await input.session.run("audit");
    if (!run.ok) return run;
    const model = run.value;
    const targets: { spec: string; files: NumberedFile[]; messages: ReturnType<typeof auditMessages> }[] = current.map((g) => ({
      spec: g.id,
      files: filesOf(g),
      messages: auditMessages(g.id, filesOf(g)),
    }));
    if (current.length > 1) {
      const files = current.flatMap(filesOf);
      targets.push({ spec: "*", files, messages: crossSpecMessages(files) });
    }
    for (const target of targets) {
      const key = hash([`audit-v${AUDIT_PROMPT_VERSION}`, model.model, model.facts.digest ?? "", ...target.files.flatMap((f) => [f.file, f.text])]);
      const cached = input.findings.audits[target.spec];
      if (cached?.key === key) {
        input.onEvent({ type: "audit-spec-cached", spec: target.spec, findings: cached.findings });
        continue;
      }
      input.onEvent({
        type: "audit-spec-started",
        spec: target.spec,
        files: target.files.map((f) => f.file),
        estimatedTokens: estimateMessagesTokens(target.messages),
      });
      const caller = target.spec === "*" ? "audit-cross" : `audit-${target.spec}`;
      const reply = await model.callStructured<{ findings: FindingReport[] }>({
        caller,
        messages: target.messages,
        schema: FINDINGS_SCHEMA,
        outputBudget: AUDIT_OUTPUT_BUDGET,
        recorder: () => input.recorder(caller) ?? noRecorder,
      });
      calls += reply.ok ? reply.value.asks : 1;
      if (!reply.ok) return reply;
      const reports = keepLocatable(target.spec, target.files, reply.value.value.findings);
      const merged = mergeAudit(input.findings, target.spec, reports, now());
      input.findings.audits[target.spec] = { key, auditedAt: now(), findings: reports.length };
      // Saved after every spec: if Ollama goes away mid-audit, what was learned stays.
      await writeFindings(input.root, input.findings);
      input.onEvent({ type: "audit-spec-finished", spec: target.spec, ...merged });
    }
    return { ok: true };
  }

  /** Findings must point at a line that exists in a file of the spec; others are dropped with a note. */
  function keepLocatable(spec: string, files: readonly NumberedFile[], reports: FindingReport[]): FindingReport[] {
    const lineCounts = new Map(files.map((f) => [f.file, f.text.replace(/\r\n?/g, "\n").replace(/\n$/, "").split("\n").length]));
    const kept: FindingReport[] = [];
    for (const report of reports) {
      const file = resolveFile(report.file, [...lineCounts.keys()]);
      const reason =
        file === undefined
          ? `file ${JSON.stringify(report.file)} is not one of ${[...lineCounts.keys()].join(", ")}`
          : report.line < 1 || report.line > lineCounts.get(file)!
            ? `line ${report.line} does not exist in ${file} (${lineCounts.get(file)} lines)`
            : undefined;
      if (reason !== undefined || file === undefined) {
        input.onEvent({ type: "finding-dropped", spec, report, reason: reason ?? "" });
        input.note(`dropped finding for ${spec}: ${reason} — ${JSON.stringify(report)}`);
        continue;
      }
      kept.push({ ...report, file });
    }
    return kept;
  }

  async function fixOpen(): Promise<{ ok: true; applied: number } | { ok: false; error: ModelError }> {
    const wanted = input.findings.findings.filter(
      // Cross-spec findings name several specs, and the plan judge's (PLAN-n) are about plan.toml: the fixer edits one spec.
      (f) => f.status === "open" && f.spec !== "*" && f.spec !== PLAN_SCOPE && (input.fix === "all" || f.severity === "error"),
    );
    if (wanted.length === 0) return { ok: true, applied: 0 };
    const run = await input.session.run("fixer");
    if (!run.ok) return run;
    let applied = 0;
    for (const finding of wanted) {
      input.onEvent({ type: "fix-started", finding });
      const proposed = await proposeFix({ root: input.root, groups, finding, model: run.value, recorder: input.recorder });
      calls += proposed.asks;
      if (!proposed.ok) return proposed;
      const result = proposed.check.ok ? await applyFix(input.root, proposed.check.fix, now()) : proposed.check;
      if (!result.ok) {
        input.onEvent({ type: "fix-rejected", finding, reason: result.reason });
        input.note(`fix for ${finding.id} rejected: ${result.reason}`);
        continue;
      }
      await writeFindings(input.root, input.findings);
      applied++;
      fixesApplied++;
      input.onEvent({ type: "fix-applied", finding, file: finding.file });
    }
    return { ok: true, applied };
  }

  async function reloadGroups(current: SpecGroup[]): Promise<SpecGroup[]> {
    const files = current.flatMap((g) => [g.smd, ...g.amds, ...g.vmds]);
    const texts = await Promise.all(files.map(async (f) => ({ file: f.file, text: await readFile(join(input.root, f.file), "utf8") })));
    const validation = validateSpecs(texts);
    const byFile = new Map(validation.files.map((p) => [p.file, p]));
    const textOf = new Map(texts.map((t) => [t.file, t.text]));
    return current.map((g) => {
      const refresh = <D>(f: { file: string; text: string; ast: D }) => {
        const parsed = byFile.get(f.file);
        return parsed && "ast" in parsed && parsed.ast ? { file: f.file, text: textOf.get(f.file) ?? f.text, ast: parsed.ast as D } : f;
      };
      return { ...g, smd: refresh(g.smd), amds: g.amds.map(refresh), vmds: g.vmds.map(refresh) };
    });
  }
}

/** Where a model's file name points: exact, else the one spec file with that base name. */
function resolveFile(name: string, files: readonly string[]): string | undefined {
  const clean = name.trim().replace(/^\.\//, "");
  if (files.includes(clean)) return clean;
  const base = clean.split("/").pop();
  const matches = files.filter((f) => f.split("/").pop() === base);
  return matches.length === 1 ? matches[0] : undefined;
}

const noRecorder: CallRecorder = {
  started: async () => undefined,
  delta: () => undefined,
  finished: async () => undefined,
};
