// JSON read the way Python's `json.loads` reads it, because a VMD cell means
// what Ossature (which uses json.loads) says it means: `NaN`, `Infinity` and
// `-Infinity` are numbers, control characters inside strings are refused, and
// `rawDecode` stops after one value like `json.JSONDecoder.raw_decode`.

export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

export type Decoded = { ok: true; value: JsonValue; end: number } | { ok: false; message: string; at: number };

const NUMBER = /-?(?:0|[1-9]\d*)(\.\d+)?([eE][-+]?\d+)?/y;
const WS = /[ \t\n\r]*/y;

class PyJsonError extends Error {
  constructor(
    message: string,
    readonly at: number,
  ) {
    super(message);
  }
}

function skip(text: string, i: number): number {
  WS.lastIndex = i;
  WS.exec(text);
  return WS.lastIndex;
}

function parseString(text: string, i: number): [string, number] {
  // text[i] is the opening quote
  let out = "";
  let j = i + 1;
  for (;;) {
    if (j >= text.length) throw new PyJsonError("Unterminated string", i);
    const ch = text[j]!;
    if (ch === '"') return [out, j + 1];
    if (ch === "\\") {
      const e = text[j + 1];
      if (e === undefined) throw new PyJsonError("Unterminated string", i);
      const simple: Record<string, string> = { '"': '"', "\\": "\\", "/": "/", b: "\b", f: "\f", n: "\n", r: "\r", t: "\t" };
      if (e in simple) {
        out += simple[e];
        j += 2;
      } else if (e === "u") {
        const hex = text.slice(j + 2, j + 6);
        if (!/^[0-9a-fA-F]{4}$/.test(hex)) throw new PyJsonError("Invalid \\uXXXX escape", j);
        out += String.fromCharCode(parseInt(hex, 16));
        j += 6;
      } else {
        throw new PyJsonError("Invalid \\escape", j);
      }
      continue;
    }
    if (ch.charCodeAt(0) < 0x20) throw new PyJsonError("Invalid control character", j);
    out += ch;
    j++;
  }
}

function parseValue(text: string, i: number, depth: number): [JsonValue, number] {
  if (depth > 500) throw new PyJsonError("nesting too deep", i);
  const ch = text[i];
  if (ch === '"') return parseString(text, i);
  if (ch === "{") {
    const obj: { [key: string]: JsonValue } = {};
    let j = skip(text, i + 1);
    if (text[j] === "}") return [obj, j + 1];
    for (;;) {
      if (text[j] !== '"') throw new PyJsonError("Expecting property name enclosed in double quotes", j);
      const [key, afterKey] = parseString(text, j);
      j = skip(text, afterKey);
      if (text[j] !== ":") throw new PyJsonError("Expecting ':' delimiter", j);
      j = skip(text, j + 1);
      const [value, afterValue] = parseValue(text, j, depth + 1);
      Object.defineProperty(obj, key, { value, enumerable: true, writable: true, configurable: true });
      j = skip(text, afterValue);
      if (text[j] === "}") return [obj, j + 1];
      if (text[j] !== ",") throw new PyJsonError("Expecting ',' delimiter", j);
      j = skip(text, j + 1);
    }
  }
  if (ch === "[") {
    const arr: JsonValue[] = [];
    let j = skip(text, i + 1);
    if (text[j] === "]") return [arr, j + 1];
    for (;;) {
      const [value, afterValue] = parseValue(text, j, depth + 1);
      arr.push(value);
      j = skip(text, afterValue);
      if (text[j] === "]") return [arr, j + 1];
      if (text[j] !== ",") throw new PyJsonError("Expecting ',' delimiter", j);
      j = skip(text, j + 1);
    }
  }
  for (const [word, value] of [
    ["null", null],
    ["true", true],
    ["false", false],
    ["NaN", NaN],
    ["Infinity", Infinity],
    ["-Infinity", -Infinity],
  ] as const) {
    if (text.startsWith(word, i)) return [value, i + word.length];
  }
  NUMBER.lastIndex = i;
  const m = NUMBER.exec(text);
  if (m) return [Number(m[0]), i + m[0].length];
  throw new PyJsonError("Expecting value", i);
}

/** One JSON value starting exactly at `start` (no leading white space skipped), like raw_decode. */
export function rawDecode(text: string, start = 0): Decoded {
  try {
    const [value, end] = parseValue(text, start, 0);
    return { ok: true, value, end };
  } catch (e) {
    if (e instanceof PyJsonError) return { ok: false, message: e.message, at: e.at };
    throw e;
  }
}

/** A whole text as one JSON value, surrounding white space allowed, like json.loads. */
export function loads(text: string): Decoded {
  const start = skip(text, 0);
  const r = rawDecode(text, start);
  if (!r.ok) return r;
  const end = skip(text, r.end);
  if (end !== text.length) return { ok: false, message: "Extra data", at: end };
  return r;
}
