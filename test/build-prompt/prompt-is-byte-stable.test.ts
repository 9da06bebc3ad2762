import { afterEach, describe, expect, it, vi } from "vitest";
import { parseReply } from "../../src/build/reply-protocol.js";
import { assembleTaskPrompt, TASK_SYSTEM } from "../../src/build/task-prompt.js";
import { planFromArchitecture } from "../../src/planning/from-architecture.js";
import { calcGroup, calcInput, ossatureYep, task } from "./fixtures.js";

const ARITH = task({
  id: "T001",
  title: "Arithmetic",
  description: "The arithmetic functions.",
  outputs: ["calc/arith.py"],
  refs: ["components/Arith", "requirements/add", "constraints"],
  verify: ["python -m py_compile calc/arith.py"],
});

afterEach(() => {
  vi.useRealTimers();
});

describe("a task prompt", () => {
  it("is byte-identical for equal inputs, built from separately parsed specs at different times", () => {
    vi.useFakeTimers({ now: new Date("2026-01-01T00:00:00Z") });
    const first = assembleTaskPrompt(calcInput({ task: ARITH, spec: calcGroup() }));
    vi.setSystemTime(new Date("2026-06-30T12:34:56Z"));
    const second = assembleTaskPrompt(calcInput({ task: { ...ARITH, refs: [...ARITH.refs] }, spec: calcGroup() }));
    expect(JSON.stringify(second)).toBe(JSON.stringify(first));
  });

  it("does not depend on the order or spelling of the refs, and holds each ref once", () => {
    const canonical = assembleTaskPrompt(calcInput({ task: { ...ARITH, refs: ["constraints", "requirements/add", "requirements/divide", "components/Arith"] } }));
    const shuffled = assembleTaskPrompt(
      calcInput({
        task: { ...ARITH, refs: ["components/arith", "requirements/Divide numbers", "Constraints", "requirements/add", "REQUIREMENTS/ADD"] },
      }),
    );
    expect(shuffled.messages).toEqual(canonical.messages);
    expect(shuffled.refTexts.map((r) => r.ref)).toEqual(["constraints", "requirements/add", "requirements/divide", "components/Arith"]);
    const user = shuffled.messages[1]?.content ?? "";
    expect(user.split("### Add numbers {#add}").length - 1).toBe(1);
    // Spec order inside the prompt: the section, then requirements in file order, then the component.
    const at = (text: string) => user.indexOf(text);
    expect(at("## Constraints")).toBeLessThan(at("### Add numbers"));
    expect(at("### Add numbers")).toBeLessThan(at("### Divide numbers"));
    expect(at("### Divide numbers")).toBeLessThan(at("### Arith"));
  });

  it("does not depend on the order dependencies and context files are given in", () => {
    const dependencies = [
      { id: "T002", title: "Two", files: [{ path: "b/z.py", content: "Z = 1\n" }, { path: "b/a.py", content: "A = 1\n" }] },
      { id: "T001", title: "One", files: [{ path: "a.py", content: "def f():\n    return 1\n" }] },
    ];
    const context = [
      { path: "context/b.txt", content: "bee\n" },
      { path: "context/a.txt", content: "ay\n" },
    ];
    const one = assembleTaskPrompt(calcInput({ task: ARITH, dependencies, context }));
    const other = assembleTaskPrompt(
      calcInput({
        task: ARITH,
        dependencies: [...dependencies].reverse().map((d) => ({ ...d, files: [...d.files].reverse() })),
        context: [...context].reverse(),
      }),
    );
    expect(other.messages).toEqual(one.messages);
    const user = one.messages[1]?.content ?? "";
    expect(user.indexOf("## T001: One")).toBeLessThan(user.indexOf("## T002: Two"));
    expect(user.indexOf("### b/a.py")).toBeLessThan(user.indexOf("### b/z.py"));
    expect(user.indexOf("## context/a.txt")).toBeLessThan(user.indexOf("## context/b.txt"));
  });

  it("puts the parts in cache order: brief, spec, architecture, dependencies, context, then the task", () => {
    const prompt = assembleTaskPrompt(
      calcInput({
        task: { ...ARITH, refs: ["requirements/add"] },
        dependencies: [{ id: "T000", title: "Base", files: [{ path: "calc/__init__.py", content: "" }] }],
        context: [{ path: "context/notes.txt", content: "hello\n" }],
      }),
    );
    expect(prompt.messages.map((m) => m.role)).toEqual(["system", "user"]);
    expect(prompt.sections.map((s) => s.name)).toEqual(["system", "brief", "spec", "architecture", "dependencies", "context", "task"]);
    const user = prompt.messages[1]?.content ?? "";
    const headings = ["# Project", "# Specification CALC", "# Architecture of the files you write", "# Files from earlier tasks", "# Context files", "# Task T001"];
    const positions = headings.map((h) => user.indexOf(h));
    expect(positions.every((p) => p >= 0)).toBe(true);
    expect([...positions].sort((a, b) => a - b)).toEqual(positions);
  });
});

describe("the system message", () => {
  it("is the same for every task of every project, so the model's cache keeps it", () => {
    const yep = ossatureYep();
    const yepTasks = planFromArchitecture([yep]).tasks;
    const prompts = [
      ...yepTasks.map((t) =>
        assembleTaskPrompt({
          task: t,
          spec: yep,
          brief: { projectName: "yep", language: "rust", framework: "", outputDir: "output", specId: "YEP", specTitle: "Yep", overview: "" },
          dependencies: [],
          context: [],
          edits: [],
        }),
      ),
      assembleTaskPrompt(calcInput({ task: ARITH })),
    ];
    expect(prompts).toHaveLength(3);
    for (const prompt of prompts) expect(prompt.messages[0]).toEqual({ role: "system", content: TASK_SYSTEM });
  });

  it("shows an example reply that the reply parser accepts", () => {
    const example = /\n\n(src\/wc_lite\/counter\.py\n```python\n[\s\S]*?\n```)\n/.exec(TASK_SYSTEM)?.[1];
    expect(example).toBeDefined();
    const parsed = parseReply({ reply: example ?? "", expected: ["src/wc_lite/counter.py"] });
    expect(parsed).toMatchObject({ ok: true, missing: [], undeclared: [] });
    if (parsed.ok) expect(parsed.files[0]?.content).toBe("def count_words(text: str) -> int:\n    return len(text.split())\n");
  });

  it("states the rules a build reply depends on", () => {
    for (const rule of ["whole", "Write only the listed files", "[inferred]", "Decisions and Constraints", "Contracts", "No explanations are needed", "four backticks"]) {
      expect(TASK_SYSTEM).toContain(rule);
    }
  });
});
