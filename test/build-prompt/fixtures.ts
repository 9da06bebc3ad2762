// Shared inputs for the build-prompt tests: SpecGroups from spec text (parsed
// and validated by the grammar, the way project-specs.ts builds them from
// disk), tasks, prompt inputs and keys with fixed model settings.

import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { validateSpecs, type AmdDocument, type SmdDocument } from "../../grammar/index.js";
import { emptyTask, type Task } from "../../plans/plan.js";
import { computeTaskKey, type TaskKey, type TaskKeyParts } from "../../plans/task-key.js";
import { projectBrief, promptKeyParts, type TaskPrompt, type TaskPromptInput } from "../../src/build/task-prompt.js";
import type { SpecGroup } from "../../src/specs/project-specs.js";
import { CALC_AMD, CALC_SMD } from "../helpers/spec-project.js";

/** A group from one SMD and its AMDs; throws when the texts do not validate cleanly (a broken test fixture). */
export function specGroup(smd: string, amds: readonly string[] = [], names: { smd?: string; amds?: string[] } = {}): SpecGroup {
  const files = [
    { file: names.smd ?? "specs/spec.smd", text: smd },
    ...amds.map((text, i) => ({ file: names.amds?.[i] ?? `specs/spec-${i + 1}.amd`, text })),
  ];
  const result = validateSpecs(files);
  const errors = result.diagnostics.filter((d) => d.severity === "error");
  if (errors.length > 0) throw new Error(`fixture does not validate: ${errors.map((d) => `${d.file}:${d.line} ${d.message}`).join("; ")}`);
  const [first, ...rest] = result.files;
  if (first?.kind !== "smd" || first.ast === undefined) throw new Error("the first file is not an SMD");
  const smdAst: SmdDocument = first.ast;
  const amdAsts = rest.map((f) => {
    if (f.kind !== "amd" || f.ast === undefined) throw new Error(`${f.file} is not an AMD`);
    return { file: f.file, text: files.find((x) => x.file === f.file)?.text ?? "", ast: f.ast as AmdDocument };
  });
  const summary = result.specs[0];
  if (summary === undefined) throw new Error("no spec summary");
  return {
    id: summary.id,
    title: summary.title,
    depends: summary.depends,
    smd: { file: files[0]!.file, text: smd, ast: smdAst },
    amds: amdAsts,
    vmds: [],
  };
}

/** The repository root: tests run from it (vitest's cwd). */
const repoRoot = process.cwd();

/** The Ossature `yep` fixture (test/fixtures/ossature/yep; see its README). */
export function ossatureYep(): SpecGroup {
  const dir = resolve(repoRoot, "test", "fixtures", "ossature", "yep", "specs");
  return specGroup(readFileSync(resolve(dir, "YEP.smd"), "utf8"), [readFileSync(resolve(dir, "YEP.amd"), "utf8")], {
    smd: "specs/YEP.smd",
    amds: ["specs/YEP.amd"],
  });
}

/** A task with every optional field empty, for tests to fill in. */
export function task(fields: Partial<Task> & Pick<Task, "id" | "title">): Task {
  return { ...emptyTask(), spec: "CALC", ...fields };
}

/** The calc sample project's spec with its architecture. */
export function calcGroup(smd: string = CALC_SMD, amd: string = CALC_AMD): SpecGroup {
  return specGroup(smd, [amd], { smd: "specs/calc.smd", amds: ["specs/calc.amd"] });
}

/** A prompt input for a task of the calc spec: no dependencies, context or edits unless given. */
export function calcInput(fields: Partial<TaskPromptInput> & { task: Task }): TaskPromptInput {
  const spec = fields.spec ?? calcGroup();
  return {
    spec,
    brief: projectBrief(spec, { name: "calc", language: "python", outputDir: "out" }),
    dependencies: [],
    context: [],
    edits: [],
    ...fields,
  };
}

/** The key of a prompt with fixed model settings; `extra` overrides any part. */
export function keyOf(prompt: TaskPrompt, t: Task, extra: Partial<TaskKeyParts> = {}): TaskKey {
  return computeTaskKey({
    ...promptKeyParts(prompt),
    task: t,
    modelName: "qwen2.5-coder:14b",
    modelDigest: "sha256:aaaaaaaaaaaaaaaaaaaaaaaa",
    options: { numPredict: 4096, temperature: 0.2, seed: 7, think: false },
    contextFiles: {},
    verify: t.verify,
    dependencyOutputs: {},
    ...extra,
  });
}
