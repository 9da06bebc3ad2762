// What every command needs before doing its work: the working directory,
// output mode and colours, and the effective config (whose errors stop the
// command with exit 2 before anything else happens).

import { resolve } from "node:path";
import { hasErrors } from "../../grammar/diagnostic.js";
import { loadConfig } from "../config/load.js";
import { ROLES, type LoadedConfig } from "../config/types.js";
import { EXIT } from "./exit-codes.js";
import { SourceLines, countLine, formatDiagnostics } from "./report-diagnostics.js";
import { loadProjectSpecs, type ProjectSpecs } from "../specs/project-specs.js";
import { colorEnabled, palette, type Palette } from "./style.js";

export interface CommandContext {
  cwd: string;
  json: boolean;
  /** Colours for stdout. */
  out: Palette;
  /** Colours for stderr. */
  err: Palette;
  env: NodeJS.ProcessEnv;
}

export function commandContext(values: { json?: boolean; "no-color"?: boolean; cwd?: string }): CommandContext {
  const noColor = values["no-color"] === true;
  return {
    cwd: resolve(values.cwd ?? process.cwd()),
    json: values.json === true,
    out: palette(colorEnabled(process.stdout, noColor)),
    err: palette(colorEnabled(process.stderr, noColor)),
    env: process.env,
  };
}

export type ConfigOutcome = { ok: true; loaded: LoadedConfig } | { ok: false; exitCode: number };

/** A command ready to work on its project, or the exit code it ends with (its reason already printed). */
export type OpenedProject = { ok: true; ctx: CommandContext; loaded: LoadedConfig } | { ok: false; exitCode: number };

/**
 * How every project command starts: its context from the common flags, then
 * the config with `--model` (for the commands that take it) applied to every
 * role, its problems printed and ending the command as loadCommandConfig says.
 */
export async function openProject(
  values: Parameters<typeof commandContext>[0] & { model?: string },
  options: { project?: "required" | "optional" } = {},
): Promise<OpenedProject> {
  const ctx = commandContext(values);
  const outcome = await loadCommandConfig(ctx, modelFlags(values.model), options);
  return outcome.ok ? { ok: true, ctx, loaded: outcome.loaded } : outcome;
}

/**
 * Loads the config; prints its diagnostics to stderr (warnings too). Errors
 * end the command with exit 2: running with a config the user did not mean is
 * worse than stopping. So does the lack of a project (no specwright.toml or
 * ossature.toml here or above), unless the command says it works without one.
 */
export async function loadCommandConfig(
  ctx: CommandContext,
  flags: Record<string, string | undefined> = {},
  options: { project?: "required" | "optional" } = {},
): Promise<ConfigOutcome> {
  const { loaded, diagnostics } = await loadConfig({ cwd: ctx.cwd, env: ctx.env, flags });
  if ((options.project ?? "required") === "required" && loaded.projectKind === "none") {
    process.stderr.write(noProjectMessage(ctx.cwd) + "\n");
    return { ok: false, exitCode: EXIT.usage };
  }
  if (diagnostics.length > 0) {
    process.stderr.write(formatDiagnostics(diagnostics, new SourceLines(ctx.cwd), ctx.err) + "\n");
  }
  if (hasErrors(diagnostics)) {
    process.stderr.write(`specwright: the configuration has errors; fix them and run again\n`);
    return { ok: false, exitCode: EXIT.usage };
  }
  return { ok: true, loaded };
}

/** Why a project command cannot run here, and the command that makes a project. */
export function noProjectMessage(cwd: string): string {
  return [
    `specwright: no specwright.toml (or ossature.toml) in ${cwd} or any folder above it`,
    "  hint: `specwright init` makes this folder a project; `specwright -C DIR <command>` runs in another one",
  ].join("\n");
}

/**
 * The project's specs, or undefined after printing why a model-using command
 * cannot go on: the specs have errors (every diagnostic is shown), or there
 * is no behaviour spec at all. Warnings are shown and do not stop it.
 */
export async function loadSpecsOrReport(ctx: CommandContext, loaded: LoadedConfig, purpose: "auditing" | "planning" | "building" | "checking"): Promise<ProjectSpecs | undefined> {
  const specs = await loadProjectSpecs(loaded);
  if (specs.diagnostics.length > 0) {
    const sources = new SourceLines(loaded.root, specs.sources.map((s) => [s.file, s.text]));
    process.stderr.write(formatDiagnostics(specs.diagnostics, sources, ctx.err) + "\n");
  }
  if (hasErrors(specs.diagnostics)) {
    process.stderr.write(`specwright: the specs have errors (${countLine(specs.diagnostics)}); fix them before ${purpose} — \`specwright validate\` shows them\n`);
    return undefined;
  }
  if (specs.groups.length === 0) {
    process.stderr.write(`specwright: no behaviour specs (*.smd) in ${loaded.config.project.specDir}/ — \`specwright new <name>\` writes one\n`);
    return undefined;
  }
  return specs;
}

/**
 * `--model NAME`: this run uses NAME for every role, whatever the config
 * names per role (a flag outranks the file and the environment).
 */
export function modelFlags(model: string | undefined): Record<string, string | undefined> {
  if (model === undefined) return {};
  // Roles read "name+think" as thinking on; the default is a plain model name.
  return { "model.default": model.replace(/\+think$/, ""), ...Object.fromEntries(ROLES.map((role) => [`model.${role}`, model])) };
}
