// The task key (DESIGN.md §8): what decides "already built", and what
// `specwright why` explains. Pure: plain values in, hashes and reasons out.
//
// The key is not one hash of the rendered prompt but a set of named
// components, each hashed separately, and the key is the hash of the sorted
// components. So state.json can keep the components, and when the key changes
// `why` can name what changed: one requirement, one dependency file, the model.
//
// Every byte of the prompt except a few labels (below) is covered by exactly
// one component, so one cause gives one reason:
// - system, brief, architecture: the prompt parts of those names, whole;
// - ref:<ref>: each spec ref's text as the prompt holds it;
// - task: title, description, notes, outputs, edits (not the rendered task
//   part, which also lists the verify commands: those are `verify`);
// - context:<path>: the bytes of each context file (the prompt inlines them);
// - dep:<task>:<path>: the output hash of each dependency file. The prompt
//   shows these files' interfaces, which derive from those bytes, so there is
//   deliberately no separate "interfaces" component: it would change together
//   with a dep: component every time and `why` would give two reasons for one
//   edit. This also means a change inside a dependency's function body
//   rebuilds its dependents, as DESIGN.md §8 asks (their verify may now
//   behave differently); a dependency rebuilt to identical bytes does not.
//   The current content of an `edits` file is the output of the (ancestor)
//   task that created it, so the caller passes that task's recorded hashes
//   among the dependency outputs — not the file on disk, which holds this
//   task's own last edit.
// - model, options, template: readable values rather than hashes, so `why`
//   can say "qwen2.5-coder:14b → qwen2.5-coder:32b".
// - verify: the commands, in order.
// Task ids and dependency titles are labels in the prompt, not key material:
// renumbering or renaming a task is no reason to rebuild anything.
//
// Not in the key: keep_alive (where the model stays loaded, not what it
// writes) and num_ctx. num_ctx is chosen per run from the largest planned
// prompt; with it in the key, editing one requirement that pushed the largest
// prompt over a 4096 step would rebuild every task. It does not change what
// the model writes for a prompt that fits, and a prompt that does not fit is
// refused before sending, never truncated.

import { sha256Hex } from "./content-hash.js";
import type { Task } from "./plan.js";

/** Generation options that change what the model writes. */
export interface KeyedOptions {
  numPredict: number;
  temperature: number;
  seed?: number | undefined;
  think: boolean;
}

export interface TaskKeyParts {
  /** The system message. */
  system: string;
  /** The project brief part of the prompt. */
  brief: string;
  /** Each ref's text as the prompt holds it (see TaskPrompt.refTexts). */
  refTexts: readonly { ref: string; text: string }[];
  /** The architecture part ("" when the task writes no described component beyond its refs). */
  architecture: string;
  task: Pick<Task, "title" | "description" | "notes" | "outputs" | "edits"> & { copy?: readonly string[] };
  modelName: string;
  /** The model's digest from Ollama ("" when unknown). */
  modelDigest: string;
  options: KeyedOptions;
  /** TASK_PROMPT_VERSION. */
  templateVersion: number;
  /** Context file path → sha256 hex of its bytes. */
  contextFiles: Readonly<Record<string, string>>;
  verify: readonly string[];
  /** Dependency task id → output path → sha256 hex of the bytes it last wrote. */
  dependencyOutputs: Readonly<Record<string, Readonly<Record<string, string>>>>;
}

export interface TaskKey {
  /** sha256 hex over every component. */
  key: string;
  /** Component name → value: a sha256 hex, or a readable value for `model`, `options` and `template`. Kept in state.json for `why`. */
  components: Record<string, string>;
}

/** Why a task's key differs from the one it was last built with. */
export interface KeyChange {
  /** The component name ("ref:requirements/add", "dep:T001:src/a.py", "model"…); "*" for a task never built. */
  component: string;
  change: "added" | "removed" | "changed" | "never-built";
  /** One line for a person: "requirement `add` changed". */
  reason: string;
}

/** Computes the key and its named components. Independent of the order of refs, context files and dependencies. */
export function computeTaskKey(parts: TaskKeyParts): TaskKey {
  const components: Record<string, string> = {
    template: `v${parts.templateVersion}`,
    system: sha256Hex(parts.system),
    model: parts.modelDigest === "" ? parts.modelName : `${parts.modelName}@${parts.modelDigest}`,
    options: renderOptions(parts.options),
    brief: sha256Hex(parts.brief),
    architecture: sha256Hex(parts.architecture),
    // A copy task's pairing (copy[i] → outputs[i]) is part of what it is; other tasks' keys stay as they were.
    task: sha256Hex(JSON.stringify([parts.task.title, parts.task.description, parts.task.notes, parts.task.outputs, parts.task.edits, ...(parts.task.copy?.length ? [parts.task.copy] : [])])),
    verify: sha256Hex(JSON.stringify(parts.verify)),
  };
  for (const { ref, text } of parts.refTexts) components[`ref:${ref}`] = sha256Hex(text);
  for (const [path, hash] of Object.entries(parts.contextFiles)) components[`context:${path}`] = hash;
  for (const [task, outputs] of Object.entries(parts.dependencyOutputs)) {
    for (const [path, hash] of Object.entries(outputs)) components[`dep:${task}:${path}`] = hash;
  }
  return { key: keyOf(components), components: sortedRecord(components) };
}

/** The key of a set of components (what computeTaskKey returns as `key`). */
export function keyOf(components: Readonly<Record<string, string>>): string {
  const lines = Object.keys(components)
    .sort(compare)
    .map((name) => `${name}\t${components[name] as string}\n`);
  return sha256Hex(lines.join(""));
}

/**
 * What changed between the components a task was built with and its current
 * ones, one entry per differing component, in prompt order (template, model,
 * brief, refs, …, dependencies). Empty when nothing changed; one "never built"
 * entry when there is no previous build.
 */
export function explainKeyChange(before: Readonly<Record<string, string>> | undefined, after: Readonly<Record<string, string>>): KeyChange[] {
  if (before === undefined) return [{ component: "*", change: "never-built", reason: "never built" }];
  const names = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort((a, b) => rank(a) - rank(b) || compare(a, b));
  const changes: KeyChange[] = [];
  for (const name of names) {
    const old = before[name];
    const now = after[name];
    if (old === now) continue;
    const change = old === undefined ? "added" : now === undefined ? "removed" : "changed";
    changes.push({ component: name, change, reason: describe(name, change, old, now) });
  }
  return changes;
}

// ---------------------------------------------------------------------------

const OPTION_NAMES: readonly [keyof KeyedOptions, string][] = [
  ["numPredict", "num_predict"],
  ["seed", "seed"],
  ["temperature", "temperature"],
  ["think", "think"],
];

/** `num_predict=4096 seed=none temperature=0.2 think=false`: readable, and stable for equal options. */
function renderOptions(options: KeyedOptions): string {
  return OPTION_NAMES.map(([property, name]) => `${name}=${String(options[property] ?? "none")}`).join(" ");
}

function parseOptions(text: string): Map<string, string> {
  return new Map(text.split(" ").map((pair) => [pair.slice(0, pair.indexOf("=")), pair.slice(pair.indexOf("=") + 1)]));
}

// The order `why` lists reasons in: the prompt's order, with the model first.
const RANKS: readonly [string, number][] = [
  ["template", 0], ["system", 1], ["model", 2], ["options", 3], ["brief", 4], ["ref:", 5],
  ["architecture", 6], ["task", 7], ["context:", 8], ["verify", 9], ["dep:", 10],
];

function rank(name: string): number {
  for (const [prefix, r] of RANKS) if (name === prefix || (prefix.endsWith(":") && name.startsWith(prefix))) return r;
  return RANKS.length;
}

function describe(name: string, change: KeyChange["change"], old: string | undefined, now: string | undefined): string {
  const verb = change === "added" ? "added" : change === "removed" ? "removed" : "changed";
  if (name.startsWith("ref:")) {
    const ref = name.slice(4);
    if (change !== "changed") return `ref \`${ref}\` ${verb}`;
    if (ref.startsWith("requirements/")) return `requirement \`${ref.slice("requirements/".length)}\` changed`;
    if (ref.startsWith("components/")) return `component \`${ref.slice("components/".length)}\` changed`;
    return `section \`${ref}\` changed`;
  }
  if (name.startsWith("dep:")) {
    const rest = name.slice(4);
    const colon = rest.indexOf(":");
    return `output of dependency ${rest.slice(0, colon)} ${verb} (${rest.slice(colon + 1)})`;
  }
  if (name.startsWith("context:")) return `context file ${name.slice("context:".length)} ${verb}`;
  switch (name) {
    case "model":
      return describeModel(old, now);
    case "options":
      return `generation options changed (${describeOptions(old, now)})`;
    case "template":
      return `prompt template changed (${old ?? "none"} → ${now ?? "none"})`;
    case "system":
      return "system rules changed";
    case "brief":
      return "project brief changed (name, language, output dir, or the spec's title or overview)";
    case "architecture":
      return "architecture of the components this task writes changed";
    case "task":
      return "task changed in the plan (title, description, notes, outputs or edits)";
    case "verify":
      return "verify commands changed";
    default:
      return `${name} ${verb}`;
  }
}

function describeModel(old: string | undefined, now: string | undefined): string {
  const split = (v: string | undefined) => {
    const at = v?.lastIndexOf("@") ?? -1;
    return at < 0 ? { name: v ?? "none", digest: "" } : { name: (v as string).slice(0, at), digest: (v as string).slice(at + 1) };
  };
  const a = split(old);
  const b = split(now);
  if (a.name !== b.name) return `built with ${a.name}; the config now names ${b.name}`;
  return `model ${b.name} was updated (digest ${shortDigest(a.digest)} → ${shortDigest(b.digest)})`;
}

function shortDigest(digest: string): string {
  return digest === "" ? "unknown" : digest.replace(/^sha256:/, "").slice(0, 12);
}

function describeOptions(old: string | undefined, now: string | undefined): string {
  const a = parseOptions(old ?? "");
  const b = parseOptions(now ?? "");
  const names = [...new Set([...a.keys(), ...b.keys()])].filter((n) => n !== "");
  return names
    .filter((n) => a.get(n) !== b.get(n))
    .map((n) => `${n} ${a.get(n) ?? "none"} → ${b.get(n) ?? "none"}`)
    .join(", ");
}

function sortedRecord(record: Readonly<Record<string, string>>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of Object.keys(record).sort(compare)) out[name] = record[name] as string;
  return out;
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
