// Parses a model reply that carries whole files (DESIGN.md §8): a line naming
// the relative path, then a fenced block holding the entire file. Pure: text in,
// files or one precise problem out. The problem text is written to be quoted
// back to the model verbatim in the single re-ask. docs/model-protocol.md says
// exactly what is accepted; this header says how it is decided.
//
// Two readings. The *strict* reading accepts the documented format and its
// common spellings:  src/a.py   src/a.py:   `src/a.py`   **src/a.py**
//   File: src/a.py   **File:** src/a.py   ### src/a.py   ## File: `src/a.py`
//   (labels File / Filename / Path, any case) on the last non-blank line before
//   the fence, or the path in the fence's info string:  ```python src/a.py
//   ```src/a.py   ```python:src/a.py   ```python title="src/a.py".
// Whatever the strict reading accepts is the answer. When it refuses, a
// *lenient* reading is tried: the shapes other tools learned from real model
// output (issue 18, each rule citing its evidence in reply-labels.ts and the
// corpus under test/fixtures/reply-corpus/). Its answer is used only when it
// finds every expected file exactly once and leaves no block that could be
// file content; otherwise the strict refusal stands. So the lenient reading
// can turn a re-ask into a success, but never changes what a reply that is
// accepted today means.
//
// One thing the strict reading refuses that it used to accept: a file whose
// fence could close at a bare ``` that is followed by more bare fences before
// the next expected file (a README with a bare-fenced tree listing). Read
// strictly that file was cut at the inner fence and the rest filed as an
// undeclared file; now it is ambiguous, and only the lenient Markdown rule may
// resolve it.

import { closes, fenceAt, type FenceLine } from "../../grammar/fence-line.js";
import {
  blockFirstLinePath,
  isListItem,
  isShellFile,
  isShellTag,
  lenientLabel,
  listContentIndent,
  pathFromInfo,
  pathFromLabelLine,
  replyPath,
} from "./reply-labels.js";

export { replyPath } from "./reply-labels.js";

/** One file recovered from a reply. `content` always ends with "\n" unless empty. */
export interface ReplyFile {
  path: string;
  content: string;
  /** 1-based line of the opening fence in the reply (after BOM removal). */
  line: number;
}

/** Why a reply was malformed; `problem` is the sentence to quote in the re-ask. */
export type MalformedKind =
  | "truncated"
  | "unclosed-fence"
  | "ambiguous-fence"
  | "block-without-path"
  | "conflicting-path"
  | "duplicate-file"
  | "no-files"
  | "no-expected-file";

export interface ParsedReply {
  ok: true;
  /** Every file block in reply order, declared or not; the writer decides what to write. */
  files: ReplyFile[];
  /** Paths in the reply that are not in `expected`, in reply order. They must not be written. */
  undeclared: string[];
  /** Expected paths the reply does not contain. Not malformed: the fix loop decides. */
  missing: string[];
  /** Which reading found the files: "lenient" only when the strict one refused. */
  reading: "strict" | "lenient";
  /** For a lenient reading: which rules it used, one phrase each, for traces and tests. */
  rules: string[];
}

export interface MalformedReply {
  ok: false;
  kind: MalformedKind;
  problem: string;
  /** 1-based reply line the problem points at, when there is one. */
  line?: number;
}

export type ReplyParseResult = ParsedReply | MalformedReply;

export interface ReplyParseInput {
  reply: string;
  /** The task's declared outputs and edits, as written in the plan. */
  expected: readonly string[];
  /** Ollama's `done_reason` of the final chunk; "length" means the reply was cut off. */
  doneReason?: string | undefined;
}

/** Files whose content is Markdown or plain prose: where bare inner fences are expected (issue 18, shape 3). */
const MARKDOWN_LIKE = /\.(?:md|markdown|mdx|mkd|mdown|txt)$|(?:^|\/)README$/i;

/**
 * Parses a whole-file reply. Linear in the reply length (a 5 MB reply parses in
 * tens of milliseconds). Line endings are normalised to "\n" in the returned
 * content: CRLF in a reply comes from the model or transport, not from intent.
 */
export function parseReply(input: ReplyParseInput): ReplyParseResult {
  const expected = [...new Set(input.expected.map(replyPath))];
  if (input.doneReason === "length") {
    return malformed(
      "truncated",
      "the reply was cut off at the output token limit (done_reason: length), so its last file is incomplete; " +
        "send the files again, complete, with no explanations",
    );
  }
  let text = input.reply;
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  const lines = text.split(/\r\n|\r|\n/);

  const strict = new Reading(lines, expected, "strict").run();
  if (strict.ok) return strict;
  const lenient = new Reading(withoutLeadingThinking(lines), expected, "lenient").run();
  return lenient.ok && lenient.missing.length === 0 ? lenient : strict;
}

function malformed(kind: MalformedKind, problem: string, line?: number): MalformedReply {
  return line === undefined ? { ok: false, kind, problem } : { ok: false, kind, problem, line };
}

type Close =
  | { kind: "closed"; index: number }
  | { kind: "unclosed" }
  | { kind: "ambiguous"; first: number };

/** One pass over the reply's lines, strict or lenient. */
class Reading {
  private readonly expectedSet: ReadonlySet<string>;
  private readonly files: ReplyFile[] = [];
  private readonly firstLineOf = new Map<string, number>();
  private readonly rules = new Set<string>();
  /** Lines that label an expected file's block, in order: where one file's region ends. */
  private readonly boundaries: { line: number; path: string }[];

  constructor(
    private readonly lines: readonly string[],
    private readonly expected: readonly string[],
    private readonly mode: "strict" | "lenient",
  ) {
    this.expectedSet = new Set(expected);
    this.boundaries = this.findBoundaries();
  }

  run(): ReplyParseResult {
    const { lines } = this;
    // Index of the nearest non-blank prose line before the current position, or -1.
    let lastProse = -1;
    // First line after the previous block: where the prose before this block starts.
    let proseStart = 0;
    // Shape 10: a one-line block naming an expected path labels the block right after it.
    let pending: { path: string; line: number } | undefined;

    let i = 0;
    while (i < lines.length) {
      const line = lines[i] as string;
      let fence = fenceAt(line, 0, line.length);
      if (fence === undefined && this.mode === "lenient" && lastProse >= 0 && line.trim() !== "") {
        // Shape 2: a fence indented under the list item that labels it ("10. `a.py`:" then "    ```").
        const labelText = lines[lastProse] as string;
        if (isListItem(labelText)) fence = fenceAt(line, 0, line.length, listContentIndent(labelText) + 3);
      }
      if (fence === undefined) {
        if (line.trim() !== "") {
          lastProse = i;
          pending = undefined;
        }
        i++;
        continue;
      }

      const openLine = i + 1;
      const infoPath = pathFromInfo(fence.info, this.expectedSet);
      let labelPath = lastProse >= 0 ? pathFromLabelLine(lines[lastProse] as string, this.expectedSet) : undefined;
      if (this.mode === "lenient" && labelPath === undefined && infoPath === undefined) {
        if (pending !== undefined) {
          labelPath = pending.path;
          this.rules.add("a one-line block naming the path, then the file's block");
        } else if (lastProse >= 0) {
          const found = lenientLabel({ lines, labelLine: lastProse, proseStart, fence, expected: this.expectedSet });
          if (found !== undefined) {
            labelPath = found.path;
            this.rules.add(found.rule);
          }
        }
      }
      if (pending !== undefined && infoPath !== undefined && infoPath !== pending.path) {
        return malformed("conflicting-path", `the block opened at line ${openLine} follows a block naming ${pending.path} but names ${infoPath} in its fence; name each file once`, openLine);
      }
      pending = undefined;
      let path = infoPath ?? labelPath;

      if (path === undefined && this.mode === "lenient") {
        // Shape 10 (Aider's find_filename, on Deepseek Coder v2): "```\nfoo.txt\n```" right before the file's block.
        const named = this.pathOnlyBlock(i, fence);
        if (named !== undefined) {
          pending = { path: named.path, line: openLine };
          lastProse = -1;
          proseStart = named.close + 1;
          i = named.close + 1;
          continue;
        }
      }
      // Shape 4: the path only inside the block, on its first line.
      const inside = path === undefined && this.mode === "lenient" ? blockFirstLinePath(lines[i + 1], this.expectedSet) : undefined;

      const close = this.closeOf(i, fence, path ?? inside?.path);
      if (close.kind === "unclosed") {
        const named = path ?? inside?.path;
        const what = named === undefined ? "" : ` for ${named}`;
        return malformed(
          "unclosed-fence",
          `the block opened at line ${openLine}${what} is never closed; close it with a line of ${fence.length} ${fenceName(fence.char)}`,
          openLine,
        );
      }
      if (close.kind === "ambiguous") {
        const named = path ?? inside?.path ?? "the file";
        return malformed(
          "ambiguous-fence",
          `the block opened at line ${openLine} for ${named} holds a line of bare ${fenceName(fence.char)} (line ${close.first + 1}) ` +
            `followed by more, so where ${named} ends is unclear; send it in a longer fence (${fence.char.repeat(fence.length + 1)}) ` +
            `so the blocks inside it stay inside it`,
          openLine,
        );
      }
      const closeIndex = close.index;
      let content = blockContent(lines, i + 1, closeIndex, fence.indent);

      if (path === undefined && inside !== undefined && (!inside.drop || closeIndex > i + 2)) {
        path = inside.path;
        if (inside.drop) content = blockContent(lines, i + 2, closeIndex, fence.indent);
        this.rules.add(inside.drop ? "the path alone on the block's first line" : "the path in a comment on the block's first line");
      } else if (path === undefined && this.mode === "lenient" && isShellTag(fence.info) && this.allExpectedSeen() && !this.expected.some(isShellFile)) {
        // Shape 8 (Aider's editblock parser skips shell blocks): a usage example after all the files is not a file.
        this.rules.add("a shell block after all the files, ignored");
        lastProse = -1;
        proseStart = closeIndex + 1;
        i = closeIndex + 1;
        continue;
      }
      if (path === undefined) {
        return malformed(
          "block-without-path",
          `the block opened at line ${openLine} has no file path; put the file's relative path alone on the line ` +
            `just before the opening fence, and send no code blocks other than whole files`,
          openLine,
        );
      }
      if (labelPath !== undefined && infoPath !== undefined && labelPath !== infoPath) {
        return malformed(
          "conflicting-path",
          `the block opened at line ${openLine} is labelled ${labelPath} on the line above but ${infoPath} in its fence; name each file once`,
          openLine,
        );
      }
      const seenAt = this.firstLineOf.get(path);
      if (seenAt !== undefined) {
        return malformed(
          "duplicate-file",
          `${path} appears twice (blocks opened at lines ${seenAt} and ${openLine}); send each file once, complete`,
          openLine,
        );
      }
      this.firstLineOf.set(path, openLine);
      this.files.push({ path, content, line: openLine });

      lastProse = -1;
      proseStart = closeIndex + 1;
      i = closeIndex + 1;
    }
    if (pending !== undefined) {
      return malformed("block-without-path", `the block opened at line ${pending.line} names ${pending.path}, but no block with its content follows`, pending.line);
    }
    return this.result();
  }

  /**
   * A block holding one line that names an expected path (bare, in backticks
   * or as a comment), closed right after, with another block next: the
   * path's label, not a file.
   */
  private pathOnlyBlock(open: number, fence: FenceLine): { path: string; close: number } | undefined {
    const only = this.lines[open + 1];
    const closer = this.lines[open + 2];
    if (only === undefined || closer === undefined) return undefined;
    const closing = fenceAt(closer, 0, closer.length);
    if (closing === undefined || !closes(closing, fence)) return undefined;
    const named = blockFirstLinePath(only, this.expectedSet) ?? undefined;
    if (named === undefined || !this.nextNonBlankIsFence(open + 3)) return undefined;
    return { path: named.path, close: open + 2 };
  }

  private result(): ReplyParseResult {
    const { expected, files } = this;
    const want = expected.length === 0 ? "" : `; expected ${listPaths(expected)}`;
    if (files.length === 0) {
      return malformed(
        "no-files",
        `the reply contains no file blocks${want}; send each file as its path on one line followed by a fenced block with the whole file`,
      );
    }
    const undeclared = files.map((f) => f.path).filter((p) => !this.expectedSet.has(p));
    const missing = expected.filter((p) => !this.firstLineOf.has(p));
    if (expected.length > 0 && missing.length === expected.length) {
      const none = expected.length === 1 ? "it is not there" : expected.length === 2 ? "the reply has neither" : "the reply has none of them";
      return malformed("no-expected-file", `expected ${listPaths(expected)}; ${none} (the reply has ${listPaths(undeclared)})`);
    }
    return { ok: true, files, undeclared, missing, reading: this.mode, rules: [...this.rules] };
  }

  private allExpectedSeen(): boolean {
    return this.expected.every((p) => this.firstLineOf.has(p));
  }

  private nextNonBlankIsFence(from: number): boolean {
    for (let j = from; j < this.lines.length; j++) {
      const line = this.lines[j] as string;
      if (line.trim() === "") continue;
      return fenceAt(line, 0, line.length) !== undefined;
    }
    return false;
  }

  /**
   * Where the block opened at `open` ends. A line of the same char, at least
   * as long, with nothing after it closes; but a same-char line that long
   * *with* an info string is a nested opener (a README's ```bash inside a ```
   * block), and the next bare closer belongs to it. CommonMark would close at
   * the nested closer; models forget the longer fence often enough that this
   * deviation is worth it, and it is safe because a closer never has an info
   * string. The spec lexer (grammar/markdown-lexer.ts) keeps CommonMark's rule:
   * people write specs for Markdown renderers.
   *
   * Bare fences are the hard case: a bare ``` inside a file both closes and
   * opens in Markdown. When the first bare closer of an expected file is
   * followed by more bare fences before the next expected file's label, the
   * strict reading cannot tell a cut file from an inner block and says so;
   * the lenient reading resolves it for Markdown files only (markdownClose).
   */
  private closeOf(open: number, fence: FenceLine, path: string | undefined): Close {
    const bare = this.bareFences(open + 1, this.lines.length, fence, 1);
    const first = bare[0];
    if (first === undefined) return { kind: "unclosed" };
    if (path === undefined || !this.expectedSet.has(path)) return { kind: "closed", index: first };
    const end = this.boundaryAfter(open);
    const markdown = MARKDOWN_LIKE.test(path);
    // A closer followed straight by prose (not a blank line, not another file's label) reads as an inner opener.
    const next = this.lines[first + 1];
    const contentFollows = next !== undefined && next.trim() !== "" && pathFromLabelLine(next, this.expectedSet) === undefined && fenceAt(next, 0, next.length) === undefined;
    if (!markdown && !contentFollows) return { kind: "closed", index: first };
    const more = this.bareFences(first + 1, end, fence, 1);
    if (more.length === 0) return { kind: "closed", index: first };
    if (this.mode === "strict") return { kind: "ambiguous", first };
    if (!markdown) return { kind: "ambiguous", first };
    return this.markdownClose(open, fence, end);
  }

  /**
   * Issue 18, shape 3 (gptme tests/test_codeblock.py:102, :201, :317, :1036;
   * continue's patchNestedMarkdown.test.ts:9; Aider issue #2879): in a Markdown
   * file, if the bare fences up to the next expected file's label are odd in
   * number and nothing label-like sits between them, they pair up as inner
   * blocks and the last one closes the file. Two more guards make the pairing
   * believable: every inner opener is followed straight by content (as a block
   * is), and the last fence by a blank line or the end. Otherwise: refuse.
   */
  private markdownClose(open: number, fence: FenceLine, end: number): Close {
    const fences = this.bareFences(open + 1, end, fence, Infinity);
    const ambiguous: Close = { kind: "ambiguous", first: fences[0] ?? open };
    if (fences.length < 3 || fences.length % 2 === 0) return ambiguous;
    for (let k = 0; k < fences.length; k++) {
      const at = fences[k] as number;
      const next = this.lines[at + 1];
      if (k === fences.length - 1) {
        if (next !== undefined && next.trim() !== "" && at + 1 !== end) return ambiguous;
      } else if (k % 2 === 0) {
        if (next === undefined || next.trim() === "" || fenceAt(next, 0, next.length) !== undefined) return ambiguous;
      } else if (this.labelLikeBefore(at)) {
        // Read strictly, this fence would open a new block, labelled by the line above it.
        return ambiguous;
      }
    }
    for (let j = open + 1; j < (fences[fences.length - 1] as number); j++) {
      const line = this.lines[j] as string;
      const f = fenceAt(line, 0, line.length);
      if (f !== undefined && f.info !== "" && pathFromInfo(f.info, this.expectedSet) !== undefined) return ambiguous;
    }
    this.rules.add("bare inner fences in a Markdown file, paired, the last one closing it");
    return { kind: "closed", index: fences[fences.length - 1] as number };
  }

  /** Whether the last non-blank line before `at` could be a file label: unindented and naming a path. */
  private labelLikeBefore(at: number): boolean {
    for (let j = at - 1; j >= 0; j--) {
      const line = this.lines[j] as string;
      if (line.trim() === "") continue;
      if (/^\s/.test(line)) return false;
      return pathFromLabelLine(line, this.expectedSet) !== undefined;
    }
    return false;
  }

  /**
   * Indices of the bare fences that could close the block opened with `open`,
   * in [from, to): nested blocks opened by a same-char fence with an info
   * string are skipped. Stops after `limit` found.
   */
  private bareFences(from: number, to: number, open: FenceLine, limit: number): number[] {
    const found: number[] = [];
    let depth = 0;
    // A fence indented under a list item (lenient, shape 2) closes at that indentation too.
    const maxIndent = open.indent > 3 ? open.indent + 3 : 3;
    for (let j = from; j < to && found.length < limit; j++) {
      const line = this.lines[j] as string;
      const f = fenceAt(line, 0, line.length, maxIndent);
      if (f === undefined || f.char !== open.char || f.length < open.length) continue;
      if (closes(f, open)) {
        if (depth === 0) found.push(j);
        else depth--;
      } else {
        depth++;
      }
    }
    return found;
  }

  /** The first line after `open` that labels an expected file, or the reply's end. */
  private boundaryAfter(open: number): number {
    let lo = 0;
    let hi = this.boundaries.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((this.boundaries[mid] as { line: number }).line <= open) lo = mid + 1;
      else hi = mid;
    }
    // A later label of the same path counts too: that is a second version of the file, reported as such.
    return this.boundaries[lo]?.line ?? this.lines.length;
  }

  /**
   * Every line that labels an expected file's block: a fence naming it in its
   * info string, or a label line right before a fence. A bare path counts
   * only after a blank line or a fence, as a label is written; a path line in
   * the middle of text (the last line of a tree listing) is content.
   */
  private findBoundaries(): { line: number; path: string }[] {
    const found: { line: number; path: string }[] = [];
    if (this.expected.length === 0) return found;
    let last = -1;
    let lastIsFence = false;
    for (let j = 0; j < this.lines.length; j++) {
      const line = this.lines[j] as string;
      if (line.trim() === "") continue;
      const f = fenceAt(line, 0, line.length);
      if (f !== undefined) {
        const label = last >= 0 && !lastIsFence ? this.labelPath(last, f) : undefined;
        const info = f.info === "" ? undefined : pathFromInfo(f.info, this.expectedSet);
        if (label !== undefined && this.expectedSet.has(label) && this.writtenAsLabel(last, label)) found.push({ line: last, path: label });
        else if (info !== undefined && this.expectedSet.has(info)) found.push({ line: j, path: info });
      }
      last = j;
      lastIsFence = f !== undefined;
    }
    return found;
  }

  private writtenAsLabel(index: number, path: string): boolean {
    const text = (this.lines[index] as string).trim();
    if (text !== path) return true;
    const before = index > 0 ? (this.lines[index - 1] as string) : "";
    return index === 0 || before.trim() === "" || fenceAt(before, 0, before.length) !== undefined;
  }

  private labelPath(index: number, fence: FenceLine): string | undefined {
    const strict = pathFromLabelLine(this.lines[index] as string, this.expectedSet);
    if (strict !== undefined || this.mode === "strict") return strict;
    return lenientLabel({ lines: this.lines, labelLine: index, proseStart: 0, fence, expected: this.expectedSet })?.path;
  }
}

/**
 * Issue 18, shape 9 (continue #3832): a leading <think>…</think> (or
 * <thinking>…</thinking>) section is the model thinking in its content, not its
 * answer, even when it holds draft code. Its lines are blanked, so line numbers
 * stay those of the reply. An unclosed section is left alone.
 */
function withoutLeadingThinking(lines: readonly string[]): string[] {
  const out = [...lines];
  let first = 0;
  while (first < out.length && (out[first] as string).trim() === "") first++;
  const open = /^\s*<(think|thinking)>/i.exec(out[first] ?? "");
  if (open === null) return out;
  const closeTag = new RegExp(`</${open[1] as string}>`, "i");
  for (let j = first; j < out.length; j++) {
    const line = out[j] as string;
    const m = closeTag.exec(j === first ? line.slice(open[0].length) : line);
    if (m === null) continue;
    const after = (j === first ? line.slice(open[0].length) : line).slice(m.index + m[0].length);
    for (let k = first; k < j; k++) out[k] = "";
    out[j] = after;
    return out;
  }
  return [...lines];
}

function blockContent(lines: readonly string[], start: number, end: number, indent: number): string {
  if (end <= start) return "";
  let body = lines.slice(start, end);
  if (indent > 0) {
    // CommonMark: an indented fence strips up to that many spaces from each content line.
    body = body.map((l) => {
      let k = 0;
      while (k < indent && l.charCodeAt(k) === 0x20) k++;
      return l.slice(k);
    });
  }
  return body.join("\n") + "\n";
}

function fenceName(char: "`" | "~"): string {
  return char === "`" ? "backticks" : "tildes";
}

function listPaths(paths: readonly string[]): string {
  if (paths.length === 0) return "no files";
  if (paths.length === 1) return paths[0] as string;
  return `${paths.slice(0, -1).join(", ")} and ${paths[paths.length - 1] as string}`;
}
