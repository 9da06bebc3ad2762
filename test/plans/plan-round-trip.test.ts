import { describe, expect, it } from "vitest";
import { parsePlan, type Plan, type Task } from "../../plans/plan.js";
import { serializePlan } from "../../plans/serialize-plan.js";

function task(overrides: Partial<Task>): Task {
  return {
    id: "T001", spec: "S", title: "t", description: "", outputs: [], copy: [], edits: [], dependsOn: [], refs: [],
    context: [], covers: [], verify: [], status: "auto", notes: "", ...overrides,
  };
}

function roundTrip(plan: Plan): Plan | undefined {
  const { plan: back, diagnostics } = parsePlan(serializePlan(plan));
  expect(diagnostics).toEqual([]);
  return back;
}

describe("serializePlan", () => {
  it("writes a header comment, the version, and fields in a fixed order with empty optional ones left out", () => {
    const text = serializePlan({
      tasks: [
        task({ id: "T001", title: "Counter", outputs: ["src/counter.py"], verify: ["python -m py_compile src/counter.py"] }),
        task({ id: "T002", title: "CLI", dependsOn: ["T001"], status: "manual", notes: "write it by hand" }),
      ],
    });
    const [header, body] = [text.slice(0, text.indexOf("version")), text.slice(text.indexOf("version"))];
    expect(header).toMatch(/^# specwright build plan/);
    expect(header).toContain("Builds never rewrite this file");
    expect(header).toContain("specwright plan --check");
    expect(header.split("\n").filter((l) => l !== "").every((l) => l.startsWith("#"))).toBe(true);
    expect(body).toBe(
      [
        "version = 1",
        "",
        "[[task]]",
        'id = "T001"',
        'spec = "S"',
        'title = "Counter"',
        'outputs = ["src/counter.py"]',
        "depends_on = []",
        'verify = ["python -m py_compile src/counter.py"]',
        'status = "auto"',
        "",
        "[[task]]",
        'id = "T002"',
        'spec = "S"',
        'title = "CLI"',
        'depends_on = ["T001"]',
        "verify = []",
        'status = "manual"',
        'notes = "write it by hand"',
        "",
      ].join("\n"),
    );
  });

  it("puts the items of a long list one per line", () => {
    const verify = ["python -m py_compile src/wc_lite/counter.py", "python -m pytest tests/test_counter.py -q"];
    const text = serializePlan({ tasks: [task({ verify })] });
    expect(text).toContain(
      'verify = [\n  "python -m py_compile src/wc_lite/counter.py",\n  "python -m pytest tests/test_counter.py -q",\n]\n',
    );
    expect(roundTrip({ tasks: [task({ verify })] })?.tasks[0]!.verify).toEqual(verify);
  });

  it("writes multi-line notes and descriptions as multi-line strings", () => {
    const text = serializePlan({ tasks: [task({ description: "first line\nsecond line", notes: 'say "hi"\n' })] });
    expect(text).toContain('description = """\nfirst line\nsecond line"""');
    expect(text).toContain('notes = """\nsay "hi"\n"""');
  });

  it("round-trips quotes, backslashes, unicode, control characters and tricky multi-line text", () => {
    const nasty = [
      'quote " and \\ backslash',
      "tab\there, bell \u0007, del \u007f, nul \u0000",
      "unicode: zürich, 日本語, emoji 🦀",
      'three quotes """ inside, and ending with a quote"',
      '\nleading newline\n\ttabbed\r\nwindows line\n""',
      "\\\nbackslash before newline",
      "'''literal-looking'''",
    ];
    const plan: Plan = {
      tasks: nasty.map((text, i) =>
        task({
          id: `T${i}`,
          title: text.replace(/\n/g, " "),
          description: text,
          notes: text,
          outputs: [text],
          verify: [text, "echo ok"],
          dependsOn: i > 0 ? [`T${i - 1}`] : [],
        }),
      ),
    };
    expect(roundTrip(plan)).toEqual(plan);
  });

  it("round-trips an empty plan and a task with every field set", () => {
    expect(roundTrip({ tasks: [] })).toEqual({ tasks: [] });
    const full = task({
      description: "d", outputs: ["a.py", "b.py"], edits: ["c.py"], dependsOn: ["T000"], refs: ["constraints"],
      context: ["context/x.txt"], covers: ["Count Words"], verify: ["true"], status: "skip", notes: "n",
    });
    expect(roundTrip({ tasks: [full] })).toEqual({ tasks: [full] });
  });

  it("is stable: serializing what it parsed gives the same bytes", () => {
    const text = serializePlan({ tasks: [task({ refs: ["a", "b"], verify: ["x".repeat(100)] })] });
    expect(serializePlan(parsePlan(text).plan!)).toBe(text);
  });
});
