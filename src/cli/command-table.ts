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

export const COMMANDS: CommandEntry[] = [
  {
    name: "init",
    synopsis: "init [dir]",
    summary: "scaffold a project (never overwrites)",
    help: `Usage: specwright init [dir]

Creates specwright.toml, specs/ with an example spec pair that validates,
context/, and .gitignore entries for .specwright/runs/ and .specwright/lock.
Existing files are never overwritten; init says what it skipped.

Options:
  --json   print {dir, created, skipped}`,
    load: () => import("./commands/init.js"),
  },
  {
    name: "new",
    synopsis: "new <name> [--amd|--vmd]",
    summary: "write a spec from a template",
    help: `Usage: specwright new <name> [--amd|--vmd]

Writes <spec_dir>/<name>.smd (behaviour), or .amd (architecture) with --amd,
or .vmd (verification cases) with --vmd, from a template that validates as
written. The spec id is the name in upper case (word-count → WORD_COUNT).
Refuses to overwrite an existing file (exit 1).`,
    load: () => import("./commands/new.js"),
  },
  {
    name: "validate",
    synopsis: "validate [paths…] [--strict]",
    summary: "check specs without a model",
    help: `Usage: specwright validate [paths…] [--strict] [--json]

Parses and checks spec files (*.smd, *.amd, *.vmd) without any model and
reports every problem in every file as file:line:col with the source line.
Paths are spec files or folders; they work outside any project, and a lone
architecture or verification file is checked on its own. Without paths, the
project's spec_dir is validated (an Ossature project's ossature.toml works too).

Options:
  --strict   require Ossature's full section set and AMD contracts
  --json     print {specs, architectures, verifications, diagnostics}

Exit codes: 0 no errors, 1 errors found, 2 usage or config error.`,
    load: () => import("./commands/validate.js"),
  },
  {
    name: "config",
    synopsis: "config",
    summary: "show the effective config and its sources",
    help: `Usage: specwright config [--json]

Prints every setting with the place its value came from: a default, the user
config ($XDG_CONFIG_HOME/specwright/config.toml), the project's
specwright.toml (file:line), the environment (SPECWRIGHT_<TABLE>_<KEY>,
SPECWRIGHT_MODEL, OLLAMA_HOST), or a flag.`,
    load: () => import("./commands/config.js"),
  },
  {
    name: "models",
    synopsis: "models",
    summary: "list models, roles, context lengths",
    help: `Usage: specwright models [--json]

Lists the models installed in Ollama (size, parameters, quantization, maximum
context length, capabilities) and which model each role (audit, planner,
build, fixer, reviewer, drafter) resolves to, with \`ollama pull\` for any
that is missing. The host comes from model.host or OLLAMA_HOST.

Options:
  --json   print {host, version, models, roles}

Exit codes: 0 listed (even with a role's model missing), 2 config error,
3 Ollama not reachable.`,
    load: () => import("./commands/models.js"),
  },
  {
    name: "traces",
    synopsis: "traces [run] [task|call] [attempt]",
    summary: "list runs and show recorded model calls",
    help: `Usage: specwright traces [run] [task|call] [attempt] [--json]

Without arguments, lists the runs in .specwright/runs/ (oldest first).
With a run (its id, a unique prefix, or "last"), lists the run's model calls.
With a task id (and optionally an attempt number) or a call name such as
audit-1, prints that call: outcome, metrics, the exact prompt and the reply.
A call cut short by Ctrl-C or a crash shows the reply received so far.

Options:
  --json   print the same as JSON

Exit codes: 0 shown, 1 no such run or call, 2 usage or config error.`,
    load: () => import("./commands/traces.js"),
  },
];

export function findCommand(name: string): CommandEntry | undefined {
  return COMMANDS.find((c) => c.name === name);
}

export function suggestCommand(name: string): string | undefined {
  return closest(name, COMMANDS.map((c) => c.name));
}
