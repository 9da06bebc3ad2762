import { describe, expect, it } from "vitest";
import { parsePlan } from "../../plans/plan.js";

const FILE = ".specwright/plan.toml";

function brief(diagnostics: { line: number; column: number; message: string }[]) {
  return diagnostics.map((d) => `${d.line}:${d.column} ${d.message}`);
}

describe("parsePlan", () => {
  it("reads a plan with every field and fills defaults for absent optional ones", () => {
    const text = [
      "version = 1",
      "[[task]]",
      'id = "T001"',
      'spec = "WORDCOUNT"',
      'title = "Counter module"',
      'description = "Implement count_words"',
      'outputs = ["src/wc_lite/counter.py"]',
      "edits = []",
      'depends_on = ["T000"]',
      'refs = ["requirements/count-words", "constraints"]',
      'context = ["context/words.txt"]',
      'covers = ["Count Words"]',
      'verify = ["python -m py_compile src/wc_lite/counter.py"]',
      'status = "manual"',
      'notes = "by hand"',
      "",
      "[[task]]",
      'id = "T002"',
      'spec = "WORDCOUNT"',
      'title = "CLI"',
    ].join("\n");
    const { plan, diagnostics } = parsePlan(text);
    expect(diagnostics).toEqual([]);
    expect(plan?.tasks).toEqual([
      {
        id: "T001",
        spec: "WORDCOUNT",
        title: "Counter module",
        description: "Implement count_words",
        outputs: ["src/wc_lite/counter.py"],
        copy: [],
        edits: [],
        dependsOn: ["T000"],
        refs: ["requirements/count-words", "constraints"],
        context: ["context/words.txt"],
        covers: ["Count Words"],
        verify: ["python -m py_compile src/wc_lite/counter.py"],
        status: "manual",
        notes: "by hand",
      },
      {
        id: "T002", spec: "WORDCOUNT", title: "CLI", description: "", outputs: [], copy: [], edits: [], dependsOn: [],
        refs: [], context: [], covers: [], verify: [], status: "auto", notes: "",
      },
    ]);
  });

  it("reads an empty file as an empty plan", () => {
    expect(parsePlan("# nothing yet\n")).toMatchObject({ plan: { tasks: [] }, diagnostics: [] });
  });

  it("reports a TOML syntax error at its 1-based line and column and nothing else", () => {
    const text = '[[task]]\nid = "T001"\nspec = WORDCOUNT\n';
    const { plan, diagnostics } = parsePlan(text);
    expect(plan).toBeUndefined();
    expect(diagnostics).toHaveLength(1);
    expect(diagnostics[0]).toMatchObject({ file: FILE, line: 3, column: 8, code: "toml/syntax" });
  });

  it("reports every wrong type, missing field, unknown field and bad status, each where it is", () => {
    const text = [
      "[[task]]", //                       1
      'id = "T001"', //                    2
      'spec = "S"', //                     3
      "title = 42", //                     4
      'outputs = "src/a.py"', //           5
      'verify = ["ok", 3]', //             6
      'status = "done"', //                7
      'depend_on = ["T000"]', //           8
      "",
      "[[task]]", //                      10
      'id = "T002"', //                   11
      'title = "No spec"', //             12
      'dependencies = ["T001"]', //       13
      'status = "Skip"', //               14
    ].join("\n");
    const { plan, diagnostics } = parsePlan(text);
    expect(plan).toBeUndefined();
    expect(brief(diagnostics)).toEqual([
      '4:9 "title" must be a string, not an integer',
      '5:11 "outputs" must be a list of strings, not a string',
      '6:17 "verify" must hold only strings; item 2 is an integer',
      '7:10 Unknown status "done"',
      '8:1 Task T001 has an unknown field "depend_on"',
      '10:1 Task T002 has no "spec"',
      '13:1 Task T002 has an unknown field "dependencies"',
      '14:10 Unknown status "Skip"',
    ]);
    expect(diagnostics.map((d) => d.hint)).toEqual([
      undefined,
      'write outputs = ["src/a.py"]',
      undefined,
      'status is one of "auto", "skip", "manual"',
      'did you mean "depends_on"?',
      'add spec = "…" to this task',
      'did you mean "depends_on"?',
      'did you mean "skip"?',
    ]);
    expect(diagnostics.every((d) => d.file === FILE && d.severity === "error")).toBe(true);
  });

  it("keeps a plan whose only problems are in optional fields, leaving those at their defaults", () => {
    const text = '[[task]]\nid = "T1"\nspec = "S"\ntitle = "t"\nstatus = "later"\nrefs = "constraints"\n';
    const { plan, diagnostics } = parsePlan(text, "plan.toml");
    expect(diagnostics.map((d) => d.code)).toEqual(["plan/bad-status", "plan/wrong-type"]); // file order
    expect(plan?.tasks[0]).toMatchObject({ id: "T1", status: "auto", refs: [] });
    expect(diagnostics[0]!.file).toBe("plan.toml");
  });

  it("reports unknown top-level keys, a [task] table instead of [[task]], and unsupported versions", () => {
    expect(brief(parsePlan('version = 2\ntasks = 1\n').diagnostics)).toEqual([
      '2:1 Unknown key "tasks" in the plan',
      "1:11 Unsupported plan format version 2",
    ]);
    expect(parsePlan("tasks = 1\n").diagnostics[0]!.hint).toBe('did you mean "task"?');
    const single = parsePlan('[task]\nid = "T1"\n');
    expect(single.plan).toBeUndefined();
    expect(single.diagnostics[0]).toMatchObject({ line: 1, column: 1, message: '"task" must be a list of tables, not a table' });
  });

  it("rejects empty ids and ids with spaces", () => {
    const text = '[[task]]\nid = ""\nspec = "S"\ntitle = "t"\n[[task]]\nid = "T 2"\nspec = "S"\ntitle = "t"\n';
    expect(brief(parsePlan(text).diagnostics)).toEqual(['2:6 "id" must not be empty', '6:6 Task id "T 2" contains white space']);
  });
});
