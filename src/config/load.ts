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
import { CONFIG_KEYS, CONFIG_TABLES, OSSATURE_SHARED_KEYS, defaultConfig, envName, findKey } from "./schema.js";
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
  const found = await findProjectRoot(cwd);
  const root = found?.root ?? cwd;
  const config = defaultConfig(basename(root));
  for (const k of CONFIG_KEYS) sources.set(k.key, { kind: "default" });

  const userDir = env.XDG_CONFIG_HOME && env.XDG_CONFIG_HOME !== "" ? env.XDG_CONFIG_HOME : join(homedir(), ".config");
  const userFile = join(userDir, "specwright", "config.toml");
  if (await isFile(userFile)) {
    await applyFile(userFile, displayPath(userFile, cwd), false);
  }
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

  const loaded: LoadedConfig = { config, sources, root, projectKind: found?.kind ?? "none" };
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
      if (!(CONFIG_TABLES as readonly string[]).includes(table)) {
        if (ossature) continue; // Ossature has tables of its own ([llm], [test]); they mean nothing here.
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
      if (typeof body !== "object" || body === null || Array.isArray(body) || body instanceof Date) {
        diagnostics.push(
          diagnostic("error", shown, at.line, at.column, `${table} must be a table ([${table}])`, { code: "config/bad-value" }),
        );
        continue;
      }
      for (const [name, value] of Object.entries(body as Record<string, unknown>)) {
        const dotted = `${table}.${name}`;
        const pos = parsed.locate([table, name]);
        const spec = findKey(dotted);
        if (!spec || (ossature && !OSSATURE_SHARED_KEYS.has(dotted))) {
          if (ossature) continue;
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
        const result = spec.fromToml(value);
        if (!result.ok) {
          diagnostics.push(
            diagnostic("error", shown, pos.line, pos.column, `${dotted}: ${result.message}`, {
              ...(result.hint !== undefined ? { hint: result.hint } : {}),
              length: name.length,
              code: "config/bad-value",
            }),
          );
          continue;
        }
        result.value(config);
        sources.set(dotted, { kind: "file", file: shown, line: pos.line });
      }
    }
  }
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
