// Converts an Ossature plan (.ossature/plan.toml, Ossature 0.2.1's
// models/plan.py and audit/planner/plan_io.py) into a specwright plan. Ids,
// titles, descriptions, notes, verify and order are kept; everything else is
// translated, and whatever cannot be is a diagnostic at its place in the
// Ossature file. Pure: the caller supplies what it found on disk.

import { diagnostic, type Diagnostic, type Severity } from "../grammar/diagnostic.js";
import { emptyTask, type Plan, type Task, type TaskStatus } from "./plan.js";
import { findRequirement, resolveRef, type SpecIndex } from "./spec-index.js";
import { parseTomlSource, type TomlPath } from "./toml-source.js";
import { normalizeTaskPath } from "./validate-plan.js";

/** Where an Ossature project keeps its plan, relative to the project root. */
export const OSSATURE_PLAN_FILE = ".ossature/plan.toml";

/** A spec as the import sees it: what refs resolve against, plus the names Ossature refers to that specwright refs do not. */
export interface ImportSpec extends SpecIndex {
  examples: readonly string[];
  dataModels: readonly string[];
}

export interface OssatureImportFacts {
  specs: readonly ImportSpec[];
  /** The project's context dir, relative to its root (config project.context_dir). */
  contextDir: string;
  /** Every file under the context dir, relative to it ("sounds/a.wav"). */
  contextFiles: readonly string[];
  /** Output paths (as the Ossature plan writes them) that exist in the output dir now. */
  existingOutputs: ReadonlySet<string>;
}

export interface ImportSummary {
  tasks: number;
  /** Refs that became specwright refs, as precise as written. */
  refsTranslated: number;
  /** Refs that became a whole section (one example, one data model → the section). */
  refsWidened: number;
  /** Refs that resolve to nothing and were left out. */
  refsDropped: number;
  /** Files a later task writes again, now in its `edits`. */
  handedOn: number;
  /** Dependencies added so that a task depends on what it edits or reads. */
  dependenciesAdded: number;
  /** Copy tasks (no model). */
  copyTasks: number;
  /** Conversion losses (the warnings). */
  losses: number;
}

export interface OssatureImport {
  plan?: Plan;
  diagnostics: Diagnostic[];
  summary: ImportSummary;
}

/** The Ossature task fields (models/plan.py PlanTask). */
const OSSATURE_FIELDS = new Set([
  "id", "spec", "kind", "vmd_file", "vmd_group", "title", "description", "outputs", "depends_on", "spec_refs", "arch_refs",
  "status", "verify", "inject_files", "cross_spec_interfaces", "context_files", "source", "covers", "notes",
]);

/** Ossature's statuses (models/plan.py TaskStatus). */
const OSSATURE_STATUSES = ["pending", "done", "failed", "skipped", "manual"] as const;

type Raw = Record<string, unknown>;

/** Every `outputs` path of an Ossature plan, so the caller can look them up on disk before converting. */
export function ossaturePlanOutputs(text: string): string[] {
  const tasks = parseTomlSource(text, OSSATURE_PLAN_FILE).value?.["task"];
  if (!Array.isArray(tasks)) return [];
  return tasks.flatMap((t: unknown) => (isTable(t) && Array.isArray(t["outputs"]) ? t["outputs"].filter((o): o is string => typeof o === "string") : []));
}

export function importOssaturePlan(text: string, facts: OssatureImportFacts, file: string = OSSATURE_PLAN_FILE): OssatureImport {
  return new Importer(text, facts, file).run();
}

interface Converted {
  task: Task;
  /** Index of the Ossature task it came from. */
  index: number;
  /** For copy tasks: source (project-relative) per output. */
  copied: Map<string, string>;
}

class Importer {
  private readonly diagnostics: Diagnostic[] = [];
  private readonly summary: ImportSummary = { tasks: 0, refsTranslated: 0, refsWidened: 0, refsDropped: 0, handedOn: 0, dependenciesAdded: 0, copyTasks: 0, losses: 0 };
  private readonly source;
  private readonly specs: Map<string, ImportSpec>;
  private readonly converted: Converted[] = [];
  /** Normalised output path → the converted task that creates it. */
  private readonly creators = new Map<string, Converted>();
  /** Status mappings, reported once per kind: kind → task ids and the first task's index. */
  private readonly statusNotes = new Map<string, { ids: string[]; index: number }>();

  constructor(
    text: string,
    private readonly facts: OssatureImportFacts,
    private readonly file: string,
  ) {
    this.source = parseTomlSource(text, file);
    this.specs = new Map(facts.specs.map((s) => [s.id, s]));
  }

  run(): OssatureImport {
    this.diagnostics.push(...this.source.diagnostics);
    const value = this.source.value;
    if (!value) return this.done(undefined);
    for (const key of Object.keys(value)) {
      if (key === "meta") this.report("info", ["meta"], "[meta] is not carried over: it describes Ossature's planning run (generated_at, total_tasks, specs)", "ossature/meta");
      else if (key !== "task") this.loss([key], `\`${key}\` is not part of an Ossature plan; left out`, "ossature/unknown-field");
    }
    const tasks = value["task"];
    if (tasks === undefined) return this.done({ tasks: [] });
    if (!Array.isArray(tasks)) {
      this.report("error", ["task"], "`task` must be a list of [[task]] tables", "ossature/bad-plan");
      return this.done(undefined);
    }
    tasks.forEach((raw: unknown, index) => {
      if (!isTable(raw)) this.report("error", ["task", index], `task #${index + 1} is not a table`, "ossature/bad-plan");
      else this.convert(raw, index);
    });
    this.reportStatuses();
    this.summary.tasks = this.converted.length;
    return this.done({ tasks: this.converted.map((c) => c.task) });
  }

  private done(plan: Plan | undefined): OssatureImport {
    this.diagnostics.sort((a, b) => a.line - b.line || a.column - b.column);
    return plan ? { plan, diagnostics: this.diagnostics, summary: this.summary } : { diagnostics: this.diagnostics, summary: this.summary };
  }

  private report(severity: Severity, path: TomlPath, message: string, code: string, hint?: string): void {
    const at = this.source.locate(path);
    this.diagnostics.push(diagnostic(severity, this.file, at.line, at.column, message, { code, length: at.length, ...(hint !== undefined ? { hint } : {}) }));
  }

  /** A conversion loss: something of the Ossature plan that the specwright plan does not hold. */
  private loss(path: TomlPath, message: string, code: string, hint?: string): void {
    this.summary.losses++;
    this.report("warning", path, message, code, hint);
  }

  private text(raw: Raw, key: string, at: TomlPath): string {
    const v = raw[key];
    if (v === undefined) return "";
    if (typeof v === "string") return v;
    this.loss([...at, key], `\`${key}\` is not a string; left out`, "ossature/bad-field");
    return "";
  }

  private list(raw: Raw, key: string, at: TomlPath): string[] {
    const v = raw[key];
    if (v === undefined) return [];
    // Ossature reads a single string as a one-item list (verify, source).
    if (typeof v === "string") return v === "" ? [] : [v];
    if (!Array.isArray(v)) {
      this.loss([...at, key], `\`${key}\` is not a list of strings; left out`, "ossature/bad-field");
      return [];
    }
    const out: string[] = [];
    v.forEach((item: unknown, i) => {
      if (typeof item === "string") out.push(item);
      else this.loss([...at, key, i], `item ${i + 1} of \`${key}\` is not a string; left out`, "ossature/bad-field");
    });
    return out;
  }

  private convert(raw: Raw, index: number): void {
    const at: TomlPath = ["task", index];
    const id = this.text(raw, "id", at).trim();
    const title = this.text(raw, "title", at);
    if (id === "" || /\s/.test(id)) {
      this.report("error", [...at, "id"], id === "" ? `task #${index + 1} has no id; it cannot be imported` : `task id "${id}" holds white space; it cannot be imported`, "ossature/bad-id");
      return;
    }
    for (const key of Object.keys(raw)) {
      if (!OSSATURE_FIELDS.has(key)) this.loss([...at, key], `task ${id}: \`${key}\` is not an Ossature plan field; left out`, "ossature/unknown-field");
    }
    const task: Task = { ...emptyTask(), id, spec: this.text(raw, "spec", at).trim(), title: title === "" ? id : title };
    task.description = this.text(raw, "description", at);
    task.notes = this.text(raw, "notes", at);
    task.dependsOn = this.list(raw, "depends_on", at);
    task.verify = this.list(raw, "verify", at);
    const entry: Converted = { task, index, copied: new Map() };
    const spec = this.specs.get(task.spec);
    if (!spec) {
      const known = [...this.specs.keys()];
      this.loss([...at, "spec"], `task ${id} is for spec "${task.spec}", which is not among the project's specs; its refs and covers cannot be translated`, "ossature/unknown-spec",
        known.length > 0 ? `specs here: ${known.join(", ")}` : undefined);
    }
    this.translateRefs(raw, entry, spec);
    this.translateCovers(raw, entry, spec);
    this.translateContext(raw, entry);

    const kind = raw["kind"] === undefined ? "task" : raw["kind"];
    const outputs = this.list(raw, "outputs", at);
    const sources = this.copySources(raw, entry, outputs);
    if (kind !== "task") {
      // A verification task runs a VMD group through Ossature's generated harness.
      this.loss([...at, "kind"], `task ${id} is an Ossature verification task (${String(raw["vmd_group"] ?? "?")} of ${String(raw["vmd_file"] ?? "?")}); specwright runs the .vmd cases itself (after the task that builds what they exercise, and in specwright check), so it is imported as skipped`, "ossature/verify-task");
      task.status = "skip";
      task.notes = appendNote(task.notes, `Imported from Ossature: verification task for ${String(raw["vmd_group"] ?? "?")} in ${String(raw["vmd_file"] ?? "?")}.`);
    }
    this.claimOutputs(entry, outputs, sources);
    this.linkInjectedFiles(raw, entry);
    this.linkCrossSpecInterfaces(raw, entry);
    if (kind === "task") this.mapStatus(raw, entry);
    if (task.copy.length > 0) {
      this.summary.copyTasks++;
      if (task.verify.length > 0) {
        this.report("info", [...at, "verify"], `task ${id}: Ossature ignores verify on a copy task; specwright runs it after copying`, "ossature/copy-verify");
      }
    }
    this.converted.push(entry);
  }

  private translateRefs(raw: Raw, entry: Converted, spec: ImportSpec | undefined): void {
    const { task } = entry;
    const at: TomlPath = ["task", entry.index];
    const refs: string[] = [];
    const add = (ref: string) => {
      if (!refs.includes(ref)) refs.push(ref);
    };
    for (const key of ["spec_refs", "arch_refs"] as const) {
      this.list(raw, key, at).forEach((written, i) => {
        if (!spec) return;
        const path: TomlPath = [...at, key, i];
        let ref = written.trim();
        // Older plans write refs as "SPEC:Section".
        const prefixed = /^([^:>]+):(.+)$/.exec(ref);
        if (prefixed) {
          if (prefixed[1]!.trim() !== task.spec) {
            this.summary.refsDropped++;
            this.loss(path, `task ${task.id}: "${written}" refers to spec ${prefixed[1]!.trim()}; a specwright task refers only to its own spec, so it is left out`, "ossature/ref-other-spec",
              "depend on a task of that spec instead: its files' interfaces reach the prompt");
            return;
          }
          ref = prefixed[2]!.trim();
        }
        const translated = translateRef(spec, ref, key);
        if (translated.kind === "exact") {
          this.summary.refsTranslated++;
          add(translated.ref);
        } else if (translated.kind === "widened") {
          this.summary.refsWidened++;
          add(translated.ref);
          this.report("info", path, `task ${task.id}: "${written}" became "${translated.ref}": ${translated.why}`, "ossature/ref-widened");
        } else {
          this.summary.refsDropped++;
          this.loss(path, `task ${task.id}: "${written}" names nothing in spec ${spec.id}; left out (Ossature leaves it out of the prompt too)`, "ossature/ref-unresolved",
            "refs are a section, a requirement or a component; `specwright plan --check` lists what resolves");
        }
      });
    }
    task.refs = refs;
  }

  private translateCovers(raw: Raw, entry: Converted, spec: ImportSpec | undefined): void {
    const at: TomlPath = ["task", entry.index];
    this.list(raw, "covers", at).forEach((written, i) => {
      if (!spec) return;
      const requirement = findRequirement(spec, written);
      if (requirement) entry.task.covers.push(requirement.title);
      else this.loss([...at, "covers", i], `task ${entry.task.id}: covers "${written}", which is no requirement of spec ${spec.id}; left out`, "ossature/covers-unresolved");
    });
  }

  private translateContext(raw: Raw, entry: Converted): void {
    const at: TomlPath = ["task", entry.index];
    const available = new Set(this.facts.contextFiles);
    this.list(raw, "context_files", at).forEach((written, i) => {
      const relative = stripContextScheme(written);
      entry.task.context.push(joinPath(this.facts.contextDir, relative));
      if (!available.has(relative)) {
        this.report("warning", [...at, "context_files", i], `task ${entry.task.id}: context file ${relative} is not in ${this.facts.contextDir}/`, "ossature/context-missing",
          "the task reads it from there when it builds; put the file in place first");
      }
    });
  }

  /** The copy task's sources expanded to (source, output) pairs, as Ossature's build/copy.py pairs them. */
  private copySources(raw: Raw, entry: Converted, outputs: readonly string[]): [string, string][] | undefined {
    const at: TomlPath = ["task", entry.index];
    const sources = this.list(raw, "source", at);
    if (sources.length === 0) return undefined;
    if (sources.length !== outputs.length) {
      this.loss([...at, "source"], `task ${entry.task.id} copies ${sources.length} source(s) into ${outputs.length} output(s); Ossature pairs them one to one, so nothing is copied`, "ossature/copy-mismatch");
      return [];
    }
    const pairs: [string, string][] = [];
    sources.forEach((written, i) => {
      const scheme = /^([A-Za-z][A-Za-z0-9+.-]*):\/\//.exec(written);
      if (scheme && scheme[1] !== "context") {
        this.loss([...at, "source", i], `task ${entry.task.id}: source "${written}" uses the ${scheme[1]}:// scheme; only context:// files can be copied, so it is left out`, "ossature/copy-scheme");
        return;
      }
      const matched = expandPattern(stripContextScheme(written), outputs[i]!, this.facts.contextFiles);
      if (matched.kind === "error") {
        this.loss([...at, "source", i], `task ${entry.task.id}: source "${written}": ${matched.message}`, "ossature/copy-source");
        return;
      }
      for (const [source, output] of matched.pairs) pairs.push([joinPath(this.facts.contextDir, source), output]);
    });
    return pairs;
  }

  /**
   * Outputs become this task's own unless an earlier task creates the file:
   * then the file is an edit here (a model task), and this task depends on its
   * creator. A copy cannot edit: a file another task already creates is left
   * out of it.
   */
  private claimOutputs(entry: Converted, written: readonly string[], copies: [string, string][] | undefined): void {
    const { task } = entry;
    const at: TomlPath = ["task", entry.index];
    const wanted: [string | undefined, string][] = copies ?? written.map((o) => [undefined, o]);
    for (const [source, output] of wanted) {
      const normalized = normalizeTaskPath(output);
      const item = Math.max(0, written.indexOf(output));
      const creator = this.creators.get(normalized);
      if (!creator || creator === entry) {
        this.creators.set(normalized, entry);
        task.outputs.push(output);
        if (source !== undefined) {
          task.copy.push(source);
          entry.copied.set(normalized, source);
        }
        continue;
      }
      if (source === undefined) {
        task.edits.push(output);
        this.summary.handedOn++;
        const added = this.dependOn(entry, creator);
        this.report("info", [...at, "outputs", item], `task ${task.id} writes ${output} again: ${creator.task.id} creates it, so here it is an edit${added ? ` and ${task.id} now depends on ${creator.task.id}` : ""}`, "ossature/edit");
        continue;
      }
      this.dependOn(entry, creator);
      if (creator.copied.get(normalized) === source) {
        this.report("info", [...at, "outputs", item], `task ${task.id} copies ${source} to ${output}, as ${creator.task.id} already does; the copy is left to ${creator.task.id}`, "ossature/copy-duplicate");
      } else {
        this.loss([...at, "outputs", item], `task ${task.id} would copy ${source} over ${output}, which ${creator.task.id} creates; a copy cannot edit a file, so it is left out`, "ossature/copy-over",
          "write the copy to another path, or let one task create the file");
      }
    }
    if (copies !== undefined && task.outputs.length === 0 && task.status !== "skip") {
      task.status = "skip";
      task.notes = appendNote(task.notes, "Imported from Ossature: a copy task with nothing left to copy (see the import's diagnostics).");
    }
  }

  private linkInjectedFiles(raw: Raw, entry: Converted): void {
    const at: TomlPath = ["task", entry.index];
    const added: string[] = [];
    this.list(raw, "inject_files", at).forEach((file, i) => {
      const creator = this.creators.get(normalizeTaskPath(file));
      if (creator === entry) return;
      if (!creator) {
        this.loss([...at, "inject_files", i], `task ${entry.task.id} reads ${file}, which no earlier task creates; its prompt will not hold it`, "ossature/inject-uncreated",
          "a file from build.setup is on disk, not in the plan: list it in the task's edits, or let a task create it");
        return;
      }
      if (this.dependOn(entry, creator)) added.push(creator.task.id);
    });
    if (added.length > 0) {
      this.report("info", [...at, "inject_files"], `task ${entry.task.id} now depends on ${added.join(", ")}: a specwright task sees the files of the tasks it depends on`, "ossature/inject-dependency");
    }
  }

  private linkCrossSpecInterfaces(raw: Raw, entry: Converted): void {
    const at: TomlPath = ["task", entry.index];
    const added: string[] = [];
    this.list(raw, "cross_spec_interfaces", at).forEach((spec, i) => {
      if (spec === entry.task.spec) return;
      const direct = entry.task.dependsOn.some((d) => this.byId(d)?.task.spec === spec);
      if (direct) return;
      const last = [...this.converted].reverse().find((c) => c.task.spec === spec);
      if (!last) {
        this.loss([...at, "cross_spec_interfaces", i], `task ${entry.task.id} reads spec ${spec}'s interface, but no earlier task builds ${spec}; left out`, "ossature/interface-unreachable");
        return;
      }
      // Direct: a prompt holds the files of the task's own dependencies, not of their ancestors.
      if (this.dependOn(entry, last, true)) added.push(`${last.task.id} (${spec})`);
    });
    if (added.length > 0) {
      this.report("info", [...at, "cross_spec_interfaces"], `task ${entry.task.id} now depends on ${added.join(", ")}: specwright hands a task the interfaces of its dependencies' files instead of Ossature's interface summary`, "ossature/interface-dependency");
    }
  }

  /** Adds `creator` to the task's depends_on unless it is already an ancestor (`direct`: a direct dependency); true when added. */
  private dependOn(entry: Converted, creator: Converted, direct = false): boolean {
    if (direct ? entry.task.dependsOn.includes(creator.task.id) : this.ancestors(entry.task).has(creator.task.id)) return false;
    entry.task.dependsOn.push(creator.task.id);
    this.summary.dependenciesAdded++;
    return true;
  }

  private byId(id: string): Converted | undefined {
    return this.converted.find((c) => c.task.id === id);
  }

  private ancestors(task: Task): Set<string> {
    const seen = new Set<string>();
    const stack = [...task.dependsOn];
    while (stack.length > 0) {
      const id = stack.pop()!;
      if (seen.has(id)) continue;
      seen.add(id);
      stack.push(...(this.byId(id)?.task.dependsOn ?? []));
    }
    return seen;
  }

  private mapStatus(raw: Raw, entry: Converted): void {
    const { task } = entry;
    const written = raw["status"] === undefined ? "pending" : raw["status"];
    // The conversion itself skipped it (a verification task, a copy with nothing left): that stands.
    if (task.status === "skip") return;
    const note = (kind: string, status: TaskStatus) => {
      task.status = status;
      const list = this.statusNotes.get(kind) ?? { ids: [], index: entry.index };
      list.ids.push(task.id);
      this.statusNotes.set(kind, list);
    };
    switch (written) {
      case "pending":
        task.status = "auto";
        return;
      case "failed":
        return note("failed", "auto");
      case "skipped":
        return note("skipped", "skip");
      case "manual":
        return note("manual", "manual");
      case "done": {
        if (task.copy.length > 0) return note("done-copy", "auto");
        const files = [...task.outputs, ...task.edits];
        return files.length > 0 && files.every((f) => this.facts.existingOutputs.has(f)) ? note("done-kept", "manual") : note("done-missing", "auto");
      }
      default:
        this.loss(["task", entry.index, "status"], `task ${task.id}: status "${String(written)}" is not one of Ossature's (${OSSATURE_STATUSES.join(", ")}); imported as auto`, "ossature/bad-status");
    }
  }

  private reportStatuses(): void {
    const says: Record<string, (n: string) => string> = {
      "done-kept": (ids) => `done in Ossature, with their files in the output dir: ${ids} imported as manual, so specwright keeps Ossature's files and only runs their verify commands; set status = "auto" to let the model rebuild one`,
      "done-missing": (ids) => `done in Ossature, but their files are not in the output dir: ${ids} imported as auto, to be built`,
      "done-copy": (ids) => `done in Ossature: copy task(s) ${ids} stay auto; copying needs no model`,
      failed: (ids) => `failed in Ossature's last build: ${ids} imported as auto, to be built again`,
      skipped: (ids) => `skipped in Ossature: ${ids} imported as skip`,
      manual: (ids) => `manual in Ossature: ${ids} stay manual; specwright runs their verify commands on the files you write`,
    };
    for (const [kind, { ids, index }] of this.statusNotes) {
      this.report("info", ["task", index, "status"], says[kind]!(ids.join(", ")), "ossature/status");
    }
  }
}

type Translation = { kind: "exact"; ref: string } | { kind: "widened"; ref: string; why: string } | { kind: "none" };

/**
 * One Ossature ref in specwright terms. Ossature resolves spec_refs to SMD
 * sections, requirement titles and example names, and arch_refs to AMD
 * sections, `Components > Name` and `Data Models > Name`
 * (build/prompts.py); "Requirements > X" and a bare component name are read
 * too, as their authors meant them.
 */
export function translateRef(spec: ImportSpec, ref: string, from: "spec_refs" | "arch_refs"): Translation {
  const fold = (s: string) => s.trim().toLowerCase();
  const nested = /^([^>]+)>(.+)$/.exec(ref);
  if (nested) {
    const parent = fold(nested[1]!);
    const name = nested[2]!.trim();
    if (parent === "requirements") {
      const requirement = findRequirement(spec, name);
      return requirement ? { kind: "exact", ref: `requirements/${requirement.anchor}` } : { kind: "none" };
    }
    if (parent === "components") {
      const component = spec.components.find((c) => fold(c.name) === fold(name));
      return component ? { kind: "exact", ref: `components/${component.name}` } : { kind: "none" };
    }
    if (parent === "data models" && spec.dataModels.some((m) => fold(m) === fold(name)) && resolveRef(spec, "data models")) {
      return { kind: "widened", ref: "data models", why: "specwright refers to data models as a section (a task also gets the data models its own components name)" };
    }
    if (parent === "examples" && spec.examples.some((e) => fold(e) === fold(name)) && resolveRef(spec, "examples")) {
      return { kind: "widened", ref: "examples", why: "specwright refers to examples as a section" };
    }
    return { kind: "none" };
  }
  const target = resolveRef(spec, ref);
  if (target?.kind === "section") return { kind: "exact", ref: target.name.toLowerCase() };
  const requirement = from === "spec_refs" ? findRequirement(spec, ref) : undefined;
  if (requirement) return { kind: "exact", ref: `requirements/${requirement.anchor}` };
  const component = spec.components.find((c) => fold(c.name) === fold(ref));
  if (component) return { kind: "exact", ref: `components/${component.name}` };
  if (spec.examples.some((e) => fold(e) === fold(ref)) && resolveRef(spec, "examples")) {
    return { kind: "widened", ref: "examples", why: "specwright refers to examples as a section" };
  }
  return { kind: "none" };
}

/** `dir/path`, or `path` when the dir is the project root itself. */
function joinPath(dir: string, path: string): string {
  return dir === "." || dir === "" ? path : `${dir.replace(/\/+$/, "")}/${path}`;
}

/** `context://a/b` → `a/b`. */
function stripContextScheme(path: string): string {
  return path.replace(/^context:\/\//, "");
}

function appendNote(notes: string, note: string): string {
  return notes === "" ? note : `${notes}\n\n${note}`;
}

/**
 * Matches one source pattern against the context files and pairs each match
 * with its output, as Ossature's build/copy.py does: a literal source with a
 * literal output, or one `*` / `**` in both whose match is carried over.
 */
function expandPattern(source: string, output: string, files: readonly string[]): { kind: "ok"; pairs: [string, string][] } | { kind: "error"; message: string } {
  const wild = (p: string) => {
    const at = p.indexOf("*");
    if (at === -1) return undefined;
    const double = p.startsWith("**", at);
    const after = p.slice(at + (double ? 2 : 1));
    if (after.includes("*")) return "multiple";
    return { before: p.slice(0, at), after, double };
  };
  const src = wild(source);
  const out = wild(output);
  if (src === "multiple" || out === "multiple") return { kind: "error", message: "Ossature allows one `*` or `**` per pattern" };
  if (!src) {
    if (out) return { kind: "error", message: "a literal source pairs with a literal output" };
    return files.includes(source) ? { kind: "ok", pairs: [[source, output]] } : { kind: "error", message: "no such file in the context dir" };
  }
  if (!out) return { kind: "error", message: "a source with a wildcard needs a wildcard in its output too" };
  const pairs: [string, string][] = [];
  for (const file of [...files].sort()) {
    if (!file.startsWith(src.before) || !file.endsWith(src.after) || file.length < src.before.length + src.after.length) continue;
    const middle = file.slice(src.before.length, file.length - src.after.length);
    if (!src.double && middle.includes("/")) continue;
    pairs.push([file, `${out.before}${middle}${out.after}`]);
  }
  return pairs.length > 0 ? { kind: "ok", pairs } : { kind: "error", message: "it matches no file in the context dir" };
}

function isTable(value: unknown): value is Raw {
  return typeof value === "object" && value !== null && !Array.isArray(value) && !(value instanceof Date);
}
