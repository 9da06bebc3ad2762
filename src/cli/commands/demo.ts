// `specwright demo [dir]`: the first run on a machine without Ollama. Copies
// examples/wordfreq into dir, starts the scripted demo server (prepared
// replies, not a model) on 127.0.0.1, points this process and its children at
// it, and runs the pipeline: in plain mode every step as the real command;
// in a terminal the steps that have no TUI key yet, then the TUI itself.

import { spawn } from "node:child_process";
import { isAbsolute, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { ROLES } from "../../config/types.js";
import { DEFAULT_MODEL } from "../../config/default-model.js";
import { copyExample, exampleDir } from "../../demo/example-project.js";
import { fixLoopExcerpt } from "../../demo/fix-excerpt.js";
import { SCRIPTED_DEMO_MODEL } from "../../demo/scripted-demo-label.js";
import { DEMO_TOKENS_PER_SECOND, startScriptedDemoServer } from "../../demo/scripted-ollama-server.js";
import { UsageError, parseCommand } from "../args.js";
import { commandContext } from "../command-context.js";
import type { Palette } from "../style.js";
import { existsSync } from "node:fs";
import { EXIT } from "../exit-codes.js";
import { holdKeys, type HeldKeys } from "../held-keys.js";

const OPTIONS = {
  plain: { type: "boolean" },
  "tokens-per-second": { type: "string" },
} as const;

const DEFAULT_DIR = "specwright-demo";
const MAIN = fileURLToPath(new URL("../main.js", import.meta.url));

interface Step {
  args: string[];
  what: string;
}

const VALIDATE: Step = { args: ["validate"], what: "check the specs, no model involved" };
const AUDIT: Step = { args: ["audit"], what: "the audit role reads the spec and reports findings (warnings only, so nothing to fix)" };
const PLAN: Step = { args: ["plan"], what: "the planner turns the spec into .specwright/plan.toml" };
const BUILD: Step = { args: ["build", "--yes"], what: "every task's files, verified by its commands; the counting tests fail once and are fixed" };
const TRACES: Step = { args: ["traces"], what: "every run, with its model calls" };
const BUILD_CALLS: Step = { args: ["traces", "last"], what: "the build's calls: T002 needed two attempts" };

const PLAIN_STEPS = [VALIDATE, AUDIT, PLAN, BUILD, TRACES, BUILD_CALLS];
// In a terminal only validation runs first; audit, plan, build and the
// traces happen in the TUI (the opening line says which keys to press).
const BEFORE_TUI = [VALIDATE];

export async function run(args: string[]): Promise<number> {
  const parsed = parseCommand("demo", args, OPTIONS, 1, (p) => {
    if (p.values.json) throw new UsageError("demo prints each step's own output and has no --json", "run the steps yourself with --json in the demo folder");
    const pace = p.values["tokens-per-second"];
    if (pace !== undefined && !/^\d+$/.test(pace)) throw new UsageError("--tokens-per-second takes a whole number", "e.g. --tokens-per-second 50, or 0 for no delay");
  });
  if (typeof parsed === "number") return parsed;
  const v = parsed.values;
  const ctx = commandContext(v);
  const target = resolve(ctx.cwd, parsed.positionals[0] ?? DEFAULT_DIR);
  const shown = displayPath(ctx.cwd, target);

  const interactive = !v.plain && process.stdout.isTTY === true && process.stdin.isTTY === true;
  // Until the TUI is up, keys typed into the terminal are neither echoed into the steps' output nor kept (held-keys.ts).
  const keys = interactive ? holdKeys(process.stdin) : undefined;
  const pace = v["tokens-per-second"] !== undefined ? Number(v["tokens-per-second"]) : DEMO_TOKENS_PER_SECOND;
  try {
    return await runDemo({ ctx, target, shown, pace, noColor: v["no-color"] === true, interactive, keys });
  } finally {
    keys?.release();
  }
}

interface DemoRun {
  ctx: ReturnType<typeof commandContext>;
  /** The demo folder, absolute, and as the messages show it. */
  target: string;
  shown: string;
  /** The scripted server's tokens per second (0: no delay). */
  pace: number;
  noColor: boolean;
  /** A terminal on both ends: validation, then the TUI; otherwise every step as a command. */
  interactive: boolean;
  keys: HeldKeys | undefined;
}

async function runDemo({ ctx, target, shown, pace, noColor, interactive, keys }: DemoRun): Promise<number> {
  const copied = await copyExample(target);
  if (!copied.ok) {
    const hint = copied.reason === "not-empty" ? `pass another folder: \`specwright demo other-folder\` (npm run demo -- other-folder), or remove ${shown}` : "pass a folder path";
    process.stderr.write(`specwright: ${copied.message.replace(target, shown)} — hint: ${hint}\n`);
    return EXIT.failure;
  }

  const server = await startScriptedDemoServer({ tokensPerSecond: pace });
  try {
    // For this process and its children only: the copied specwright.toml keeps its real [model] section.
    const overrides: Record<string, string> = { OLLAMA_HOST: server.url, SPECWRIGHT_MODEL: SCRIPTED_DEMO_MODEL };
    for (const role of ROLES) overrides[`SPECWRIGHT_MODEL_${role.toUpperCase()}`] = SCRIPTED_DEMO_MODEL;
    Object.assign(process.env, overrides);
    const env = { ...process.env };

    const out = ctx.out;
    process.stdout.write(
      [
        out.bold(`specwright demo — scripted demo (not a model)`),
        // One line per paragraph: the terminal wraps it at its own width.
        `Copied examples/wordfreq to ${shown}. Every "model" reply below comes from a scripted server on ${server.url} that lists one model, ${SCRIPTED_DEMO_MODEL}, and answers with replies prepared for this example, streamed at ${pace > 0 ? `${pace} tokens/s` : "full speed"}. Traces and run.json record that the run was scripted.`,
        "",
      ].join("\n"),
    );

    const steps = interactive ? BEFORE_TUI : PLAIN_STEPS;
    for (const [i, step] of steps.entries()) {
      process.stdout.write(`\n${out.bold(`[${i + 1}/${steps.length}] $ specwright ${step.args.join(" ")}`)}  ${out.dim(`# ${step.what}`)}\n`);
      const code = await runStep(step, target, env, noColor);
      if (code !== EXIT.ok) {
        process.stderr.write(`\nspecwright: the demo stopped at \`specwright ${step.args.join(" ")}\` (exit ${code}); the project is in ${shown}\n`);
        return code;
      }
      if (step === BUILD) {
        const excerpt = await fixLoopExcerpt(target);
        if (excerpt) process.stdout.write(`\n${out.dim("# from the build's trace: the failing verify and the fix")}\n${excerpt}\n`);
      }
    }
    if (interactive) {
      process.stdout.write(
        `\nOpening the terminal UI on ${shown}: 3 then R audits, 4 then P plans, 5 then b builds, 6 shows the traces; ? lists every key, q quits.\n`,
      );
      // Keys typed from here on, after the line that names them, are the TUI's.
      keys?.handOver();
      const { runApp } = await import("../../../ui/run-app.js");
      await runApp({ cwd: target, env, noColor });
    }
    process.stdout.write("\n" + demoClosingNote(ctx.out, shown, existsSync(join(target, BUILT_PROGRAM))) + "\n");
    return EXIT.ok;
  } finally {
    await server.close();
  }
}

/** Runs one step as the real command, in its own process, printing straight to this terminal or pipe. */
function runStep(step: Step, cwd: string, env: NodeJS.ProcessEnv, noColor: boolean): Promise<number> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, [MAIN, ...step.args, "-C", cwd, ...(noColor ? ["--no-color"] : [])], { stdio: ["ignore", "inherit", "inherit"], env });
    // Ctrl-C reaches the child too (same process group); it stops cleanly and
    // exits 130, and the demo stops after it instead of dying under it.
    const ignore = () => undefined;
    process.on("SIGINT", ignore);
    child.on("error", (error) => {
      process.off("SIGINT", ignore);
      reject(error);
    });
    child.on("close", (code, signal) => {
      process.off("SIGINT", ignore);
      resolvePromise(code ?? (signal ? EXIT.interrupted : EXIT.failure));
    });
  });
}

/** The example's command line, once a build wrote it. */
const BUILT_PROGRAM = "output/src/cli.mjs";

/** What the demo leaves behind; the built program only when a build wrote it (q at once in the TUI builds nothing). */
export function demoClosingNote(out: Palette, shown: string, built: boolean): string {
  return [
    out.bold(`The demo project is in ${shown}`),
    built
      ? `  the built program:  node ${shown}/${BUILT_PROGRAM} --top 5 ${shown}/specs/wordfreq.smd`
      : `  nothing was built:  \`specwright -C ${shown}\` opens it again (5 then b builds), or \`specwright -C ${shown} build\``,
    `  plan and findings:  ${shown}/.specwright/ (every prompt and reply under runs/)`,
    "",
    "Every reply came from the scripted demo (not a model). With a real model instead:",
    "  ollama serve                  # if Ollama is not already running",
    `  ollama pull ${DEFAULT_MODEL}  # the model [model] default names in specwright.toml`,
    `  cp -r ${displayPath(process.cwd(), exampleDir())} my-wordfreq && cd my-wordfreq`,
    "  specwright audit && specwright plan && specwright build",
  ].join("\n");
}

/** Relative when it is below the working directory, else absolute: "../../tmp/x" helps nobody. */
function displayPath(cwd: string, path: string): string {
  const rel = relative(cwd, path);
  return rel === "" ? "." : rel.startsWith("..") || isAbsolute(rel) ? path : rel;
}
