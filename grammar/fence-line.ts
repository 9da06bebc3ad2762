// What a fence line is: CommonMark's rule for fenced code blocks, read one
// line at a time. Shared by the spec lexer (markdown-lexer.ts) and the model
// reply parser (src/build/reply-protocol.ts), so a spec and a reply agree on
// which lines open and close a block. What each does *between* an opener and
// its closer differs on purpose, and is documented where it is done.

export interface FenceLine {
  char: "`" | "~";
  /** Length of the run of fence characters (3 or more). */
  length: number;
  /** Spaces before the run. */
  indent: number;
  /** The info string: the rest of the line, trimmed. Empty on a closer. */
  info: string;
}

/**
 * The fence on the line text[start, end), or undefined. At most `maxIndent`
 * spaces of indentation (CommonMark: 3; a tab is never fence indentation).
 * A backtick fence whose info string holds a backtick is inline code, not a
 * fence (CommonMark §4.5).
 */
export function fenceAt(text: string, start: number, end: number, maxIndent = 3): FenceLine | undefined {
  let i = start;
  while (i < end && text.charCodeAt(i) === 0x20) i++;
  if (i - start > maxIndent || i >= end) return undefined;
  const code = text.charCodeAt(i);
  if (code !== 0x60 && code !== 0x7e) return undefined;
  let j = i;
  while (j < end && text.charCodeAt(j) === code) j++;
  if (j - i < 3) return undefined;
  const info = text.slice(j, end).trim();
  if (code === 0x60 && info.includes("`")) return undefined;
  return { char: code === 0x60 ? "`" : "~", length: j - i, indent: i - start, info };
}

/** Whether `line` can close a block opened by `open`: same character, at least as long, no info string. */
export function closes(line: FenceLine, open: FenceLine): boolean {
  return line.char === open.char && line.length >= open.length && line.info === "";
}
