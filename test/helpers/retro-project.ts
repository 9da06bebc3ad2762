// A calc project with build runs to look back on, for the retro tests: a plan
// of CALC tasks, one build run where T002 needed a fix, a retro answer that
// recommends an Example for CALC#divide, and the edit a model makes of it (a
// new Example at the end of ## Examples). Shared by the CLI and TUI tests of
// `retro`, `retro --ask` and the Report view's Retro section.

import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { CALC_AMD, CALC_SMD, PROJECT_TOML, writeProject } from "./spec-project.js";
import { pytestFailure, writeSyntheticRun } from "./synthetic-build-runs.js";

export interface PlannedCalcTask {
  id: string;
  title: string;
  outputs: string[];
  refs: string[];
}

/** plan.toml for CALC tasks, each verified by pytest. */
export function calcPlan(tasks: readonly PlannedCalcTask[]): string {
  const rows = tasks.map(
    (t) => `[[task]]\nid = "${t.id}"\nspec = "CALC"\ntitle = "${t.title}"\noutputs = [${t.outputs.map((o) => JSON.stringify(o)).join(", ")}]\nrefs = [${t.refs.map((r) => JSON.stringify(r)).join(", ")}]\nverify = ["python3 -m pytest -q"]\n`,
  );
  return `version = 1\n\n${rows.join("\n")}`;
}

/** An Examples section for CALC, so "add an Example" has a place to go. */
export const CALC_EXAMPLES = "## Examples\n\n### Divide two by one\n\n**Input:**\n\n```python\ndivide(2, 1)\n```\n\n**Output:**\n\n```\n2.0\n```\n\n";
export const CALC_SMD_WITH_EXAMPLES = CALC_SMD.replace("## Constraints", `${CALC_EXAMPLES}## Constraints`);

/** A retro answer: one add-example recommendation for CALC requirements/divide, for T002. */
export const DIVIDE_RETRO = {
  summary: "T002 needed a fix in each run: the spec does not say what dividing by zero does.",
  recommendations: [{ kind: "add-example", spec: "CALC", anchor: "requirements/divide", tasks: ["T002"], change: "Add an Example where b is 0 and the call raises ZeroDivisionError.", why: "T002 failed on division by zero." }],
};

/** What a model does with "add an Example": a new one at the end of ## Examples (which T002's refs may not name). */
export const DIVIDE_EXAMPLE_PROPOSAL = {
  content: JSON.stringify({
    questions: [],
    assumptions: [],
    edits: [
      {
        file: "specs/calc.smd",
        search: "## Constraints",
        replace: "### Divide by zero\n\n**Input:**\n\n```python\ndivide(1, 0)\n```\n\n**Output:**\n\n```\nZeroDivisionError\n```\n\n## Constraints",
        kind: "explicit",
        reason: "the retro's Example",
      },
    ],
  }),
};

/** The project, its plan, and build runs on the given days in which T002 failed verify once and then passed (T001 too, first try, when planned). */
export async function writeRetroProject(dir: string, options: { plan: string; smd?: string; days?: string[] }): Promise<void> {
  await writeProject(dir, { "specwright.toml": PROJECT_TOML, "specs/calc.smd": options.smd ?? CALC_SMD, "specs/calc.amd": CALC_AMD });
  await mkdir(join(dir, ".specwright"), { recursive: true });
  await writeFile(join(dir, ".specwright", "plan.toml"), options.plan);
  for (const day of options.days ?? ["20"]) {
    await writeSyntheticRun(dir, {
      startedAt: `2026-11-${day}T10:00:00Z`,
      finishedAt: `2026-11-${day}T10:05:00Z`,
      tasks: {
        ...(options.plan.includes('id = "T001"') ? { T001: { attempts: [{ verify: { pass: true } }] } } : {}),
        T002: { attempts: [{ verify: { pass: false, command: "python3 -m pytest -q", output: pytestFailure("T002", 1) } }, { verify: { pass: true } }] },
      },
    });
  }
}
