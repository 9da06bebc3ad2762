// What a build task's model is told (DESIGN.md §5, §8): byte-stable system
// rules, then the project brief, the task's spec refs, the architecture of the
// components it writes, the interfaces of its dependencies' files, its context
// files, and last the task and the files to write. Fix attempts and re-asks
// continue the same conversation. Pure: values in, messages out.
//
// Order and layout serve Ollama's prefix cache, which reuses the longest run of
// identical prompt tokens from the start:
// - The system message is one constant for every task of every project (no
//   language, no names), so it is cached once per loaded model.
// - Then the parts from the most widely shared to the most task-specific: the
//   brief is shared by every task of a spec; refs are rendered in the spec's
//   order, so two tasks that both ref `constraints` share it as a prefix too;
//   the task itself and the files to edit come last.
// - Everything goes into ONE user message. The cache works on the rendered
//   token stream, so splitting into several user messages would not cache more;
//   and two user turns in a row are mishandled by some chat templates and read
//   by some models as two requests. A fix attempt appends (assistant reply,
//   user failure) to the messages sent before, so the whole previous attempt
//   is a cached prefix.
// - Nothing varies between equal inputs: no timestamps, ids or attempt
//   counters before the per-attempt messages; every list is in a canonical order.

import { estimateTokens } from "../../models/token-estimate.js";
import { Conversation } from "../../models/conversation.js";
import type { ChatMessage } from "../../models/call-record.js";
import type { Task } from "../../plans/plan.js";
import type { TaskKeyParts } from "../../plans/task-key.js";
import { renderComponent } from "../../grammar/render.js";
import type { SpecGroup } from "../specs/project-specs.js";
import { firstInvalidUtf8 } from "../text/decode-source.js";
import { extractPublicInterface, type PublicInterface } from "./public-interface.js";
import { type RenderedRef, architectureFor, componentsWriting, dataModelsFor, overviewText, renderDataModel, renderTaskRefs } from "./task-refs.js";
import { checkItems, type AcceptedIntent } from "./review-items.js";
import type { ReviewMaterial } from "./review-prompt.js";
import { PROMPT_TAIL_MAX_CHARS, trimOutputForPrompt } from "./verify-failure.js";

/** Part of every task key: bump when the system rules or the layout of the prompt change. */
export const TASK_PROMPT_VERSION = 1;

const EXAMPLE_REPLY = [
  "src/wc_lite/counter.py",
  "```python",
  "def count_words(text: str) -> int:",
  "    return len(text.split())",
  "```",
].join("\n");

/** The build role's system rules: one byte-stable text for every task (see the top of this module). */
export const TASK_SYSTEM = [
  "You are a code generator. You write the files of one task of a software project, exactly as its specification says. Your files are saved as you write them and then checked by the task's verify commands.",
  "",
  "Answer format:",
  "- Write each file as a line holding only its path, relative to the output directory, followed by a fenced code block that holds the entire file. For example:",
  "",
  EXAMPLE_REPLY,
  "",
  "- If a file itself contains lines that start with ```, fence it with four backticks (````) instead of three.",
  "- Write every file listed under \"Files to write\", each one whole: never \"rest unchanged\", \"...\", placeholders or TODOs.",
  "- Write only the listed files. Other files are not saved, so everything the task needs goes into the listed files.",
  "- No explanations are needed, and no other code blocks: every fenced block must be a file.",
  "",
  "How to read the specification:",
  "- Requirements say what the code must do; Errors say how each failure must be handled; Examples show exact inputs and outputs.",
  "- Decisions and Constraints are settled: follow them and do not revisit them. Non-Goals must not be built.",
  "- Text marked [inferred] was added by a model and not yet confirmed by a person. It has less authority than unmarked text: when the two conflict, follow the unmarked text.",
  "- The components you write have Contracts: meet every one. Keep their Interface exactly: the same names, parameters and types.",
  "- Files from earlier tasks already exist and are not yours to change: use their names, signatures and import paths exactly as shown.",
].join("\n");

/** The one-line restatement of the protocol used in the task, re-asks and fix requests. */
const PROTOCOL_LINE =
  "each as its path alone on one line followed by a fenced code block holding the entire file, and no other code blocks";
const PROTOCOL_LINE_ONE_FILE =
  "as its path alone on one line followed by a fenced code block holding the entire file, and no other code blocks";

// ---------------------------------------------------------------------------
// Input and output.

/** What the brief says about the project and the spec; the same for every task of a spec. */
export interface ProjectBrief {
  projectName: string;
  /** The target language as configured ("python", "rust"). */
  language: string;
  /** A framework named beside the language (output.framework, e.g. "django"); "" for none. */
  framework: string;
  /** The output dir, relative to the project root; every path in the prompt is relative to it. */
  outputDir: string;
  specId: string;
  specTitle: string;
  /** The SMD's Overview text (see `projectBrief`). When it is, a ref to `overview` is not repeated. */
  overview: string;
}

/** A file from the project's context dir: text is inlined, anything else only listed with its size. */
export interface ContextFileInput {
  /** Relative to the project root, e.g. "context/words.txt". */
  path: string;
  /** Bytes as read (binary detection: a NUL byte or invalid UTF-8), or text already decoded. */
  content: Uint8Array | string;
}

/** The output files of one dependency task, as it last wrote them. */
export interface DependencyFiles {
  id: string;
  title: string;
  files: { path: string; content: string }[];
}

export interface TaskPromptInput {
  task: Task;
  spec: SpecGroup;
  brief: ProjectBrief;
  /** The task's direct dependencies (`depends_on`). Order does not matter. */
  dependencies: readonly DependencyFiles[];
  /** The task's context files. Order does not matter. */
  context: readonly ContextFileInput[];
  /** Current content of the task's `edits` files; an edit without an entry is shown as missing. */
  edits: readonly { path: string; content: string }[];
  /**
   * Accepted requests of the project's intent log that changed a part this
   * prompt holds (src/intent/intent-links.ts), for the judge only: their
   * spec change is already in the refs, hence in the key; the build prompt
   * holds the spec, not the conversation that led to it.
   */
  acceptedIntents?: readonly AcceptedIntent[];
}

/** The estimated size of one part of the prompt, for the UI and over-budget messages. */
export interface PromptSection {
  /** "system", "brief", "spec", "architecture", "dependencies", "context" or "task". */
  name: string;
  tokens: number;
  /** The largest contributors inside the part: refs, dependency files, context files, edited files. */
  items?: { name: string; tokens: number }[];
}

export interface TaskPrompt {
  /** System rules, then one user message with every part in cache order. */
  messages: ChatMessage[];
  /** The files the reply must hold: outputs, then edits, as written in the plan. */
  expectedFiles: string[];
  /** Each resolved ref with its text as the prompt holds it, in prompt order; the task key hashes them one by one. */
  refTexts: { ref: string; text: string }[];
  /** Refs of the task that do not resolve (a stale plan): the engine should fail the task rather than build without them. */
  unresolvedRefs: string[];
  /** Per-part token estimates, in prompt order, only the parts present. */
  sections: PromptSection[];
  /** The texts of the parts the task key hashes whole. */
  parts: { system: string; brief: string; architecture: string };
  /** What the implementation judge is shown besides the files: the same brief, refs, architecture and interfaces, and the items to check. */
  review: ReviewMaterial;
}

// ---------------------------------------------------------------------------

/** The brief of a spec: its title and Overview from the SMD, the rest from the project's config. */
export function projectBrief(spec: SpecGroup, project: { name: string; language: string; framework?: string; outputDir: string }): ProjectBrief {
  return {
    projectName: project.name,
    language: project.language,
    framework: project.framework ?? "",
    outputDir: project.outputDir,
    specId: spec.id,
    specTitle: spec.title,
    overview: overviewText(spec),
  };
}

/** Assembles the prompt of one build task. Byte-stable: equal inputs give equal messages. */
export function assembleTaskPrompt(input: TaskPromptInput): TaskPrompt {
  const { task, brief } = input;
  const sections: PromptSection[] = [{ name: "system", tokens: estimateTokens(TASK_SYSTEM) }];
  const parts: string[] = [];
  const add = (name: string, text: string, items?: { name: string; tokens: number }[] | undefined) => {
    if (text === "") return;
    parts.push(text);
    sections.push(items === undefined ? { name, tokens: estimateTokens(text) } : { name, tokens: estimateTokens(text), items });
  };

  const briefText = renderBrief(brief);
  add("brief", briefText);

  const overviewInBrief = brief.overview.trim() !== "" && brief.overview.trim() === overviewText(input.spec);
  const refs = renderTaskRefs(input.spec, task.refs, { overviewInBrief });
  add(
    "spec",
    renderSpecPart(brief, refs.refs),
    refs.refs.map((r) => ({ name: r.ref, tokens: estimateTokens(r.text) })),
  );

  const expectedFiles = unique([...task.outputs, ...task.edits]);
  const architectureText = renderArchitecture(input.spec, expectedFiles, refs.refs);
  add("architecture", architectureText);

  const dependencies = renderDependencies(input.dependencies);
  add("dependencies", dependencies.text, dependencies.items);
  const reviewContext = parts.slice();

  const context = renderContext(input.context);
  add("context", context.text, context.items);

  const taskPart = renderTask(task, input.edits);
  add("task", taskPart.text, taskPart.items);

  return {
    messages: [
      { role: "system", content: TASK_SYSTEM },
      { role: "user", content: parts.join("\n\n") },
    ],
    expectedFiles,
    refTexts: refs.refs.map((r) => ({ ref: r.ref, text: r.text })),
    unresolvedRefs: refs.unresolved,
    sections,
    parts: { system: TASK_SYSTEM, brief: briefText, architecture: architectureText },
    review: {
      context: reviewContext.join("\n\n"),
      items: checkItems(input.spec, refs.refs, architectureFor(input.spec, expectedFiles, refs.refs), input.acceptedIntents),
    },
  };
}

/**
 * The task-key parts that come from the prompt. The engine adds the task's
 * plan fields, the model and options, context and dependency hashes, and verify.
 */
export function promptKeyParts(prompt: TaskPrompt): Pick<TaskKeyParts, "system" | "brief" | "refTexts" | "architecture" | "templateVersion"> {
  return {
    system: prompt.parts.system,
    brief: prompt.parts.brief,
    refTexts: prompt.refTexts,
    architecture: prompt.parts.architecture,
    templateVersion: TASK_PROMPT_VERSION,
  };
}

// ---------------------------------------------------------------------------
// After the first attempt. Each request comes in two forms: continuing the
// conversation (the previous messages unchanged, so they are a cached prefix,
// then the model's reply, then the request), and fresh (the first prompt with
// the request appended to its last message, without the reply), for when the
// conversation would not fit the run's context. The first prompt stays the
// cached prefix in both.

/** A verify command that failed, as a fix request shows it. */
export interface VerifyFailureText {
  command: string;
  output: string;
  attempt: number;
}

function fixRequest(failure: VerifyFailureText, fresh: boolean): string {
  const output = trimOutputForPrompt(failure.output);
  const shown = output === "" ? "(no output)" : output;
  const fence = fenceFor(shown);
  return [
    fresh
      ? `An earlier answer to this task failed verify (attempt ${failure.attempt}). This command, run in the output directory, did not succeed:`
      : `Verify failed after attempt ${failure.attempt}. This command, run in the output directory, did not succeed:`,
    "",
    `$ ${failure.command}`,
    `${fence}text`,
    shown,
    fence,
    "",
    fresh
      ? `Fix the cause. Answer with every listed file, complete and corrected, ${PROTOCOL_LINE}.`
      : `Fix the cause. Answer with every listed file again, complete and corrected, ${PROTOCOL_LINE}.`,
  ].join("\n");
}

/**
 * Tokens a fix request can add besides the reply it follows: its fixed text,
 * the command, and a verify output trimmed to PROMPT_TAIL_MAX_CHARS, charged
 * at the estimator's costliest rate for ASCII text (one token per two
 * characters of punctuation). Output that costs more still gets through: the
 * attempt loop then sends a shorter form of the conversation.
 */
export const FIX_REQUEST_TOKENS = estimateTokens(fixRequest({ command: "x".repeat(120), output: "", attempt: 9 }, true)) + Math.ceil(PROMPT_TAIL_MAX_CHARS / 2);

/**
 * A fix attempt: the previous messages unchanged (so they are a cached prefix),
 * the model's reply, then the failed verify command with its output trimmed to
 * the useful tail, and the request to send every file again, corrected.
 */
export function fixMessages(previous: readonly ChatMessage[], reply: string, failure: VerifyFailureText): ChatMessage[] {
  return new Conversation(previous).continueWith(reply, fixRequest(failure, false)).toArray();
}

/** A fix attempt without the failed reply: the first prompt with the failure appended. */
export function freshFixMessages(first: readonly ChatMessage[], failure: VerifyFailureText): ChatMessage[] {
  return appendToLast(first, fixRequest(failure, true));
}

/** A re-ask after a malformed reply: the parser's problem quoted, the protocol restated in one line. */
export function reaskMessages(previous: readonly ChatMessage[], reply: string, problem: string): ChatMessage[] {
  const request = `Your answer could not be used: ${problem}.\n\nAnswer again with every listed file, whole, ${PROTOCOL_LINE}.`;
  return new Conversation(previous).continueWith(reply, request).toArray();
}

/** A re-ask without the malformed reply: the first prompt with the problem appended. */
export function freshReaskMessages(first: readonly ChatMessage[], problem: string): ChatMessage[] {
  return appendToLast(first, `An earlier answer to this task could not be used: ${problem}.\n\nAnswer with every listed file, whole, ${PROTOCOL_LINE}.`);
}

/** What a reply cut at the output limit left, and what to ask for next. */
export interface CutReply {
  /** The output limit the reply hit, in tokens. */
  limit: number;
  /** Files that arrived complete (in this or an earlier cut reply of the attempt) and are kept. */
  kept: readonly string[];
  /** The files to send now: the rest, or only the next one when nothing arrived complete. */
  asked: readonly string[];
}

function piecesRequest(cut: CutReply, fresh: boolean): string {
  const opening = fresh ? `An earlier answer to this task was cut off at the output limit (${cut.limit} tokens)` : `Your answer was cut off at the output limit (${cut.limit} tokens)`;
  const kept = cut.kept.length === 0 ? " before any file was complete" : `; these files arrived complete and are kept: ${cut.kept.join(", ")}`;
  const what = cut.asked.length === 1 ? `only ${cut.asked[0]!}, whole` : `only these files, each whole: ${cut.asked.join(", ")}`;
  return `${opening}${kept}.\n\nSend ${what} — ${cut.asked.length === 1 ? PROTOCOL_LINE_ONE_FILE : PROTOCOL_LINE}, with no explanations before or after.`;
}

/** After a cut reply: the complete part of it kept in the conversation, and the request for the files still missing. */
export function piecesMessages(previous: readonly ChatMessage[], completePart: string, cut: CutReply): ChatMessage[] {
  return new Conversation(previous).continueWith(completePart, piecesRequest(cut, false)).toArray();
}

/** After a cut reply, without it: the first prompt with the request for the files still missing. */
export function freshPiecesMessages(first: readonly ChatMessage[], cut: CutReply): ChatMessage[] {
  return appendToLast(first, piecesRequest(cut, true));
}

/** The messages with `text` appended to the last one (the first prompt's one user message). */
function appendToLast(messages: readonly ChatMessage[], text: string): ChatMessage[] {
  const out = messages.map((m) => ({ ...m }));
  const last = out.at(-1);
  if (last === undefined || last.role !== "user") throw new Error("a first prompt ends with its user message");
  last.content = `${last.content}\n\n${text}`;
  return out;
}

// ---------------------------------------------------------------------------
// The parts.

function renderBrief(brief: ProjectBrief): string {
  const lines = [
    "# Project",
    "",
    `Project: ${brief.projectName}. Language: ${brief.language}${brief.framework === "" ? "" : ` (framework: ${brief.framework})`}. Output directory: ${trimSlash(brief.outputDir)}/ (every path below is relative to it).`,
    "",
    `Spec ${brief.specId}: ${brief.specTitle}`,
  ];
  if (brief.overview.trim() !== "") lines.push("", brief.overview.trim());
  return lines.join("\n");
}

/**
 * The components the task writes that its refs lack, and the data models
 * those components (in refs or not) name. Empty when the refs say it all.
 */
function renderArchitecture(spec: SpecGroup, files: readonly string[], refs: readonly RenderedRef[]): string {
  const components = architectureFor(spec, files, refs);
  const models = dataModelsFor(spec, componentsWriting(spec, files), refs);
  if (components.length === 0 && models.length === 0) return "";
  const out = ["# Architecture of the files you write"];
  if (components.length > 0) out.push(["## Components", ...components.map((c) => renderComponent(c).trimEnd())].join("\n\n"));
  if (models.length > 0) out.push(["## Data Models", ...models.map((m) => renderDataModel(m).trimEnd())].join("\n\n"));
  return out.join("\n\n");
}

function renderSpecPart(brief: ProjectBrief, refs: readonly { kind: string; text: string }[]): string {
  if (refs.length === 0) return "";
  const out = [`# Specification ${brief.specId}: the parts this task needs`];
  const sections = refs.filter((r) => r.kind === "section");
  const requirements = refs.filter((r) => r.kind === "requirement");
  const components = refs.filter((r) => r.kind === "component");
  out.push(...sections.map((r) => r.text.trimEnd()));
  if (requirements.length > 0) out.push(["## Requirements", ...requirements.map((r) => r.text.trimEnd())].join("\n\n"));
  if (components.length > 0) out.push(["## Components", ...components.map((r) => r.text.trimEnd())].join("\n\n"));
  return out.join("\n\n");
}

function renderDependencies(dependencies: readonly DependencyFiles[]): { text: string; items: { name: string; tokens: number }[] } {
  const withFiles = [...dependencies].filter((d) => d.files.length > 0).sort((a, b) => compare(a.id, b.id));
  if (withFiles.length === 0) return { text: "", items: [] };
  const items: { name: string; tokens: number }[] = [];
  const blocks: string[] = ["# Files from earlier tasks\n\nThese files exist already. Use them as shown; do not write them."];
  for (const dependency of withFiles) {
    blocks.push(`## ${dependency.id}: ${dependency.title}`);
    for (const file of [...dependency.files].sort((a, b) => compare(a.path, b.path))) {
      const shape = extractPublicInterface(file.content);
      const block = `### ${file.path} (${describeExtract(shape)})\n\n${fenced(shape.text, file.path)}`;
      blocks.push(block);
      items.push({ name: `${dependency.id} ${file.path}`, tokens: estimateTokens(block) });
    }
  }
  return { text: blocks.join("\n\n"), items };
}

function describeExtract(shape: PublicInterface): string {
  const lines = (n: number) => `${n} line${n === 1 ? "" : "s"}`;
  switch (shape.kind) {
    case "whole":
      return `whole file, ${lines(shape.totalLines)}`;
    case "head":
      return `first ${lines(shape.shownLines)} of ${shape.totalLines}; no declarations found`;
    case "declarations": {
      const omitted = shape.omittedLines > 0 ? `; ${lines(shape.omittedLines)} more declarations not shown` : "";
      return `declarations only, from ${lines(shape.totalLines)}${omitted}`;
    }
  }
}

function renderContext(files: readonly ContextFileInput[]): { text: string; items: { name: string; tokens: number }[] } {
  if (files.length === 0) return { text: "", items: [] };
  const items: { name: string; tokens: number }[] = [];
  const blocks = ["# Context files\n\nReference material for this task, from the project's context directory. Do not write these files."];
  for (const file of [...files].sort((a, b) => compare(a.path, b.path))) {
    const decoded = decodeContext(file.content);
    const block =
      decoded.text === undefined
        ? `## ${file.path} (binary, ${decoded.bytes} bytes; not shown)`
        : `## ${file.path} (text, ${decoded.bytes} bytes)\n\n${fenced(decoded.text, file.path)}`;
    blocks.push(block);
    items.push({ name: file.path, tokens: estimateTokens(block) });
  }
  return { text: blocks.join("\n\n"), items };
}

function renderTask(task: Task, edits: readonly { path: string; content: string }[]): { text: string; items?: { name: string; tokens: number }[] } {
  const out = [`# Task ${task.id}: ${task.title}`];
  if (task.description.trim() !== "") out.push(task.description.trim());
  if (task.notes.trim() !== "") out.push(`Notes: ${task.notes.trim()}`);

  const outputs = unique(task.outputs);
  const editPaths = unique(task.edits).filter((p) => !outputs.includes(p));
  const list = [
    ...outputs.map((p) => `- ${p} (new file)`),
    ...editPaths.map((p) => `- ${p} (existing file: its current content is below; send it back whole, with your changes)`),
  ];
  out.push(["## Files to write", "", ...list].join("\n"));
  if (task.verify.length > 0) {
    out.push(["These commands must succeed in the output directory afterwards:", ...task.verify.map((c) => `- \`${c}\``)].join("\n"));
  }

  const items: { name: string; tokens: number }[] = [];
  const byPath = new Map(edits.map((e) => [e.path, e.content]));
  for (const path of editPaths) {
    const content = byPath.get(path);
    const block =
      content === undefined
        ? `## Current content of ${path}\n\n(The file does not exist yet: write it whole.)`
        : `## Current content of ${path}\n\n${fenced(normaliseNewlines(content).replace(/\n$/, ""), path)}`;
    out.push(block);
    items.push({ name: path, tokens: estimateTokens(block) });
  }
  const count = outputs.length + editPaths.length;
  out.push(count === 1 ? `Write the file now, ${PROTOCOL_LINE_ONE_FILE}.` : `Write all ${count} files now, ${PROTOCOL_LINE}.`);
  return items.length === 0 ? { text: out.join("\n\n") } : { text: out.join("\n\n"), items };
}

// ---------------------------------------------------------------------------
// Small pieces.

/** Text inside a fence long enough that no line of the text can close it, tagged with the file's language. */
function fenced(text: string, path: string): string {
  const fence = fenceFor(text);
  return `${fence}${languageOf(path)}\n${normaliseNewlines(text).replace(/\n$/, "")}\n${fence}`;
}

function fenceFor(text: string): string {
  let longest = 2;
  for (const m of text.matchAll(/^ {0,3}(`{3,})/gm)) longest = Math.max(longest, (m[1] as string).length);
  return "`".repeat(longest + 1);
}

// Only a hint for the model's eye; an unknown extension gets a bare fence.
const LANGUAGES: Readonly<Record<string, string>> = {
  py: "python", rs: "rust", ts: "typescript", tsx: "tsx", js: "javascript", mjs: "javascript", jsx: "jsx",
  go: "go", java: "java", kt: "kotlin", c: "c", h: "c", cpp: "cpp", hpp: "cpp", cs: "csharp", rb: "ruby",
  sh: "sh", toml: "toml", json: "json", yaml: "yaml", yml: "yaml", md: "markdown", html: "html", css: "css",
  sql: "sql", txt: "text", csv: "csv",
};

function languageOf(path: string): string {
  const dot = path.lastIndexOf(".");
  if (dot < 0 || dot < path.lastIndexOf("/")) return "";
  return LANGUAGES[path.slice(dot + 1).toLowerCase()] ?? "";
}

function decodeContext(content: Uint8Array | string): { text: string | undefined; bytes: number } {
  if (typeof content === "string") return { text: content.replace(/^\uFEFF/, ""), bytes: Buffer.byteLength(content, "utf8") };
  if (content.includes(0) || firstInvalidUtf8(content) < content.length) return { text: undefined, bytes: content.length };
  return { text: new TextDecoder("utf-8").decode(content), bytes: content.length };
}

function normaliseNewlines(text: string): string {
  return text.replace(/\r\n?/g, "\n");
}

function trimSlash(path: string): string {
  return path.replace(/\/+$/, "") || ".";
}

function unique(items: readonly string[]): string[] {
  return [...new Set(items)];
}

/** Code-unit order: locale-independent, so the prompt is the same on every machine. */
function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
