// The public interface of a dependency's output file, for a dependent task's
// prompt: enough to call the file's code correctly (names, signatures, type
// shapes, imports), without paying for its bodies. Language-agnostic on
// purpose: specwright targets any language, so this reads declaration lines
// and indentation, not syntax trees.
//
// The rule (tested on Python, Rust and TypeScript samples):
// - A small file (at most WHOLE_FILE_LINES lines and WHOLE_FILE_CHARS chars) is
//   shown whole: its bodies cost little and show conventions the interface
//   alone hides.
// - Otherwise keep, in file order:
//   - declaration lines: after modifiers (export, pub, public, async, static…)
//     the line starts with a declaring keyword (def, class, fn, function,
//     interface, type, struct, enum, trait, impl, const, module, package,
//     import, use, …) or is a Python-style UPPER_CASE constant;
//   - the whole signature when it spans lines (until brackets balance);
//   - decorators and attributes (`@x`, `#[x]`) right before a kept declaration;
//   - the first line of a doc comment right before a declaration (`///`,
//     `/** … */`) or of a docstring right after it (`"""…"""`);
//   - inside a type-like block (class, struct, enum, interface, trait, impl,
//     object type): member lines (fields, methods, enum variants) and the
//     block's closing brace;
//   - never the body of a function, nor the body of a non-declaration block
//     (`if __name__ == "__main__":`, a test `describe(…, () => {`), so local
//     variables never pass for interface. A hidden body is marked in the
//     language's idiom: `fn f() { … }`, `def f(): ...` (or the docstring).
// - At most MAX_INTERFACE_LINES kept lines per file; the rest are counted, not shown.
// - A long file with no declarations at all (data, markup) shows its first
//   HEAD_LINES lines.
// Blocks are found by indentation, which every formatter keeps consistent; a
// file with odd indentation gets a rougher but still line-accurate extract.

/** Files up to this many lines are shown whole. */
export const WHOLE_FILE_LINES = 80;
/** …and up to this many characters (a minified one-liner is not "small"). */
export const WHOLE_FILE_CHARS = 6000;
/** Most declaration lines kept from one file. */
export const MAX_INTERFACE_LINES = 60;
/** Lines shown from a long file that has no declarations. */
export const HEAD_LINES = 20;
/** Most lines a declaration ending in `=` continues on (a long union type). */
const MAX_CONTINUATION_LINES = 12;

export interface PublicInterface {
  /** "whole": the file as is; "declarations": extracted lines; "head": the first lines of a declaration-free file. */
  kind: "whole" | "declarations" | "head";
  /** The text to show, lines joined with "\n", no trailing newline. */
  text: string;
  /** Lines of `text`. */
  shownLines: number;
  /** Lines of the file. */
  totalLines: number;
  /** Kept lines dropped by the MAX_INTERFACE_LINES budget. */
  omittedLines: number;
}

// Words that may precede the declaring keyword. `pub(crate)` and `extern "C"` are handled in MODIFIER.
const MODIFIERS = [
  "export", "default", "declare", "pub", "public", "private", "protected", "internal", "static", "abstract",
  "final", "sealed", "open", "override", "async", "unsafe", "extern", "const", "readonly", "data", "inline", "virtual",
];
const MODIFIER = new RegExp(`^(?:pub\\([^)]*\\)|extern\\s+"[^"]*"|(?:${MODIFIERS.join("|")}))\\s+`);

// Keywords whose block holds members worth showing.
const TYPE_KEYWORDS = new Set([
  "class", "struct", "enum", "interface", "trait", "impl", "union", "record", "object", "protocol",
  "extension", "namespace", "module", "mod",
]);
// Keywords whose body is code, never interface.
const FUNCTION_KEYWORDS = new Set(["def", "fn", "func", "function", "fun", "sub"]);
const DECLARATION_KEYWORDS = new Set([
  ...TYPE_KEYWORDS, ...FUNCTION_KEYWORDS, "type", "typedef", "const", "let", "var", "val", "static",
  "import", "from", "use", "package", "require", "include", "#include", "#define", "template", "using", "macro_rules!",
]);
// Declarations that only count at the outermost level: inside a block they are statements, not interface.
const TOP_LEVEL_ONLY = new Set(["let", "var", "val", "require", "include"]);

const WORD = /^(#?[A-Za-z_]\w*!?)/;
const UPPER_CONSTANT = /^[A-Z][A-Z0-9_]*\s*(?::[^=]*)?=/;
// A C-family function definition at the outermost level: `int main(void) {`, `static char *name(int x)`.
const C_SIGNATURE = /^(?!(?:return|await|if|while|for|switch|else|throw|new|delete|yield|case|do|print)\b)[A-Za-z_][\w:<>,]*(?:[\s*&]+[\w:<>,]+)*[\s*&]+\**[A-Za-z_][\w:]*\s*\(/;
// A member of a type-like block: `name: T`, `name?: T`, `name(…)`, `name<T>(…)`, `name = v`, `Variant,`, `Variant(..)`, `get size()`.
const MEMBER = /^(?:[A-Za-z_$][\w$]*[?!]?\s*(?:[:(<=]|$)|[A-Z]\w*\s*[,({]|(?:get|set)\s+[A-Za-z_$][\w$]*\s*\()/;
// A Go-style field inside a brace block: `Name string`, `Items []Item`.
const BRACE_FIELD = /^[A-Za-z_]\w*\s+[\w*[\]().]+,?$/;
// Statements that look like members but are code.
const STATEMENT = /^(?:return|if|else|elif|for|while|match|switch|case|throw|raise|yield|await|pass|break|continue|del|assert|print)\b/;
const DECORATOR = /^(?:@[\w.]+|#\[.*\]|\[\w.*\])/;
const DOC_LINE = /^(?:\/\/\/|\/\/!|--\s*\||;;;)/;
const DOCSTRING_OPEN = /^[rubf]*("""|''')/i;
const CLOSER = /^[}\])]+[;,]?$/;

interface Block {
  indent: number;
  /** "members": a type-like block whose member lines are kept; "opaque": a body that is skipped. */
  kind: "members" | "opaque";
  /** Whether the opening line ended with `{`, so its closing brace is worth keeping. */
  brace: boolean;
  /** For "members": index in the output of the block's opening line, and of its first member. */
  signatureAt: number;
  firstMemberAt: number;
}

interface Declaration {
  /** A type-like declaration (class, struct, interface…) whose members are kept. */
  typeLike: boolean;
}

/** The public interface of one file, by the rule at the top of this module. */
export function extractPublicInterface(content: string): PublicInterface {
  const text = content.replace(/\r\n?/g, "\n").replace(/\n+$/, "");
  const lines = text === "" ? [] : text.split("\n");
  if (lines.length <= WHOLE_FILE_LINES && text.length <= WHOLE_FILE_CHARS) {
    return { kind: "whole", text, shownLines: lines.length, totalLines: lines.length, omittedLines: 0 };
  }

  const kept = collectDeclarations(lines);
  if (kept.length === 0) {
    const head = lines.slice(0, HEAD_LINES);
    return { kind: "head", text: head.join("\n"), shownLines: head.length, totalLines: lines.length, omittedLines: 0 };
  }
  const shown = kept.slice(0, MAX_INTERFACE_LINES);
  return {
    kind: "declarations",
    text: shown.join("\n"),
    shownLines: shown.length,
    totalLines: lines.length,
    omittedLines: kept.length - shown.length,
  };
}

function collectDeclarations(lines: readonly string[]): string[] {
  const out: string[] = [];
  const blocks: Block[] = [];
  let i = 0;
  while (i < lines.length) {
    const line = lines[i] as string;
    const trimmed = line.trim();
    if (trimmed === "") {
      i++;
      continue;
    }
    const indent = indentOf(line);
    // A line at or left of a block's opening indentation ends that block; a
    // type-like block's own closing brace is kept so the shape reads whole.
    let closedHere = false;
    while (blocks.length > 0 && indent <= (blocks[blocks.length - 1] as Block).indent) {
      const closed = blocks.pop() as Block;
      closeMembers(closed, out);
      if (closed.kind === "members" && closed.brace && indent === closed.indent && CLOSER.test(trimmed)) {
        out.push(line.trimEnd());
        closedHere = true;
        break;
      }
    }
    if (closedHere || blocks[blocks.length - 1]?.kind === "opaque" || isComment(trimmed)) {
      i++;
      continue;
    }

    const enclosing = blocks[blocks.length - 1];
    const declaration = declarationOf(trimmed, enclosing === undefined) ?? (enclosing?.kind === "members" ? memberOf(trimmed, enclosing) : undefined);
    if (declaration === undefined) {
      // An unkept line that opens a block hides that block's body too.
      if (opensBlock(trimmed)) blocks.push({ indent, kind: "opaque", brace: false, signatureAt: -1, firstMemberAt: -1 });
      i++;
      continue;
    }

    out.push(...leadingAnnotations(lines, i));

    // The signature, until its brackets balance; a declaration ending in `=`
    // (`type Event =` then `| {…}` lines) continues on its more indented lines.
    let end = i;
    let depth = bracketDepth(trimmed);
    while (depth > 0 && end + 1 < lines.length) {
      end++;
      depth += bracketDepth((lines[end] as string).trim());
    }
    if (codeOf((lines[end] as string).trim()).endsWith("=")) {
      while (end + 1 < lines.length && end - i < MAX_CONTINUATION_LINES && isContinuation(lines[end + 1] as string, indent)) end++;
    }
    const signature = lines.slice(i, end + 1).map((l) => l.trimEnd());
    const lastIndex = signature.length - 1;
    const last = (signature[lastIndex] as string).trim();
    i = end + 1;
    if (!opensBlock(last)) {
      out.push(...signature);
      continue;
    }
    const brace = codeOf(last).endsWith("{");
    if (declaration.typeLike) {
      out.push(...signature);
      blocks.push({ indent, kind: "members", brace, signatureAt: out.length - 1, firstMemberAt: out.length });
      // A class docstring's later lines (`name: what it is`) would pass for fields.
      const doc = docstringAt(lines, i);
      if (doc !== undefined) {
        out.push(doc.text);
        i = doc.next;
      }
      continue;
    }
    // A body that is not shown: say so in the language's own idiom, so the
    // excerpt still reads as code (`fn f() { … }`, `def f(): ...`).
    blocks.push({ indent, kind: "opaque", brace, signatureAt: -1, firstMemberAt: -1 });
    const doc = docstringAt(lines, i);
    // Appended to the code, not after a trailing `// comment` that would swallow it.
    const lastLine = signature[lastIndex] as string;
    const code = `${lastLine.slice(0, indentOf(lastLine))}${codeOf(last)}`;
    if (brace) signature[lastIndex] = `${code} … }`;
    else if (doc === undefined) signature[lastIndex] = `${code} ...`;
    out.push(...signature);
    if (doc !== undefined) {
      out.push(doc.text);
      i = doc.next;
    }
  }
  for (const open of blocks.reverse()) closeMembers(open, out);
  return out;
}

/** A Python-style class whose members were all hidden (`class E(Exception): pass`) reads `class E(Exception): ...`. */
function closeMembers(block: Block, out: string[]): void {
  if (block.kind !== "members" || block.brace || out.length !== block.firstMemberAt) return;
  out[block.signatureAt] = `${out[block.signatureAt] as string} ...`;
}

function isContinuation(line: string, declarationIndent: number): boolean {
  const trimmed = line.trim();
  return trimmed !== "" && indentOf(line) > declarationIndent;
}

/** The declaration a trimmed line starts, after modifiers; undefined for any other line. */
function declarationOf(trimmed: string, topLevel: boolean): Declaration | undefined {
  if (topLevel && UPPER_CONSTANT.test(trimmed)) return { typeLike: false };
  const { rest, modified } = stripModifiers(trimmed);
  // `export { a } from "./x"`, `export * from "./y"`: re-exports are interface.
  if (modified && /^[{*]/.test(rest)) return { typeLike: false };
  const keyword = WORD.exec(rest)?.[1];
  if (keyword === undefined || !DECLARATION_KEYWORDS.has(keyword)) {
    if (topLevel && C_SIGNATURE.test(trimmed) && !trimmed.includes("=")) return { typeLike: false };
    // `pub name: String`, `private count: number`, `export default app`: a modifier alone marks a declaration.
    return modified && /^[A-Za-z_$]/.test(rest) ? { typeLike: false } : undefined;
  }
  if (TOP_LEVEL_ONLY.has(keyword) && !topLevel) return undefined;
  // The keyword must introduce something: `type(x)` is a call, `type` alone an identifier.
  const after = rest.slice(keyword.length);
  if (!/^[\s<{!]/.test(after) && !(after.startsWith("(") && FUNCTION_KEYWORDS.has(keyword))) return undefined;
  if (after.trim() === "") return undefined;
  const code = codeOf(rest);
  // `type X = {`, Go's `type X struct {` read like an interface.
  const typeAlias = keyword === "type" && (/=\s*\{$/.test(code) || /\b(?:struct|interface)\s*\{$/.test(code));
  return { typeLike: TYPE_KEYWORDS.has(keyword) || typeAlias };
}

/** A member line of a type-like block (field, method, enum variant) as a declaration. */
function memberOf(trimmed: string, block: Block): Declaration | undefined {
  const { rest } = stripModifiers(trimmed);
  if (STATEMENT.test(rest) || DOCSTRING_OPEN.test(rest)) return undefined;
  if (MEMBER.test(rest) || (block.brace && BRACE_FIELD.test(rest))) return { typeLike: false };
  return undefined;
}

function stripModifiers(trimmed: string): { rest: string; modified: boolean } {
  let rest = trimmed;
  let modified = false;
  for (let round = 0; round < 6; round++) {
    const m = MODIFIER.exec(rest);
    if (m === null) break;
    const word = m[0].trim();
    const after = rest.slice(m[0].length);
    // `const` and `static` are keywords too (`pub const X`, `static FOO`); they
    // are modifiers only before another keyword (`const fn`, `static async def`).
    if (word === "const" || word === "static") {
      const next = WORD.exec(after)?.[1];
      if (next === undefined || !DECLARATION_KEYWORDS.has(next)) break;
    }
    rest = after;
    modified = true;
  }
  return { rest, modified };
}

function isComment(trimmed: string): boolean {
  return /^(?:\/\/|\/\*|\*|--|;|#(?!\[|!|include|define))/.test(trimmed);
}

/** The line without a trailing line comment (roughly: no string parsing). */
function codeOf(trimmed: string): string {
  return trimmed.replace(/\s+(?:\/\/|#(?!\[)).*$/, "").trimEnd();
}

/** Whether a line opens an indented block: ends with `{` or, Python-style, with `:`. */
function opensBlock(trimmed: string): boolean {
  const code = codeOf(trimmed);
  return code.endsWith("{") || (code.endsWith(":") && !code.endsWith("::"));
}

/** Net count of opening round and square brackets; good enough for signatures. */
function bracketDepth(trimmed: string): number {
  let depth = 0;
  for (const c of codeOf(trimmed)) {
    if (c === "(" || c === "[") depth++;
    else if (c === ")" || c === "]") depth--;
  }
  return depth;
}

/** Decorators/attributes and the first line of a doc comment directly above line `at`. */
function leadingAnnotations(lines: readonly string[], at: number): string[] {
  const decorators: string[] = [];
  let k = at - 1;
  while (k >= 0 && DECORATOR.test((lines[k] as string).trim())) {
    decorators.unshift((lines[k] as string).trimEnd());
    k--;
  }
  const above = k >= 0 ? (lines[k] as string).trim() : "";
  if (above.endsWith("*/")) {
    // A block comment ends right above: only a `/**` doc comment counts.
    let j = k;
    while (j > 0 && !(lines[j] as string).trim().startsWith("/*")) j--;
    const first = lines[j] as string;
    const open = first.trim();
    if (!open.startsWith("/**")) return decorators;
    const summary = (open === "/**" ? (lines[j + 1] ?? "").trim().replace(/^\*\s?/, "") : open.slice(3)).replace(/\*\/$/, "").trim();
    return summary === "" ? decorators : [`${first.slice(0, indentOf(first))}/** ${summary} */`, ...decorators];
  }
  let j = k;
  while (j >= 0 && DOC_LINE.test((lines[j] as string).trim())) j--;
  return j < k ? [(lines[j + 1] as string).trimEnd(), ...decorators] : decorators;
}

/** A docstring starting at line `at` (Python): its first line, closed on that line, and the line after it. */
function docstringAt(lines: readonly string[], at: number): { text: string; next: number } | undefined {
  let k = at;
  while (k < lines.length && (lines[k] as string).trim() === "") k++;
  const line = lines[k];
  if (line === undefined) return undefined;
  const m = DOCSTRING_OPEN.exec(line.trim());
  if (m === null) return undefined;
  const quote = m[1] as string;
  const indent = line.slice(0, indentOf(line));
  const body = line.trim().slice(m[0].length);
  const close = body.indexOf(quote);
  if (close >= 0) return { text: `${indent}${quote}${body.slice(0, close).trim()}${quote}`, next: k + 1 };
  let end = k + 1;
  while (end < lines.length && !(lines[end] as string).includes(quote)) end++;
  const summary = body.trim() !== "" ? body.trim() : (lines[k + 1] ?? "").trim().replace(quote, "").trim();
  return { text: `${indent}${quote}${summary}${quote}`, next: Math.min(end + 1, lines.length) };
}

function indentOf(line: string): number {
  let n = 0;
  for (const c of line) {
    if (c === " ") n++;
    else if (c === "\t") n += 4;
    else break;
  }
  return n;
}
