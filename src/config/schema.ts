// The table of every config key: its TOML path, type, default and how to
// read it from a file value, an environment variable or a flag. One table
// drives loading, "did you mean" hints and `specwright config`.

import { OSSATURE_KEYS } from "./ossature-keys.js";
import { DEFAULT_MODEL } from "./default-model.js";
import { ROLES, type Role, type RoleModel, type SpecwrightConfig } from "./types.js";
import { OLLAMA_HOST_FORMS, checkOllamaHost, redactHostCredentials } from "../../models/host.js";

/** A parsed value or the reason it was rejected (shown as a diagnostic). */
export type Coerced<T> = { ok: true; value: T } | { ok: false; message: string; hint?: string };

/** Stores a value that was read and checked into the config. */
export type ApplyValue = (config: SpecwrightConfig) => void;

export interface ConfigKey {
  /** Dotted TOML key, e.g. "build.verify_timeout". */
  key: string;
  /** One line on what the key does, for `specwright config`. */
  describe: string;
  /** Reads a TOML value (already typed by the TOML parser). */
  fromToml(value: unknown): Coerced<ApplyValue>;
  /** Reads the text of an environment variable or a flag. */
  fromText(text: string): Coerced<ApplyValue>;
  /** The effective value as TOML text, for `specwright config`. */
  show(config: SpecwrightConfig): string;
}

const ok = <T>(value: T): Coerced<T> => ({ ok: true, value });
const bad = <T>(message: string, hint?: string): Coerced<T> =>
  hint === undefined ? { ok: false, message } : { ok: false, message, hint };

function typeName(value: unknown): string {
  if (Array.isArray(value)) return "an array";
  if (value instanceof Date) return "a date";
  if (value === null) return "null";
  if (typeof value === "object") return "a table";
  return `a ${typeof value}`;
}

function quote(text: string): string {
  return JSON.stringify(text);
}

const asString = {
  fromToml: (value: unknown): Coerced<string> =>
    typeof value === "string" ? ok(value) : bad(`expected a string, found ${typeName(value)}`),
  fromText: (text: string): Coerced<string> => ok(text),
};

function nonEmptyString(what: string) {
  return {
    fromToml: (value: unknown): Coerced<string> => {
      const r = asString.fromToml(value);
      if (r.ok && r.value.trim() === "") return bad(`${what} must not be empty`);
      return r;
    },
    fromText: (text: string): Coerced<string> => (text.trim() === "" ? bad(`${what} must not be empty`) : ok(text)),
  };
}

/** model.host / OLLAMA_HOST: a value the ollama CLI accepts, with a port and a host a URL can hold. */
const ollamaHost = (() => {
  const check = (text: string): Coerced<string> => {
    if (text.trim() === "") return bad("model.host must not be empty", `write it as ${OLLAMA_HOST_FORMS}`);
    const result = checkOllamaHost(text);
    return result.ok ? ok(text) : bad(result.message, result.hint);
  };
  return {
    fromToml: (value: unknown): Coerced<string> => {
      const r = asString.fromToml(value);
      return r.ok ? check(r.value) : r;
    },
    fromText: check,
  };
})();

/** A project-relative path: no absolute paths, nothing outside the project. */
function relativePath(what: string) {
  const check = (text: string): Coerced<string> => {
    if (text.trim() === "") return bad(`${what} must not be empty`, 'use "." for the project folder itself');
    if (text.startsWith("/") || /^[A-Za-z]:[\\/]/.test(text)) return bad(`${what} must be relative to the project folder`);
    if (text.split(/[\\/]/).includes("..")) return bad(`${what} must stay inside the project folder (no "..")`);
    return ok(text.replace(/[\\/]+$/, "") || ".");
  };
  return {
    fromToml: (value: unknown): Coerced<string> => {
      const r = asString.fromToml(value);
      return r.ok ? check(r.value) : r;
    },
    fromText: check,
  };
}

function integer(min: number, max: number) {
  const check = (n: number): Coerced<number> =>
    Number.isInteger(n) && n >= min && n <= max ? ok(n) : bad(`expected a whole number from ${min} to ${max}, found ${n}`);
  return {
    fromToml: (value: unknown): Coerced<number> =>
      typeof value === "number" ? check(value) : bad(`expected a whole number, found ${typeName(value)}`),
    fromText: (text: string): Coerced<number> =>
      /^-?\d+$/.test(text.trim()) ? check(Number(text)) : bad(`expected a whole number, found ${quote(text)}`),
  };
}

const UNITS_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** "120s", "2m", "1h30m", "500ms", or a bare number of seconds. */
export function parseDuration(text: string): number | undefined {
  const trimmed = text.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.round(Number(trimmed) * 1000);
  const parts = [...trimmed.matchAll(/(\d+(?:\.\d+)?)(ms|s|m|h)/g)];
  if (parts.length === 0 || parts.map((p) => p[0]).join("") !== trimmed) return undefined;
  return Math.round(parts.reduce((sum, p) => sum + Number(p[1]) * UNITS_MS[p[2]!]!, 0));
}

export function formatDuration(ms: number): string {
  if (ms % 3_600_000 === 0) return `${ms / 3_600_000}h`;
  if (ms % 60_000 === 0) return `${ms / 60_000}m`;
  if (ms % 1000 === 0) return `${ms / 1000}s`;
  return `${ms}ms`;
}

const duration = {
  fromToml: (value: unknown): Coerced<number> => {
    if (typeof value === "number") return value > 0 ? ok(Math.round(value * 1000)) : bad("a duration must be positive");
    if (typeof value !== "string") return bad(`expected a duration like "120s", found ${typeName(value)}`);
    return duration.fromText(value);
  },
  fromText: (text: string): Coerced<number> => {
    const ms = parseDuration(text);
    if (ms === undefined) return bad(`expected a duration like "120s", "2m" or "1h", found ${quote(text)}`);
    return ms > 0 ? ok(ms) : bad("a duration must be positive");
  },
};

const boolean = {
  fromToml: (value: unknown): Coerced<boolean> =>
    typeof value === "boolean" ? ok(value) : bad(`expected true or false, found ${typeName(value)}`),
  fromText: (text: string): Coerced<boolean> => {
    const t = text.trim().toLowerCase();
    if (["1", "true", "yes", "on"].includes(t)) return ok(true);
    if (["0", "false", "no", "off"].includes(t)) return ok(false);
    return bad(`expected true or false, found ${quote(text)}`);
  },
};

/** `"on"` or `"off"` (true and false too, as Ossature's booleans read). */
const onOff = {
  fromToml: (value: unknown): Coerced<boolean> => {
    if (typeof value === "boolean") return ok(value);
    if (value === "on") return ok(true);
    if (value === "off") return ok(false);
    return bad(`expected "on" or "off", found ${typeof value === "string" ? quote(value) : typeName(value)}`);
  },
  fromText: boolean.fromText,
};

const stringList = {
  // One string is a one-command list, as Ossature reads it (`setup = "zig init -m"`); "" is none.
  fromToml: (value: unknown): Coerced<string[]> => {
    if (typeof value === "string") return ok(value.trim() === "" ? [] : [value]);
    return Array.isArray(value) && value.every((v) => typeof v === "string")
      ? ok(value as string[])
      : bad(`expected a command or an array of commands (strings), found ${typeName(value)}`);
  },
  // In the environment a list is newline-separated: commands contain spaces and commas.
  fromText: (text: string): Coerced<string[]> =>
    ok(text.split("\n").map((s) => s.trim()).filter((s) => s !== "")),
};

const numCtx = {
  fromToml: (value: unknown): Coerced<"auto" | number> => {
    if (value === "auto") return ok("auto");
    if (typeof value === "number" && Number.isInteger(value) && value >= 512 && value <= 2_097_152) return ok(value);
    return bad(`expected "auto" or a context size from 512 to 2097152, found ${typeof value === "string" ? quote(value) : String(value)}`, 'most users want "auto": specwright sizes the context from the largest prompt');
  },
  fromText: (text: string): Coerced<"auto" | number> =>
    numCtx.fromToml(/^\d+$/.test(text.trim()) ? Number(text) : text.trim()),
};

const keepAlive = {
  fromToml: (value: unknown): Coerced<string> => {
    if (typeof value === "number" && Number.isInteger(value)) return ok(String(value));
    if (typeof value !== "string") return bad(`expected a duration like "30m" (or -1 to keep the model loaded), found ${typeName(value)}`);
    return keepAlive.fromText(value);
  },
  fromText: (text: string): Coerced<string> =>
    /^-?\d+$/.test(text.trim()) || parseDuration(text) !== undefined
      ? ok(text.trim())
      : bad(`expected a duration like "30m" (or -1 to keep the model loaded), found ${quote(text)}`),
};

const temperature = {
  fromToml: (value: unknown): Coerced<number> =>
    typeof value === "number" && value >= 0 && value <= 2
      ? ok(value)
      : bad(`expected a number from 0 to 2, found ${typeof value === "number" ? value : typeName(value)}`),
  fromText: (text: string): Coerced<number> =>
    /^\d+(\.\d+)?$/.test(text.trim()) ? temperature.fromToml(Number(text)) : bad(`expected a number from 0 to 2, found ${quote(text)}`),
};

/** A role's model: "name", or { model = "name", think = true }. */
const roleModelValue = {
  fromToml: (value: unknown): Coerced<RoleModel> => {
    if (typeof value === "string") return value.trim() === "" ? bad("a model name must not be empty") : ok({ model: value, think: false });
    if (typeof value === "object" && value !== null && !Array.isArray(value)) {
      const table = value as Record<string, unknown>;
      const unknown = Object.keys(table).filter((k) => k !== "model" && k !== "think");
      if (unknown.length > 0) return bad(`unknown key "${unknown[0]}" in a role table`, 'a role table takes `model` and `think`, e.g. { model = "qwen3:14b", think = true }');
      if (typeof table.model !== "string" || table.model.trim() === "") return bad("a role table needs `model = \"<name>\"`");
      if (table.think !== undefined && typeof table.think !== "boolean") return bad("`think` must be true or false");
      return ok({ model: table.model, think: table.think === true });
    }
    return bad(`expected a model name or { model = "…", think = true }, found ${typeName(value)}`);
  },
  fromText: (text: string): Coerced<RoleModel> => {
    // "qwen3:14b+think" turns thinking on from the environment or a flag.
    const think = text.endsWith("+think");
    const model = think ? text.slice(0, -"+think".length) : text;
    return model.trim() === "" ? bad("a model name must not be empty") : ok({ model, think });
  },
};

function key<T>(
  spec: { key: string; describe: string },
  reader: { fromToml(value: unknown): Coerced<T>; fromText(text: string): Coerced<T> },
  apply: (config: SpecwrightConfig, value: T) => void,
  show: (config: SpecwrightConfig) => string,
): ConfigKey {
  const bind = (r: Coerced<T>): Coerced<ApplyValue> => (r.ok ? ok((c: SpecwrightConfig) => apply(c, r.value)) : r);
  return {
    ...spec,
    fromToml: (value) => bind(reader.fromToml(value)),
    fromText: (text) => bind(reader.fromText(text)),
    show,
  };
}

const roleKeys: ConfigKey[] = ROLES.map((role: Role) =>
  key(
    { key: `model.${role}`, describe: `model for the ${role} role (default: model.default)` },
    roleModelValue,
    (c, v) => {
      c.model.roles[role] = v;
    },
    (c) => {
      const r = c.model.roles[role];
      if (!r) return quote(c.model.default);
      return r.think ? `{ model = ${quote(r.model)}, think = true }` : quote(r.model);
    },
  ),
);

export const CONFIG_KEYS: ConfigKey[] = [
  key({ key: "project.name", describe: "project name" }, nonEmptyString("project.name"), (c, v) => { c.project.name = v; }, (c) => quote(c.project.name)),
  key({ key: "project.spec_dir", describe: "folder holding *.smd, *.amd, *.vmd" }, relativePath("project.spec_dir"), (c, v) => { c.project.specDir = v; }, (c) => quote(c.project.specDir)),
  key({ key: "project.context_dir", describe: "reference material tasks may use" }, relativePath("project.context_dir"), (c, v) => { c.project.contextDir = v; }, (c) => quote(c.project.contextDir)),
  key({ key: "output.dir", describe: "where generated code goes" }, relativePath("output.dir"), (c, v) => { c.output.dir = v; }, (c) => quote(c.output.dir)),
  key({ key: "output.language", describe: "target language; guides prompts and verify defaults" }, nonEmptyString("output.language"), (c, v) => { c.output.language = v; }, (c) => quote(c.output.language)),
  key({ key: "output.framework", describe: "framework named in the prompts' brief (optional)" }, asString, (c, v) => { c.output.framework = v.trim(); }, (c) => quote(c.output.framework)),
  key({ key: "model.host", describe: "Ollama server (OLLAMA_HOST overrides)" }, ollamaHost, (c, v) => { c.model.host = v; }, (c) => quote(redactHostCredentials(c.model.host))),
  key({ key: "model.default", describe: "model for every role without its own" }, nonEmptyString("model.default"), (c, v) => { c.model.default = v; }, (c) => quote(c.model.default)),
  ...roleKeys,
  key({ key: "model.num_ctx", describe: '"auto" or a context size; one per run' }, numCtx, (c, v) => { c.model.numCtx = v; }, (c) => (c.model.numCtx === "auto" ? quote("auto") : String(c.model.numCtx))),
  key({ key: "model.keep_alive", describe: "how long Ollama keeps the model loaded" }, keepAlive, (c, v) => { c.model.keepAlive = v; }, (c) => quote(c.model.keepAlive)),
  key({ key: "model.temperature", describe: "sampling temperature" }, temperature, (c, v) => { c.model.temperature = v; }, (c) => String(c.model.temperature)),
  key({ key: "model.seed", describe: "fixed sampling seed (optional)" }, integer(-2_147_483_648, 2_147_483_647), (c, v) => { c.model.seed = v; }, (c) => (c.model.seed === undefined ? "(unset)" : String(c.model.seed))),
  key({ key: "model.request_timeout", describe: "a call that streams nothing for this long fails" }, duration, (c, v) => { c.model.requestTimeoutMs = v; }, (c) => quote(formatDuration(c.model.requestTimeoutMs))),
  key({ key: "build.max_fix_attempts", describe: "verify-fail → fix rounds per task" }, integer(0, 20), (c, v) => { c.build.maxFixAttempts = v; }, (c) => String(c.build.maxFixAttempts)),
  key({ key: "build.review", describe: '"on": a blind judge (the reviewer role) checks each task after verify passes' }, onOff, (c, v) => { c.build.review = v; }, (c) => quote(c.build.review ? "on" : "off")),
  key({ key: "build.max_review_attempts", describe: "review-fail → fix rounds per task" }, integer(0, 20), (c, v) => { c.build.maxReviewAttempts = v; }, (c) => String(c.build.maxReviewAttempts)),
  key({ key: "build.verify_timeout", describe: "per verify command" }, duration, (c, v) => { c.build.verifyTimeoutMs = v; }, (c) => quote(formatDuration(c.build.verifyTimeoutMs))),
  key({ key: "build.parallel", describe: "concurrent model calls" }, integer(1, 16), (c, v) => { c.build.parallel = v; }, (c) => String(c.build.parallel)),
  key({ key: "build.overlap_verify", describe: "another task generates while a verify runs (off: fixes keep their cached prompt)" }, boolean, (c, v) => { c.build.overlapVerify = v; }, (c) => String(c.build.overlapVerify)),
  key({ key: "build.git", describe: "one commit per finished task in the output dir" }, boolean, (c, v) => { c.build.git = v; }, (c) => String(c.build.git)),
  key({ key: "build.setup", describe: "commands run once before a fresh build" }, stringList, (c, v) => { c.build.setup = v; }, (c) => `[${c.build.setup.map(quote).join(", ")}]`),
  key({ key: "build.verify", describe: "commands run after every task's own verify commands" }, stringList, (c, v) => { c.build.verify = v; }, (c) => `[${c.build.verify.map(quote).join(", ")}]`),
  key({ key: "build.max_output_tokens", describe: "output budget of a build call (num_predict)" }, integer(1024, 131_072), (c, v) => { c.build.maxOutputTokens = v; }, (c) => String(c.build.maxOutputTokens)),
  key({ key: "test.require_coverage", describe: "a requirement without a verification case fails validate, plan --check, build and status --coverage" }, boolean, (c, v) => { c.test.requireCoverage = v; }, (c) => String(c.test.requireCoverage)),
  key({ key: "audit.max_fix_cycles", describe: "audit → fix → re-audit cycles" }, integer(0, 20), (c, v) => { c.audit.maxFixCycles = v; }, (c) => String(c.audit.maxFixCycles)),
  key({ key: "audit.after_ask", describe: '"on": after an ask is applied, the audit role checks the changed parts and offers follow-up edits' }, onOff, (c, v) => { c.audit.afterAsk = v; }, (c) => quote(c.audit.afterAsk ? "on" : "off")),
  key({ key: "traces.keep_runs", describe: "run folders kept under .specwright/runs (0 keeps all)" }, integer(0, 100_000), (c, v) => { c.traces.keepRuns = v; }, (c) => String(c.traces.keepRuns)),
  key({ key: "ui.plain", describe: "the terminal UI without box drawing, spinners or redrawn timers (as --plain)" }, boolean, (c, v) => { c.ui.plain = v; }, (c) => String(c.ui.plain)),
];

export const CONFIG_TABLES = ["project", "output", "model", "build", "test", "audit", "traces", "ui"] as const;

/** Keys an Ossature project's ossature.toml shares with specwright.toml, meaning the same thing. */
export const OSSATURE_SHARED_KEYS: ReadonlySet<string> = new Set([...OSSATURE_KEYS].filter(([, k]) => k.kind === "shared").map(([key]) => key));

export function findKey(dotted: string): ConfigKey | undefined {
  return CONFIG_KEYS.find((k) => k.key === dotted);
}

/** Environment variable for a key: model.num_ctx → SPECWRIGHT_MODEL_NUM_CTX. */
export function envName(dotted: string): string {
  return `SPECWRIGHT_${dotted.replace(/\./g, "_").toUpperCase()}`;
}

export { DEFAULT_MODEL };

export function defaultConfig(projectName: string): SpecwrightConfig {
  return {
    project: { name: projectName, specDir: "specs", contextDir: "context" },
    output: { dir: "output", language: "python", framework: "" },
    model: {
      host: "http://127.0.0.1:11434",
      default: DEFAULT_MODEL,
      roles: {},
      numCtx: "auto",
      keepAlive: "30m",
      temperature: 0.2,
      requestTimeoutMs: 300_000,
      endpoints: [],
    },
    build: { maxFixAttempts: 3, review: true, maxReviewAttempts: 1, verifyTimeoutMs: 120_000, parallel: 1, overlapVerify: true, git: true, setup: [], verify: [], maxOutputTokens: 8192 },
    test: { requireCoverage: false },
    audit: { maxFixCycles: 3, afterAsk: true },
    traces: { keepRuns: 50 },
    ui: { plain: false },
  };
}
