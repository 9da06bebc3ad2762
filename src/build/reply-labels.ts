// Which line of a model reply names which file. The strict label forms are the
// documented format and its common spellings; the lenient forms are the shapes
// other tools learned from real model output (issue 18), each with its
// evidence, tried only when the strict reading of a reply refuses it
// (reply-protocol.ts). A lenient form names an *expected* path or nothing:
// it never invents an undeclared file, a basename match or a fuzzy guess.

import type { FenceLine } from "../../grammar/fence-line.js";
import { canonicalPath } from "../../plans/output-path.js";

const INFO_KEY = /^(?:title|file|filename|path)=(.*)$/i;
const QUOTED_INFO_KEY = /(?:^|\s)(?:title|file|filename|path)=(["'])(.+?)\1/i;
const FILE_LABEL = /^(?:file|filename|path)\s*:\s*/i;
const BOLD_FILE_LABEL = /^\*\*(?:file|filename|path)\s*:\s*\*\*\s*/i;
const EXTENSION = /\.[A-Za-z0-9_+-]+$/;
const EXTENSIONLESS_NAMES = new Set([
  "Makefile", "makefile", "GNUmakefile", "Dockerfile", "Containerfile", "Procfile",
  "Gemfile", "Rakefile", "Vagrantfile", "Justfile", "justfile", "LICENSE", "README",
]);

/**
 * The path form compared against the plan: backslashes become "/", "." and
 * empty segments are dropped (plans/output-path.ts's canonical spelling).
 * Nothing else is resolved here; safe-write refuses "..", absolute paths and
 * symlink escapes.
 */
export function replyPath(path: string): string {
  return canonicalPath(path.trim().replace(/\\/g, "/"));
}

/**
 * `raw` as a path, or undefined when it does not look like one. An expected
 * path is taken exactly as the plan spells it (spaces included, issue 9 item
 * 25); anything else must look like a file: no spaces, backticks or shell
 * characters, and a "/", an extension or a well-known extensionless name.
 */
export function candidatePath(raw: string, expected: ReadonlySet<string>): string | undefined {
  if (raw === "" || raw.includes("`")) return undefined;
  const p = replyPath(raw);
  if (p === "") return undefined;
  if (expected.has(p)) return p;
  if (/\s/.test(raw) || /[<>|"*?{}]/.test(raw)) return undefined;
  const base = p.slice(p.lastIndexOf("/") + 1);
  if (p.includes("/") && base !== "") return p;
  if (EXTENSION.test(base) && base.length > 1 && !/^\.+$/.test(base)) return p;
  if (EXTENSIONLESS_NAMES.has(base)) return p;
  return undefined;
}

/** Strict: a path from a label line (`src/a.py`, **File:** `src/a.py`, ### src/a.py, …), or undefined when it is prose. */
export function pathFromLabelLine(line: string, expected: ReadonlySet<string>): string | undefined {
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

/** Strict: a path from a fence info string: "python src/a.py", "src/a.py", "python:src/a.py", 'title="src/a.py"'. */
export function pathFromInfo(info: string, expected: ReadonlySet<string>): string | undefined {
  if (info === "") return undefined;
  const quoted = QUOTED_INFO_KEY.exec(info);
  if (quoted !== null) {
    const p = candidatePath(quoted[2] as string, expected);
    if (p !== undefined) return p;
  }
  // An expected path may hold spaces: try the whole string, and the string after a language.
  for (const whole of [info, info.replace(/^\S+\s+/, "")]) {
    const p = replyPath(whole);
    if (expected.has(p)) return p;
  }
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

// --- lenient forms ----------------------------------------------------------------

const LIST_ITEM = /^(\s*)([-*+]|\d{1,9}[.)])(\s+)(\S.*)$/;
const BRACKET_LABEL = /^\[\s*(?:(?:file|filename|path)\s*:\s*)?(.+?)\s*\]\s*:?$/i;
const TRAILING_PARENTHETICAL = /^(.*?\S)\s*\([^()]*\)\s*:?$/;
const BACKTICK_SPAN = /`([^`]+)`/g;
const BOLD_SPAN = /\*\*([^*]+)\*\*/g;
/** Words of a sentence that presents a file: Aider's and gpt-engineer's cases all have one. */
const PRESENTING = /\b(?:here|here's|below|following|updated?|modified|changed|changes|new|creat(?:e|ed|ing)|complete|full|entire|whole|final|contents?|version|file|implementation|rewritten|fixed|revised)\b/i;
/** Words of a sentence that introduces a usage example, not a file. */
const USAGE = /^\s*(?:run|test|try|execute|call|invoke|use|install|import|open|start|launch)\b|\b(?:to run|to test|to use|usage|example|for instance|like this|output|command|terminal)\b|\bwith:\s*$/i;
const SHELL_TAGS = new Set([
  "bash", "sh", "shell", "zsh", "fish", "ksh", "csh", "tcsh", "console", "shell-session", "shellsession",
  "sh-session", "terminal", "cmd", "bat", "batch", "powershell", "ps1", "pwsh",
]);
const SHELL_FILE = /\.(?:sh|bash|zsh|fish|ksh|csh|tcsh|ps1|psm1|bat|cmd|command)$/i;
/** Tags whose block is a change or a transcript, never a whole file. */
const NOT_A_FILE_TAGS = new Set(["diff", "patch", "udiff"]);

export function isListItem(line: string): boolean {
  return LIST_ITEM.test(line);
}

/** Columns a list item's content is indented by ("10. " → 4): a fence under the item may be indented that far plus 3. */
export function listContentIndent(line: string): number {
  const m = LIST_ITEM.exec(line);
  if (m === null) return 0;
  return (m[1] as string).length + (m[2] as string).length + Math.min((m[3] as string).length, 4);
}

/** The fence's language tag (first word of the info string), lower-case. */
function languageOf(info: string): string {
  return (info.split(/\s+/)[0] ?? "").toLowerCase();
}

export function isShellTag(info: string): boolean {
  return SHELL_TAGS.has(languageOf(info));
}

export function isShellFile(path: string): boolean {
  return SHELL_FILE.test(path);
}

/** Whether a block tagged with `info` can be the whole content of `path` (a sentence above a ```bash block labels a usage line, not a .py file). */
function tagFits(info: string | undefined, path: string): boolean {
  if (info === undefined) return true;
  const tag = languageOf(info);
  if (NOT_A_FILE_TAGS.has(tag)) return false;
  return !SHELL_TAGS.has(tag) || isShellFile(path);
}

export interface LenientLabelInput {
  lines: readonly string[];
  /** The last non-blank line before the fence. */
  labelLine: number;
  /** First line after the previous block: the prose before this block starts there. */
  proseStart: number;
  /** The block's opening fence (its language must fit the file). */
  fence: FenceLine | undefined;
  expected: ReadonlySet<string>;
}

/**
 * The expected path a lenient label form names, with the rule that found it.
 * Shapes (issue 18): 1 a sentence naming one expected path in backticks or
 * bold; 2 a list item not part of a longer list; 5 a trailing parenthetical;
 * 6 a bracketed label; 7 a heading or File: label, one description line, then
 * the block.
 */
export function lenientLabel(input: LenientLabelInput): { path: string; rule: string } | undefined {
  const { lines, labelLine, expected } = input;
  const text = (lines[labelLine] as string).trim();
  const fits = (found: { path: string; rule: string } | undefined) =>
    found !== undefined && expected.has(found.path) && tagFits(input.fence?.info, found.path) ? found : undefined;

  const item = LIST_ITEM.exec(text);
  if (item !== null) {
    // Shape 2 (gpt-engineer tests/test_chat_to_files.py:149, issue #545). A plan
    // listing several files before the blocks must not label the next block with its last item.
    const above = previousNonBlank(lines, labelLine, input.proseStart);
    if (above !== undefined && isListItem(lines[above] as string)) return undefined;
    const inner = labelForms(item[4] as string, expected);
    return fits(inner === undefined ? undefined : { path: inner.path, rule: `a list item as the label (${inner.rule})` });
  }
  const direct = fits(labelForms(text, expected));
  if (direct !== undefined) return direct;

  // Shape 7: "### src/a.py" or "File: src/a.py", one line describing it, then the block.
  const above = previousNonBlank(lines, labelLine, input.proseStart);
  if (above === undefined) return undefined;
  const heading = lines[above] as string;
  if (!/^\s*(?:#{1,6}\s|\*\*(?:file|filename|path)\s*:|(?:file|filename|path)\s*:)/i.test(heading)) return undefined;
  const path = pathFromLabelLine(heading, expected);
  if (path === undefined || !expected.has(path)) return undefined;
  if (pathFromLabelLine(text, expected) !== undefined || isListItem(text)) return undefined;
  const others = pathSpans(text, expected).filter((p) => p !== path);
  if (others.length > 0) return undefined;
  return fits({ path, rule: "a heading or File: label, one description line, then the block" });
}

/** Label forms that name a path on one line of text: strict, trailing parenthetical, brackets, a presenting sentence. */
function labelForms(text: string, expected: ReadonlySet<string>): { path: string; rule: string } | undefined {
  const strict = pathFromLabelLine(text, expected);
  if (strict !== undefined) return { path: strict, rule: "the label" };
  // Shape 5 (Aider #2089; gpt-engineer #1088, codellama:13b on Ollama): "**src/a.py** (new file)".
  const paren = TRAILING_PARENTHETICAL.exec(text);
  if (paren !== null) {
    const p = pathFromLabelLine(paren[1] as string, expected);
    if (p !== undefined) return { path: p, rule: "a label with a trailing parenthetical" };
  }
  // Shape 6 (gpt-engineer tests/test_chat_to_files.py:39, :97; tests/core/test_chat_to_files.py:105; #169).
  const bracket = BRACKET_LABEL.exec(text);
  if (bracket !== null) {
    const p = pathFromLabelLine(bracket[1] as string, expected);
    if (p !== undefined) return { path: p, rule: "a bracketed label" };
  }
  // Shape 4's directive written above the block instead of in it (appmap-js #1855): "<!-- file: src/a.html -->".
  for (const form of LABEL_COMMENT_FORMS) {
    const m = form.exec(text);
    if (m === null) continue;
    const p = replyPath((m[1] as string).replace(DIRECTIVE_KEY, "").replace(/^`(.*)`$/, "$1"));
    if (expected.has(p)) return { path: p, rule: "a comment directive naming the path" };
  }
  // Shape 1 (Aider tests/basic/test_wholefile.py:179, :212; Aider #2089, #157).
  const named = pathSpans(text, expected);
  if (named.length !== 1 || !expected.has(named[0] as string)) return undefined;
  const prose = text.replace(BACKTICK_SPAN, " ").replace(BOLD_SPAN, " ");
  if (!PRESENTING.test(prose) || USAGE.test(prose)) return undefined;
  return { path: named[0] as string, rule: "a sentence naming the path" };
}

/** The distinct paths a line names in backticks or bold. */
function pathSpans(text: string, expected: ReadonlySet<string>): string[] {
  const found = new Set<string>();
  for (const m of text.matchAll(BACKTICK_SPAN)) {
    const p = candidatePath((m[1] as string).trim(), expected);
    if (p !== undefined) found.add(p);
  }
  for (const m of text.matchAll(BOLD_SPAN)) {
    const inner = (m[1] as string).replace(/^`|`$/g, "").trim();
    const p = candidatePath(inner, expected);
    if (p !== undefined) found.add(p);
  }
  return [...found];
}

/** Index of the nearest non-blank line above `line` in this block's prose, or undefined at a fence or the prose start. */
function previousNonBlank(lines: readonly string[], line: number, proseStart: number): number | undefined {
  for (let j = line - 1; j >= proseStart; j--) {
    const text = lines[j] as string;
    if (text.trim() === "") continue;
    if (/^\s{0,3}(?:`{3,}|~{3,})/.test(text)) return undefined;
    return j;
  }
  return undefined;
}

const DIRECTIVE_KEY = /^(?:file(?:name|path)?|path)\s*:\s*/i;
const BLOCK_COMMENTS = [/^\s*\/\*+\s*(.*?)\s*\*+\/\s*$/, /^\s*<!--\s*(.*?)\s*-->\s*$/];
/** Comments that can hold a path as a file's first line. */
const COMMENT_FORMS = [/^\s*(?:#+|\/\/+|--|;+|%+)\s*(.*?)\s*$/, ...BLOCK_COMMENTS];
/** The same above a block; "# x" there is a heading, which the strict label already reads. */
const LABEL_COMMENT_FORMS = [/^\s*\/\/+\s*(.*?)\s*$/, ...BLOCK_COMMENTS];

/**
 * Shape 4 (appmap-js #1855; Aider tests/basic/test_editblock.py:28, :557, :597):
 * the path given only inside the block, on its first line — as a comment
 * (`# src/a.py`, `// filepath: src/a.py`, `<!-- file: README.md -->`, kept in
 * the content, where it is valid code) or alone (dropped). Expected paths only.
 */
export function blockFirstLinePath(line: string | undefined, expected: ReadonlySet<string>): { path: string; drop: boolean } | undefined {
  if (line === undefined || line.trim() === "") return undefined;
  const bare = pathFromLabelLine(line, expected);
  if (bare !== undefined && expected.has(bare) && !/^\s*#/.test(line)) return { path: bare, drop: true };
  for (const form of COMMENT_FORMS) {
    const m = form.exec(line);
    if (m === null) continue;
    const inner = (m[1] as string).replace(DIRECTIVE_KEY, "").replace(/^`(.*)`$/, "$1");
    const p = replyPath(inner);
    if (inner !== "" && expected.has(p)) return { path: p, drop: false };
  }
  return undefined;
}
