// Every command: its synopsis and help text (shown without loading anything)
// and a loader for its module. Adding a command means adding a row here.

import { closest } from "../../grammar/did-you-mean.js";

export interface CommandModule {
  /** Runs the command with the arguments after its name; resolves to the exit code. */
  run(args: string[]): Promise<number>;
}

export interface CommandEntry {
  name: string;
  synopsis: string;
  summary: string;
  help: string;
  load(): Promise<CommandModule>;
}

export const COMMANDS: CommandEntry[] = [];

export function findCommand(name: string): CommandEntry | undefined {
  return COMMANDS.find((c) => c.name === name);
}

export function suggestCommand(name: string): string | undefined {
  return closest(name, COMMANDS.map((c) => c.name));
}
