import { describe, expect, it } from "vitest";
import { sha256Hex } from "../../plans/content-hash.js";
import { computeTaskKey, explainKeyChange } from "../../plans/task-key.js";
import { assembleTaskPrompt } from "../../src/build/task-prompt.js";
import { CALC_AMD, CALC_SMD } from "../helpers/spec-project.js";
import { calcGroup, calcInput, keyOf, task } from "./fixtures.js";

const ARITH = task({
  id: "T001",
  title: "Arithmetic",
  outputs: ["calc/arith.py"],
  refs: ["components/Arith", "requirements/add", "requirements/divide", "constraints"],
  verify: ["python -m py_compile calc/arith.py"],
});
const CLI = task({ id: "T002", title: "Command line", outputs: ["calc/cli.py"], refs: ["components/Cli", "requirements/divide"], dependsOn: ["T001"] });

const ARITH_V1 = "def add(a: int, b: int) -> int:\n    return a + b\n";
const ARITH_V2 = "def add(a: int, b: int) -> int:\n    if not isinstance(a, int):\n        raise TypeError(a)\n    return a + b\n";

/** The components that differ between two keys. */
function changed(before: Record<string, string>, after: Record<string, string>): string[] {
  return [...new Set([...Object.keys(before), ...Object.keys(after)])].filter((k) => before[k] !== after[k]).sort();
}

function keyWith(smd: string, t = ARITH, amd = CALC_AMD) {
  const prompt = assembleTaskPrompt(calcInput({ task: t, spec: calcGroup(smd, amd) }));
  return { prompt, key: keyOf(prompt, t) };
}

describe("editing one requirement", () => {
  const edited = CALC_SMD.replace("**Returns:** Their sum.", "**Returns:** Their sum, as an int.");

  it("changes only that ref's component, and the key", () => {
    expect(edited).not.toBe(CALC_SMD);
    const before = keyWith(CALC_SMD);
    const after = keyWith(edited);
    expect(after.key.key).not.toBe(before.key.key);
    expect(changed(before.key.components, after.key.components)).toEqual(["ref:requirements/add"]);
  });

  it("is explained as that requirement, and nothing else", () => {
    const before = keyWith(CALC_SMD).key.components;
    const after = keyWith(edited).key.components;
    expect(explainKeyChange(before, after)).toEqual([{ component: "ref:requirements/add", change: "changed", reason: "requirement `add` changed" }]);
  });

  it("leaves the key of a task that does not ref it unchanged", () => {
    expect(keyWith(edited, CLI).key.key).toBe(keyWith(CALC_SMD, CLI).key.key);
  });

  it("does not change any key when the edit is only white space or bullet style", () => {
    const reformatted = CALC_SMD.replace("- Standard library only", "*   Standard library only   ").replace("### Divide numbers", "\n\n### Divide numbers");
    expect(reformatted).not.toBe(CALC_SMD);
    expect(keyWith(reformatted).key.key).toBe(keyWith(CALC_SMD).key.key);
  });
});

describe("editing the architecture", () => {
  it("names the component when its contracts change", () => {
    const amd = CALC_AMD.replace("- add raises TypeError for non-integers", "- add raises TypeError for non-integers\n- divide raises ZeroDivisionError for b = 0");
    const before = keyWith(CALC_SMD).key.components;
    const after = keyWith(CALC_SMD, ARITH, amd).key.components;
    expect(explainKeyChange(before, after).map((c) => c.reason)).toEqual(["component `Arith` changed"]);
  });

  it("counts a component the task writes but does not ref as its architecture", () => {
    const unreferenced = { ...ARITH, refs: ["requirements/add"] };
    const amd = CALC_AMD.replace("The arithmetic functions.", "The arithmetic functions, pure.");
    const before = keyWith(CALC_SMD, unreferenced).key.components;
    const after = keyWith(CALC_SMD, unreferenced, amd).key.components;
    expect(explainKeyChange(before, after).map((c) => c.component)).toEqual(["architecture"]);
  });
});

describe("a dependency's output", () => {
  function cliKey(content: string, title = "Arithmetic") {
    const prompt = assembleTaskPrompt(calcInput({ task: CLI, dependencies: [{ id: "T001", title, files: [{ path: "calc/arith.py", content }] }] }));
    return { prompt, key: keyOf(prompt, CLI, { dependencyOutputs: { T001: { "calc/arith.py": sha256Hex(content) } } }) };
  }

  it("changes only the dep: component when it is edited, though the prompt shows the new interface", () => {
    const before = cliKey(ARITH_V1);
    const after = cliKey(ARITH_V2);
    expect(after.prompt.messages[1]?.content).toContain("raise TypeError(a)");
    expect(changed(before.key.components, after.key.components)).toEqual(["dep:T001:calc/arith.py"]);
    expect(explainKeyChange(before.key.components, after.key.components)).toEqual([
      { component: "dep:T001:calc/arith.py", change: "changed", reason: "output of dependency T001 changed (calc/arith.py)" },
    ]);
  });

  it("leaves the key alone when the dependency was rebuilt to identical bytes, even under a new title", () => {
    const renamed = cliKey(ARITH_V1, "Arithmetic functions");
    expect(renamed.prompt.messages[1]?.content).toContain("## T001: Arithmetic functions");
    expect(renamed.key.key).toBe(cliKey(ARITH_V1).key.key);
  });
});

describe("explaining a key change", () => {
  const { prompt } = keyWith(CALC_SMD);
  const base = keyOf(prompt, ARITH).components;

  it("says a task was never built when there is no previous key", () => {
    expect(explainKeyChange(undefined, base)).toEqual([{ component: "*", change: "never-built", reason: "never built" }]);
  });

  it("says nothing when nothing changed", () => {
    expect(explainKeyChange(base, keyOf(prompt, { ...ARITH }).components)).toEqual([]);
  });

  it("names the old and new model, or says the same model was updated", () => {
    const bigger = keyOf(prompt, ARITH, { modelName: "qwen2.5-coder:32b", modelDigest: "sha256:bbbbbbbbbbbbbbbb" }).components;
    expect(explainKeyChange(base, bigger).map((c) => c.reason)).toEqual(["built with qwen2.5-coder:14b; the config now names qwen2.5-coder:32b"]);
    const repulled = keyOf(prompt, ARITH, { modelDigest: "sha256:cccccccccccccccccccc" }).components;
    expect(explainKeyChange(base, repulled).map((c) => c.reason)).toEqual(["model qwen2.5-coder:14b was updated (digest aaaaaaaaaaaa → cccccccccccc)"]);
  });

  it("names the generation options that changed, and ignores num_ctx and keep_alive", () => {
    const warmer = keyOf(prompt, ARITH, { options: { numPredict: 4096, temperature: 0.6, seed: 7, think: false } }).components;
    expect(explainKeyChange(base, warmer).map((c) => c.reason)).toEqual(["generation options changed (temperature 0.2 → 0.6)"]);
    const runOptions = { numCtx: 32768, keepAlive: "30m", numPredict: 4096, temperature: 0.2, seed: 7, think: false };
    expect(keyOf(prompt, ARITH, { options: runOptions }).key).toBe(keyOf(prompt, ARITH).key);
  });

  it("names verify commands, context files, the template and added or removed refs", () => {
    const after = keyOf(prompt, ARITH, {
      verify: ["python -m pytest -q"],
      contextFiles: { "context/usage.txt": sha256Hex("calc add 1 2\n") },
      templateVersion: 2,
      refTexts: prompt.refTexts.filter((r) => r.ref !== "constraints").concat({ ref: "examples", text: "## Examples\n" }),
    }).components;
    const before = keyOf(prompt, ARITH, { contextFiles: { "context/usage.txt": sha256Hex("calc add 2 2\n") } }).components;
    expect(explainKeyChange(before, after).map((c) => c.reason)).toEqual([
      "prompt template changed (v1 → v2)",
      "ref `constraints` removed",
      "ref `examples` added",
      "context file context/usage.txt changed",
      "verify commands changed",
    ]);
  });

  it("gives a section ref its own wording", () => {
    const before = computeTaskKey({ ...partsOf(), refTexts: [{ ref: "constraints", text: "## Constraints\n\n- a\n" }] }).components;
    const after = computeTaskKey({ ...partsOf(), refTexts: [{ ref: "constraints", text: "## Constraints\n\n- b\n" }] }).components;
    expect(explainKeyChange(before, after).map((c) => c.reason)).toEqual(["section `constraints` changed"]);
  });

  it("does not depend on the order of refs, context files or dependencies", () => {
    const parts = partsOf();
    const reordered = {
      ...parts,
      refTexts: [...parts.refTexts].reverse(),
      contextFiles: Object.fromEntries(Object.entries(parts.contextFiles).reverse()),
      dependencyOutputs: Object.fromEntries(Object.entries(parts.dependencyOutputs).reverse()),
    };
    expect(computeTaskKey(reordered)).toEqual(computeTaskKey(parts));
  });
});

function partsOf() {
  return {
    system: "rules",
    brief: "brief",
    refTexts: [
      { ref: "constraints", text: "## Constraints\n" },
      { ref: "requirements/add", text: "### Add\n" },
    ],
    architecture: "",
    task: { title: "t", description: "", notes: "", outputs: ["a.py"], edits: [] },
    modelName: "m",
    modelDigest: "",
    options: { numPredict: 1, temperature: 0, think: false },
    templateVersion: 1,
    contextFiles: { "context/a.txt": sha256Hex("a"), "context/b.txt": sha256Hex("b") },
    verify: ["true"],
    dependencyOutputs: { T001: { "a.py": sha256Hex("1") }, T002: { "b.py": sha256Hex("2") } },
  };
}
