// The deterministic checks of DESIGN.md §7, run on planner answers, on
// hand-edited plan.toml and by `validate`. Every problem is reported, each at
// the task field (or list item) it concerns, so a person can fix them all in
// one pass and a planner can be re-asked with the complete list.

import { closest } from "../grammar/did-you-mean.js";
import { diagnostic, type Diagnostic, type Severity } from "../grammar/diagnostic.js";
import { ancestorsOf, buildTaskGraph, findCycles, type TaskGraph } from "./graph.js";
import { canonicalPath, outputPathProblem, type ProjectLayout } from "./output-path.js";
import { PLAN_FILE, type Plan, type Task } from "./plan.js";
import { findRequirement, resolveRef, suggestRef, type SpecIndex } from "./spec-index.js";
import type { TomlPath } from "./toml-source.js";
import { SHELL_BUILTINS, segmentPrograms, splitShellCommand, type ShellWord } from "./verify-command.js";

export interface ValidatePlanContext {
  /** File name for diagnostics; default ".specwright/plan.toml". */
  file?: string;
  /**
   * Maps a path such as ["task", 2, "depends_on", 0] to its place in the file
   * (parsePlan's `source.locate`). Without it, diagnostics carry line 0: fine
   * for a plan that came from the model rather than a file.
   */
  locate?: (path: TomlPath) => { line: number; column: number; length?: number };
  /** Every spec of the project; a task's spec and refs must resolve here. */
  specs: readonly SpecIndex[];
  /**
   * Whether a verify command's program can be run: a bare name is looked up on
   * PATH, an absolute path is checked as is.
   */
  isOnPath: (program: string) => boolean;
  /**
   * Where the project's own files are, so outputs and edits that would write
   * them are refused (plans/output-path.ts). Absent only where the project is
   * not known.
   */
  layout?: ProjectLayout;
}

/** Every semantic problem of a plan, in plan order. */
export function validatePlan(plan: Plan, context: ValidatePlanContext): Diagnostic[] {
  return new PlanValidator(plan, context).run();
}

/**
 * Normalises a relative path for comparing outputs: `./src//a.py` and
 * `src/a.py` name the same file (the policy's canonical spelling; a plan that
 * spells a path otherwise is refused, but duplicates are still found).
 */
export function normalizeTaskPath(path: string): string {
  return canonicalPath(path.trim());
}

class PlanValidator {
  private readonly diagnostics: Diagnostic[] = [];
  private readonly file: string;
  private readonly graph: TaskGraph;
  private readonly specs: ReadonlyMap<string, SpecIndex>;
  /** Normalised output path → indices of the tasks that create it, in plan order. */
  private readonly creators = new Map<string, number[]>();
  /** Normalised paths some task edits. */
  private readonly edited = new Set<string>();
  private readonly ancestorCache = new Map<string, Set<string>>();
  private styleCache: PathStyle | undefined;

  constructor(
    private readonly plan: Plan,
    private readonly context: ValidatePlanContext,
  ) {
    this.file = context.file ?? PLAN_FILE;
    this.graph = buildTaskGraph(plan.tasks);
    this.specs = new Map(context.specs.map((s) => [s.id, s]));
    plan.tasks.forEach((task, index) => {
      for (const output of new Set(task.outputs.map(normalizeTaskPath))) {
        if (output === "") continue;
        const list = this.creators.get(output) ?? [];
        list.push(index);
        this.creators.set(output, list);
      }
      for (const edit of task.edits) this.edited.add(normalizeTaskPath(edit));
    });
  }

  run(): Diagnostic[] {
    this.checkNotEmpty();
    this.checkIds();
    this.checkCycles();
    this.plan.tasks.forEach((task, index) => {
      this.checkSpecAndRefs(task, index);
      this.checkDependencies(task, index);
      this.checkPaths(task, index);
      this.checkOutputs(task, index);
      this.checkEdits(task, index);
      this.checkVerify(task, index);
    });
    // Stable for tests and people: plan order is file order, so sort by position when we have one.
    return this.context.locate ? this.diagnostics.sort((a, b) => a.line - b.line || a.column - b.column) : this.diagnostics;
  }

  private report(
    severity: Severity,
    path: TomlPath,
    message: string,
    code: string,
    hint?: string,
  ): void {
    const p = this.context.locate?.(path) ?? { line: 0, column: 0 };
    this.diagnostics.push(
      diagnostic(severity, this.file, p.line, p.column, message, {
        code,
        ...(p.length !== undefined ? { length: p.length } : {}),
        ...(hint !== undefined ? { hint } : {}),
      }),
    );
  }

  private ancestors(id: string): Set<string> {
    let set = this.ancestorCache.get(id);
    if (!set) {
      set = ancestorsOf(this.graph, id);
      this.ancestorCache.set(id, set);
    }
    return set;
  }

  /** An empty plan builds nothing and reports success; with requirements to build, that is a problem. */
  private checkNotEmpty(): void {
    if (this.plan.tasks.length > 0) return;
    const specs = this.context.specs.filter((s) => s.requirements.length > 0);
    if (specs.length === 0) return;
    const count = specs.reduce((n, s) => n + s.requirements.length, 0);
    this.report("error", ["task"], `The plan has no tasks, but ${specs.map((s) => s.id).join(", ")} ${specs.length === 1 ? "has" : "have"} ${count} requirement${count === 1 ? "" : "s"} to build`,
      "plan/empty", "plan them with `specwright plan` (or `specwright plan --from-architecture`), or restore plan.toml from version control");
  }

  private checkIds(): void {
    const first = new Map<string, number>();
    this.plan.tasks.forEach((task, index) => {
      const earlier = first.get(task.id);
      if (earlier === undefined) {
        first.set(task.id, index);
        return;
      }
      const line = this.context.locate?.(["task", earlier, "id"]).line;
      this.report("error", ["task", index, "id"], `Duplicate task id "${task.id}"`, "plan/duplicate-id",
        line ? `task #${earlier + 1} (line ${line}) already uses it; ids must be unique` : `task #${earlier + 1} already uses it; ids must be unique`);
    });
  }

  private checkCycles(): void {
    const indexOf = new Map<string, number>();
    this.plan.tasks.forEach((t, i) => {
      if (!indexOf.has(t.id)) indexOf.set(t.id, i);
    });
    for (const cycle of findCycles(this.graph)) {
      const [from, to] = [cycle[0]!, cycle[1]!];
      const index = indexOf.get(from)!;
      const item = this.plan.tasks[index]!.dependsOn.indexOf(to);
      this.report("error", ["task", index, "depends_on", item], `Dependency cycle: ${cycle.join(" -> ")}`, "plan/cycle",
        "tasks in a cycle wait for each other forever; remove one of these depends_on entries");
    }
  }

  private checkSpecAndRefs(task: Task, index: number): void {
    const spec = this.specs.get(task.spec);
    if (!spec) {
      const suggestion = closest(task.spec, this.specs.keys());
      const known = [...this.specs.keys()];
      this.report("error", ["task", index, "spec"], `Task ${task.id} names an unknown spec "${task.spec}"`, "plan/unknown-spec",
        suggestion ? `did you mean "${suggestion}"?` : known.length > 0 ? `specs in this project: ${known.join(", ")}` : "this project has no specs");
      return; // its refs cannot be checked against a spec we do not know
    }
    task.refs.forEach((ref, item) => {
      if (resolveRef(spec, ref)) return;
      const suggestion = suggestRef(spec, ref);
      this.report("error", ["task", index, "refs", item], `Ref "${ref}" does not resolve in spec ${spec.id}`, "plan/unresolved-ref",
        suggestion ? `did you mean "${suggestion}"?` : 'refs are a section name, "requirements/<anchor or title>" or "components/<name>"');
    });
    task.covers.forEach((entry, item) => {
      if (findRequirement(spec, entry)) return;
      const suggestion = closest(entry, spec.requirements.flatMap((r) => [r.title, r.anchor]));
      this.report("error", ["task", index, "covers", item], `"${entry}" in covers is not a requirement of spec ${spec.id}`,
        "plan/unknown-requirement", suggestion ? `did you mean "${suggestion}"?` : "covers names requirements by title or anchor");
    });
  }

  private checkDependencies(task: Task, index: number): void {
    task.dependsOn.forEach((dep, item) => {
      if (this.graph.dependencies.has(dep)) return;
      const suggestion = closest(dep, this.graph.ids);
      this.report("error", ["task", index, "depends_on", item], `Task ${task.id} depends on "${dep}", which is not in the plan`,
        "plan/unknown-dependency", suggestion ? `did you mean "${suggestion}"?` : undefined);
    });
  }

  private checkPaths(task: Task, index: number): void {
    for (const key of ["outputs", "edits"] as const) {
      task[key].forEach((path, item) => {
        const problem = outputPathProblem(path, this.context.layout);
        if (!problem) return;
        // The reason is the one safe writes give (plans/output-path.ts), word for word.
        this.report("error", ["task", index, key, item], `${key === "outputs" ? "Output" : "Edit"} "${path}" is refused: ${problem}`, "plan/bad-path",
          "outputs and edits are files relative to the output dir, inside it, and never specwright's own files");
      });
    }
    task.context.forEach((path, item) => {
      const problem = pathProblem(path);
      if (!problem) return;
      this.report("error", ["task", index, "context", item], `${capitalize(problem)} in context: "${path}"`, "plan/bad-path",
        "context files are relative to the project root, inside it");
    });
    task.copy.forEach((path, item) => {
      const problem = pathProblem(path);
      if (!problem) return;
      this.report("error", ["task", index, "copy", item], `${capitalize(problem)} in copy: "${path}"`, "plan/bad-path",
        "copy files are relative to the project root, inside it");
    });
    if (task.copy.length > 0) {
      if (task.copy.length !== task.outputs.length) {
        this.report("error", ["task", index, "copy"], `Task ${task.id} copies ${task.copy.length} file${task.copy.length === 1 ? "" : "s"} into ${task.outputs.length} output${task.outputs.length === 1 ? "" : "s"}`, "plan/copy-mismatch",
          "copy[i] is copied to outputs[i]: list one output per copied file, in the same order");
      }
      if (task.edits.length > 0) {
        this.report("error", ["task", index, "edits"], `Task ${task.id} copies files, so it cannot also edit files`, "plan/copy-edits",
          "a copy task writes whole files without a model; move the edits to a task of their own");
      }
    }
    if (task.status === "auto" && task.outputs.length === 0 && task.edits.length === 0) {
      this.report("warning", ["task", index], `Task ${task.id} creates and edits no files`, "plan/no-outputs",
        'give it outputs or edits, or set status = "manual" if a person does this work');
    }
  }

  private checkOutputs(task: Task, index: number): void {
    task.outputs.forEach((path, item) => {
      const normalized = normalizeTaskPath(path);
      const creators = this.creators.get(normalized) ?? [];
      // Reported at every creator after the first, naming the first.
      if (creators.length < 2 || creators[0] === index) return;
      const firstId = this.plan.tasks[creators[0]!]!.id;
      this.report("error", ["task", index, "outputs", item], `"${path}" is created by both ${firstId} and ${task.id}`, "plan/duplicate-output",
        `a file has one creating task; let ${task.id} list it under edits and depend on ${firstId}`);
    });
  }

  private checkEdits(task: Task, index: number): void {
    const own = new Set(task.outputs.map(normalizeTaskPath));
    task.edits.forEach((path, item) => {
      const normalized = normalizeTaskPath(path);
      if (outputPathProblem(path, this.context.layout)) return; // already reported
      if (own.has(normalized)) {
        this.report("warning", ["task", index, "edits", item], `"${path}" is both created and edited by ${task.id}`, "plan/edit-own-output",
          "remove it from edits; a task may always write its own outputs");
        return;
      }
      const creators = (this.creators.get(normalized) ?? []).map((i) => this.plan.tasks[i]!.id);
      if (creators.length === 0) {
        this.report("error", ["task", index, "edits", item], `${task.id} edits "${path}", which no task creates`, "plan/edit-without-creator",
          "list the file in the outputs of an earlier task, or move it to this task's outputs");
        return;
      }
      const ancestors = this.ancestors(task.id);
      if (creators.some((id) => ancestors.has(id))) return;
      this.report("error", ["task", index, "edits", item], `${task.id} edits "${path}", but ${creators[0]} creates it and ${task.id} does not depend on it`,
        "plan/edit-without-creator", `add "${creators[0]}" to depends_on so the file exists before ${task.id} runs`);
    });
  }

  private checkVerify(task: Task, index: number): void {
    const ancestors = this.ancestors(task.id);
    const producers = [task, ...this.plan.tasks.filter((t) => ancestors.has(t.id))];
    const available = new Set(producers.flatMap((t) => [...t.outputs, ...t.edits].map(normalizeTaskPath)));
    for (const c of task.context) available.add(normalizeTaskPath(c));
    const style = this.pathStyle();

    task.verify.forEach((command, item) => {
      const path: TomlPath = ["task", index, "verify", item];
      if (command.trim() === "") {
        this.report("error", path, `Task ${task.id} has an empty verify command`, "plan/empty-verify", "remove it or write the command");
        return;
      }
      const reported = new Set<string>();
      for (const segment of splitShellCommand(command)) {
        for (const program of segmentPrograms(segment)) {
          const name = program.text;
          if (program.dynamic || reported.has(name) || SHELL_BUILTINS.has(name)) continue;
          // A relative path runs something in the output dir (./target/debug/x, bin/tool): built, not installed.
          if (name.includes("/") && !name.startsWith("/")) continue;
          if (this.context.isOnPath(name)) continue;
          reported.add(name);
          this.report("error", path, `Verify command of ${task.id} runs "${name}", which is not on PATH`, "plan/program-not-found",
            `install ${name}, or change the command`);
        }
        for (const word of [...segment.words, ...segment.inputs]) {
          const file = fileMention(word, style, this.creators, this.edited);
          if (file === undefined || available.has(file) || reported.has(file)) continue;
          reported.add(file);
          const creators = (this.creators.get(file) ?? []).map((i) => this.plan.tasks[i]!.id);
          if (creators.length > 0) {
            this.report("error", path, `Verify command of ${task.id} uses "${file}", which ${creators[0]} creates, but ${task.id} does not depend on ${creators[0]}`,
              "plan/verify-unproduced-file", `add "${creators[0]}" to depends_on, or verify the file in ${creators[0]}`);
          } else {
            this.report("error", path, `Verify command of ${task.id} uses "${file}", which no task creates`, "plan/verify-unproduced-file",
              "add the file to the outputs of this task or an earlier one, or change the command");
          }
        }
      }
    });
  }

  /** Extensions and top directories of every output and edit in the plan. */
  private pathStyle(): PathStyle {
    if (this.styleCache) return this.styleCache;
    const extensions = new Set<string>();
    const topDirs = new Set<string>();
    for (const path of [...this.creators.keys(), ...this.edited]) {
      const parts = path.split("/");
      const ext = extensionOf(parts[parts.length - 1]!);
      if (ext) extensions.add(ext);
      if (parts.length > 1) topDirs.add(parts[0]!);
    }
    this.styleCache = { extensions, topDirs };
    return this.styleCache;
  }
}

interface PathStyle {
  extensions: ReadonlySet<string>;
  topDirs: ReadonlySet<string>;
}

/**
 * The project file a verify word mentions, or undefined. The rule, chosen to
 * avoid false alarms on module names (`-m pkg.mod`), URLs, options and code:
 *
 * - words with expansions or glob characters are skipped; from `--opt=value`
 *   and `NAME=value` the value is taken; other words starting with `-` are
 *   skipped; a pytest node suffix (`::test_x`) and a leading `./` are dropped;
 * - a word naming an output or edit of any task is a mention;
 * - otherwise a word is a mention only when it looks like a project-relative
 *   file path (letters, digits, `_ . - + @` and `/`; no `..`), its last
 *   segment has an extension that some output or edit in the plan also has,
 *   and, when it has directories, its first directory is the first directory
 *   of some output or edit (so `tests/test_x.py` counts in a plan writing
 *   `tests/…`, while `/tmp/x.py` or `docs/x.py` in a plan writing only
 *   `src/…` do not).
 */
function fileMention(
  word: ShellWord,
  style: PathStyle,
  creators: ReadonlyMap<string, readonly number[]>,
  edited: ReadonlySet<string>,
): string | undefined {
  if (word.dynamic || word.glob) return undefined;
  let text = word.text;
  const assignment = /^(?:--?[A-Za-z0-9][\w-]*|[A-Za-z_]\w*)=(.*)$/.exec(text);
  if (assignment) text = assignment[1]!;
  else if (text.startsWith("-")) return undefined;
  text = text.replace(/::.*$/, "");
  const normalized = normalizeTaskPath(text);
  if (normalized === "") return undefined;
  if (creators.has(normalized) || edited.has(normalized)) return normalized;
  if (!/^[\w.+@-]+(\/[\w.+@-]+)*$/.test(normalized)) return undefined;
  const parts = normalized.split("/");
  if (parts.includes("..")) return undefined;
  const ext = extensionOf(parts[parts.length - 1]!);
  if (!ext || !style.extensions.has(ext)) return undefined;
  if (parts.length > 1 && !style.topDirs.has(parts[0]!)) return undefined;
  return normalized;
}

/** "py" for "counter.py"; undefined for "Makefile", ".gitignore" and "a." . */
function extensionOf(name: string): string | undefined {
  const match = /^[^.].*\.([A-Za-z0-9]{1,10})$/.exec(name);
  return match ? match[1]!.toLowerCase() : undefined;
}

/** Why a context path (relative to the project root) is unusable, or undefined when it is fine. */
function pathProblem(path: string): string | undefined {
  const trimmed = path.trim();
  if (trimmed === "") return "empty path";
  if (trimmed.startsWith("/") || trimmed.startsWith("\\") || /^[A-Za-z]:[\\/]/.test(trimmed) || trimmed.startsWith("~")) {
    return "absolute path";
  }
  if (trimmed.split(/[\\/]/).includes("..")) return 'path leaving its directory ("..")';
  return undefined;
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
