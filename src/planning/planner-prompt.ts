// What the planner model is told: byte-stable rules, then the project brief,
// the spec, the refs it may use, files other specs already create, and the
// context inventory. Its answer is a JSON list of tasks with local keys that
// specwright turns into T-numbered tasks.

import type { ChatMessage } from "../../models/call-record.js";
import type { JsonSchema } from "../../models/json-schema.js";
import type { ContextFile } from "./context-inventory.js";
import { verifyGuidance } from "./verify-defaults.js";

export const PLANNER_PROMPT_VERSION = 1;

export const PLANNER_SYSTEM = `You turn one software specification into a build plan: a list of small tasks, each producing one or a few files, that a code model will carry out one at a time.

Rules:
- A task produces whole files ("outputs", paths relative to the output directory, no absolute paths, no ".."). Prefer one source file per task; put tests in their own tasks.
- Every file is created by exactly one task in the whole project. Never create a file that the list of files other specs create already holds; use "edits" only for a file an earlier task of this plan creates, and depend on that task.
- "depends_on" lists the keys of earlier tasks whose files this task imports, includes or tests. Keys are your own short names ("1", "2", …); only keys of tasks listed before this one.
- "refs" names the spec parts the task needs, chosen only from the list of valid refs you are given. Give each task the requirements it implements and the components it builds.
- "context" names files from the context inventory the task needs (or none).
- "verify" lists shell commands that prove the task's files work. They may only use files this task or the tasks it depends on produce.
- Keep the plan as small as the spec allows: no tasks for documentation, packaging or CI unless the spec asks for them.
Answer with JSON only.`;

export const PLAN_SCHEMA: JsonSchema = {
  type: "object",
  properties: {
    tasks: {
      type: "array",
      minItems: 1,
      items: {
        type: "object",
        properties: {
          key: { type: "string", minLength: 1 },
          title: { type: "string", minLength: 1 },
          description: { type: "string" },
          outputs: { type: "array", items: { type: "string" } },
          edits: { type: "array", items: { type: "string" } },
          depends_on: { type: "array", items: { type: "string" } },
          refs: { type: "array", items: { type: "string" } },
          context: { type: "array", items: { type: "string" } },
          verify: { type: "array", items: { type: "string" } },
        },
        required: ["key", "title", "description", "outputs", "depends_on", "refs", "verify"],
      },
    },
  },
  required: ["tasks"],
};

export interface PlannedTaskAnswer {
  key: string;
  title: string;
  description: string;
  outputs: string[];
  edits?: string[];
  depends_on: string[];
  refs: string[];
  context?: string[];
  verify: string[];
}

export interface PlannerInput {
  language: string;
  /** output.framework; "" for none. */
  framework: string;
  outputDir: string;
  specId: string;
  /** The spec's files (SMD first, then AMDs), as written. */
  specFiles: { file: string; text: string }[];
  validRefs: string[];
  /** Files other specs' tasks create (and which spec). */
  otherOutputs: { path: string; spec: string }[];
  context: ContextFile[];
}

export function plannerMessages(input: PlannerInput): ChatMessage[] {
  const brief = [
    `Target language: ${input.language}${input.framework === "" ? "" : ` (framework: ${input.framework})`}. Output directory: ${input.outputDir}/ (paths below are relative to it).`,
    "",
    "Verify commands:",
    verifyGuidance(input.language),
  ].join("\n");
  const spec = input.specFiles.map((f) => `=== ${f.file} ===\n${f.text.replace(/\r\n?/g, "\n").trimEnd()}`).join("\n\n");
  const others =
    input.otherOutputs.length === 0
      ? "(none)"
      : input.otherOutputs.map((o) => `- ${o.path} (spec ${o.spec})`).join("\n");
  const context =
    input.context.length === 0
      ? "(none)"
      : input.context.map((c) => `- ${c.path} (${c.bytes} bytes, ${c.text ? "text" : "binary"})`).join("\n");
  return [
    { role: "system", content: PLANNER_SYSTEM },
    {
      role: "user",
      content: `${brief}\n\nSpec ${input.specId}:\n\n${spec}\n\nValid refs:\n${input.validRefs.map((r) => `- ${r}`).join("\n")}\n\nFiles other specs create:\n${others}\n\nContext inventory:\n${context}\n\nPlan the tasks for spec ${input.specId}.`,
    },
  ];
}
