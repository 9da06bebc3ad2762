import { describe, expect, it } from "vitest";
import { appendTaskToText, editPlanText, moveTaskInText, removeTaskFromText } from "../../plans/edit-plan-text.js";
import { parsePlan, type Task } from "../../plans/plan.js";

const HAND_WRITTEN = [
  "# my plan, edited by hand",
  "version = 1",
  "",
  "# the counter comes first",
  "[[task]]",
  "id   =   'T001'   # single quotes, odd spacing",
  'spec = "WC"',
  'title = "Counter"',
  "verify = [",
  '    "python -m py_compile counter.py",   # keep me',
  "]",
  "",
  "[[task]]",
  'id = "T002"',
  'spec = "WC"',
  'title = "CLI"',
  'depends_on = ["T001"]',
  "",
  "# trailing comment of the file",
  "[[task]]",
  'id = "T003"',
  'spec = "WC"',
  'title = "Docs"',
  "",
].join("\n");

function ids(text: string): string[] {
  const { plan, diagnostics } = parsePlan(text);
  expect(diagnostics).toEqual([]);
  return plan!.tasks.map((t) => t.id);
}

describe("editPlanText", () => {
  it("replaces only the changed value, keeping comments, quoting and layout elsewhere", () => {
    const edited = editPlanText(HAND_WRITTEN, "T001", { verify: ["python -m py_compile counter.py", "pytest -q"] });
    expect(edited).toBe(
      HAND_WRITTEN.replace(
        'verify = [\n    "python -m py_compile counter.py",   # keep me\n]',
        'verify = ["python -m py_compile counter.py", "pytest -q"]',
      ),
    );
    expect(parsePlan(edited).plan!.tasks[0]!.verify).toEqual(["python -m py_compile counter.py", "pytest -q"]);
  });

  it("keeps a comment after a replaced one-line value", () => {
    const edited = editPlanText(HAND_WRITTEN, "T001", { id: "T010" });
    expect(edited).toContain('id   =   "T010"   # single quotes, odd spacing');
  });

  it("adds fields the task does not have after its last key, in field order", () => {
    const edited = editPlanText(HAND_WRITTEN, "T002", { notes: "line one\nline two", status: "skip" });
    expect(edited).toBe(
      HAND_WRITTEN.replace(
        'depends_on = ["T001"]\n',
        'depends_on = ["T001"]\nstatus = "skip"\nnotes = """\nline one\nline two"""\n',
      ),
    );
    expect(parsePlan(edited).plan!.tasks[1]).toMatchObject({ status: "skip", notes: "line one\nline two" });
  });

  it("adds to the last task of a file without a final newline", () => {
    const text = HAND_WRITTEN.trimEnd();
    const edited = editPlanText(text, "T003", { outputs: ["README.md"] });
    expect(edited).toBe(text + '\noutputs = ["README.md"]');
  });

  it("writes nothing for an empty optional field the task does not have, and an empty value for one it has", () => {
    expect(editPlanText(HAND_WRITTEN, "T003", { notes: "", edits: [] })).toBe(HAND_WRITTEN);
    expect(editPlanText(HAND_WRITTEN, "T002", { dependsOn: [] })).toContain("depends_on = []\n");
  });

  it("keeps CRLF line endings and a byte order mark", () => {
    const text = "\uFEFF" + HAND_WRITTEN.replace(/\n/g, "\r\n");
    const edited = editPlanText(text, "T002", { verify: ["x".repeat(50), "y".repeat(50)] });
    expect(edited.startsWith("\uFEFF")).toBe(true);
    expect(edited.replace(/\r\n/g, "")).not.toMatch(/[\r\n]/);
    expect(parsePlan(edited).plan!.tasks[1]!.verify).toEqual(["x".repeat(50), "y".repeat(50)]);
  });

  it("throws for an unknown task id (a caller bug: ids come from the parsed plan)", () => {
    expect(() => editPlanText(HAND_WRITTEN, "T999", { notes: "x" })).toThrow(/no task "T999"/);
  });
});

describe("removeTaskFromText and moveTaskInText", () => {
  it("removes a task with the comment directly above it", () => {
    const removed = removeTaskFromText(HAND_WRITTEN, "T001");
    expect(removed).not.toContain("the counter comes first");
    expect(removed).toContain("# my plan, edited by hand");
    expect(ids(removed)).toEqual(["T002", "T003"]);
  });

  it("removes the last task and leaves one final newline", () => {
    const removed = removeTaskFromText(HAND_WRITTEN, "T003");
    expect(ids(removed)).toEqual(["T001", "T002"]);
    expect(removed.endsWith('depends_on = ["T001"]\n')).toBe(true);
  });

  it("moves a task with its comments and keeps every task's text", () => {
    const moved = moveTaskInText(HAND_WRITTEN, "T003", 0);
    expect(ids(moved)).toEqual(["T003", "T001", "T002"]);
    expect(moved.indexOf("# trailing comment of the file")).toBeLessThan(moved.indexOf("'T001'"));
    expect(moved).toContain('    "python -m py_compile counter.py",   # keep me');
    expect(ids(moveTaskInText(HAND_WRITTEN, "T001", 99))).toEqual(["T002", "T003", "T001"]);
  });
});

describe("appendTaskToText", () => {
  it("appends a task in the standard layout after a blank line", () => {
    const task: Task = {
      id: "T004", spec: "WC", title: "Tests", description: "", outputs: ["tests/test_x.py"], copy: [], edits: [], dependsOn: ["T001"],
      refs: [], context: [], covers: [], verify: ["pytest -q"], status: "auto", notes: "",
    };
    const appended = appendTaskToText(HAND_WRITTEN, task);
    expect(appended.startsWith(HAND_WRITTEN.trimEnd() + "\n\n[[task]]\nid = \"T004\"")).toBe(true);
    expect(parsePlan(appended).plan!.tasks[3]).toEqual(task);
  });
});
