// Inline conventions inside a line: the `[inferred]` marker, heading
// attributes (`{#anchor .no-verify}`) and the slug that makes a requirement
// title into a stable anchor. Shared by the SMD and AMD builders.

const LEADING_INFERRED = /^\[inferred\][ \t]*/i;
const TRAILING_INFERRED = /[ \t]*\[inferred\]$/i;

/**
 * Removes an `[inferred]` marker from the start or the end of a text. A marker
 * in the middle is content: only the two places a person or model puts it count.
 */
export function stripInferred(text: string): { text: string; inferred: boolean } {
  if (!text.includes("[")) return { text, inferred: false };
  if (LEADING_INFERRED.test(text)) return { text: text.replace(LEADING_INFERRED, ""), inferred: true };
  if (TRAILING_INFERRED.test(text)) return { text: text.replace(TRAILING_INFERRED, ""), inferred: true };
  return { text, inferred: false };
}

/** The same, for a list of lines where the marker may lead the first or end the last. */
export function stripInferredLines(lines: string[]): { lines: string[]; inferred: boolean } {
  // The marker holds a "[": most bullets have none, and skip both regexes.
  if (lines.length === 0 || (!lines[0]!.includes("[") && !lines[lines.length - 1]!.includes("["))) return { lines, inferred: false };
  const first = stripInferred(lines[0]!);
  if (first.inferred && LEADING_INFERRED.test(lines[0]!)) return { lines: [first.text, ...lines.slice(1)], inferred: true };
  const last = stripInferred(lines[lines.length - 1]!);
  if (last.inferred) return { lines: [...lines.slice(0, -1), last.text], inferred: true };
  return { lines, inferred: false };
}

export interface HeadingAttributes {
  title: string;
  anchor?: string;
  noVerify: boolean;
  inferred: boolean;
  /** Set when a `{…}` group looks like attributes but one of them is malformed. */
  invalid?: string;
}

const ATTRIBUTE_GROUP = /[ \t]*\{([^{}]*)\}$/;
const ANCHOR = /^#[A-Za-z0-9_-]+$/;

/**
 * Splits `Title {#anchor .no-verify} [inferred]` (attributes and marker in
 * either order) into its parts. A trailing `{…}` group holding neither an
 * anchor nor `.no-verify` stays in the title, as in Ossature.
 */
export function parseHeadingAttributes(heading: string): HeadingAttributes {
  // Most headings are a plain title: no marker, no attribute group.
  if (!heading.includes("[") && !heading.includes("{")) return { title: heading.trim(), noVerify: false, inferred: false };
  let rest = heading.trim();
  let inferred = false;
  const marker = stripInferred(rest);
  if (marker.inferred) {
    rest = marker.text.trim();
    inferred = true;
  }
  const group = ATTRIBUTE_GROUP.exec(rest);
  const result: HeadingAttributes = { title: rest, noVerify: false, inferred };
  if (group) {
    const parts = group[1]!.trim().split(/\s+/).filter((p) => p !== "");
    const looksLikeAttributes = parts.some((p) => p.startsWith("#") || p.startsWith("."));
    if (looksLikeAttributes) {
      result.title = rest.slice(0, group.index).trim();
      for (const part of parts) {
        if (part === ".no-verify") result.noVerify = true;
        else if (ANCHOR.test(part) && result.anchor === undefined) result.anchor = part.slice(1);
        else result.invalid ??= part;
      }
      if (!inferred) {
        const again = stripInferred(result.title);
        if (again.inferred) {
          result.title = again.text.trim();
          result.inferred = true;
        }
      }
    }
  }
  return result;
}

/** The anchor derived from a title: lowercase, runs of non-alphanumerics become `-`, trimmed. */
export function slugify(title: string): string {
  return title
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, "-")
    .replace(/^-+|-+$/g, "");
}

/** `None` (any case, optional final period): how specs say a list is deliberately empty. */
export function isNone(text: string): boolean {
  return /^none\.?$/i.test(text.trim());
}
