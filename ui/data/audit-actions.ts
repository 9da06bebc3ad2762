// The audit screen's work that needs the engine: running an audit (the same
// wiring as `specwright audit --fix none`; fixes are then asked for one by
// one), and a fix's replacement text on one prompt line.

import { hasErrors } from "../../grammar/diagnostic.js";
import type { ModelEvent } from "../../models/events.js";
import { readFindings } from "../../src/audit/findings-file.js";
import type { AuditEvent } from "../../src/audit/run-audit.js";
import { runProjectAudit } from "../../src/audit/run-project-audit.js";
import type { LoadedConfig } from "../../src/config/types.js";
import { loadProjectSpecs } from "../../src/specs/project-specs.js";
import { diagnosticLines } from "../format.js";

/** Runs an audit of every spec that changed; returns problem lines when it could not run or failed. */
export async function auditProject(options: {
  loaded: LoadedConfig;
  env: NodeJS.ProcessEnv;
  signal: AbortSignal;
  onEvent(event: AuditEvent): void;
  onModelEvent(event: ModelEvent): void;
}): Promise<string[] | undefined> {
  const { loaded } = options;
  const findings = await readFindings(loaded.root);
  if (!findings.ok) return [findings.problem];
  const specs = await loadProjectSpecs(loaded);
  if (hasErrors(specs.diagnostics)) return ["the specs have errors; fix them before auditing", ...diagnosticLines(specs.diagnostics, specs.sources.map((s) => [s.file, s.text]))];
  if (specs.groups.length === 0) return ["no behaviour specs (*.smd) to audit"];
  const notices: string[] = [];
  const result = await runProjectAudit({
    loaded,
    env: options.env,
    specs,
    findings: findings.file,
    fix: "none",
    maxFixCycles: 0,
    onEvent: options.onEvent,
    onModelEvent: options.onModelEvent,
    onNotice: (message) => notices.push(message),
    signal: options.signal,
  });
  if (result.kind === "not-started") return [result.message, `hint: ${result.hint}`];
  if (result.ok) return undefined;
  if (result.interrupted) return ["audit cancelled; specs audited before it stopped keep their findings"];
  return [result.error.message, `hint: ${result.error.hint}`, `trace: ${result.traceDir}`];
}

/**
 * A multi-line replacement on the one-line prompt: a line break is written
 * `\n` and a backslash `\\`, so any text survives the round trip.
 */
export function replacementToLine(text: string): string {
  return text.replace(/\\/g, "\\\\").replace(/\r?\n/g, "\\n");
}

export function lineToReplacement(line: string): string {
  return line.replace(/\\(\\|n)/g, (_, c: string) => (c === "n" ? "\n" : "\\"));
}
