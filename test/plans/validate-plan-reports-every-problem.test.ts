import { describe, expect, it } from "vitest";
import { parsePlan } from "../../plans/plan.js";
import type { SpecIndex } from "../../plans/spec-index.js";
import { validatePlan } from "../../plans/validate-plan.js";

const WORDCOUNT: SpecIndex = {
  id: "WORDCOUNT",
  sections: [{ name: "Overview" }, { name: "Constraints" }, { name: "Non-Goals", aliases: ["Out of Scope"] }],
  requirements: [
    { anchor: "count-words", title: "Count Words" },
    { anchor: "read-stdin", title: "Read Standard Input" },
  ],
  components: [{ name: "Counter", path: "src/wc/counter.py" }],
};
const INSTALLED = new Set(["python", "pytest", "cargo", "env", "timeout", "head"]);
const isOnPath = (program: string) => INSTALLED.has(program);
const OWN_FILES_HINT = "outputs and edits are files relative to the output dir, inside it, and never specwright's own files";

interface TaskLines {
  id: string;
  lines?: string[];
}

/** A plan.toml with one [[task]] per entry; every task gets spec WORDCOUNT and a title unless its lines set them. */
function planText(tasks: TaskLines[]): string {
  return tasks
    .map((t) => {
      const lines = t.lines ?? [];
      const has = (key: string) => lines.some((l) => l.startsWith(`${key} `));
      return [
        "[[task]]",
        `id = "${t.id}"`,
        ...(has("spec") ? [] : ['spec = "WORDCOUNT"']),
        ...(has("title") ? [] : [`title = "Task ${t.id}"`]),
        ...lines,
      ].join("\n");
    })
    .join("\n\n") + "\n";
}

/** Parses and validates; returns "line:col message" strings, checking that parsing was clean. */
function check(text: string): string[] {
  const parsed = parsePlan(text);
  expect(parsed.diagnostics).toEqual([]);
  const diagnostics = validatePlan(parsed.plan!, { specs: [WORDCOUNT], isOnPath, locate: parsed.source.locate });
  return diagnostics.map((d) => `${d.severity} ${d.line}:${d.column} ${d.message}${d.hint ? ` | ${d.hint}` : ""}`);
}

/** 1-based line:col of the n-th occurrence of needle, computed from the text itself. */
function at(text: string, needle: string, occurrence = 0): string {
  let offset = -1;
  for (let i = 0; i <= occurrence; i++) {
    offset = text.indexOf(needle, offset + 1);
    if (offset < 0) throw new Error(`"${needle}" not in text`);
  }
  const lines = text.slice(0, offset).split("\n");
  return `${lines.length}:${lines[lines.length - 1]!.length + 1}`;
}

describe("validatePlan", () => {
  it("accepts a sound plan", () => {
    const text = planText([
      { id: "T001", lines: ['outputs = ["src/wc/counter.py"]', 'refs = ["requirements/count-words", "constraints", "components/counter"]', 'verify = ["python -m py_compile src/wc/counter.py"]'] },
      { id: "T002", lines: ['outputs = ["tests/test_counter.py"]', 'edits = ["src/wc/counter.py"]', 'depends_on = ["T001"]', 'refs = ["Requirements/Read Standard Input", "out of scope", "OVERVIEW"]', 'covers = ["Count Words", "read-stdin"]', 'verify = ["CI=1 python -m pytest tests/test_counter.py::test_count -q", "python -m wc.counter < src/wc/counter.py > out.txt 2>&1"]'] },
    ]);
    expect(check(text)).toEqual([]);
  });

  it("reports a duplicate task id at the second one, naming the first", () => {
    const text = planText([{ id: "T001", lines: ['outputs = ["a.py"]'] }, { id: "T001", lines: ['outputs = ["b.py"]'] }]);
    expect(check(text)).toEqual([`error ${at(text, "id", 1)} Duplicate task id "T001" | task #1 (line 2) already uses it; ids must be unique`]);
  });

  it("reports unknown depends_on at the item, with did-you-mean", () => {
    const text = planText([{ id: "T001", lines: ['outputs = ["a.py"]'] }, { id: "T002", lines: ['outputs = ["b.py"]', 'depends_on = ["T001", "T01", "Z9"]'] }]);
    expect(check(text)).toEqual([
      `error ${at(text, '"T01"')} Task T002 depends on "T01", which is not in the plan | did you mean "T001"?`,
      `error ${at(text, '"Z9"')} Task T002 depends on "Z9", which is not in the plan`,
    ]);
  });

  it("reports each dependency cycle with its path", () => {
    const text = planText([
      { id: "T1", lines: ['outputs = ["a.py"]', 'depends_on = ["T3"]'] },
      { id: "T2", lines: ['outputs = ["b.py"]', 'depends_on = ["T1"]'] },
      { id: "T3", lines: ['outputs = ["c.py"]', 'depends_on = ["T2"]'] },
      { id: "T4", lines: ['outputs = ["d.py"]', 'depends_on = ["T4"]'] },
    ]);
    expect(check(text).map((d) => d.split(" | ")[0])).toEqual([
      `error ${at(text, '"T3"]')} Dependency cycle: T1 -> T3 -> T2 -> T1`,
      `error ${at(text, '"T4"]')} Dependency cycle: T4 -> T4`,
    ]);
  });

  it("reports an unknown spec with did-you-mean and does not check its refs", () => {
    const text = planText([{ id: "T1", lines: ['spec = "WORDCOUNTS"', 'outputs = ["a.py"]', 'refs = ["nonsense"]'] }]);
    expect(check(text)).toEqual([`error ${at(text, "spec")} Task T1 names an unknown spec "WORDCOUNTS" | did you mean "WORDCOUNT"?`]);
  });

  it("reports refs and covers that do not resolve, each at its item", () => {
    const text = planText([
      { id: "T1", lines: ['outputs = ["a.py"]', 'refs = ["constraint", "requirements/count-word", "components/Parser", "requirements/", "requirements/Count Wrds"]', 'covers = ["Count Words", "Count Wrds", "Count Lines"]'] },
    ]);
    expect(check(text)).toEqual([
      `error ${at(text, '"constraint"')} Ref "constraint" does not resolve in spec WORDCOUNT | did you mean "constraints"?`,
      `error ${at(text, '"requirements/count-word"')} Ref "requirements/count-word" does not resolve in spec WORDCOUNT | did you mean "requirements/count-words"?`,
      `error ${at(text, '"components/Parser"')} Ref "components/Parser" does not resolve in spec WORDCOUNT | refs are a section name, "requirements/<anchor or title>" or "components/<name>"`,
      `error ${at(text, '"requirements/",')} Ref "requirements/" does not resolve in spec WORDCOUNT | refs are a section name, "requirements/<anchor or title>" or "components/<name>"`,
      `error ${at(text, '"requirements/Count Wrds"')} Ref "requirements/Count Wrds" does not resolve in spec WORDCOUNT | did you mean "requirements/count-words"?`,
      `error ${at(text, '"Count Wrds"')} "Count Wrds" in covers is not a requirement of spec WORDCOUNT | did you mean "Count Words"?`,
      `error ${at(text, '"Count Lines"')} "Count Lines" in covers is not a requirement of spec WORDCOUNT | covers names requirements by title or anchor`,
    ]);
  });

  it("reports a file created by two tasks at the second, naming both, also when spelt differently", () => {
    const text = planText([
      { id: "T1", lines: ['outputs = ["src/a.py", "Cargo.toml"]'] },
      { id: "T2", lines: ['outputs = ["./src//a.py"]'] },
      { id: "T3", lines: ['outputs = ["Cargo.toml"]'] },
    ]);
    expect(check(text)).toEqual([
      `error ${at(text, '"./src//a.py"')} Output "./src//a.py" is refused: the path has an empty or "." component; write it as "src/a.py" | ${OWN_FILES_HINT}`,
      `error ${at(text, '"./src//a.py"')} "./src//a.py" is created by both T1 and T2 | a file has one creating task; let T2 list it under edits and depend on T1`,
      `error ${at(text, '"Cargo.toml"', 1)} "Cargo.toml" is created by both T1 and T3 | a file has one creating task; let T3 list it under edits and depend on T1`,
    ]);
  });

  it("reports edits of files no task creates, or that a task it does not depend on creates", () => {
    const text = planText([
      { id: "T1", lines: ['outputs = ["a.py"]'] },
      { id: "T2", lines: ['outputs = ["b.py"]', 'edits = ["a.py", "ghost.py", "b.py"]'] },
      { id: "T3", lines: ['outputs = ["c.py"]', 'depends_on = ["T2", "T1"]', 'edits = ["a.py"]'] },
    ]);
    expect(check(text)).toEqual([
      `error ${at(text, '"a.py"', 1)} T2 edits "a.py", but T1 creates it and T2 does not depend on it | add "T1" to depends_on so the file exists before T2 runs`,
      `error ${at(text, '"ghost.py"')} T2 edits "ghost.py", which no task creates | list the file in the outputs of an earlier task, or move it to this task's outputs`,
      `warning ${at(text, '"b.py"', 1)} "b.py" is both created and edited by T2 | remove it from edits; a task may always write its own outputs`,
    ]);
  });

  it("reports absolute, parent-relative and empty paths in outputs, edits and context", () => {
    const text = planText([
      { id: "T1", lines: ['outputs = ["/etc/passwd", "src/../../x.py", "", "ok..py"]', 'context = ["~/notes.txt"]'] },
    ]);
    expect(check(text).map((d) => d.split(" | ")[0])).toEqual([
      `error ${at(text, '"/etc/passwd"')} Output "/etc/passwd" is refused: the path is absolute; paths are relative to the output dir`,
      `error ${at(text, '"src/../../x.py"')} Output "src/../../x.py" is refused: the path contains ".." and could leave the output dir`,
      `error ${at(text, '""')} Output "" is refused: the path is empty`,
      `error ${at(text, '"~/notes.txt"')} Absolute path in context: "~/notes.txt"`,
    ]);
  });

  it("reports verify programs that are not on PATH, skipping builtins, expansions and built programs", () => {
    const text = planText([
      { id: "T1", lines: ['outputs = ["src/main.rs"]', 'verify = ["cargo build", "A=1 cd sub && pytst -q | head -n 3", "test -f x && true && echo ok", "timeout 5 ./target/debug/yep | head", "$(which python) --version", "env X=1 ruff check ."]'] },
    ]);
    expect(check(text)).toEqual([
      `error ${at(text, '"A=1 cd sub')} Verify command of T1 runs "pytst", which is not on PATH | install pytst, or change the command`,
      `error ${at(text, '"env X=1')} Verify command of T1 runs "ruff", which is not on PATH | install ruff, or change the command`,
    ]);
  });

  it("reports verify commands that use files neither the task nor its ancestors create", () => {
    const text = planText([
      { id: "T1", lines: ['outputs = ["src/a.py"]'] },
      { id: "T2", lines: ['outputs = ["src/b.py"]'] },
      { id: "T3", lines: ['outputs = ["tests/test_a.py"]', 'depends_on = ["T1"]', 'context = ["context/words.txt"]', 'verify = ["python -m py_compile src/a.py src/b.py", "pytest tests/test_a.py tests/test_b.py", "python -m pkg.mod --out=/tmp/x.py docs/x.py context/words.txt ./tests/*.py"]'] },
    ]);
    expect(check(text)).toEqual([
      `error ${at(text, '"python -m py_compile src/a.py src/b.py"')} Verify command of T3 uses "src/b.py", which T2 creates, but T3 does not depend on T2 | add "T2" to depends_on, or verify the file in T2`,
      `error ${at(text, '"pytest tests/')} Verify command of T3 uses "tests/test_b.py", which no task creates | add the file to the outputs of this task or an earlier one, or change the command`,
    ]);
  });

  it("reports an empty verify command and warns about a task that writes nothing", () => {
    const text = planText([{ id: "T1", lines: ['verify = [" "]'] }]);
    expect(check(text)).toEqual([
      `warning 1:1 Task T1 creates and edits no files | give it outputs or edits, or set status = "manual" if a person does this work`,
      `error ${at(text, '" "')} Task T1 has an empty verify command | remove it or write the command`,
    ]);
  });

  it("reports every problem of a plan in one pass, in file order", () => {
    const text = planText([
      { id: "T1", lines: ['outputs = ["a.py"]', 'depends_on = ["T9"]', 'refs = ["goals"]'] },
      { id: "T1", lines: ['outputs = ["a.py"]', 'verify = ["nosuchtool a.py"]'] },
    ]);
    expect(check(text).map((d) => d.split(" ").slice(0, 2).join(" "))).toEqual([
      `error ${at(text, '"T9"')}`,
      `error ${at(text, '"goals"')}`,
      `error ${at(text, "id", 1)}`,
      `error ${at(text, '"a.py"', 1)}`,
      `error ${at(text, '"nosuchtool')}`,
    ]);
  });

  it("carries line 0 when no locate is given (a plan straight from the model)", () => {
    const { plan } = parsePlan(planText([{ id: "T1", lines: ['outputs = ["/abs.py"]'] }]));
    const [d] = validatePlan(plan!, { specs: [WORDCOUNT], isOnPath });
    expect(d).toMatchObject({ line: 0, column: 0, file: ".specwright/plan.toml", code: "plan/bad-path" });
  });
});

describe("copy tasks", () => {
  it("pairs each copied file with one output and lets a copy neither edit nor leave the project", () => {
    const text = planText([
      { id: "T1", lines: ['outputs = ["a.wav", "b.ogg"]', 'copy = ["context/a.wav", "context/b.ogg"]'] },
      { id: "T2", lines: ['outputs = ["c.wav"]', 'copy = ["context/c.wav", "context/d.wav"]'] },
      { id: "T3", lines: ['outputs = ["e.wav"]', 'copy = ["../secret.wav"]', 'edits = ["a.wav"]', 'depends_on = ["T1"]'] },
    ]);
    expect(check(text)).toEqual([
      `error ${at(text, "copy = [", 1)} Task T2 copies 2 files into 1 output | copy[i] is copied to outputs[i]: list one output per copied file, in the same order`,
      `error ${at(text, '"../secret.wav"')} Path leaving its directory ("..") in copy: "../secret.wav" | copy files are relative to the project root, inside it`,
      `error ${at(text, "edits = [")} Task T3 copies files, so it cannot also edit files | a copy task writes whole files without a model; move the edits to a task of their own`,
    ]);
  });
});
