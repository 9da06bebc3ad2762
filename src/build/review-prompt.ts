// The implementation judge's prompt, its answer schema, the deterministic
// check of its evidence, and the fix request a failed item becomes. Pure:
// values in, messages and verdicts out.
//
// The judge sees only what the task was asked to meet and what it wrote: the
// project brief, the task's refs, the architecture of the files it writes and
// its dependencies' interfaces (each rendered exactly as the build prompt has
// them, so the same bytes follow the same system rules across a spec's
// reviews), then the written files and the items to check. Never the build
// conversation: a judge that saw the builder's reasoning would grade it.
//
// Small models invent evidence. Every verdict carries a quoted line of a
// written file; a quote that is not in the file it names discards the
// verdict, and the discards are counted.

import type { ChatMessage } from "../../models/call-record.js";
import { Conversation } from "../../models/conversation.js";
import type { JsonSchema } from "../../models/json-schema.js";
import { canonicalPath } from "../../plans/output-path.js";
import type { CheckItem } from "./review-items.js";
import { PROMPT_TAIL_MAX_CHARS } from "./verify-failure.js";

/** Part of nothing's key: reviews do not decide whether a task is up to date. Bump when the judge's rules change. */
export const REVIEW_PROMPT_VERSION = 2;

export const VERDICTS = ["pass", "fail", "cannot-tell"] as const;
export type Verdict = (typeof VERDICTS)[number];

/** The reviewer role's system rules: one byte-stable text for every review. */
export const REVIEW_SYSTEM = [
  "You are a code reviewer. You check the files of one task of a software project against the parts of its specification the task was given. You did not write the files and you do not change them.",
  "",
  "For every item under \"Items to check\", give one verdict:",
  "- pass: the files do what the item says. Quote the line that shows it.",
  "- fail: the files do not do what the item says, or do something it forbids. Quote the line that is wrong (or the line where the missing handling belongs) and say in one sentence what is wrong.",
  "- cannot-tell: the files alone cannot show it either way (it is another task's job, or it depends on code you cannot see). The quote may be empty.",
  "",
  "Rules for quotes:",
  "- A quote is one line copied exactly, character for character, from the file you name; leading spaces may be left out. Never paraphrase, shorten with \"...\", or join lines.",
  "- Name the file by its path exactly as shown under \"Files the task wrote\".",
  "- A verdict whose quote is not in the file is thrown away.",
  "",
  "Judge only against the items. Style, naming and taste are not items. Non-Goals pass when the files do not build them. Text marked [inferred] has less authority than unmarked text.",
  "An intent item holds a person's own words, accepted into the specification: it fails when the files do not do what the person asked, even where the spec's wording lets them.",
].join("\n");

/** What the judge is shown besides the files: the build prompt's shared parts and the items. */
export interface ReviewMaterial {
  /** Brief, spec refs, architecture and dependency interfaces, as the build prompt renders them. */
  context: string;
  items: CheckItem[];
}

/** The review's messages: system rules, then one user message (context, files, items, request). */
export function reviewMessages(material: ReviewMaterial, task: { id: string; title: string }, files: readonly { path: string; content: string }[]): ChatMessage[] {
  const parts: string[] = [];
  if (material.context !== "") parts.push(material.context);
  const sorted = [...files].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  parts.push(`# Review of task ${task.id}: ${task.title}`);
  parts.push(["# Files the task wrote", ...sorted.map((f) => `## ${f.path}\n\n${fenced(f.content)}`)].join("\n\n"));
  parts.push(["# Items to check", "", ...material.items.map((i) => `- ${i.id} (${i.kind}): ${i.text}`)].join("\n"));
  parts.push(
    `Answer with a JSON object {"verdicts": [...]} holding one entry per item above, in order: {"item": the item's id, "verdict": "pass" | "fail" | "cannot-tell", "file": the path of the file you quote, "quote": one line copied exactly from that file, "reason": one sentence}.`,
  );
  return [
    { role: "system", content: REVIEW_SYSTEM },
    { role: "user", content: parts.join("\n\n") },
  ];
}

/**
 * The answer's schema: item ids are a closed list. File paths are not: a
 * wrong path discards one verdict (checkVerdicts), not the whole answer.
 */
export function reviewSchema(items: readonly CheckItem[]): JsonSchema {
  return {
    type: "object",
    properties: {
      verdicts: {
        type: "array",
        items: {
          type: "object",
          properties: {
            item: { type: "string", enum: items.map((i) => i.id) },
            verdict: { type: "string", enum: [...VERDICTS] },
            file: { type: "string" },
            quote: { type: "string" },
            reason: { type: "string" },
          },
          required: ["item", "verdict", "file", "quote", "reason"],
        },
      },
    },
    required: ["verdicts"],
  };
}

export interface JudgedItem {
  item: string;
  verdict: Verdict;
  file: string;
  quote: string;
  reason: string;
  /** 1-based line of the file where the quote starts (absent for a cannot-tell without a quote). */
  line?: number;
}

export interface DiscardedVerdict extends Omit<JudgedItem, "line"> {
  /** Why the verdict was thrown away. */
  why: string;
}

export interface CheckedReview {
  /** Verdicts whose evidence is in the file, in item order. */
  kept: JudgedItem[];
  /** Verdicts thrown away: the quote is not in the named file, or a pass/fail came without one. */
  discarded: DiscardedVerdict[];
  /** Items the answer gave no kept verdict for. */
  unanswered: string[];
}

/**
 * Checks every verdict's quote against the file it names, deterministically:
 * each quoted line, trimmed, must be contained in the file's line at the same
 * place (a multi-line quote in consecutive lines), and hold at least one
 * letter or digit. The first kept verdict per item counts.
 */
export function checkVerdicts(answer: { verdicts: readonly Omit<JudgedItem, "line">[] }, items: readonly CheckItem[], files: ReadonlyMap<string, string>): CheckedReview {
  const kept = new Map<string, JudgedItem>();
  const discarded: DiscardedVerdict[] = [];
  const byPath = new Map([...files].map(([p, c]) => [canonicalPath(p), c]));
  for (const v of answer.verdicts) {
    const verdict: Omit<JudgedItem, "line"> = { item: v.item, verdict: v.verdict, file: v.file, quote: v.quote, reason: v.reason };
    if (kept.has(v.item)) continue;
    const quote = unwrapQuote(v.quote);
    if (quote === "") {
      if (v.verdict === "cannot-tell") kept.set(v.item, verdict);
      else discarded.push({ ...verdict, why: `a ${v.verdict} without a quote` });
      continue;
    }
    const content = byPath.get(canonicalPath(v.file));
    if (content === undefined) {
      discarded.push({ ...verdict, why: v.file === "" ? "the quote names no file" : `${v.file} is not a file the task wrote` });
      continue;
    }
    const line = findQuote(content, quote);
    if (line === undefined) {
      discarded.push({ ...verdict, why: `the quote is not in ${v.file}` });
      continue;
    }
    kept.set(v.item, { ...verdict, quote, line });
  }
  const order = new Map(items.map((i, n) => [i.id, n]));
  const keptList = [...kept.values()].sort((a, b) => (order.get(a.item) ?? 0) - (order.get(b.item) ?? 0));
  return { kept: keptList, discarded, unanswered: items.filter((i) => !kept.has(i.id)).map((i) => i.id) };
}

/** A quote as models wrap it: surrounding backticks or quotation marks taken off, ends trimmed. */
function unwrapQuote(quote: string): string {
  let q = quote.trim();
  for (const [open, close] of [["```", "```"], ["`", "`"], ['"', '"'], ["'", "'"]] as const) {
    if (q.length > open.length + close.length && q.startsWith(open) && q.endsWith(close)) {
      const inner = q.slice(open.length, q.length - close.length).trim();
      // Only when the wrapped text is not itself a line of code ending in the same mark.
      if (!inner.includes(open)) q = inner;
      break;
    }
  }
  return q;
}

/** The 1-based line where `quote` (one or more lines) is found in `content`, or undefined. */
export function findQuote(content: string, quote: string): number | undefined {
  const wanted = quote.split(/\r\n|\r|\n/).map((l) => l.trim()).filter((l) => l !== "");
  if (wanted.length === 0 || !/[\p{L}\p{N}]/u.test(wanted.join(""))) return undefined;
  const lines = content.split(/\r\n|\r|\n/).map((l) => l.trim());
  for (let i = 0; i + wanted.length <= lines.length; i++) {
    if (wanted.every((w, k) => (k === 0 || k === wanted.length - 1 ? lines[i + k]!.includes(w) : lines[i + k] === w))) return i + 1;
  }
  return undefined;
}

// ---------------------------------------------------------------------------
// The fix request a failed item becomes, in the task's own conversation.

/** The items the judge failed, as a fix request lists them. */
export interface ReviewFindingText {
  item: string;
  /** The item's words from the spec. */
  text: string;
  file: string;
  quote: string;
  line?: number;
  reason: string;
}

const PROTOCOL_LINE = "each as its path alone on one line followed by a fenced code block holding the entire file, and no other code blocks";

function findingsText(findings: readonly ReviewFindingText[]): string {
  const lines: string[] = [];
  for (const f of findings) {
    lines.push(`- ${f.item}: ${f.text}`, `  ${f.file}${f.line !== undefined ? `:${f.line}` : ""}: \`${f.quote}\``, `  ${f.reason}`);
  }
  const text = lines.join("\n");
  return text.length <= PROMPT_TAIL_MAX_CHARS ? text : `${text.slice(0, PROMPT_TAIL_MAX_CHARS)}\n(more findings cut)`;
}

function reviewFixRequest(findings: readonly ReviewFindingText[], attempt: number, fresh: boolean): string {
  return [
    fresh
      ? `An earlier answer to this task (attempt ${attempt}) passed verify, but a reviewer who checked the files against the specification found items it does not meet:`
      : `Your files passed verify, but a reviewer who checked them against the specification found items they do not meet:`,
    "",
    findingsText(findings),
    "",
    `Fix these. Where a file already meets an item, keep that part as it is. Answer with every listed file again, complete and corrected, ${PROTOCOL_LINE}.`,
  ].join("\n");
}

/** A review fix: the previous messages unchanged (a cached prefix), the reply that was reviewed, then the findings. */
export function reviewFixMessages(previous: readonly ChatMessage[], reply: string, findings: readonly ReviewFindingText[], attempt: number): ChatMessage[] {
  return new Conversation(previous).continueWith(reply, reviewFixRequest(findings, attempt, false)).toArray();
}

/** A review fix without the reviewed reply: the first prompt with the findings appended. */
export function freshReviewFixMessages(first: readonly ChatMessage[], findings: readonly ReviewFindingText[], attempt: number): ChatMessage[] {
  const out = first.map((m) => ({ ...m }));
  const last = out.at(-1);
  if (last === undefined || last.role !== "user") throw new Error("a first prompt ends with its user message");
  last.content = `${last.content}\n\n${reviewFixRequest(findings, attempt, true)}`;
  return out;
}

function fenced(text: string): string {
  let longest = 2;
  for (const m of text.matchAll(/^ {0,3}(`{3,})/gm)) longest = Math.max(longest, (m[1] as string).length);
  const fence = "`".repeat(longest + 1);
  return `${fence}\n${text.replace(/\r\n?/g, "\n").replace(/\n$/, "")}\n${fence}`;
}
