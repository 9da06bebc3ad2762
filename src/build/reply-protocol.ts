// Parses a model reply that carries whole files (DESIGN.md §8): a line naming
// the relative path, then a fenced block holding the entire file. Pure: text in,
// files or one precise problem out. The problem text is written to be quoted
// back to the model verbatim in the single re-ask.
//
// Accepted (decided here, documented in docs/model-protocol.md):
//   path line just before the fence (blank lines between are fine), in any of
//   these spellings:  src/a.py   src/a.py:   `src/a.py`   **src/a.py**
//   File: src/a.py   **File:** src/a.py   ### src/a.py   ## File: `src/a.py`
//   (labels File / Filename / Path, any case); or the path in the fence's
//   info string:  ```python src/a.py   ```src/a.py   ```python:src/a.py
//   ```python title="src/a.py"   (keys title / file / filename / path).
// Not accepted: list items ("- src/a.py", "1. src/a.py") and prose that merely
// mentions the path ("Here is src/a.py:"). A plan list before the files is the
// common case, and taking the last list item as the label of the next block
// would silently put a file's content under another file's name.

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

interface Fence {
  char: "`" | "~";
  length: number;
  indent: number;
  info: string;
}

// Closers may not carry an info string (CommonMark), which is what lets us tell
// a nested opener like "```bash" inside a README from the outer block's closer.
const FENCE_LINE = /^( {0,3})(`{3,}|~{3,})(.*)$/;
const FILE_LABEL = /^(?:file|filename|path)\s*:\s*/i;
const BOLD_FILE_LABEL = /^\*\*(?:file|filename|path)\s*:\s*\*\*\s*/i;
const INFO_KEY = /^(?:title|file|filename|path)=(.*)$/i;
const EXTENSION = /\.[A-Za-z0-9_+-]+$/;
const EXTENSIONLESS_NAMES = new Set([
  "Makefile", "makefile", "GNUmakefile", "Dockerfile", "Containerfile", "Procfile",
  "Gemfile", "Rakefile", "Vagrantfile", "Justfile", "justfile", "LICENSE", "README",
]);

/**
 * Parses a whole-file reply. Linear in the reply length (a 5 MB reply parses in
 * tens of milliseconds). Line endings are normalised to "\n" in the returned
 * content: CRLF in a reply comes from the model or transport, not from intent.
 */
export function parseReply(input: ReplyParseInput): ReplyParseResult {
  const expected = input.expected.map(normaliseReplyPath);
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
  const expectedSet = new Set(expected);

  const files: ReplyFile[] = [];
  const firstLineOf = new Map<string, number>();
  // Index of the nearest non-blank prose line before the current position, or -1.
  let lastProse = -1;

  let i = 0;
  while (i < lines.length) {
    const line = lines[i] as string;
    const fence = matchFence(line);
    if (fence === undefined || (fence.char === "`" && fence.info.includes("`"))) {
      if (line.trim() !== "") lastProse = i;
      i++;
      continue;
    }

    const openLine = i + 1;
    const labelPath = lastProse >= 0 ? pathFromLabelLine(lines[lastProse] as string, expectedSet) : undefined;
    const infoPath = pathFromInfo(fence.info, expectedSet);
    const path = infoPath ?? labelPath;

    const body = scanBlock(lines, i + 1, fence);
    if (body.closeIndex < 0) {
      const what = path === undefined ? "" : ` for ${path}`;
      return malformed(
        "unclosed-fence",
        `the block opened at line ${openLine}${what} is never closed; close it with a line of ${fence.length} ${fenceName(fence.char)}`,
        openLine,
      );
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
    const seenAt = firstLineOf.get(path);
    if (seenAt !== undefined) {
      return malformed(
        "duplicate-file",
        `${path} appears twice (blocks opened at lines ${seenAt} and ${openLine}); send each file once, complete`,
        openLine,
      );
    }
    firstLineOf.set(path, openLine);
    files.push({ path, content: blockContent(lines, i + 1, body.closeIndex, fence.indent), line: openLine });

    lastProse = -1;
    i = body.closeIndex + 1;
  }

  const want = expected.length === 0 ? "" : `; expected ${listPaths(expected)}`;
  if (files.length === 0) {
    return malformed(
      "no-files",
      `the reply contains no file blocks${want}; send each file as its path on one line followed by a fenced block with the whole file`,
    );
  }
  const undeclared = files.map((f) => f.path).filter((p) => !expectedSet.has(p));
  const missing = expected.filter((p) => !firstLineOf.has(p));
  if (expected.length > 0 && missing.length === expected.length) {
    const none = expected.length === 1 ? "it is not there" : expected.length === 2 ? "the reply has neither" : "the reply has none of them";
    return malformed(
      "no-expected-file",
      `expected ${listPaths(expected)}; ${none} (the reply has ${listPaths(undeclared)})`,
    );
  }
  return { ok: true, files, undeclared, missing };
}

/**
 * The path form compared against the plan: backslashes become "/", leading "./"
 * is dropped. Nothing else is resolved here; safe-write rejects "..", absolute
 * paths and symlink escapes.
 */
export function normaliseReplyPath(path: string): string {
  let p = path.trim().replace(/\\/g, "/");
  while (p.startsWith("./")) p = p.slice(2);
  return p;
}

function malformed(kind: MalformedKind, problem: string, line?: number): MalformedReply {
  return line === undefined ? { ok: false, kind, problem } : { ok: false, kind, problem, line };
}

function matchFence(line: string): Fence | undefined {
  // Cheap pre-check: most lines of a 5 MB reply are code, not fences.
  const c = line.charCodeAt(0);
  if (c !== 0x60 && c !== 0x7e && c !== 0x20) return undefined;
  const m = FENCE_LINE.exec(line);
  if (m === null) return undefined;
  const run = m[2] as string;
  return { char: run[0] === "`" ? "`" : "~", length: run.length, indent: (m[1] as string).length, info: (m[3] as string).trim() };
}

/**
 * Finds the closing line of a block. A line of the same char, at least as
 * long, with nothing after it closes; but a same-char line of that length
 * *with* an info string is a nested opener (a README's ```bash inside a ```
 * block), and the next bare closer belongs to it. Without this, the nested
 * block's closer would end the file early and the rest would be lost silently.
 */
function scanBlock(lines: readonly string[], start: number, open: Fence): { closeIndex: number } {
  let depth = 0;
  for (let j = start; j < lines.length; j++) {
    const f = matchFence(lines[j] as string);
    if (f === undefined || f.char !== open.char || f.length < open.length) continue;
    if (f.info === "") {
      if (depth === 0) return { closeIndex: j };
      depth--;
    } else if (!(f.char === "`" && f.info.includes("`"))) {
      depth++;
    }
  }
  return { closeIndex: -1 };
}

function blockContent(lines: readonly string[], start: number, end: number, indent: number): string {
  if (end === start) return "";
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

/** Extracts a path from a label line, or undefined when the line is prose. */
function pathFromLabelLine(line: string, expected: ReadonlySet<string>): string | undefined {
  let s = line.trim();
  s = s.replace(/^#{1,6}\s+/, "");
  // Peel decorations until nothing changes; four rounds cover every accepted combination.
  for (let round = 0; round < 4; round++) {
    const before = s;
    s = s.replace(BOLD_FILE_LABEL, "").replace(FILE_LABEL, "");
    if (s.endsWith(":")) s = s.slice(0, -1).trimEnd();
    if (s.length > 4 && s.startsWith("**") && s.endsWith("**")) s = s.slice(2, -2).trim();
    if (s.length > 2 && s.startsWith("`") && s.endsWith("`")) s = s.slice(1, -1).trim();
    if (s === before) break;
  }
  return candidatePath(s, expected);
}

/** Extracts a path from a fence info string: "python src/a.py", "src/a.py", "python:src/a.py", 'title="src/a.py"'. */
function pathFromInfo(info: string, expected: ReadonlySet<string>): string | undefined {
  if (info === "") return undefined;
  const tokens = info.split(/\s+/);
  for (let t = 0; t < tokens.length; t++) {
    let token = tokens[t] as string;
    const keyed = INFO_KEY.exec(token);
    if (keyed !== null) token = keyed[1] as string;
    token = token.replace(/^["'`]|["'`]$/g, "");
    const colon = token.indexOf(":");
    // "python:src/a.py" — but not "C:\x" drive letters, which the writer rejects anyway.
    if (colon > 1 && t === 0) {
      const after = candidatePath(token.slice(colon + 1), expected);
      if (after !== undefined) return after;
    }
    // The first bare token is a language unless it looks like a path ("```src/a.py").
    const path = candidatePath(token, expected);
    if (path !== undefined) return path;
  }
  return undefined;
}

function candidatePath(raw: string, expected: ReadonlySet<string>): string | undefined {
  if (raw === "" || /\s/.test(raw) || /[<>|"*?`{}]/.test(raw)) return undefined;
  const p = normaliseReplyPath(raw);
  if (p === "") return undefined;
  if (expected.has(p)) return p;
  const base = p.slice(p.lastIndexOf("/") + 1);
  if (p.includes("/") && base !== "") return p;
  if (EXTENSION.test(base) && base.length > 1 && !/^\.+$/.test(base)) return p;
  if (EXTENSIONLESS_NAMES.has(base)) return p;
  return undefined;
}

function fenceName(char: "`" | "~"): string {
  return char === "`" ? "backticks" : "tildes";
}

function listPaths(paths: readonly string[]): string {
  if (paths.length === 0) return "no files";
  if (paths.length === 1) return paths[0] as string;
  return `${paths.slice(0, -1).join(", ")} and ${paths[paths.length - 1] as string}`;
}
