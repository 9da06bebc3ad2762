import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { startFakeOllama, type FakeOllama } from "../fake-ollama/server.js";
import { writeCalcProject } from "../helpers/calc-build.js";
import { tempDir } from "../helpers/cli.js";
import { CALC_AMD, CALC_SMD, findingsReply } from "../helpers/spec-project.js";
import { KEY, lockReleased, renderApp, testEnv, type AppHarness } from "./render-app.js";

let dir: string;
let cleanup: () => Promise<void>;
let fake: FakeOllama;
let app: AppHarness | undefined;

beforeEach(async () => {
  ({ dir, cleanup } = await tempDir("specwright-ui-audit-"));
  await writeCalcProject(dir);
  fake = await startFakeOllama();
  app = undefined;
});
afterEach(async () => {
  app?.unmount();
  await lockReleased(dir);
  await fake.close();
  await cleanup();
});

const divideLine = CALC_SMD.split("\n").indexOf("### Divide numbers {#divide}") + 1;
const RETURNS = "**Returns:** The quotient as a float.";
const FINDING = findingsReply([{ severity: "error", file: "specs/calc.smd", line: divideLine, section: "Divide numbers", issue: "Division by zero is not specified.", suggestion: "Say what divide does when b is 0." }]);
const FIX = { content: JSON.stringify({ search: RETURNS, replace: `${RETURNS}\n\n**Errors:**\n\n- b is 0 -> raise ZeroDivisionError` }) };

const spec = () => readFile(join(dir, "specs/calc.smd"), "utf8");
const findings = async () => (JSON.parse(await readFile(join(dir, ".specwright/findings.json"), "utf8")) as { findings: { id: string; status: string }[] }).findings;

/** Runs the audit from the screen and waits for its finding, then asks for a fix and waits for the diff. */
async function auditAndAskForFix(): Promise<string> {
  app = renderApp({ cwd: dir, env: testEnv(dir, fake.url), screen: "audit" });
  await app.waitFor((f) => f.includes("No findings yet"), "the empty audit screen");
  await app.press("R");
  // The excerpt is read after the finding shows: wait for both.
  const audited = await app.waitFor((f) => f.includes("audit finished") && f.includes("CALC-1") && f.includes("│ ###"), "the audit's finding and its excerpt");
  expect(audited).toMatch(/CALC\s+1 new finding, 0 seen before/);
  // The spec lines the finding points at, with their numbers.
  expect(audited).toContain(`›${String(divideLine).padStart(4)} │ ### Divide numbers {#divide}`);
  expect(audited).toContain(`${String(divideLine + 2).padStart(4)} │ Divide a by b.`);
  await app.press("f");
  return app.waitFor((f) => f.includes("Fix for CALC-1") && f.includes("ZeroDivisionError"), "the proposed fix");
}

describe("the audit screen", () => {
  it("runs an audit, shows the fixer's edit as a diff, and applies it exactly, marked [inferred]", async () => {
    fake.script(FINDING, FIX);
    const diff = await auditAndAskForFix();
    expect(diff).toContain("y apply · e edit · n reject");
    expect(diff).toMatch(/^-### Divide numbers \{#divide\}$/m);
    expect(diff).toMatch(/^\+### Divide numbers \{#divide\} \[inferred\]$/m);
    expect(diff).toMatch(/^\+- \[inferred\] b is 0 -> raise ZeroDivisionError$/m);
    expect(diff).toMatch(/^ \*\*Returns:\*\* The quotient as a float\.$/m);
    // Proposing writes nothing.
    expect(await spec()).toBe(CALC_SMD);

    await app!.press("y");
    await app!.waitFor((f) => f.includes("CALC-1 fixed in specs/calc.smd"), "the applied fix");
    const expected = CALC_SMD.replace("### Divide numbers {#divide}", "### Divide numbers {#divide} [inferred]").replace(
      RETURNS,
      `${RETURNS}\n\n**Errors:**\n\n- [inferred] b is 0 -> raise ZeroDivisionError`,
    );
    expect(await spec()).toBe(expected);
    expect((await findings())[0]).toMatchObject({ id: "CALC-1", status: "fixed" });
    await app!.waitFor((f) => /CALC-1\s+error\s+fixed/.test(f), "the finding shown as fixed");

    // And undone: the spec is back byte for byte and the finding open again.
    await app!.press("u");
    await app!.waitFor((f) => f.includes("CALC-1: fix undone in specs/calc.smd"), "the undo");
    expect(await spec()).toBe(CALC_SMD);
    expect((await findings())[0]!.status).toBe("open");
  });

  it("leaves the spec untouched when the proposed fix is rejected", async () => {
    fake.script(FINDING, FIX);
    await auditAndAskForFix();
    await app!.press("n");
    await app!.waitFor((f) => f.includes("fix rejected; CALC-1 is unchanged") && f.includes("Findings ·"), "the rejection");
    expect(await spec()).toBe(CALC_SMD);
    expect((await findings())[0]!.status).toBe("open");
  });

  it("applies the person's edited replacement instead of the fixer's", async () => {
    fake.script(FINDING, FIX);
    await auditAndAskForFix();
    await app!.press("e");
    const prompt = await app!.waitFor((f) => f.includes("Replacement text for the fix to CALC-1"), "the edit prompt");
    expect(prompt).toContain("\\n\\n**Errors:**\\n\\n- b is 0 -> raise ZeroDivisionError");
    // Ctrl-U clears the field; \n in the text is a line break.
    await app!.press("\u0015", `${RETURNS}\\n\\n**Errors:**\\n\\n- b is 0 -> return NaN`, KEY.enter);
    await app!.waitFor((f) => f.includes("CALC-1 fixed in specs/calc.smd"), "the edited fix applied");
    const text = await spec();
    expect(text).toContain(`${RETURNS}\n\n**Errors:**\n\n- [inferred] b is 0 -> return NaN\n`);
    expect(text).not.toContain("ZeroDivisionError");
  });

  it("shows why a fix that would break the specs does not apply, and never writes it", async () => {
    fake.script(findingsReply([{ severity: "error", file: "specs/calc.amd", line: 12, issue: "Arith's path is wrong." }]), {
      content: JSON.stringify({ search: "@path: calc/arith.py\n", replace: "" }),
    });
    app = renderApp({ cwd: dir, env: testEnv(dir, fake.url), screen: "audit" });
    await app.waitFor((f) => f.includes("No findings yet"), "the empty audit screen");
    await app.press("R");
    await app.waitFor((f) => f.includes("audit finished") && f.includes("CALC-1"), "the finding");
    await app.press("f");
    const f = await app.waitFor((x) => x.includes("does not apply as proposed"), "the refused fix");
    expect(f).toContain("no longer validates");
    expect(f).toContain("e edit · n reject");
    await app.press("y");
    await app.waitFor((x) => x.includes("this edit does not apply as proposed"), "y refused");
    expect(await readFile(join(dir, "specs/calc.amd"), "utf8")).toBe(CALC_AMD);
  });
});
