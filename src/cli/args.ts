// Flag parsing for every command, on node:util parseArgs. A bad flag becomes a
// one-line usage error with a hint, never an exception on the user's screen.

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
  if (parsed.positionals.length > maxPositionals) {
    const extra = parsed.positionals[maxPositionals]!;
    throw new UsageError(
      `unexpected argument '${extra}' for \`specwright ${command}\``,
      `see \`specwright ${command} --help\``,
    );
  }
  return parsed as unknown as ParsedArgs<O & typeof COMMON_OPTIONS>;
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
