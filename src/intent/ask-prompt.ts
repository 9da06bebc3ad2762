// What the editor model (role `drafter`) is told for an ask: its rules (a
// byte-stable system text), the person's words verbatim with where they were
// said, the thread it refines, recent requests verbatim, and the spec files
// with line numbers — all of them when they fit the run's context, else the
// specs the request names or matches and their dependencies, saying which it
// left out. The answer is a list of search/replace edits over spec files,
// each explicit or inferred, or clarifying questions.

import type { ChatMessage } from "../../models/call-record.js";
import type { JsonSchema } from "../../models/json-schema.js";
import { numberedFile } from "../audit/audit-prompt.js";
import type { SpecGroup } from "../specs/project-specs.js";
import type { IntentContext, IntentEntry } from "./intent-log.js";

export const ASK_PROMPT_VERSION = 1;

/**
 * Output budget of an ask: a handful of edits, each a few lines of search and
 * replace (a 5-edit answer measures ~600 tokens). 2048 like an audit fix, so a
 * 4096 context still holds a small spec set (bench/ask.ts).
 */
export const ASK_OUTPUT_BUDGET = 2048;

export const ASK_SYSTEM = `You turn a person's request into changes to software specifications. You never write code: the specifications are the source, and code is built from them later.

Spec files: a behaviour spec (.smd) says what the software must do (frontmatter, # title, ## sections such as Overview, Goals, Non-Goals, Assumptions, Decisions, Requirements with ### requirements and **Accepts:** / **Returns:** / **Errors:** fields, Acceptance Criteria); an architecture spec (.amd) says how it is built (### components with @path, **Interface:**, **Contracts:**, **Depends on:**); a verification spec (.vmd) holds test cases. You get the project's spec files with a line number at the start of every line (the numbers are not part of the files).

Answer with JSON only:
- "edits": search/replace edits over spec files only. "file": the spec file's path exactly as in its header; "search": text copied exactly from that file (without line numbers), long enough to occur once — usually one to five whole lines; "replace": that text changed. To create a new spec file give an empty "search" and the whole file as "replace". Edits apply in order.
- each edit's "kind": "explicit" when it states what the person said, "inferred" when it fills a gap the person did not mention (a default, an error case, a consequence elsewhere in the specs). Keep explicit and inferred changes in separate edits. Do not write [inferred] yourself; specwright marks inferred text.
- each edit's "reason": one sentence, quoting the person's words it comes from when explicit.
- "questions": only when the request cannot become a spec change without guessing something that matters; then also give "assumptions": what you would assume for each question. Otherwise both are empty lists.

Change what the request needs, everywhere the specs must agree with it, and nothing else. Keep each file's format. Never touch code, plan.toml or configuration.`;

export const ASK_SCHEMA: JsonSchema = {
  type: "object",
  properties: {
    questions: { type: "array", items: { type: "string" } },
    assumptions: { type: "array", items: { type: "string" } },
    edits: {
      type: "array",
      items: {
        type: "object",
        properties: {
          file: { type: "string", minLength: 1 },
          search: { type: "string" },
          replace: { type: "string" },
          kind: { type: "string", enum: ["explicit", "inferred"] },
          reason: { type: "string" },
        },
        required: ["file", "search", "replace", "kind", "reason"],
      },
    },
  },
  required: ["questions", "edits"],
};

export interface AskReply {
  questions: string[];
  assumptions?: string[];
  edits: { file: string; search: string; replace: string; kind: "explicit" | "inferred"; reason: string }[];
}

export interface AskPromptInput {
  words: string;
  context: IntentContext;
  /** The entry this request refines, with its proposal, when it does. */
  thread?: IntentEntry;
  /** Recent entries, oldest first, quoted verbatim. */
  recent: readonly IntentEntry[];
  groups: readonly SpecGroup[];
  /** A new spec is being drafted at this path. */
  draft?: { file: string; id: string };
  /** What was selected where the person asked, spelled out (ask-context.ts). */
  selection?: readonly string[];
}

export interface AskPrompt {
  messages: ChatMessage[];
  /** Spec files in the prompt, and those left out for the budget. */
  included: string[];
  leftOut: string[];
}

function groupFiles(g: SpecGroup): { file: string; text: string }[] {
  return [g.smd, ...g.amds, ...g.vmds].map((f) => ({ file: f.file, text: f.text }));
}

function describeContext(c: IntentContext): string {
  const parts = [`said in: ${c.source}`];
  if (c.spec || c.anchor) parts.push(`selected: ${c.spec ?? ""}${c.anchor ? `#${c.anchor}` : ""}`);
  if (c.file) parts.push(`file: ${c.file}${c.line ? `:${c.line}` : ""}`);
  if (c.finding) parts.push(`finding: ${c.finding}`);
  if (c.task) parts.push(`task: ${c.task}`);
  if (c.trace) parts.push(`trace: ${c.trace}`);
  return parts.join("; ");
}

function quote(words: string): string {
  return `<<<\n${words.replace(/\r\n?/g, "\n").replace(/\n+$/, "")}\n>>>`;
}

function recentText(recent: readonly IntentEntry[]): string {
  if (recent.length === 0) return "";
  const lines = recent.map((e) => `${e.id} (${e.status}):\n${quote(e.request.words)}`);
  return `Earlier requests in this project, oldest first (already handled; for context only):\n${lines.join("\n")}`;
}

function threadText(thread: IntentEntry | undefined): string {
  if (!thread) return "";
  const parts = [`This request follows up ${thread.id}, whose words were:\n${quote(thread.request.words)}`];
  const p = thread.proposal;
  if (p && p.questions.length > 0) parts.push(`You asked:\n${p.questions.map((q) => `- ${q}`).join("\n")}\nThe request below answers you.`);
  if (p && p.edits.length > 0) parts.push(`You proposed (status: ${thread.status}):\n${JSON.stringify(p.edits.map((e) => ({ file: e.file, search: e.search, replace: e.replace, kind: e.kind })))}\nThe request below refines that proposal: give the complete edits again, refined, against the files as they are now.`);
  return parts.join("\n");
}

/**
 * Specs in the order they should get room: those the request or its context
 * names (id, file name or a requirement anchor), then their dependencies, then
 * the rest by how many of the request's words their text holds.
 */
export function rankSpecs(groups: readonly SpecGroup[], words: string, context: IntentContext): SpecGroup[] {
  const lower = words.toLowerCase();
  const named = (g: SpecGroup) =>
    context.spec?.toLowerCase() === g.id.toLowerCase() ||
    (context.file !== undefined && groupFiles(g).some((f) => f.file === context.file)) ||
    new RegExp(`\\b${g.id.toLowerCase().replace(/[^a-z0-9_]/g, ".")}\\b`).test(lower) ||
    groupFiles(g).some((f) => lower.includes(f.file.split("/").pop()!.replace(/\.[a-z]+$/, "").toLowerCase()));
  const terms = new Set(lower.match(/[a-z][a-z0-9_-]{3,}/g) ?? []);
  const score = (g: SpecGroup) => {
    const text = groupFiles(g)
      .map((f) => f.text.toLowerCase())
      .join("\n");
    let n = 0;
    for (const t of terms) if (text.includes(t)) n++;
    return n;
  };
  const first = groups.filter(named);
  const deps = new Set<string>();
  const visit = (id: string) => {
    const g = groups.find((x) => x.id === id);
    for (const d of g?.depends ?? []) {
      if (deps.has(d)) continue;
      deps.add(d);
      visit(d);
    }
  };
  for (const g of first) visit(g.id);
  const second = groups.filter((g) => !first.includes(g) && deps.has(g.id));
  const rest = groups.filter((g) => !first.includes(g) && !second.includes(g)).sort((a, b) => score(b) - score(a));
  return [...first, ...second, ...rest];
}

/**
 * The ask's messages. `fits` says whether a candidate prompt fits the run's
 * context; specs are added in rank order while it does (all of them when the
 * whole set fits), and the prompt names what it left out.
 */
export function askPrompt(input: AskPromptInput, fits: (messages: ChatMessage[]) => boolean = () => true): AskPrompt {
  const ranked = rankSpecs(input.groups, input.words, input.context);
  const build = (included: SpecGroup[]): AskPrompt => {
    const leftOut = ranked.filter((g) => !included.includes(g)).flatMap(groupFiles).map((f) => f.file);
    // Files keep the project's order so the prompt prefix is stable across asks.
    const files = input.groups.filter((g) => included.includes(g)).flatMap(groupFiles);
    const parts = [
      `The project's spec files (${files.length}):`,
      ...files.map(numberedFile),
      leftOut.length > 0 ? `Left out to fit the context (exist, not shown; do not edit them): ${leftOut.join(", ")}` : "",
      recentText(input.recent),
      threadText(input.thread),
      input.draft
        ? `Draft a new behaviour spec at ${input.draft.file} with id ${input.draft.id} from the request below, in this shape: frontmatter (id, status: draft, depends), # title, ## Overview whose text ends with a **Success metric:** line, ## Goals, ## Non-Goals, ## Assumptions, ## Decisions, ## Requirements (### title {#anchor} with **Accepts:**, **Returns:**, **Errors:** bullets "- condition -> response"), ## Acceptance Criteria. Create the file with one explicit edit holding the frontmatter, the title, the section headings and what the person said; then add every item the person did not say with its own inferred edit (search: the section heading line; replace: that line followed by the new items).`
        : "",
      input.selection && input.selection.length > 0 ? `What the request is about (what was selected when asking, the tasks it is for):\n${input.selection.map((l) => `- ${l}`).join("\n")}` : "",
      `The person's request (verbatim; ${describeContext(input.context)}):\n${quote(input.words)}`,
      "Give the edits, or questions when you must.",
    ].filter((p) => p !== "");
    return { messages: [{ role: "system", content: ASK_SYSTEM }, { role: "user", content: parts.join("\n\n") }], included: files.map((f) => f.file), leftOut };
  };
  const whole = build([...ranked]);
  if (fits(whole.messages)) return whole;
  const included: SpecGroup[] = [];
  let best = build([]);
  for (const g of ranked) {
    const candidate = build([...included, g]);
    if (!fits(candidate.messages)) continue;
    included.push(g);
    best = candidate;
  }
  return best;
}

/** The corrective turn after an answer whose edits did not apply or broke the specs. */
export function askRetryMessage(problems: readonly string[]): ChatMessage {
  return {
    role: "user",
    content: `Your edits could not be used:\n${problems.map((p) => `- ${p}`).join("\n")}\nAnswer again with the complete corrected JSON: every edit, each search text copied exactly from the current file.`,
  };
}
