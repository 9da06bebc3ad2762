// Issue 10 item 18: quitting the demo's TUI at once (nothing built) must not
// point at a built program; the intro is not hard-wrapped.

import { describe, expect, it } from "vitest";
import { demoClosingNote } from "../../src/cli/commands/demo.js";
import { palette } from "../../src/cli/style.js";

describe("the demo's closing note", () => {
  it("names the built program only when a build wrote it", () => {
    const plain = palette(false);
    const notBuilt = demoClosingNote(plain, "specwright-demo", false);
    expect(notBuilt).not.toContain("the built program");
    expect(notBuilt).toContain("nothing was built:  `specwright -C specwright-demo` opens it again (5 then b builds)");
    const built = demoClosingNote(plain, "specwright-demo", true);
    expect(built).toContain("the built program:  node specwright-demo/output/src/cli.mjs --top 5 specwright-demo/specs/wordfreq.smd");
  });
});
