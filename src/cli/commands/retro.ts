// `specwright retro [--last N]`: one reviewer-model call over a budgeted
// digest of the last N tasks built; the answer goes to .specwright/retros/.

import { relative } from "node:path";
import { readLatestRetro, retroEventLine, runRetro } from "../../report/retro.js";
import { askStartOf } from "../../report/spec-change-request.js";
import { UsageError, parseCommand } from "../args.js";
import { openProject } from "../command-context.js";
import { EXIT, modelExitCode } from "../exit-codes.js";
import { formatModelEvent, writeProgress } from "../progress.js";

export async function run(args: string[]): Promise<number> {
  let last = 20;
  const parsed = parseCommand("retro", args, { last: { type: "string" }, model: { type: "string" }, ask: { type: "string" }, yes: { type: "boolean", short: "y" } }, 0, (p) => {
    if (p.values.ask !== undefined) {
      if (!/^[1-9]\d*$/.test(p.values.ask)) throw new UsageError(`--ask '${p.values.ask}' is not a recommendation number`, "e.g. --ask 2 sends the latest retro's recommendation 2 to `specwright ask`");
      if (p.values.last !== undefined) throw new UsageError("--ask sends a recommendation of the latest retro; it makes no new retro, so --last does not apply", "e.g. specwright retro --ask 2");
    } else if (p.values.yes === true) throw new UsageError("--yes goes with --ask (it accepts the proposal, like ask --yes)", "e.g. specwright retro --ask 2 --yes");
    if (p.values.last !== undefined) {
      last = Number(p.values.last);
      if (!Number.isInteger(last) || last < 1 || last > 500) throw new UsageError(`--last '${p.values.last}' is not a number of tasks from 1 to 500`, "e.g. --last 20");
    }
  });
  if (typeof parsed === "number") return parsed;
  const project = await openProject(parsed.values);
  if (!project.ok) return project.exitCode;
  const { ctx, loaded } = project;
  if (parsed.values.ask !== undefined) return askRecommendation(args, Number(parsed.values.ask), loaded.root);
  const result = await runRetro({
    loaded,
    env: ctx.env,
    last,
    onEvent: (e) => writeProgress(retroEventLine(e)),
    onModelEvent: (e) => writeProgress(formatModelEvent(e, ctx.err)),
  });
  switch (result.kind) {
    case "nothing":
      process.stderr.write(`specwright: ${result.message}\n`);
      return EXIT.failure;
    case "not-started":
      process.stderr.write(`specwright: ${result.message} — hint: ${result.hint}\n`);
      return EXIT.failure;
    case "failed":
      process.stderr.write(`specwright: ${result.error.message}\n  hint: ${result.error.hint}\n  trace: ${result.traceDir}\n`);
      return result.interrupted ? EXIT.interrupted : modelExitCode(result.error);
    case "written": {
      const file = relative(loaded.root, result.file);
      if (ctx.json) {
        process.stdout.write(JSON.stringify({ file, json: relative(loaded.root, result.jsonFile), model: result.model, tasks: result.digest.tasks, leftOut: result.digest.leftOut, promptTokens: result.promptTokens, ...result.answer, requests: result.requests }, null, 2) + "\n");
        return EXIT.ok;
      }
      const out = [ctx.out.bold(`Retrospective over ${result.digest.tasks.length} task${result.digest.tasks.length === 1 ? "" : "s"} (${result.model})`), "", result.answer.summary.trim(), ""];
      result.requests.forEach((r, i) => out.push(`${i + 1}. ${r.request}`, `   why: ${r.why} (${r.tasks.join(", ")})`));
      if (result.requests.length === 0) out.push("No recommendations.");
      out.push("", `written to ${file} (and ${relative(loaded.root, result.jsonFile)}, with each recommendation as a spec-change request)`);
      process.stdout.write(out.join("\n") + "\n");
      return EXIT.ok;
    }
  }
}

/** `retro --ask N`: `specwright ask` with recommendation N's arguments (as printed in the retro), the other flags passed on. */
async function askRecommendation(args: string[], n: number, root: string): Promise<number> {
  const latest = await readLatestRetro(root);
  if (latest.kind === "none") {
    process.stderr.write("specwright: no retro yet in .specwright/retros/ — hint: `specwright retro` writes one\n");
    return EXIT.failure;
  }
  if (latest.kind === "unreadable") {
    process.stderr.write(`specwright: ${latest.file} cannot be read: ${latest.message} — hint: run \`specwright retro\` again\n`);
    return EXIT.failure;
  }
  const request = latest.requests[n - 1];
  if (!request) {
    process.stderr.write(`specwright: ${latest.file} has ${latest.requests.length} recommendation${latest.requests.length === 1 ? "" : "s"}, not ${n} — hint: \`specwright retro --ask 1\`…\n`);
    return EXIT.usage;
  }
  const rest: string[] = [];
  for (let i = 0; i < args.length; i++) {
    if (args[i] === "--ask") i++;
    else if (!args[i]!.startsWith("--ask=")) rest.push(args[i]!);
  }
  process.stderr.write(`retro: sending ${latest.file} recommendation ${n} to ask\n`);
  const ask = await import("./ask.js");
  const start = askStartOf(request);
  return ask.run([...request.ask.slice(1), ...rest], { source: start.source, tasks: start.tasks });
}
