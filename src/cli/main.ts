#!/usr/bin/env node
// The CLI entry. It answers --version and --help from node builtins alone, then
// loads only the module of the command it runs, so no command pays for React.

import { readFileSync } from "node:fs";
import { COMMANDS, findCommand, suggestCommand } from "./command-table.js";
import { describeFileProblem, fileProblem } from "../fs/file-problem.js";
import { Redactor, declaredSecretCount, secretsFromEnv } from "../traces/redact.js";
import { EXIT } from "./exit-codes.js";
import { reportUsageError, splitGlobalArgs, UsageError, type GlobalArgs } from "./args.js";
import { resolve } from "node:path";

function packageVersion(): string {
  const pkg = JSON.parse(readFileSync(new URL("../../../package.json", import.meta.url), "utf8")) as { version: string };
  return pkg.version;
}

function usage(): string {
  const width = Math.max(...COMMANDS.map((c) => c.synopsis.length));
  const lines = COMMANDS.map((c) => `  ${c.synopsis.padEnd(width)}  ${c.summary}`);
  return [
    "specwright — spec-driven code generation with local Ollama models",
    "",
    "Usage: specwright <command> [options]",
    "",
    "Without a command: the TUI in a terminal, the project's status otherwise.",
    "",
    "Commands:",
    ...lines,
    "",
    "Options for every command (before or after it):",
    "  -h, --help      show help for the command",
    "  -V, --version   print the version",
    "  -C, --cwd DIR   run as if started in DIR",
    "  --json          machine-readable output on stdout",
    "  --no-color      plain output (also NO_COLOR=1)",
    "  --plain         the terminal UI for screen readers and dumb terminals: no box",
    "                  drawing, no spinners, linear output (also [ui] plain = true)",
    "",
    "Exit codes: 0 ok, 1 failure (errors found, task failed), 2 usage or config error",
    "(or no project here), 3 model unavailable, 70 internal error (a bug: please report it),",
    "130 interrupted.",
  ].join("\n");
}

async function main(argv: string[]): Promise<number> {
  let globals: GlobalArgs;
  try {
    globals = splitGlobalArgs(argv);
  } catch (error) {
    if (error instanceof UsageError) return reportUsageError(error);
    throw error;
  }
  const { command: first, rest } = globals;
  if (first === "help") {
    if (rest[0] !== undefined) return main([rest[0], "--help"]);
    process.stdout.write(usage() + "\n");
    return EXIT.ok;
  }
  if (first === undefined && globals.help) {
    process.stdout.write(usage() + "\n");
    return EXIT.ok;
  }
  if (globals.version) {
    process.stdout.write(packageVersion() + "\n");
    return EXIT.ok;
  }
  if (first === undefined) {
    const cwd = resolve(globals.cwd ?? process.cwd());
    const noColor = globals.noColor;
    if (globals.json) {
      process.stderr.write("specwright: --json needs a command — hint: e.g. `specwright status --json`\n");
      return EXIT.usage;
    }
    if (process.stdout.isTTY && process.stdin.isTTY) {
      // Only here is React loaded.
      const { runApp } = await import("../../ui/run-app.js");
      return runApp({ cwd, env: process.env, noColor, plain: globals.plain });
    }
    // Pipes and CI get the project's status (outside a project, the help), and nothing waits for input.
    redactConsole(process.env);
    const { printProjectStatus } = await import("./project-status.js");
    const code = await printProjectStatus({ noColor, cwd });
    if (code !== undefined) return code;
    process.stdout.write(usage() + "\n");
    return EXIT.ok;
  }
  const command = findCommand(first);
  if (!command) {
    const guess = suggestCommand(first);
    const hint = guess ? `did you mean \`specwright ${guess}\`?` : "see `specwright --help` for the commands";
    process.stderr.write(`specwright: unknown command '${first}' — hint: ${hint}\n`);
    return EXIT.usage;
  }
  if (globals.help || rest.includes("--help") || rest.includes("-h")) {
    process.stdout.write(command.help + "\n");
    return EXIT.ok;
  }
  redactConsole(process.env);
  const mod = await command.load();
  // Options given before the command mean the same as after it.
  return mod.run([...globals.forward, ...rest]);
}

/**
 * Every line a command prints goes through the same redaction as the traces:
 * stdout and stderr end up in CI logs, and an error message, a verify
 * command's output or a model's reply can quote a secret from the environment.
 */
function redactConsole(env: NodeJS.ProcessEnv): void {
  let redactor = new Redactor(secretsFromEnv(env));
  // The config may name more key variables (api_key_env) once a command reads it.
  let declared = declaredSecretCount();
  const current = () => {
    if (declaredSecretCount() !== declared) {
      declared = declaredSecretCount();
      redactor = new Redactor(secretsFromEnv(env));
    }
    return redactor;
  };
  for (const stream of [process.stdout, process.stderr]) {
    const write = stream.write.bind(stream) as (chunk: unknown, ...rest: unknown[]) => boolean;
    stream.write = ((chunk: unknown, ...rest: unknown[]) => write(typeof chunk === "string" ? current().redact(chunk) : chunk, ...rest)) as typeof stream.write;
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    // A file system state a person can fix (a directory where plan.toml
    // belongs, a full disk) is not a bug: name the path and what to do.
    const problem = fileProblem(error);
    if (problem) {
      process.stderr.write(`specwright: ${describeFileProblem(problem)}\n  hint: ${problem.hint}\n`);
      process.exitCode = EXIT.failure;
      return;
    }
    // A bug, not a user error: say so plainly, keep the stack for a report.
    const message = error instanceof Error ? (error.stack ?? error.message) : String(error);
    process.stderr.write(`specwright: internal error — please report this:\n${message}\n`);
    process.exitCode = EXIT.internal;
  },
);
