import { describe, expect, it } from "vitest";
import { sha256Hex } from "../../plans/content-hash.js";

// Task keys hash context files read as bytes; state.json records the hash of
// reply text written as UTF-8; freshness hashes the bytes on disk. All three
// go through sha256Hex, and must agree for the same content.
describe("the content hash", () => {
  it("gives a string and its UTF-8 bytes the same digest", () => {
    for (const text of ["", "a\n", "héllo wörld ✓\r\n", "\u{1F600} emoji\n"]) {
      expect(sha256Hex(text)).toBe(sha256Hex(new TextEncoder().encode(text)));
    }
  });

  it("is plain sha256 in lowercase hex (what state.json has always recorded)", () => {
    expect(sha256Hex("a\n")).toBe("87428fc522803d31065e7bce3cf03fe475096631e5e07bbd7a0fde60c4cf25c7");
  });
});
