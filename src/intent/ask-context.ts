// What was selected where a person asked, spelled out for the editor model:
// the task's title, spec, refs and files (from plan.toml), the finding's text
// (from findings.json), the requirement or component a spec line is in, and
// the refs of the tasks a retro's recommendation is for (where a change must
// go to reach them). A
// request made "from T002" or "about this finding" then means what the person
// was looking at. Also the spec the request is about, for ranking the specs
// into the context budget. Pure: the plan, findings and specs come in.

import { componentsOf, requirementsOf } from "../../grammar/ast.js";
import type { Plan } from "../../plans/plan.js";
import type { FindingsFile } from "../audit/findings.js";
import type { SpecGroup } from "../specs/project-specs.js";
import { namedTasksOf } from "./impact.js";
import type { IntentContext } from "./intent-log.js";

export interface SelectionDetails {
  /** One line per selected thing, for the prompt. */
  lines: string[];
  /** The spec the selection belongs to (a task's or a finding's), when the context did not name one. */
  spec?: string;
}

/** The requirement or component (else the `##` section) of a spec file that holds `line`. */
export function partAt(groups: readonly SpecGroup[], file: string, line: number): string | undefined {
  for (const g of groups) {
    const doc = g.smd.file === file ? g.smd.ast : g.amds.find((a) => a.file === file)?.ast;
    if (!doc) continue;
    const node = doc.kind === "smd" ? requirementsOf(doc).find((r) => r.line <= line && line <= r.endLine) : componentsOf(doc).find((c) => c.line <= line && line <= c.endLine);
    if (node) return "anchor" in node ? `${g.id}#requirements/${node.anchor}` : `${g.id}#components/${node.name}`;
    const section = doc.sections.find((s) => s.line <= line && line <= s.endLine);
    return section ? `${g.id}#${section.name.toLowerCase()}` : g.id;
  }
  return undefined;
}

export function describeSelection(input: { context: IntentContext; groups: readonly SpecGroup[]; plan: Plan | undefined; findings: FindingsFile | undefined }): SelectionDetails {
  const { context } = input;
  const lines: string[] = [];
  let spec: string | undefined;
  if (context.task) {
    const task = input.plan?.tasks.find((t) => t.id === context.task);
    if (task) {
      spec = task.spec;
      lines.push(
        `task ${task.id} "${task.title}" of spec ${task.spec}: refs ${task.refs.length > 0 ? task.refs.join(", ") : "(none)"}; writes ${task.outputs.join(", ") || "(nothing)"}${task.edits.length > 0 ? `; edits ${task.edits.join(", ")}` : ""}${task.notes ? `; notes: ${task.notes}` : ""}`,
      );
    } else lines.push(`task ${context.task} (not in plan.toml now)`);
  }
  // The tasks the request is for (a retro's recommendation names them): a change their refs do not name never reaches their prompt.
  for (const id of (namedTasksOf(context)?.tasks ?? []).filter((t) => t !== context.task)) {
    const task = input.plan?.tasks.find((t) => t.id === id);
    if (!task) {
      lines.push(`task ${id}, which the request is for (not in plan.toml now)`);
      continue;
    }
    spec ??= task.spec;
    lines.push(
      `task ${task.id} "${task.title}" of spec ${task.spec}, which the request is for: its build sees only its refs (${task.refs.length > 0 ? task.refs.join(", ") : "none"}), so make the change inside one of them or it will not reach this task`,
    );
  }
  if (context.finding) {
    const f = input.findings?.findings.find((x) => x.id === context.finding);
    if (f) {
      if (f.spec !== "*") spec ??= f.spec;
      lines.push(`audit finding ${f.id} (${f.severity}, ${f.status}) at ${f.file}:${f.line} in ${f.section || "-"}: ${f.issue} Suggestion: ${f.suggestion || "-"}`);
    } else lines.push(`audit finding ${context.finding} (not in findings.json now)`);
  }
  if (context.file && context.line !== undefined) {
    const part = partAt(input.groups, context.file, context.line);
    if (part) lines.push(`${context.file}:${context.line}, in ${part}`);
  }
  if (!context.spec && context.file) spec ??= input.groups.find((g) => [g.smd, ...g.amds, ...g.vmds].some((f) => f.file === context.file))?.id;
  return { lines, ...(spec !== undefined && !context.spec ? { spec } : {}) };
}
