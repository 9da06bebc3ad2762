// Python `re` patterns (what Ossature's `~matches` and `then … matches` use)
// as JavaScript RegExps. The differences a VMD author meets are translated:
// leading inline flags `(?i)`, named groups `(?P<n>…)` / `(?P=n)`, `\A` and
// `\Z`, and `$` also matching before a final newline. A pattern JavaScript
// cannot express is an error here, never a silently different match.

export type PyRegex = { ok: true; regex: RegExp } | { ok: false; message: string };

const FLAG_MAP: Record<string, string> = { i: "i", m: "m", s: "s", u: "", a: "", L: "", x: "x" };
// No `u` flag: Python accepts escaped punctuation (`\-`, `\_`) that unicode-mode JavaScript refuses.

export function pyRegex(pattern: string): PyRegex {
  let body = pattern;
  let flags = "";
  const lead = /^\(\?([aiLmsux]+)\)/.exec(body);
  if (lead) {
    for (const f of lead[1]!) {
      const js = FLAG_MAP[f]!;
      if (js === "x") return { ok: false, message: "verbose mode (?x) is not supported" };
      if (js && !flags.includes(js)) flags += js;
    }
    body = body.slice(lead[0].length);
  }
  let out = "";
  let inClass = false;
  for (let i = 0; i < body.length; i++) {
    const ch = body[i]!;
    if (ch === "\\") {
      const next = body[i + 1];
      if (next === undefined) return { ok: false, message: "bad escape (end of pattern)" };
      if (!inClass && next === "A") out += "(?<![\\s\\S])";
      else if (!inClass && next === "Z") out += "(?![\\s\\S])";
      else out += ch + next;
      i++;
      continue;
    }
    if (inClass) {
      if (ch === "]") inClass = false;
      out += ch;
      continue;
    }
    if (ch === "[") {
      inClass = true;
      out += ch;
      if (body[i + 1] === "^") out += body[++i];
      if (body[i + 1] === "]") out += "\\" + body[++i];
      continue;
    }
    if (ch === "(" && body.startsWith("(?P<", i)) {
      out += "(?<";
      i += 3;
      continue;
    }
    if (ch === "(" && body.startsWith("(?P=", i)) {
      const end = body.indexOf(")", i);
      if (end < 0) return { ok: false, message: "missing ), unterminated name" };
      out += `\\k<${body.slice(i + 4, end)}>`;
      i = end;
      continue;
    }
    if (ch === "(" && /^\(\?[aiLmsux-]+[:)]/.test(body.slice(i))) return { ok: false, message: "inline flags inside the pattern are not supported (put them at the start)" };
    // Python's `$` (without re.M) also matches just before a trailing newline.
    if (ch === "$" && !flags.includes("m")) {
      out += "(?=\\n?(?![\\s\\S]))";
      continue;
    }
    out += ch;
  }
  if (inClass) return { ok: false, message: `unterminated character set at position ${body.lastIndexOf("[")}` };
  try {
    return { ok: true, regex: new RegExp(out, flags) };
  } catch (e) {
    // Python's own wording where we know it, else the engine's.
    const msg = (e as Error).message.replace(/^Invalid regular expression: \/.*\/[a-z]*: /, "");
    if (/Unterminated group/i.test(msg)) return { ok: false, message: `missing ), unterminated subpattern at position ${body.indexOf("(")}` };
    return { ok: false, message: msg };
  }
}
