import { describe, expect, it } from "vitest";
import { assembleTaskPrompt } from "../../src/build/task-prompt.js";
import { OVERVIEW_IN_BRIEF } from "../../src/build/task-refs.js";
import { CALC_AMD, CALC_SMD } from "../helpers/spec-project.js";
import { calcGroup, calcInput, task } from "./fixtures.js";

function user(prompt: ReturnType<typeof assembleTaskPrompt>): string {
  return prompt.messages[1]?.content ?? "";
}

function count(text: string, part: string): number {
  return text.split(part).length - 1;
}

describe("the architecture part", () => {
  it("brings in the component a task writes when the plan did not ref it, with interface and contracts", () => {
    const prompt = assembleTaskPrompt(calcInput({ task: task({ id: "T001", title: "Arithmetic", outputs: ["./calc/arith.py"], refs: ["requirements/add"] }) }));
    const text = user(prompt);
    const architecture = text.slice(text.indexOf("# Architecture of the files you write"), text.indexOf("# Task T001"));
    expect(architecture).toContain("### Arith\n\n@path: calc/arith.py");
    expect(architecture).toContain("def divide(a: int, b: int) -> float");
    expect(architecture).toContain("- add raises TypeError for non-integers");
    expect(text).not.toContain("### Cli");
    expect(prompt.parts.architecture).toBe(architecture.trimEnd());
  });

  it("does not repeat a component the refs already hold", () => {
    const text = user(assembleTaskPrompt(calcInput({ task: task({ id: "T001", title: "Arithmetic", outputs: ["calc/arith.py"], refs: ["components/Arith"] }) })));
    expect(count(text, "### Arith")).toBe(1);
    expect(text).not.toContain("# Architecture of the files you write");
  });
});

describe("spec refs", () => {
  it("point at the brief instead of repeating the SMD's overview", () => {
    const smd = CALC_SMD.replace("A small calculator library.", "A small calculator library for teaching.");
    const text = user(assembleTaskPrompt(calcInput({ task: task({ id: "T001", title: "Arithmetic", outputs: ["calc/arith.py"], refs: ["overview"] }), spec: calcGroup(smd) })));
    expect(count(text, "A small calculator library for teaching.")).toBe(1);
    expect(text.indexOf("A small calculator library for teaching.")).toBeLessThan(text.indexOf("# Specification"));
    expect(text).toContain(`## Overview\n\n${OVERVIEW_IN_BRIEF}`);
  });

  it("render an AMD section of the same name after the SMD's, marked as architecture", () => {
    const smd = CALC_SMD.replace("## Constraints", "## Notes\n\nKeep it small.\n\n## Constraints");
    const amd = `${CALC_AMD}\n## Notes\n\n- Pure functions only\n`;
    const text = user(assembleTaskPrompt(calcInput({ task: task({ id: "T001", title: "Arithmetic", outputs: ["calc/arith.py"], refs: ["notes"] }), spec: calcGroup(smd, amd) })));
    expect(text).toContain("## Notes\n\nKeep it small.\n\n## Notes (architecture)\n\n- Pure functions only");
  });

  it("keep the [inferred] marker, so the model can weigh that text lower", () => {
    const smd = CALC_SMD.replace("- Standard library only", "- Standard library only\n- Use decimal arithmetic [inferred]");
    const text = user(assembleTaskPrompt(calcInput({ task: task({ id: "T001", title: "Arithmetic", outputs: ["calc/arith.py"], refs: ["constraints"] }), spec: calcGroup(smd) })));
    expect(text).toContain("- Use decimal arithmetic [inferred]");
  });

  it("report refs that no longer resolve instead of dropping them silently", () => {
    const prompt = assembleTaskPrompt(
      calcInput({ task: task({ id: "T001", title: "Arithmetic", outputs: ["calc/arith.py"], refs: ["requirements/multiply", "requirements/add", "components/Gone"] }) }),
    );
    expect(prompt.unresolvedRefs).toEqual(["requirements/multiply", "components/Gone"]);
    expect(prompt.refTexts.map((r) => r.ref)).toEqual(["requirements/add"]);
  });
});
