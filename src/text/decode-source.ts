// Turns the bytes of a user's file into text for the parsers: strict UTF-8
// (an invalid byte is a diagnostic at its line and column, not mojibake), a
// leading BOM dropped. CRLF is left for the parsers, which count it as one break.

import { diagnostic, type Diagnostic } from "../../grammar/diagnostic.js";

const strict = new TextDecoder("utf-8", { fatal: true, ignoreBOM: false });

export type DecodeResult = { ok: true; text: string } | { ok: false; diagnostic: Diagnostic };

export function decodeSource(bytes: Uint8Array, file: string): DecodeResult {
  try {
    return { ok: true, text: strict.decode(bytes) };
  } catch {
    const offset = firstInvalidUtf8(bytes);
    const { line, column } = positionOfByte(bytes, offset);
    const value = bytes[offset]!.toString(16).padStart(2, "0");
    return {
      ok: false,
      diagnostic: diagnostic("error", file, line, column, `invalid UTF-8: byte 0x${value} at offset ${offset}`, {
        hint: "save the file as UTF-8 (most editors: 'Save with encoding' → UTF-8)",
        code: "source/invalid-utf8",
      }),
    };
  }
}

/** Offset of the first byte that does not belong to a valid UTF-8 sequence. */
export function firstInvalidUtf8(bytes: Uint8Array): number {
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i]!;
    let need: number;
    let min: number;
    if (b < 0x80) {
      i++;
      continue;
    } else if (b >= 0xc2 && b <= 0xdf) {
      need = 1;
      min = 0x80;
    } else if (b >= 0xe0 && b <= 0xef) {
      need = 2;
      min = 0x800;
    } else if (b >= 0xf0 && b <= 0xf4) {
      need = 3;
      min = 0x10000;
    } else {
      return i;
    }
    let cp = b & (0x3f >> need);
    for (let k = 1; k <= need; k++) {
      const c = bytes[i + k];
      if (c === undefined || (c & 0xc0) !== 0x80) return i;
      cp = (cp << 6) | (c & 0x3f);
    }
    if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return i;
    i += need + 1;
  }
  return bytes.length;
}

/** 1-based line and column (in characters of the valid prefix) of a byte offset. */
function positionOfByte(bytes: Uint8Array, offset: number): { line: number; column: number } {
  const prefix = new TextDecoder("utf-8").decode(bytes.subarray(0, offset));
  const lastBreak = Math.max(prefix.lastIndexOf("\n"), prefix.lastIndexOf("\r"));
  const line = (prefix.match(/\r\n|\r|\n/g)?.length ?? 0) + 1;
  let lineText = prefix.slice(lastBreak + 1);
  if (line === 1 && lineText.startsWith("\uFEFF")) lineText = lineText.slice(1);
  return { line, column: lineText.length + 1 };
}

/** True when the bytes start with a UTF-8 byte order mark (which decodeSource drops): an edit writes it back. */
export function hasByteOrderMark(bytes: Uint8Array): boolean {
  return bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf;
}
