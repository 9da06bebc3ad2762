// The intent log for reading: one row per entry for `specwright intent`, one
// entry whole for `intent I-0007`, and the whole log as Markdown for `--md`.
// Pure: entries in, lines out.

import type { IntentEntry } from "./intent-log.js";

export interface IntentRow {
  id: string;
  at: string;
  author: string;
  status: string;
  /** The first line of the words. */
  words: string;
  specs: string[];
  tasks: string[];
  commits: string[];
}

/** "Jane Doe <jane@x>" → "Jane Doe". */
function shortAuthor(author: string): string {
  return author.replace(/\s*<[^>]*>\s*$/, "");
}

export function intentRow(entry: IntentEntry): IntentRow {
  const firstLine = entry.request.words.replace(/\r\n?/g, "\n").split("\n").find((l) => l.trim() !== "") ?? "";
  return {
    id: entry.id,
    at: entry.request.at,
    author: shortAuthor(entry.request.author),
    status: entry.status,
    words: firstLine.trim(),
    specs: (entry.decision?.files ?? entry.proposal?.files ?? []).map((f) => f.file),
    tasks: entry.decision?.tasks ?? [],
    commits: [...new Set(entry.built.map((b) => b.commit.slice(0, 8)))],
  };
}

/** "2026-12-02T20:13:01.123Z" → "2026-12-02 20:13". */
export function shortTime(at: string): string {
  return at.replace("T", " ").slice(0, 16);
}

function quoted(words: string, prefix: string): string[] {
  return words.replace(/\r\n?/g, "\n").replace(/\n+$/, "").split("\n").map((l) => `${prefix}${l}`);
}

/** One entry whole, as plain text. */
export function entryLines(entry: IntentEntry): string[] {
  const r = entry.request;
  const out = [`${entry.id}  ${entry.status}`, `time:    ${r.at}`, `author:  ${r.author}`, `kind:    ${r.kind}`];
  const c = r.context;
  out.push(`context: ${[c.source, c.spec && `spec ${c.spec}${c.anchor ? `#${c.anchor}` : ""}`, c.file && `${c.file}${c.line ? `:${c.line}` : ""}`, c.finding && `finding ${c.finding}`, c.task && `task ${c.task}`, c.trace && `trace ${c.trace}`, Array.isArray(c.tasks) && c.tasks.length > 0 && `tasks ${c.tasks.join(", ")}`].filter(Boolean).join("; ")}`);
  if (r.thread) out.push(`thread:  follows up ${r.thread}`);
  out.push("", "words:", ...quoted(r.words, "  │ "));
  const p = entry.proposal;
  if (p) {
    out.push("", `proposal: ${p.edits.length} edit${p.edits.length === 1 ? "" : "s"} by ${p.model} (${p.calls} model call${p.calls === 1 ? "" : "s"}; trace ${p.trace})`);
    for (const e of p.edits) out.push(`  ${e.kind.padEnd(8)} ${e.file}: ${e.reason}`);
    if (p.leftOut.length > 0) out.push(`  left out of the prompt for the context budget: ${p.leftOut.join(", ")}`);
    if (p.questions.length > 0) out.push("  questions:", ...p.questions.map((q) => `    - ${q}`));
    if (p.assumptions.length > 0) out.push(`  assumptions${p.assumed ? " (recorded as [inferred])" : ""}:`, ...p.assumptions.map((a) => `    - ${a}`));
  }
  if (entry.problem && (entry.status === "unanswered" || entry.status === "refused")) out.push("", `${entry.status}: ${entry.problem}`);
  const d = entry.decision;
  if (d) {
    out.push("", `decision: ${d.decision} at ${d.at}${d.hunks ? ` (hunks ${d.hunks.join(", ")})` : ""}${d.reason ? ` — ${d.reason}` : ""}`);
    for (const f of d.files ?? []) out.push(`  ${f.file}: sha256 ${f.before.slice(0, 12) || "(new)"} → ${f.after.slice(0, 12)}`);
    if (d.changed && d.changed.length > 0) out.push(`  spec parts: ${d.changed.map((c) => `${c.spec}#${c.ref} (${c.change})`).join(", ")}`);
    if (d.tasks) out.push(`  tasks invalidated: ${d.tasks.length > 0 ? d.tasks.join(", ") : "none"}`);
    if (d.diff) out.push("", "applied diff:", ...d.diff.replace(/\n$/, "").split("\n").map((l) => `  ${l}`));
    if (d.personEdits) out.push("", "the person's edits to the proposal:", ...d.personEdits.split("\n").map((l) => `  ${l}`));
  }
  const a = entry.audit;
  if (a) {
    out.push("", `focused audit: ${a.findings.length === 0 ? "no findings" : `${a.findings.length} finding${a.findings.length === 1 ? "" : "s"}`} by ${a.model} (~${a.promptTokens} prompt tokens over ${a.parts.join(", ")}; trace ${a.trace})`);
    for (const f of a.findings) out.push(`  ${f.severity.padEnd(7)} ${f.file}:${f.line}: ${f.issue}${f.edit ? "" : ` (suggestion only: ${f.suggestion})`}`);
    if (a.followUp) out.push(`  follow-up edits: ${a.followUp}`);
  }
  if (entry.built.length > 0) out.push("", "rebuilt by:", ...entry.built.map((b) => `  ${b.task} in ${b.commit.slice(0, 10)} (${b.at})`));
  return out;
}

/** The whole log as Markdown, oldest first. */
export function logMarkdown(entries: readonly IntentEntry[]): string {
  const out = ["# Intent log", "", `${entries.length} entr${entries.length === 1 ? "y" : "ies"}, from .specwright/intent.jsonl.`];
  for (const e of entries) {
    const row = intentRow(e);
    out.push("", `## ${e.id} — ${row.words.replace(/[#*_`]/g, (m) => `\\${m}`)}`, "", `*${shortTime(e.request.at)} · ${row.author} · ${e.status} · ${e.request.context.source}*`, "", "```text", ...e.request.words.replace(/\r\n?/g, "\n").replace(/\n+$/, "").replace(/```/g, "ʼʼʼ").split("\n"), "```");
    if (e.proposal && e.proposal.questions.length > 0) out.push("", "Questions:", "", ...e.proposal.questions.map((q) => `- ${q}`));
    if (e.decision?.diff) out.push("", `Applied (${e.decision.decision}):`, "", "```diff", ...e.decision.diff.replace(/\n$/, "").split("\n"), "```");
    if (e.decision?.tasks && e.decision.tasks.length > 0) out.push("", `Tasks invalidated: ${e.decision.tasks.join(", ")}`);
    if (e.audit) out.push("", `Focused audit: ${e.audit.findings.length === 0 ? "no findings" : e.audit.findings.map((f) => `${f.severity} ${f.file}:${f.line} ${f.issue}`).join("; ")}${e.audit.followUp ? ` (follow-up edits: ${e.audit.followUp})` : ""}`);
    if (e.built.length > 0) out.push("", `Rebuilt: ${e.built.map((b) => `${b.task} (${b.commit.slice(0, 10)})`).join(", ")}`);
    if (e.problem && (e.status === "unanswered" || e.status === "refused")) out.push("", `${e.status === "unanswered" ? "Unanswered" : "Refused"}: ${e.problem}`);
  }
  return out.join("\n") + "\n";
}
