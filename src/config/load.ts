// Loads the effective config: defaults, then the user's config file, then the
// project's specwright.toml (or an Ossature project's ossature.toml), then the
// environment, then flags. Every problem is a diagnostic at file:line:col.

import { readFile, stat } from "node:fs/promises";
import { basename, dirname, join, relative, resolve } from "node:path";
import { homedir } from "node:os";
import { diagnostic, type Diagnostic } from "../../grammar/diagnostic.js";
import { closest } from "../../grammar/did-you-mean.js";
import { parseTomlSource } from "../../plans/toml-source.js";
import { decodeSource } from "../text/decode-source.js";
import { parallelAboveSlots, readEndpoints, totalSlots } from "./endpoints.js";
import { declareSecretNames } from "../traces/redact.js";
import { OSSATURE_KEYS } from "./ossature-keys.js";
import { CONFIG_KEYS, CONFIG_TABLES, defaultConfig, envName, findKey } from "./schema.js";
import type { ConfigSource, LoadedConfig } from "./types.js";

export const PROJECT_FILE = "specwright.toml";
export const OSSATURE_FILE = "ossature.toml";

export interface LoadConfigOptions {
  cwd: string;
  env?: NodeJS.ProcessEnv;
  /** Dotted key → text, from command-line flags (e.g. { "model.default": "qwen3:8b" }). */
  flags?: Record<string, string | undefined>;
}

export interface LoadConfigResult {
  loaded: LoadedConfig;
  diagnostics: Diagnostic[];
}

/** Environment variables that are not config keys but are read by specwright. */
const SHORTHAND_ENV: Record<string, string> = { SPECWRIGHT_MODEL: "model.default" };
const NON_CONFIG_ENV = new Set(["SPECWRIGHT_MODEL"]);

async function isFile(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isFile();
  } catch {
    return false;
  }
}

/** The nearest folder at or above `cwd` holding specwright.toml or ossature.toml. */
export async function findProjectRoot(
  cwd: string,
): Promise<{ root: string; file: string; kind: "specwright" | "ossature" } | undefined> {
  let dir = resolve(cwd);
  for (;;) {
    for (const [name, kind] of [[PROJECT_FILE, "specwright"], [OSSATURE_FILE, "ossature"]] as const) {
      const file = join(dir, name);
      if (await isFile(file)) return { root: dir, file, kind };
    }
    const parent = dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

function displayPath(file: string, cwd: string): string {
  const rel = relative(cwd, file);
  return rel !== "" && rel.length < file.length ? rel : file;
}

export async function loadConfig(options: LoadConfigOptions): Promise<LoadConfigResult> {
  const env = options.env ?? process.env;
  const cwd = resolve(options.cwd);
  const diagnostics: Diagnostic[] = [];
  const sources = new Map<string, ConfigSource>();
  /** Where in its file each key read from a file starts (sources keep only the line). */
  const columns = new Map<string, number>();
  const found = await findProjectRoot(cwd);
  const root = found?.root ?? cwd;
  const config = defaultConfig(basename(root));
  for (const k of CONFIG_KEYS) sources.set(k.key, { kind: "default" });

  const userDir = env.XDG_CONFIG_HOME && env.XDG_CONFIG_HOME !== "" ? env.XDG_CONFIG_HOME : join(homedir(), ".config");
  const userFile = join(userDir, "specwright", "config.toml");
  // The user file is shown by its absolute path: it lives outside the project, and a path relative to it says nothing.
  const userFileExists = await isFile(userFile);
  if (userFileExists) await applyFile(userFile, userFile, false);
  if (found) await applyFile(found.file, displayPath(found.file, cwd), found.kind === "ossature");

  for (const [name, value] of Object.entries(env)) {
    if (value === undefined || !name.startsWith("SPECWRIGHT_") || NON_CONFIG_ENV.has(name)) continue;
    const spec = CONFIG_KEYS.find((k) => envName(k.key) === name);
    if (!spec) {
      const guess = closest(name, CONFIG_KEYS.map((k) => envName(k.key)));
      diagnostics.push(
        diagnostic("warning", `env ${name}`, 0, 0, `unknown environment variable ${name} is ignored`, {
          hint: guess ? `did you mean ${guess}?` : "config variables are SPECWRIGHT_<TABLE>_<KEY>, e.g. SPECWRIGHT_MODEL_DEFAULT",
          code: "config/unknown-env",
        }),
      );
      continue;
    }
    applyText(spec.key, value, { kind: "env", name }, `env ${name}`);
  }
  for (const [name, dotted] of Object.entries(SHORTHAND_ENV)) {
    const value = env[name];
    if (value !== undefined && env[envName(dotted)] === undefined) applyText(dotted, value, { kind: "env", name }, `env ${name}`);
  }
  if (env.OLLAMA_HOST !== undefined && env.OLLAMA_HOST.trim() !== "") {
    applyText("model.host", env.OLLAMA_HOST, { kind: "env", name: "OLLAMA_HOST" }, "env OLLAMA_HOST");
  }
  for (const [dotted, value] of Object.entries(options.flags ?? {})) {
    if (value !== undefined) applyText(dotted, value, { kind: "flag", name: dotted }, `flag for ${dotted}`);
  }

  if (config.model.endpoints.length > 0) {
    const slots = totalSlots(config.model.endpoints);
    const source = sources.get("build.parallel") ?? { kind: "default" };
    // Unset, build.parallel is the endpoints' slots added up: each endpoint's own slots decide.
    if (source.kind === "default") config.build.parallel = slots;
    else if (config.build.parallel > slots) diagnostics.push(parallelAboveSlots(config.build.parallel, slots, source, columns.get("build.parallel") ?? 1));
  }

  const loaded: LoadedConfig = { config, sources, root, projectKind: found?.kind ?? "none", userFile: { path: userFile, exists: userFileExists } };
  if (found) loaded.projectFile = found.file;
  return { loaded, diagnostics };

  function applyText(dotted: string, text: string, source: ConfigSource, where: string): void {
    const spec = findKey(dotted);
    if (!spec) throw new Error(`no config key ${dotted}`);
    const result = spec.fromText(text);
    if (!result.ok) {
      diagnostics.push(
        diagnostic("error", where, 0, 0, `${dotted}: ${result.message}`, {
          ...(result.hint !== undefined ? { hint: result.hint } : {}),
          code: "config/bad-value",
        }),
      );
      return;
    }
    result.value(config);
    sources.set(dotted, source);
  }

  async function applyFile(path: string, shown: string, ossature: boolean): Promise<void> {
    const decoded = decodeSource(await readFile(path), shown);
    if (!decoded.ok) {
      diagnostics.push(decoded.diagnostic);
      return;
    }
    const parsed = parseTomlSource(decoded.text, shown);
    diagnostics.push(...parsed.diagnostics);
    if (!parsed.value) return;
    for (const [table, body] of Object.entries(parsed.value)) {
      const at = parsed.locate([table]);
      if (ossature) {
        readOssatureTable(table, body, shown, (path) => parsed.locate(path));
        continue;
      }
      if (!(CONFIG_TABLES as readonly string[]).includes(table)) {
        const guess = closest(table, CONFIG_TABLES);
        diagnostics.push(
          diagnostic("error", shown, at.line, at.column, `unknown table [${table}]`, {
            hint: guess ? `did you mean [${guess}]?` : `the tables are ${CONFIG_TABLES.map((t) => `[${t}]`).join(", ")}`,
            length: table.length,
            code: "config/unknown-table",
          }),
        );
        continue;
      }
      if (!isTable(body)) {
        diagnostics.push(
          diagnostic("error", shown, at.line, at.column, `${table} must be a table ([${table}])`, { code: "config/bad-value" }),
        );
        continue;
      }
      for (const [name, value] of Object.entries(body)) {
        const dotted = `${table}.${name}`;
        const pos = parsed.locate([table, name]);
        if (dotted === "model.endpoints") {
          const read = readEndpoints(value, shown, (path) => parsed.locate(path));
          diagnostics.push(...read.diagnostics);
          if (read.endpoints) {
            config.model.endpoints = read.endpoints;
            declareSecretNames(read.endpoints.flatMap((e) => (e.apiKeyEnv !== undefined ? [e.apiKeyEnv] : [])));
            sources.set(dotted, { kind: "file", file: shown, line: pos.line });
          }
          if ("host" in body) {
            const at = parsed.locate([table, "host"]);
            diagnostics.push(
              diagnostic("warning", shown, at.line, at.column, "model.host is not used: the [[model.endpoints]] in this file list the servers", {
                hint: "remove host, or add it as one more [[model.endpoints]] entry",
                length: "host".length,
                code: "config/host-unused",
              }),
            );
          }
          continue;
        }
        const spec = findKey(dotted);
        if (!spec) {
          const sameTable = CONFIG_KEYS.filter((k) => k.key.startsWith(`${table}.`)).map((k) => k.key.slice(table.length + 1));
          const guess = closest(name, sameTable) ?? closest(dotted, CONFIG_KEYS.map((k) => k.key));
          diagnostics.push(
            diagnostic("error", shown, pos.line, pos.column, `unknown key ${dotted}`, {
              hint: guess ? `did you mean ${guess}?` : `[${table}] takes ${sameTable.join(", ")}`,
              length: name.length,
              code: "config/unknown-key",
            }),
          );
          continue;
        }
        applyToml(dotted, dotted, value, shown, pos, name.length);
      }
    }
  }

  /** Reads `value` into the specwright key `target` (written as `written` in the file), or reports why not. */
  function applyToml(target: string, written: string, value: unknown, shown: string, pos: { line: number; column: number }, length: number): void {
    const result = findKey(target)!.fromToml(value);
    if (!result.ok) {
      diagnostics.push(
        diagnostic("error", shown, pos.line, pos.column, `${written}: ${result.message}`, {
          ...(result.hint !== undefined ? { hint: result.hint } : {}),
          length,
          code: "config/bad-value",
        }),
      );
      return;
    }
    result.value(config);
    sources.set(target, { kind: "file", file: shown, line: pos.line });
    columns.set(target, pos.column);
  }

  /**
   * One table of an Ossature project's ossature.toml: shared and mapped keys
   * are read, every other key gets one warning at its line (see ossature-keys.ts).
   */
  function readOssatureTable(table: string, body: unknown, shown: string, locate: (path: (string | number)[]) => { line: number; column: number }): void {
    const warn = (pos: { line: number; column: number }, length: number, message: string, hint: string, code: string) =>
      diagnostics.push(diagnostic("warning", shown, pos.line, pos.column, message, { hint, length, code }));
    if (!isTable(body)) {
      warn(locate([table]), table.length, `\`${table}\` is not a table Ossature reads; ignored`, "Ossature 0.2.1 ignores it too", "config/ossature-unknown-key");
      return;
    }
    for (const [name, value] of Object.entries(body)) {
      const dotted = `${table}.${name}`;
      const pos = locate([table, name]);
      const known = OSSATURE_KEYS.get(dotted);
      if (!known) {
        const guess = closest(dotted, [...OSSATURE_KEYS.keys()]);
        warn(pos, name.length, `\`${dotted}\` is not an Ossature setting; ignored`, guess ? `did you mean ${guess}? (Ossature 0.2.1 ignores it too)` : "Ossature 0.2.1 ignores it too", "config/ossature-unknown-key");
        continue;
      }
      switch (known.kind) {
        case "shared":
          applyToml(dotted, dotted, value, shown, pos, name.length);
          break;
        case "mapped": {
          const mapped = known.map(value);
          if ("unused" in mapped) warn(pos, name.length, `\`${dotted}\` has no effect here: ${mapped.unused}`, "the models come from [model] in specwright.toml, the environment (SPECWRIGHT_MODEL, OLLAMA_HOST) or --model", "config/ossature-key-unused");
          else applyToml(mapped.key, dotted, mapped.value, shown, pos, name.length);
          break;
        }
        case "pending":
          warn(pos, name.length, `\`${dotted}\` has no effect yet: specwright does not have ${known.feature} yet`, "until then each task is proved by its verify commands", "config/ossature-key-pending");
          break;
        case "unused":
          warn(pos, name.length, `\`${dotted}\` has no meaning here: ${known.why}`, "specwright ignores it", "config/ossature-key-unused");
          break;
      }
    }
  }
}

function isTable(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value) && !(value instanceof Date);
}

export function describeSource(source: ConfigSource): string {
  switch (source.kind) {
    case "default":
      return "default";
    case "file":
      return `${source.file}:${source.line}`;
    case "env":
      return `env ${source.name}`;
    case "flag":
      return `flag (${source.name})`;
  }
}
