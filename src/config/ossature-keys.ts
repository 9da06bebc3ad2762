// What each key of an Ossature project's ossature.toml (Ossature 0.2.1,
// src/ossature/config/loader.py) means here. A key is honoured when it maps
// onto a specwright setting; every other key gets one warning naming it, at
// its line: nothing in the file is dropped without a word.
//
// The seam for later work: `pending` keys name the specwright feature that
// will give them a meaning (the verification cases and judges). When such a
// feature lands, its key moves to OSSATURE_SHARED_KEYS (same meaning) or to a
// `map` entry here, and its warning disappears.

import { ROLES, type Role } from "./types.js";

/** How an ossature.toml key is read. */
export type OssatureKey =
  /** The same key means the same thing in specwright.toml (see OSSATURE_SHARED_KEYS). */
  | { kind: "shared" }
  /** Read into a specwright key: `map` returns the specwright key and value, or why not. */
  | { kind: "mapped"; map(value: unknown): { key: string; value: unknown } | { unused: string } }
  /** Meaningful once a feature that does not exist yet is built. */
  | { kind: "pending"; feature: string }
  /** No meaning in specwright. */
  | { kind: "unused"; why: string };

/** `[llm]` model strings are `provider:model`; only Ollama's are models specwright can run. */
function ollamaModel(value: unknown): { key: string; value: unknown } | { unused: string } | string {
  if (typeof value !== "string") return { unused: "it is not a model name" };
  const colon = value.indexOf(":");
  const provider = colon === -1 ? "" : value.slice(0, colon);
  if (provider !== "ollama") {
    return { unused: `specwright runs models on Ollama, and \`${value}\` is ${provider === "" ? "not an Ollama model name (Ossature wants provider:model)" : `a model of the \`${provider}\` provider`}` };
  }
  return value.slice(colon + 1);
}

function roleModel(role: "default" | Role): OssatureKey {
  return {
    kind: "mapped",
    map(value) {
      const model = ollamaModel(value);
      return typeof model === "string" ? { key: `model.${role}`, value: model } : model;
    },
  };
}

const ossatureRoles: Partial<Record<string, Role>> = Object.fromEntries(ROLES.map((r) => [r, r]));

/** Every key Ossature 0.2.1 reads, by dotted name. */
export const OSSATURE_KEYS: ReadonlyMap<string, OssatureKey> = new Map<string, OssatureKey>([
  ["project.name", { kind: "shared" }],
  ["project.version", { kind: "unused", why: "specwright keeps no project version (Ossature only shows it in its own headers, never in prompts)" }],
  ["project.spec_dir", { kind: "shared" }],
  ["project.context_dir", { kind: "shared" }],
  ["output.dir", { kind: "shared" }],
  ["output.language", { kind: "shared" }],
  ["output.framework", { kind: "shared" }],
  ["audit.max_fix_cycles", { kind: "shared" }],
  ["build.max_fix_attempts", { kind: "shared" }],
  ["build.setup", { kind: "shared" }],
  ["build.verify", { kind: "shared" }],
  ["build.max_output_tokens", { kind: "shared" }],
  ["build.max_inline_lines", { kind: "unused", why: "a specwright fix attempt continues the task's conversation, which already holds the files; nothing is inlined by line count" }],
  ["build.review", { kind: "shared" }],
  ["build.max_review_attempts", { kind: "shared" }],
  ["test.command", { kind: "unused", why: "specwright runs the .vmd cases through its own harness (python3, node), with no test runner to name (`specwright check` runs them)" }],
  ["test.require_coverage", { kind: "shared" }],
  ["llm.model", roleModel("default")],
  ...["audit", "planner", "build", "fixer", "reviewer"].map((r): [string, OssatureKey] => [`llm.${r}`, roleModel(ossatureRoles[r]!)]),
  ["llm.brief", { kind: "unused", why: "specwright writes no spec briefs with a model: the prompt holds the spec's own sections" }],
  ["llm.interface", { kind: "unused", why: "specwright extracts a dependency's interface from its files without a model" }],
  ["llm.ollama_base_url", { kind: "mapped", map: (value) => (typeof value === "string" && value.trim() !== "" ? { key: "model.host", value: value.trim().replace(/\/v1\/?$/, "") } : { unused: "it is not a URL" }) }],
  ["llm.retries", { kind: "unused", why: "specwright re-asks a malformed structured answer once, then stops with the problem" }],
  ["llm.tool_retries", { kind: "unused", why: "specwright gives models no tools: a task answers with whole files" }],
]);

/** The tables Ossature 0.2.1 reads. */
export const OSSATURE_TABLES = ["project", "output", "audit", "build", "test", "llm"] as const;
