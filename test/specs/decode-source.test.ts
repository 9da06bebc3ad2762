import { describe, expect, it } from "vitest";
import { decodeSource, firstInvalidUtf8 } from "../../src/text/decode-source.js";

const bytes = (...parts: (string | number[])[]) =>
  Buffer.concat(parts.map((p) => (typeof p === "string" ? Buffer.from(p, "utf8") : Buffer.from(p))));

describe("decoding spec files", () => {
  it("drops a UTF-8 BOM and keeps CRLF for the parsers", () => {
    const r = decodeSource(bytes([0xef, 0xbb, 0xbf], "---\r\nid: X\r\n"), "a.smd");
    expect(r).toEqual({ ok: true, text: "---\r\nid: X\r\n" });
  });

  it("reports invalid UTF-8 at the line and column of the first bad byte", () => {
    const r = decodeSource(bytes("---\nid: X\n# Tïtle ", [0xff], " rest\n"), "specs/a.smd");
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.diagnostic).toMatchObject({
      severity: "error",
      file: "specs/a.smd",
      line: 3,
      column: 9,
      message: "invalid UTF-8: byte 0xff at offset 19",
    });
    expect(r.diagnostic.hint).toContain("UTF-8");
  });

  it("finds truncated, overlong and surrogate sequences", () => {
    expect(firstInvalidUtf8(bytes("ab", [0xc3]))).toBe(2);
    expect(firstInvalidUtf8(bytes("a", [0xc0, 0x80]))).toBe(1);
    expect(firstInvalidUtf8(bytes([0xed, 0xa0, 0x80]))).toBe(0);
    expect(firstInvalidUtf8(bytes("ok ✓ 😀"))).toBe(Buffer.byteLength("ok ✓ 😀"));
  });
});
