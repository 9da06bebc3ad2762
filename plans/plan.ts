// The build plan (.specwright/plan.toml, DESIGN.md §7): its schema, and reading
// it from TOML into typed tasks with a diagnostic at plan.toml:line:col for
// every shape problem (wrong type, missing or unknown field, bad status).
// Semantic checks (ids, graph, refs, paths, verify) live in validate-plan.ts.

import { closest } from "../grammar/did-you-mean.js";
import { diagnostic, type Diagnostic } from "../grammar/diagnostic.js";
import { parseTomlSource, type TomlPath, type TomlSource } from "./toml-source.js";

/** The plan format this code reads and writes (`version = 1`). */
export const PLAN_FORMAT_VERSION = 1;

/** Where plan.toml lives relative to the project root; the default file name in diagnostics. */
export const PLAN_FILE = ".specwright/plan.toml";

export const TASK_STATUSES = ["auto", "skip", "manual"] as const;
/** auto: built by the model; skip: not built; manual: a person writes the files, specwright only verifies. */
export type TaskStatus = (typeof TASK_STATUSES)[number];

/** One `[[task]]` of plan.toml. Optional text is "" and optional lists are [] when absent. */
export interface Task {
  /** Stable id, e.g. "T003"; referenced by depends_on, state.json and traces. */
  id: string;
  /** The SMD id of the spec this task implements. */
  spec: string;
  title: string;
  description: string;
  /** Files this task creates, relative to the output dir. */
  outputs: string[];
  /**
   * Files of the project (relative to its root, usually under context/) that
   * are copied byte for byte to `outputs`, pairwise: `copy[i]` becomes
   * `outputs[i]`. A copy task makes no model call. Empty for ordinary tasks.
   */
  copy: string[];
  /** Existing files (created by an ancestor task) this task may modify. */
  edits: string[];
  /** Ids of tasks that must finish first (`depends_on` in the file). */
  dependsOn: string[];
  /** Spec parts the prompt includes: `<section>`, `requirements/<anchor>`, `components/<name>`. */
  refs: string[];
  /** Files from the project's context dir handed to the task, relative to the project root. */
  context: string[];
  /** Requirement titles or anchors this task covers, for the coverage ledger. */
  covers: string[];
  /** Shell commands run in the output dir, in order; all must succeed. */
  verify: string[];
  status: TaskStatus;
  notes: string;
}

export interface Plan {
  /** In plan order: the order of `[[task]]` tables in the file. */
  tasks: Task[];
}

type TextProperty = "id" | "spec" | "title" | "description" | "notes";
type ListProperty = "outputs" | "copy" | "edits" | "dependsOn" | "refs" | "context" | "covers" | "verify";

/** How one task field is spelled in TOML, typed in `Task`, and written back. */
export type TaskField =
  | { key: string; property: TextProperty; kind: "text"; required: boolean }
  | { key: string; property: ListProperty; kind: "list"; alwaysWritten: boolean }
  | { key: "status"; property: "status"; kind: "status" };

/**
 * Every task field in the order the serializer writes them. `alwaysWritten`
 * lists stay in the file even when empty, so a reader sees "no dependencies"
 * and "no verify commands" stated rather than implied.
 */
export const TASK_FIELDS: readonly TaskField[] = [
  { key: "id", property: "id", kind: "text", required: true },
  { key: "spec", property: "spec", kind: "text", required: true },
  { key: "title", property: "title", kind: "text", required: true },
  { key: "description", property: "description", kind: "text", required: false },
  { key: "outputs", property: "outputs", kind: "list", alwaysWritten: false },
  { key: "copy", property: "copy", kind: "list", alwaysWritten: false },
  { key: "edits", property: "edits", kind: "list", alwaysWritten: false },
  { key: "depends_on", property: "dependsOn", kind: "list", alwaysWritten: true },
  { key: "refs", property: "refs", kind: "list", alwaysWritten: false },
  { key: "context", property: "context", kind: "list", alwaysWritten: false },
  { key: "covers", property: "covers", kind: "list", alwaysWritten: false },
  { key: "verify", property: "verify", kind: "list", alwaysWritten: true },
  { key: "status", property: "status", kind: "status" },
  { key: "notes", property: "notes", kind: "text", required: false },
];

const FIELD_BY_KEY = new Map(TASK_FIELDS.map((f) => [f.key, f]));

// Words people and models reach for that are too far from the real key for
// edit distance to suggest it.
const KEY_SYNONYMS: Readonly<Record<string, string>> = {
  depends: "depends_on",
  dependencies: "depends_on",
  deps: "depends_on",
  requires: "depends_on",
  after: "depends_on",
  name: "title",
  files: "outputs",
  source: "copy",
  creates: "outputs",
  modifies: "edits",
  commands: "verify",
  checks: "verify",
  tests: "verify",
  references: "refs",
};

const TOP_LEVEL_KEYS = ["version", "task"];

export interface ParsePlanResult {
  /**
   * The plan, when every task has a usable id, spec and title. Fields with a
   * diagnostic are left at their defaults, so the plan can still be validated
   * further; check `diagnostics` for errors before building from it.
   */
  plan?: Plan;
  diagnostics: Diagnostic[];
  /** The text with positions; pass `source.locate` to validatePlan. */
  source: TomlSource;
}

/** A task with every field at its default ("" or [], status auto). */
export function emptyTask(): Task {
  return { id: "", spec: "", title: "", description: "", outputs: [], copy: [], edits: [], dependsOn: [], refs: [], context: [], covers: [], verify: [], status: "auto", notes: "" };
}

/**
 * Reads plan.toml text. Reports every shape problem, each at the key or value
 * it concerns; a TOML syntax error is the only one reported alone.
 */
export function parsePlan(text: string, file: string = PLAN_FILE): ParsePlanResult {
  const source = parseTomlSource(text, file);
  const diagnostics = [...source.diagnostics];
  const value = source.value;
  if (value === undefined) return { diagnostics, source };

  const report = (path: TomlPath, message: string, code: string, options: { hint?: string | undefined; atValue?: boolean } = {}) => {
    const p = options.atValue ? source.locateValue(path) : source.locate(path);
    diagnostics.push(
      diagnostic("error", file, p.line, p.column, message, {
        length: p.length,
        code,
        ...(options.hint !== undefined ? { hint: options.hint } : {}),
      }),
    );
  };

  for (const key of Object.keys(value)) {
    if (TOP_LEVEL_KEYS.includes(key)) continue;
    const suggestion = closest(key, TOP_LEVEL_KEYS);
    report([key], `Unknown key "${key}" in the plan`, "plan/unknown-field", {
      hint: suggestion ? `did you mean "${suggestion}"?` : `plan.toml holds "version" and [[task]] tables`,
    });
  }

  const version = value["version"];
  if (version !== undefined) {
    if (typeof version !== "number" || !Number.isInteger(version)) {
      report(["version"], `"version" must be an integer, not ${describeValue(version)}`, "plan/wrong-type", { atValue: true });
    } else if (version !== PLAN_FORMAT_VERSION) {
      report(["version"], `Unsupported plan format version ${version}`, "plan/unsupported-version", {
        atValue: true,
        hint: `this specwright reads version ${PLAN_FORMAT_VERSION}`,
      });
    }
  }

  const rawTasks = value["task"];
  if (rawTasks === undefined) return { plan: { tasks: [] }, diagnostics, source };
  if (!Array.isArray(rawTasks)) {
    report(["task"], `"task" must be a list of tables, not ${describeValue(rawTasks)}`, "plan/wrong-type", {
      hint: "start each task with a [[task]] line (two brackets)",
    });
    return { diagnostics, source };
  }

  const tasks: Task[] = [];
  let usable = true;
  rawTasks.forEach((raw: unknown, index) => {
    const task = readTask(raw, index, report);
    if (task) tasks.push(task);
    else usable = false;
  });
  // File order reads best: a person fixes the file top to bottom.
  diagnostics.sort((a, b) => a.line - b.line || a.column - b.column);
  return usable ? { plan: { tasks }, diagnostics, source } : { diagnostics, source };
}

type Report = (path: TomlPath, message: string, code: string, options?: { hint?: string | undefined; atValue?: boolean }) => void;

/** One task; undefined when its id, spec or title is missing or unusable. */
function readTask(raw: unknown, index: number, report: Report): Task | undefined {
  const at: TomlPath = ["task", index];
  if (!isTable(raw)) {
    report(at, `Task #${index + 1} must be a table, not ${describeValue(raw)}`, "plan/wrong-type", {
      hint: "write each task as a [[task]] table",
    });
    return undefined;
  }
  const rawId = raw["id"];
  const name = typeof rawId === "string" && rawId.trim() !== "" ? `Task ${rawId}` : `Task #${index + 1}`;

  for (const key of Object.keys(raw)) {
    if (FIELD_BY_KEY.has(key)) continue;
    const suggestion = KEY_SYNONYMS[key.toLowerCase()] ?? closest(key, FIELD_BY_KEY.keys());
    report([...at, key], `${name} has an unknown field "${key}"`, "plan/unknown-field", {
      hint: suggestion ? `did you mean "${suggestion}"?` : `task fields: ${TASK_FIELDS.map((f) => f.key).join(", ")}`,
    });
  }

  const task = emptyTask();
  let usable = true;

  for (const field of TASK_FIELDS) {
    const path = [...at, field.key];
    const v = raw[field.key];
    switch (field.kind) {
      case "text": {
        if (v === undefined) {
          if (field.required) {
            report(at, `${name} has no "${field.key}"`, "plan/missing-field", { hint: `add ${field.key} = "…" to this task` });
            usable = false;
          }
          break;
        }
        if (typeof v !== "string") {
          report(path, `"${field.key}" must be a string, not ${describeValue(v)}`, "plan/wrong-type", { atValue: true });
          if (field.required) usable = false;
          break;
        }
        if (field.required && v.trim() === "") {
          report(path, `"${field.key}" must not be empty`, "plan/empty-field", { atValue: true });
          usable = false;
          break;
        }
        if (field.property === "id" && /\s/.test(v)) {
          report(path, `Task id "${v}" contains white space`, "plan/bad-id", {
            atValue: true,
            hint: 'ids are single words such as "T003"',
          });
          usable = false;
          break;
        }
        task[field.property] = v;
        break;
      }
      case "list": {
        if (v === undefined) break;
        if (!Array.isArray(v)) {
          report(path, `"${field.key}" must be a list of strings, not ${describeValue(v)}`, "plan/wrong-type", {
            atValue: true,
            hint: typeof v === "string" ? `write ${field.key} = [${JSON.stringify(v)}]` : undefined,
          });
          break;
        }
        const items: string[] = [];
        let ok = true;
        v.forEach((item: unknown, i) => {
          if (typeof item === "string") items.push(item);
          else {
            ok = false;
            report([...path, i], `"${field.key}" must hold only strings; item ${i + 1} is ${describeValue(item)}`, "plan/wrong-type", {
              atValue: true,
            });
          }
        });
        if (ok) task[field.property] = items;
        break;
      }
      case "status": {
        if (v === undefined) break;
        if (typeof v !== "string") {
          report(path, `"status" must be a string, not ${describeValue(v)}`, "plan/wrong-type", { atValue: true });
          break;
        }
        if (!isTaskStatus(v)) {
          const suggestion = closest(v, TASK_STATUSES);
          report(path, `Unknown status "${v}"`, "plan/bad-status", {
            atValue: true,
            hint: suggestion ? `did you mean "${suggestion}"?` : `status is one of ${TASK_STATUSES.map((s) => `"${s}"`).join(", ")}`,
          });
          break;
        }
        task.status = v;
        break;
      }
    }
  }
  return usable ? task : undefined;
}

export function isTaskStatus(value: string): value is TaskStatus {
  return (TASK_STATUSES as readonly string[]).includes(value);
}

function isTable(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value) && !(value instanceof Date);
}

/** "a number", "a list", … for messages about wrong types. */
export function describeValue(value: unknown): string {
  if (typeof value === "string") return "a string";
  if (typeof value === "number") return Number.isInteger(value) ? "an integer" : "a number";
  if (typeof value === "bigint") return "an integer";
  if (typeof value === "boolean") return "a boolean";
  if (value instanceof Date) return "a date";
  if (Array.isArray(value)) return "a list";
  if (isTable(value)) return "a table";
  return "an unsupported value";
}
