// `specwright doctor`: what the Ollama server and the role's model can do,
// measured (src/doctor.ts), with a fix for each problem. Exit 0 when the
// server and model are usable (warnings allowed), 3 when they are not, 2 for a
// config gap, 1 for another error.

import { ROLES, type Role } from "../../config/types.js";
import { runDoctor, type DoctorReport } from "../../doctor.js";
import { UsageError, parseCommand } from "../args.js";
import { openProject } from "../command-context.js";
import { EXIT, faultExitCode } from "../exit-codes.js";
import type { Palette } from "../style.js";

const OPTIONS = {
  role: { type: "string" },
  model: { type: "string" },
  "no-probe": { type: "boolean" },
} as const;

export async function run(args: string[]): Promise<number> {
  const parsed = parseCommand("doctor", args, OPTIONS, 0, (p) => {
    const role = p.values.role;
    if (role !== undefined && !(ROLES as readonly string[]).includes(role)) {
      throw new UsageError(`unknown role '${role}'`, `roles: ${ROLES.join(", ")}`);
    }
  });
  if (typeof parsed === "number") return parsed;
  const v = parsed.values;
  const project = await openProject(v, { project: "optional" });
  if (!project.ok) return project.exitCode;
  const { ctx, loaded } = project;
  const controller = new AbortController();
  const onSignal = () => controller.abort();
  process.once("SIGINT", onSignal);
  let report: DoctorReport;
  try {
    report = await runDoctor({ config: loaded.config, role: (v.role as Role | undefined) ?? "build", probe: v["no-probe"] !== true, env: ctx.env, signal: controller.signal });
  } finally {
    process.removeListener("SIGINT", onSignal);
  }
  if (controller.signal.aborted) return EXIT.interrupted;
  if (ctx.json) process.stdout.write(JSON.stringify(report, null, 2) + "\n");
  else process.stdout.write(render(report, ctx.out));
  if (report.fault) return faultExitCode(report.fault);
  return report.problems.some((p) => p.severity === "error") ? EXIT.failure : EXIT.ok;
}

function render(r: DoctorReport, out: Palette): string {
  const yes = (b: boolean) => (b ? out.green("yes") : out.yellow("no"));
  const lines: string[] = [];
  if (r.endpoints) {
    lines.push(out.bold("Endpoints"));
    for (const e of r.endpoints) {
      const state = e.reachable ? out.green(`up${e.version ? ` (${e.version})` : ""}`) : out.red("unreachable");
      lines.push(`  ${e.endpoint}  ${e.kind}, ${e.slots} slot${e.slots === 1 ? "" : "s"}, ${state}`, `    models          ${[...e.models, ...e.missing.map((m) => out.red(`${m} (not on the server)`))].join(", ") || "-"}`);
    }
    lines.push("", out.dim(`The checks below are of ${r.host}, the first endpoint serving the role's model.`), "");
  }
  lines.push(out.bold("Server"), `  host              ${r.host}`);
  if (r.server.reachable) {
    lines.push(
      `  version           ${r.server.version ?? "unknown"}`,
      `  refuses overflow  ${yes(r.server.refusesOverflow)}  (truncate:false, 0.12.6+)`,
      `  prompt counts     ${r.server.promptEvalCount === "all" ? "whole prompt" : r.server.promptEvalCount === "uncached" ? out.yellow("uncached only") : "unknown"}`,
      `  /api/ps context   ${r.server.psReportsLoadedContext ? "the loaded one" : out.yellow("the requested one")}`,
    );
  } else {
    lines.push(`  reachable         ${out.red("no")}`);
  }
  if (r.model) {
    const m = r.model;
    lines.push("", out.bold(`Model (${m.role})`), `  name              ${m.name}${m.installed ? "" : out.red("  not installed")}`);
    if (m.installed) {
      lines.push(
        `  digest            ${m.digest ? m.digest.slice(0, 12) : "?"}`,
        `  size / quant      ${m.parameterSize ?? "?"} · ${m.quantization ?? "?"}${m.remote ? " · cloud" : ""}`,
        `  max context       ${m.maxContext ?? "not reported"}`,
        `  capabilities      ${m.capabilities.join(", ") || "?"}`,
        `  tokenizer         ${m.tokenizerFamily ?? "unknown"}${m.estimateMargin !== null ? ` (estimate margin ×${m.estimateMargin})` : ""}`,
      );
    }
  }
  if (r.run) {
    lines.push(
      "",
      out.bold("Run"),
      `  num_ctx           ${r.run.configuredNumCtx === "auto" ? `auto (sized per run from its largest prompt; the probe used ${r.run.numCtx})` : r.run.numCtx}`,
      `  loaded context    ${r.run.loadedContext ?? (r.probe ? "not reported" : "not loaded (--no-probe)")}`,
      `  output budget     ${r.run.outputBudget} tokens per build call`,
      `  think             ${r.run.think ? "on" : "off"}${r.run.loadMs !== null ? `\n  load              ${(r.run.loadMs / 1000).toFixed(1)} s` : ""}`,
    );
  }
  if (r.probe) {
    const p = r.probe;
    const n = (x: number | undefined, unit: string, digits = 1) => (x === undefined ? "?" : `${x.toFixed(digits)} ${unit}`);
    lines.push(
      "",
      out.bold("Probe (the same short prompt twice)"),
      `  prompt eval       ${p.promptTokens ?? "?"} tokens in ${n(p.promptEvalMs, "ms")} → ${n(p.promptTokensPerSecond, "tokens/s")}`,
      `  generation        ${p.evalCount ?? "?"} tokens → ${n(p.tokensPerSecond, "tokens/s")}`,
      `  prefix cache      ${p.prefixCache === "works" ? out.green("works") : p.prefixCache === "not-working" ? out.red("not working") : "unknown"} — ${p.prefixCacheEvidence}`,
    );
  }
  lines.push("");
  if (r.problems.length === 0) lines.push(out.green("No problems found."));
  for (const p of r.problems) lines.push(`${p.severity === "error" ? out.red("error") : out.yellow("warning")}: ${p.problem}`, `  fix: ${p.fix}`);
  lines.push(out.dim(`(${(r.wallMs / 1000).toFixed(2)} s)`));
  return lines.join("\n") + "\n";
}
