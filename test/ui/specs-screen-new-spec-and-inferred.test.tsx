import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { smdTemplate } from "../../src/project/templates.js";
import { writeCalcProject } from "../helpers/calc-build.js";
import { tempDir } from "../helpers/cli.js";
import { CALC_SMD } from "../helpers/spec-project.js";
import { KEY, renderApp, testEnv, type AppHarness } from "./render-app.js";

let dir: string;
let cleanup: () => Promise<void>;
let app: AppHarness | undefined;

/** A port nothing listens on: these screens need no model. */
const DOWN = "http://127.0.0.1:9";

beforeEach(async () => {
  ({ dir, cleanup } = await tempDir("specwright-ui-"));
  await writeCalcProject(dir);
});
afterEach(async () => {
  app?.unmount();
  await cleanup();
});

describe("the specs screen", () => {
  it("writes a new spec from the template that validates, and refuses to overwrite it", async () => {
    app = renderApp({ cwd: dir, env: testEnv(dir, DOWN), screen: "specs" });
    await app.waitFor((f) => f.includes("specs/calc.smd"), "the spec list");
    await app.press("n");
    await app.waitFor((f) => f.includes("New spec name"), "the name prompt");
    await app.press("word-count", KEY.enter);
    await app.waitFor((f) => f.includes("created specs/word-count.smd from the smd template (spec WORD_COUNT)"), "the created file");
    // Selected once listed, and valid as written.
    await app.waitFor((f) => /› ✓ specs\/word-count\.smd/.test(f) && f.includes("specs/word-count.smd: valid"), "the new spec, validated");
    const path = join(dir, "specs/word-count.smd");
    expect(await readFile(path, "utf8")).toBe(smdTemplate("word-count"));

    await writeFile(path, "edited by hand\n");
    await app.press("n");
    await app.waitFor((f) => f.includes("New spec name"), "the name prompt again");
    await app.press("word-count.smd", KEY.enter);
    await app.waitFor((f) => f.includes("word-count.smd already exists — not overwritten"), "the refusal");
    expect(await readFile(path, "utf8")).toBe("edited by hand\n");
  });

  it("highlights [inferred] items and confirming one removes exactly its marker, then re-validates", async () => {
    const spec = CALC_SMD.replace("### Divide numbers {#divide}", "### Divide numbers {#divide} [inferred]").replace(
      "- Standard library only\n",
      "- Standard library only\n- [inferred] Integers only, no floats\n",
    );
    await writeFile(join(dir, "specs/calc.smd"), spec);
    app = renderApp({ cwd: dir, env: testEnv(dir, DOWN), screen: "specs" });
    const f = await app.waitFor((x) => x.includes("2 [inferred] to confirm"), "the inferred items");
    expect(f).toMatch(/\[inferred\] \d+: ### Divide numbers/);
    expect(f).toMatch(/\[inferred\] \d+: - Integers only, no floats/);
    // Rows: calc.amd, calc.smd, its heading, its bullet.
    await app.press(KEY.down, KEY.down, KEY.down);
    await app.waitFor((x) => /› +\[inferred\] \d+: - Integers only/.test(x), "the bullet selected");
    await app.press("c");
    await app.waitFor((x) => /I-0001: confirmed specs\/calc\.smd:\d+ — the \[inferred\] marker is gone/.test(x), "the confirmation");
    expect(await readFile(join(dir, "specs/calc.smd"), "utf8")).toBe(spec.replace("- [inferred] Integers only", "- Integers only"));
    // A person deciding a model's guess is intent: logged like `specwright confirm`, with where it was decided.
    const log = (await readFile(join(dir, ".specwright/intent.jsonl"), "utf8")).trim().split("\n").map((l) => JSON.parse(l) as Record<string, unknown>);
    const line = spec.split("\n").findIndex((l) => l.includes("Integers only")) + 1;
    expect(log.map((e) => e.event)).toEqual(["request", "decision"]);
    expect(log[0]).toMatchObject({ kind: "confirm", context: { source: "tui specs", file: "specs/calc.smd", line } });
    expect(log[0]!.words).toContain("Integers only, no floats");
    expect(log[1]).toMatchObject({ decision: "accepted" });
    // Re-validated from disk: one item left, the file still valid.
    const after = await app.waitFor((x) => x.includes("1 [inferred] to confirm"), "the list after the reload");
    expect(after).toMatch(/✓ specs\/calc\.smd/);
    expect(after).not.toContain("Integers only");
  });
});
