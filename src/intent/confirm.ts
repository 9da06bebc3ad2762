// Confirming or rejecting [inferred] content without the TUI, and as an
// intent entry of its own: a person deciding that a model's guess is (or is
// not) what they meant is intent like any request. Confirming removes the
// marker; rejecting removes the item (a bullet with its continuation lines,
// or a whole inferred requirement). The specs must still validate; the entry
// records the diff, the spec parts changed and the tasks that will rebuild.

import { componentsOf, requirementsOf } from "../../grammar/ast.js";
import { confirmInferred, inferredItems, type InferredItem } from "../../grammar/inferred-items.js";
import { validateSpecs } from "../../grammar/validate.js";
import type { LoadedConfig } from "../config/types.js";
import { withRunLock } from "../lock.js";
import { specImpact, type SpecImpact } from "./impact.js";
import { appendIntentEvents, intentId, readIntentLog, withIntentLogLock, type IntentContext, type IntentEvent } from "./intent-log.js";
import { fileChanges, numberHunks, renderProposalDiff, type ProposedFile } from "./proposal.js";
import { currentPlan, groupsOf, specSnapshot } from "./review.js";
import { writeSpecText } from "./spec-write.js";

/** `SPEC#anchor` (a requirement or component) or a spec file's line. */
export type InferredTarget = { spec: string; anchor: string } | { file: string; line: number };

export type ConfirmOutcome =
  | { ok: true; id: string; file: string; items: InferredItem[]; diff: string; impact: SpecImpact }
  | { ok: false; message: string; hint: string };

type Located = { file: string; text: string; items: InferredItem[]; context: IntentContext };

function locate(target: InferredTarget, snapshot: Awaited<ReturnType<typeof specSnapshot>>, source: string): Located | { ok: false; message: string; hint: string } {
  if ("file" in target) {
    const text = snapshot.sources.get(target.file);
    if (text === undefined) return { ok: false, message: `${target.file} is not a spec file of the project`, hint: "give a path relative to the project root, e.g. specs/app.smd:12" };
    const items = inferredItems(text, target.file).filter((i) => target.line >= i.line && target.line <= i.endLine);
    if (items.length === 0) return { ok: false, message: `${target.file}:${target.line}: nothing there is marked [inferred]`, hint: "`specwright validate` lists the inferred items of every spec" };
    return { file: target.file, text, items, context: { source, file: target.file, line: target.line } };
  }
  const group = snapshot.groups.find((g) => g.id.toLowerCase() === target.spec.toLowerCase());
  if (!group) return { ok: false, message: `no spec ${target.spec}`, hint: `the specs are ${snapshot.groups.map((g) => g.id).join(", ")}` };
  const anchor = target.anchor.toLowerCase();
  const requirement = requirementsOf(group.smd.ast).find((r) => r.anchor.toLowerCase() === anchor);
  const spans = requirement
    ? [{ file: group.smd.file, text: group.smd.text, from: requirement.line, to: requirement.endLine }]
    : group.amds.flatMap((a) => componentsOf(a.ast).filter((c) => c.name.toLowerCase() === anchor).map((c) => ({ file: a.file, text: a.text, from: c.line, to: c.endLine ?? c.line })));
  const span = spans[0];
  if (!span) return { ok: false, message: `${group.id} has no requirement or component '${target.anchor}'`, hint: "anchors are the {#id} of a ### requirement, or a component's name" };
  const items = inferredItems(span.text, span.file).filter((i) => i.line >= span.from && i.line <= span.to);
  if (items.length === 0) return { ok: false, message: `${group.id}#${target.anchor} has nothing marked [inferred]`, hint: "nothing to confirm" };
  return { file: span.file, text: span.text, items, context: { source, spec: group.id, anchor: target.anchor, file: span.file } };
}

/** Removes lines `from`..`to` (1-based), and one blank line left doubled by it. */
function removeLines(text: string, from: number, to: number): string {
  const crlf = text.includes("\r\n");
  const lines = text.replace(/\r\n/g, "\n").split("\n");
  lines.splice(from - 1, to - from + 1);
  if (lines[from - 2]?.trim() === "" && lines[from - 1]?.trim() === "") lines.splice(from - 1, 1);
  const out = lines.join("\n");
  return crlf ? out.replace(/\n/g, "\r\n") : out;
}

/** The span of an inferred requirement heading: up to the line before the next heading. */
function itemSpan(text: string, item: InferredItem): { from: number; to: number } {
  if (item.kind === "bullet") return { from: item.line, to: item.endLine };
  const lines = text.replace(/\r\n/g, "\n").split("\n");
  let to = item.line;
  while (to < lines.length && !/^#{1,3}\s/.test(lines[to]!)) to++;
  while (to > item.line && lines[to - 1]!.trim() === "") to--;
  return { from: item.line, to };
}

/** `source`: where the person decided ("cli confirm", "tui specs"), kept as the entry's context. */
export async function decideInferred(loaded: LoadedConfig, target: InferredTarget, action: "confirm" | "reject", author: string, options: { now?: string; source?: string } = {}): Promise<ConfirmOutcome> {
  const now = options.now ?? new Date().toISOString();
  const root = loaded.root;
  const locked = await withRunLock(root, `specwright confirm (${action} [inferred])`, async (): Promise<ConfirmOutcome> => {
    const snapshot = await specSnapshot(loaded);
    if (snapshot.errors.length > 0) return { ok: false, message: `the specs have errors: ${snapshot.errors[0]}`, hint: "`specwright validate` shows them" };
    const found = locate(target, snapshot, options.source ?? "cli confirm");
    if ("ok" in found) return found;
    let text = found.text;
    // Bottom-up, so the lines of the items still to do stay where they were.
    for (const item of [...found.items].sort((a, b) => b.line - a.line)) {
      if (action === "confirm") {
        const confirmed = confirmInferred(text, found.file, item.line);
        if (!confirmed.ok) return { ok: false, message: `${found.file}: ${confirmed.problem}`, hint: "edit the file by hand" };
        text = confirmed.text;
      } else {
        const span = itemSpan(text, item);
        text = removeLines(text, span.from, span.to);
      }
    }
    const next = new Map(snapshot.sources).set(found.file, text);
    const errors = validateSpecs([...next].map(([file, t]) => ({ file, text: t }))).diagnostics.filter((d) => d.severity === "error");
    if (errors.length > 0) {
      const e = errors[0]!;
      return { ok: false, message: `not ${action === "confirm" ? "confirmed" : "removed"}: the specs would not validate (${e.file}:${e.line}:${e.column}: ${e.message})`, hint: "edit the spec by hand" };
    }
    const files: ProposedFile[] = [{ file: found.file, before: found.text, after: text }];
    const hunks = numberHunks(files);
    const impact = specImpact({ before: snapshot.groups, after: groupsOf(next), plan: await currentPlan(root), config: loaded.config });
    const verb = action === "confirm" ? "confirmed" : "rejected";
    const words = `${verb} [inferred] in ${found.file}:\n${found.items.map((i) => `- line ${i.line}: ${i.text}`).join("\n")}`;
    const id = await withIntentLogLock(root, async () => {
      const log = await readIntentLog(root);
      const next = intentId(1 + Math.max(0, ...(log.ok ? log.events.map((e) => Number(e.id.slice(2))) : [0])));
      const events: IntentEvent[] = [
        { event: "request", id: next, at: now, author, kind: action === "confirm" ? "confirm" : "reject-inferred", words, context: found.context },
        { event: "decision", id: next, at: now, decision: "accepted", diff: renderProposalDiff(files, hunks), files: fileChanges(files), changed: impact.changed, tasks: impact.tasks.map((t) => t.id) },
      ];
      // The entry first: a crash before the write leaves a decision the spec does not show, which `intent` makes visible; the reverse would lose who decided.
      await appendIntentEvents(root, events);
      return next;
    });
    await writeSpecText(root, found.file, text);
    return { ok: true, id, file: found.file, items: found.items, diff: renderProposalDiff(files, hunks), impact };
  });
  return locked.ok ? locked.value : { ok: false, message: locked.message, hint: locked.hint };
}
