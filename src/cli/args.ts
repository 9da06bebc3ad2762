// Flag parsing for every command, on node:util parseArgs. A bad flag becomes a
// one-line usage error with a hint, never an exception on the user's screen.

import { statSync } from "node:fs";
import { resolve } from "node:path";
import { parseArgs, type ParseArgsConfig } from "node:util";
import { closest } from "../../grammar/did-you-mean.js";

export type OptionSpec = NonNullable<ParseArgsConfig["options"]>;

/** Options every command accepts. */
export const COMMON_OPTIONS = {
  json: { type: "boolean" },
  "no-color": { type: "boolean" },
  cwd: { type: "string", short: "C" },
} as const satisfies OptionSpec;

export class UsageError extends Error {
  constructor(
    message: string,
    readonly hint: string,
  ) {
    super(message);
  }
}

export interface ParsedArgs<O extends OptionSpec> {
  values: { [K in keyof O]?: O[K]["type"] extends "boolean" ? boolean : O[K] extends { multiple: true } ? string[] : string };
  positionals: string[];
}

/**
 * Parses `args` against `options` (plus the common ones). Throws UsageError for
 * an unknown flag, a missing value, or more positionals than `maxPositionals`.
 */
export function parseCommandArgs<O extends OptionSpec>(
  command: string,
  args: string[],
  options: O,
  maxPositionals = 0,
): ParsedArgs<O & typeof COMMON_OPTIONS> {
  const all = { ...COMMON_OPTIONS, ...options };
  let parsed;
  try {
    parsed = parseArgs({ args, options: all, allowPositionals: true, strict: true });
  } catch (error) {
    const text = error instanceof Error ? error.message : String(error);
    const unknown = /Unknown option '(-{1,2}[^']+)'/.exec(text);
    if (unknown) {
      const flag = unknown[1]!;
      const guess = closest(flag.replace(/^-+/, ""), Object.keys(all));
      throw new UsageError(
        `unknown option ${flag} for \`specwright ${command}\``,
        guess ? `did you mean --${guess}?` : `see \`specwright ${command} --help\``,
      );
    }
    throw new UsageError(text.replace(/\.$/, ""), `see \`specwright ${command} --help\``);
  }
  const cwd = (parsed.values as { cwd?: unknown }).cwd;
  if (typeof cwd === "string") checkCwdOption(cwd);
  if (parsed.positionals.length > maxPositionals) {
    const extra = parsed.positionals[maxPositionals]!;
    throw new UsageError(
      `unexpected argument '${extra}' for \`specwright ${command}\``,
      `see \`specwright ${command} --help\``,
    );
  }
  return parsed as unknown as ParsedArgs<O & typeof COMMON_OPTIONS>;
}

/**
 * The folder of -C/--cwd must exist and be a folder: a mistyped path is its
 * own error, not "no project here" (and never a project found above it).
 */
export function checkCwdOption(value: string): void {
  const full = resolve(value);
  let isDir: boolean;
  try {
    isDir = statSync(full).isDirectory();
  } catch {
    throw new UsageError(`-C ${value}: no such folder (${full})`, "-C/--cwd names the folder to run in; check the path");
  }
  if (!isDir) throw new UsageError(`-C ${value}: not a folder (${full})`, "-C/--cwd names the folder to run in, not a file");
}

/** What the options before the command say (they are the same as after it). */
export interface GlobalArgs {
  help: boolean;
  version: boolean;
  /** The command word, when there is one. */
  command?: string;
  /** The global options given before the command, as the command's own parser reads them. */
  forward: string[];
  /** After the command word. */
  rest: string[];
  cwd?: string;
  json: boolean;
  noColor: boolean;
}

const GLOBAL_FLAGS = ["help", "version", "cwd", "json", "no-color"];

/**
 * Splits `specwright [global options] [command] [args…]`. Global options
 * (-h, -V, -C DIR, --json, --no-color) may come before the command or after
 * it; those before it are handed on to the command's parser. An unknown
 * option before the command is a usage error with a did-you-mean.
 */
export function splitGlobalArgs(argv: string[]): GlobalArgs {
  const out: GlobalArgs = { help: false, version: false, forward: [], rest: [], json: false, noColor: false };
  let i = 0;
  for (; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === "--") {
      i++;
      break;
    }
    if (!arg.startsWith("-") || arg === "-") break;
    if (arg === "-h" || arg === "--help") out.help = true;
    else if (arg === "-V" || arg === "--version") out.version = true;
    else if (arg === "--json") {
      out.json = true;
      out.forward.push(arg);
    } else if (arg === "--no-color") {
      out.noColor = true;
      out.forward.push(arg);
    } else if (arg === "-C" || arg === "--cwd") {
      const value = argv[i + 1];
      if (value === undefined) throw new UsageError(`option ${arg} needs a folder`, "write -C DIR, e.g. `specwright -C my-project status`");
      out.cwd = value;
      out.forward.push("--cwd", value);
      i++;
    } else if (arg.startsWith("--cwd=") || (arg.startsWith("-C") && !arg.startsWith("--"))) {
      const value = arg.startsWith("--cwd=") ? arg.slice("--cwd=".length) : arg.slice(2);
      out.cwd = value;
      out.forward.push("--cwd", value);
    } else {
      const name = arg.replace(/^-+/, "").replace(/=.*$/, "");
      const guess = closest(name, GLOBAL_FLAGS);
      throw new UsageError(
        `unknown option ${arg}`,
        guess ? `did you mean --${guess}?` : "options before the command are -h, -V, -C DIR, --json and --no-color; a command's own options go after it (see `specwright --help`)",
      );
    }
  }
  const command = argv[i];
  if (command !== undefined) {
    out.command = command;
    out.rest = argv.slice(i + 1);
  }
  if (out.cwd !== undefined) checkCwdOption(out.cwd);
  return out;
}

/** Prints a usage error as one line on stderr; returns exit code 2. */
export function reportUsageError(error: UsageError): number {
  process.stderr.write(`specwright: ${error.message} — hint: ${error.hint}\n`);
  return 2;
}

/**
 * parseCommandArgs plus the command's own checks (which throw UsageError);
 * a usage error is printed and comes back as exit code 2.
 */
export function parseCommand<O extends OptionSpec>(
  command: string,
  args: string[],
  options: O,
  maxPositionals = 0,
  check: (parsed: ParsedArgs<O & typeof COMMON_OPTIONS>) => void = () => undefined,
): ParsedArgs<O & typeof COMMON_OPTIONS> | number {
  try {
    const parsed = parseCommandArgs(command, args, options, maxPositionals);
    check(parsed);
    return parsed;
  } catch (error) {
    if (error instanceof UsageError) return reportUsageError(error);
    throw error;
  }
}
