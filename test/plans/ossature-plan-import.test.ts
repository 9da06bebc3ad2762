// The conversion of an Ossature plan (.ossature/plan.toml, Ossature 0.2.1's
// models/plan.py) into a specwright plan, on the public example projects'
// own plans and on small plans for the cases they do not have.

import { readdirSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import TOML from "@iarna/toml";
import { describe, expect, it } from "vitest";
import { validateSpecs, type Diagnostic } from "../../grammar/index.js";
import { importOssaturePlan, type ImportSpec, type OssatureImportFacts } from "../../plans/ossature-plan.js";
import { validatePlan } from "../../plans/validate-plan.js";
import { importSpecOf } from "../../src/planning/import-ossature.js";
import { groupSpecs } from "../../src/specs/project-specs.js";

const fixtures = resolve(process.cwd(), "test", "fixtures", "ossature");

function specsOf(project: string): ImportSpec[] {
  const dir = join(fixtures, project, "specs");
  const sources = readdirSync(dir).sort().map((name) => ({ file: `specs/${name}`, path: join(dir, name), text: readFileSync(join(dir, name), "utf8") }));
  return groupSpecs(sources, validateSpecs(sources)).map(importSpecOf);
}

function planText(project: string): string {
  return readFileSync(join(fixtures, project, ".ossature", "plan.toml"), "utf8");
}

function facts(project: string, extra: Partial<OssatureImportFacts> = {}): OssatureImportFacts {
  return { specs: specsOf(project), contextDir: "context", contextFiles: [], existingOutputs: new Set(), ...extra };
}

const where = (d: Diagnostic) => [d.severity, d.line, d.column, d.code];

interface OssatureTask {
  id: string;
  title: string;
  description: string;
  notes?: string;
  verify: string | string[];
}

describe("an Ossature plan imported", () => {
  it("keeps every task's id, title, description, notes, verify and the order", () => {
    for (const project of ["spenny", "math_quest", "qoizig", "markman", "whenwords-py"]) {
      const raw = TOML.parse(planText(project)) as unknown as { task: OssatureTask[] };
      const { plan } = importOssaturePlan(planText(project), facts(project));
      expect(plan!.tasks.map((t) => [t.id, t.title, t.description, t.verify]), project).toEqual(
        raw.task.map((t) => [t.id, t.title, t.description, typeof t.verify === "string" ? [t.verify] : t.verify]),
      );
    }
    const notes = importOssaturePlan('[[task]]\nid = "001"\nspec = "EXPENSE_TRACKER"\ntitle = "T"\ndescription = ""\noutputs = ["a.py"]\ndepends_on = []\nspec_refs = []\narch_refs = []\nstatus = "pending"\nverify = []\nnotes = "keep the API small"\n', facts("spenny"));
    expect(notes.plan!.tasks[0]!.notes).toBe("keep the API small");
  });

  it("translates refs into specwright refs, from every form Ossature plans write them in", () => {
    const spenny = importOssaturePlan(planText("spenny"), facts("spenny")).plan!;
    expect(spenny.tasks[1]!.refs).toEqual(["requirements/data-persistence", "constraints", "components/Storage", "data models"]);
    expect(spenny.tasks[0]!.refs).toEqual(["goals", "constraints", "dependencies"]);
    // The older format: verify as one string, refs written SPEC:Section, Data Models > Name.
    const older = importOssaturePlan(readFileSync(join(fixtures, "older-plans", "spenny-c29c9b7.plan.toml"), "utf8"), facts("spenny"));
    expect(older.plan!.tasks[1]!.refs).toEqual(["requirements/data-persistence", "constraints", "components/Storage", "data models"]);
    expect(older.plan!.tasks[0]!.verify).toEqual(["uv run python -c 'import spenny'"]);
    expect(older.diagnostics.filter((d) => d.code === "ossature/ref-widened").map(where)).toEqual([
      ["info", 49, 5, "ossature/ref-widened"],
      ["info", 79, 5, "ossature/ref-widened"],
    ]);
    // "Requirements > X", a bare component name, "Examples > X".
    const whenwords = importOssaturePlan(planText("whenwords-py"), facts("whenwords-py")).plan!;
    const byId = (id: string) => whenwords.tasks.find((t) => t.id === id)!;
    expect(byId("003").refs).toEqual(["requirements/human-date", "requirements/date-range", "constraints", "examples", "acceptance criteria", "components/Calendar Format Module"]);
    expect(byId("008").refs).toEqual(["requirements/duration", "constraints", "examples", "components/Relative Time Module"]);
  });

  it("says which refs could not be translated, at their line, and leaves them out", () => {
    const markman = importOssaturePlan(planText("markman"), facts("markman"));
    const dropped = markman.diagnostics.filter((d) => d.code === "ossature/ref-unresolved");
    expect(dropped.map((d) => [d.line, d.column, d.message])).toEqual([[101, 5, 'task 004: "Notes" names nothing in spec STORAGE; left out (Ossature leaves it out of the prompt too)']]);
    expect(markman.plan!.tasks[3]!.refs).toEqual(["requirements/add-bookmark", "constraints"]);
    const otherSpec = importOssaturePlan(
      '[[task]]\nid = "001"\nspec = "CLI"\ntitle = "T"\ndescription = ""\noutputs = ["a.rs"]\ndepends_on = []\nspec_refs = ["STORAGE:Constraints", "CLI:Constraints"]\narch_refs = []\nstatus = "pending"\nverify = []\n',
      facts("markman"),
    );
    expect(otherSpec.plan!.tasks[0]!.refs).toEqual(["constraints"]);
    expect(otherSpec.diagnostics.map(where)).toEqual([["warning", 8, 14, "ossature/ref-other-spec"]]);
  });

  it("makes a file several tasks write the first one's output and the later ones' edit, depending on it", () => {
    const markman = importOssaturePlan(planText("markman"), facts("markman")).plan!;
    const storage = markman.tasks.filter((t) => [...t.outputs, ...t.edits].includes("src/storage.rs")).map((t) => [t.id, t.outputs, t.edits]);
    expect(storage).toEqual([
      ["002", ["src/storage.rs"], []],
      ["003", [], ["src/storage.rs"]],
      ["004", [], ["src/storage.rs"]],
      ["005", [], ["src/storage.rs"]],
      ["006", [], ["src/storage.rs"]],
      ["007", [], ["src/storage.rs"]],
    ]);
    // whenwords' 006 (RELATIVE_TIME) rewrites the __init__.py that 001 (CALENDAR_FORMAT) creates, without depending on it.
    const whenwords = importOssaturePlan(planText("whenwords-py"), facts("whenwords-py"));
    const t006 = whenwords.plan!.tasks.find((t) => t.id === "006")!;
    expect([t006.outputs, t006.edits, t006.dependsOn]).toEqual([[], ["src/whenwords/__init__.py"], ["001"]]);
    expect(whenwords.diagnostics.find((d) => d.code === "ossature/edit")?.message).toBe("task 006 writes src/whenwords/__init__.py again: 001 creates it, so here it is an edit and 006 now depends on 001");
  });

  it("turns copy tasks into copies that need no model, and a second copy of the same file into a skipped task", () => {
    const mathQuest = importOssaturePlan(planText("math_quest"), facts("math_quest", { contextFiles: ["correct.wav", "wrong.ogg"] })).plan!;
    expect(mathQuest.tasks[0]).toMatchObject({ id: "001", outputs: ["correct.wav", "wrong.ogg"], copy: ["context/correct.wav", "context/wrong.ogg"], status: "auto" });
    expect(mathQuest.tasks[2]!.dependsOn).toEqual(["001"]);
    const whenwords = importOssaturePlan(planText("whenwords-py"), facts("whenwords-py", { contextFiles: ["tests.yaml"] }));
    const [t002, t005, t012] = ["002", "005", "012"].map((id) => whenwords.plan!.tasks.find((t) => t.id === id)!);
    expect(t002).toMatchObject({ outputs: ["tests/tests.yaml"], copy: ["context/tests.yaml"], status: "auto" });
    expect(t005).toMatchObject({ outputs: [], copy: [], status: "skip", dependsOn: ["002"] });
    expect(t005!.notes).toContain("a copy task with nothing left to copy");
    expect(t012!.dependsOn).toEqual(["005", "011"]);
    expect(whenwords.diagnostics.filter((d) => d.code === "ossature/copy-duplicate").map((d) => d.message)).toEqual(["task 005 copies context/tests.yaml to tests/tests.yaml, as 002 already does; the copy is left to 002"]);
  });

  it("expands a wildcard source as Ossature's copy step does", () => {
    const text = '[[task]]\nid = "001"\nspec = "MATH_QUEST"\ntitle = "Sounds"\ndescription = ""\noutputs = ["assets/*"]\ndepends_on = []\nspec_refs = []\narch_refs = []\nstatus = "pending"\nverify = []\nsource = ["context://sfx/*"]\n';
    const { plan } = importOssaturePlan(text, facts("math_quest", { contextFiles: ["sfx/a.wav", "sfx/b.ogg", "sfx/deep/c.wav", "other.txt"] }));
    expect(plan!.tasks[0]).toMatchObject({ outputs: ["assets/a.wav", "assets/b.ogg"], copy: ["context/sfx/a.wav", "context/sfx/b.ogg"] });
  });

  it("maps every Ossature status, keeping done tasks whose files exist as Ossature built them", () => {
    const statuses = ["pending", "done", "done", "failed", "skipped", "manual"];
    const text = statuses
      .map((status, i) => `[[task]]\nid = "00${i + 1}"\nspec = "EXPENSE_TRACKER"\ntitle = "T${i + 1}"\ndescription = ""\noutputs = ["f${i + 1}.py"]\ndepends_on = []\nspec_refs = []\narch_refs = []\nstatus = "${status}"\nverify = []\n`)
      .join("\n");
    const imported = importOssaturePlan(text, facts("spenny", { existingOutputs: new Set(["f2.py"]) }));
    expect(imported.plan!.tasks.map((t) => t.status)).toEqual(["auto", "manual", "auto", "auto", "skip", "manual"]);
    expect(imported.diagnostics.filter((d) => d.code === "ossature/status").map((d) => d.message)).toEqual([
      'done in Ossature, with their files in the output dir: 002 imported as manual, so specwright keeps Ossature\'s files and only runs their verify commands; set status = "auto" to let the model rebuild one',
      "done in Ossature, but their files are not in the output dir: 003 imported as auto, to be built",
      "failed in Ossature's last build: 004 imported as auto, to be built again",
      "skipped in Ossature: 005 imported as skip",
      "manual in Ossature: 006 stay manual; specwright runs their verify commands on the files you write",
    ]);
  });

  it("reports every loss as a warning at its place, and counts them", () => {
    const text = [
      "[[task]]",
      'id = "001"',
      'spec = "EXPENSE_TRACKER"',
      'kind = "verify"',
      'vmd_file = "specs/x.vmd"',
      'vmd_group = "add/2"',
      'title = "Verify add"',
      'description = ""',
      'outputs = ["tests/test_add.py"]',
      "depends_on = []",
      "spec_refs = []",
      "arch_refs = []",
      'status = "pending"',
      "verify = []",
      'priority = "high"',
      "",
      "[[task]]",
      'id = "002"',
      'spec = "EXPENSE_TRACKER"',
      'title = "Reads a setup file"',
      'description = ""',
      'outputs = ["b.py"]',
      "depends_on = []",
      "spec_refs = []",
      "arch_refs = []",
      'status = "pending"',
      "verify = []",
      'inject_files = ["Cargo.toml"]',
      'cross_spec_interfaces = ["OTHER"]',
      'covers = ["Add an Expense", "Fly"]',
      "",
    ].join("\n");
    const imported = importOssaturePlan(text, facts("spenny"));
    const warnings = imported.diagnostics.filter((d) => d.severity === "warning");
    expect(warnings.map(where)).toEqual([
      ["warning", 4, 1, "ossature/verify-task"],
      ["warning", 15, 1, "ossature/unknown-field"],
      ["warning", 28, 17, "ossature/inject-uncreated"],
      ["warning", 29, 26, "ossature/interface-unreachable"],
      ["warning", 30, 29, "ossature/covers-unresolved"],
    ]);
    expect(imported.summary.losses).toBe(warnings.length);
    expect(imported.plan!.tasks[0]).toMatchObject({ status: "skip" });
    expect(imported.plan!.tasks[1]!.covers).toEqual(["Add an Expense"]);
  });

  it("gives each example project a plan that specwright's plan checks accept", () => {
    const context: Record<string, string[]> = { math_quest: ["correct.wav", "wrong.ogg"], "whenwords-py": ["tests.yaml"], qoizig: ["qoi_specification.md"] };
    const results: Record<string, unknown> = {};
    for (const project of ["spenny", "math_quest", "qoizig", "markman", "whenwords-py"]) {
      const f = facts(project, { contextFiles: context[project] ?? [] });
      const imported = importOssaturePlan(planText(project), f);
      expect(imported.diagnostics.filter((d) => d.severity === "error"), project).toEqual([]);
      expect(validatePlan(imported.plan!, { specs: f.specs, isOnPath: () => true }).filter((d) => d.severity === "error"), project).toEqual([]);
      const s = imported.summary;
      results[project] = [s.tasks, s.refsTranslated, s.refsWidened, s.refsDropped, s.handedOn, s.dependenciesAdded, s.copyTasks, s.losses];
    }
    // tasks, refs translated / widened / left out, rewritten files → edits, dependencies added, copy tasks, losses
    expect(results).toEqual({
      spenny: [7, 38, 0, 0, 0, 0, 0, 0],
      math_quest: [4, 14, 3, 0, 0, 0, 1, 0],
      qoizig: [9, 28, 1, 0, 1, 0, 0, 0],
      markman: [18, 70, 0, 1, 8, 9, 0, 1],
      "whenwords-py": [12, 32, 6, 0, 1, 2, 1, 0],
    });
  });
});
