// `specwright doctor`: what the model server (Ollama, or the OpenAI-compatible
// llama-server, vLLM or LM Studio an endpoint names) and the role's model can
// do, measured (src/doctor.ts), with a fix for each problem, in lines of at
// most 80 columns. Exit 0 when the server and model are usable (warnings
// allowed), 3 when they are not, 2 for a config gap, 1 for another error.

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

/** Text output fits an 80-column terminal; rows put their values in one column. */
const WIDTH = 80;
const VALUE_COLUMN = 20;

const visibleLength = (text: string) => text.replace(/\u001b\[\d+m/g, "").length;

/**
 * `prefix` then `text`, broken between words so that no line is wider than
 * 80 columns, each later line starting with `indent`. A word wider than the
 * room (a long URL, a quoted command) stays whole on its own line: a value
 * is never cut.
 */
function fit(prefix: string, text: string, indent: string): string[] {
  const lines: string[] = [];
  let line = prefix;
  let start = true;
  for (const word of unbreakable(text)) {
    if (start && word === "") continue;
    const next = start ? line + word : `${line} ${word}`;
    if (start || visibleLength(next) <= WIDTH) {
      line = next;
      start = false;
      continue;
    }
    lines.push(line);
    line = indent + word;
    start = word === "";
  }
  lines.push(line);
  return lines;
}

/** The words of `text`, a `quoted command` kept as one word so that it can be copied whole. */
function unbreakable(text: string): string[] {
  const words: string[] = [];
  let open = false;
  for (const word of text.split(" ")) {
    if (open) words[words.length - 1] += ` ${word}`;
    else words.push(word);
    if ((word.split("`").length - 1) % 2 === 1) open = !open;
  }
  return words;
}

/** A labelled row: the label in the first column, the value (wrapped under itself) in the second. */
function row(label: string, value: string): string[] {
  return fit(`  ${label}`.padEnd(VALUE_COLUMN), value, " ".repeat(VALUE_COLUMN));
}

/** The Server section's rows: Ollama's version and what it supports, or what an OpenAI-compatible server says of itself. */
function serverRows(server: DoctorReport["server"], out: Palette): string[] {
  const yes = (b: boolean) => (b ? out.green("yes") : out.yellow("no"));
  if (!server.reachable) return row("reachable", out.red("no"));
  if (server.kind === "openai") {
    const given = server.totalSlots !== null && server.slots > server.totalSlots ? out.yellow(`given ${server.slots}`) : `given ${server.slots}`;
    return [
      ...row("server", server.flavour === null ? "unknown" : FLAVOURS[server.flavour]),
      ...row("version", server.version ?? "not reported"),
      ...row("served context", server.servedContext ? `${server.servedContext.tokens} tokens (${server.servedContext.from})` : out.yellow("not reported: set model.num_ctx to the server's")),
      ...row("total slots", `${server.totalSlots ?? "not reported"} (this endpoint is ${given})`),
      ...row("models", server.models.join(", ") || "-"),
      ...row("api key", server.apiKeyEnv === null ? "none (no api_key_env)" : server.apiKeyEnv.set ? `${server.apiKeyEnv.name} is set` : out.yellow(`${server.apiKeyEnv.name} is not set`)),
    ];
  }
  return [
    ...row("version", server.version ?? "unknown"),
    ...row("refuses overflow", `${yes(server.refusesOverflow)}  (truncate:false, 0.12.6+)`),
    ...row("prompt counts", server.promptEvalCount === "all" ? "whole prompt" : server.promptEvalCount === "uncached" ? out.yellow("uncached only") : "unknown"),
    ...row("/api/ps context", server.psReportsLoadedContext ? "the loaded one" : out.yellow("the requested one")),
  ];
}

/** How each OpenAI-compatible flavour is named, with what told it apart (models/openai-server.ts). */
const FLAVOURS: Record<NonNullable<Extract<DoctorReport["server"], { kind: "openai" }>["flavour"]>, string> = {
  "llama-server": "llama.cpp llama-server (answers /props)",
  vllm: "vLLM (its /v1/models)",
  lmstudio: "LM Studio (answers /api/v0/models)",
  openai: "OpenAI-compatible (only /v1/models; a gateway or another server)",
};

/**
 * The Model section's rows below its name: what the server can say of the
 * model. An OpenAI-compatible server reports no digest, size, quantization or
 * capabilities, so it gets no rows for them rather than a row of `?`.
 */
function modelRows(r: DoctorReport, m: NonNullable<DoctorReport["model"]>): string[] {
  const tokenizer = row("tokenizer", `${m.tokenizerFamily ?? "unknown"}${m.estimateMargin !== null ? ` (estimate margin ×${m.estimateMargin})` : ""}`);
  if (m.kind === "openai") {
    const served = r.server.kind === "openai" ? r.server.servedContext : null;
    const context = m.maxContext === null ? "not reported" : served ? `${m.maxContext} (the server's, ${served.from})` : `${m.maxContext} (model.num_ctx; the server says none)`;
    return [
      ...(m.file !== undefined ? row("file", m.file) : []),
      // vLLM's root is the id unless it was started with --served-model-name.
      ...(m.root !== undefined && m.root !== m.name ? row("root", m.root) : []),
      ...(m.trainedContext !== undefined ? row("trained for", `${m.trainedContext} tokens (n_ctx_train)`) : []),
      ...row("max context", context),
      ...tokenizer,
      ...row("prompt tokens", m.promptCounting === "server" ? "counted by the server (/tokenize) before sending" : "estimated (the server cannot count them)"),
    ];
  }
  return [
    ...row("digest", m.digest ? m.digest.slice(0, 12) : "?"),
    ...row("size / quant", `${m.parameterSize ?? "?"} · ${m.quantization ?? "?"}${m.remote ? " · cloud" : ""}`),
    ...row("max context", String(m.maxContext ?? "not reported")),
    ...row("capabilities", m.capabilities.join(", ") || "?"),
    ...tokenizer,
  ];
}

/** num_ctx "auto": Ollama sizes the window per run; an OpenAI-compatible server's window was fixed when it started. */
function autoNumCtx(r: DoctorReport, numCtx: number): string {
  if (r.server.kind === "openai") return `auto (the server's window: ${numCtx})`;
  return `auto (sized per run from its largest prompt; the probe used ${numCtx})`;
}

function render(r: DoctorReport, out: Palette): string {
  const lines: string[] = [];
  if (r.endpoints) {
    lines.push(out.bold("Endpoints"));
    for (const e of r.endpoints) {
      const state = e.reachable ? out.green(`up${e.version ? ` (${e.version})` : ""}`) : out.red("unreachable");
      lines.push(...fit(`  ${e.endpoint}  `, `${e.kind}, ${e.slots} slot${e.slots === 1 ? "" : "s"}, ${state}`, " ".repeat(VALUE_COLUMN)));
      lines.push(...fit("    models".padEnd(VALUE_COLUMN), [...e.models, ...e.missing.map((m) => out.red(`${m} (not on the server)`))].join(", ") || "-", " ".repeat(VALUE_COLUMN)));
    }
    lines.push("", ...fit("", `The checks below are of ${r.host}, the first endpoint serving the role's model.`, "").map((l) => out.dim(l)), "");
  }
  lines.push(out.bold("Server"), ...row("host", r.host), ...serverRows(r.server, out));
  if (r.model) {
    const m = r.model;
    lines.push("", out.bold(`Model (${m.role})`), ...row("name", `${m.name}${m.installed ? "" : out.red(`  not ${m.kind === "openai" ? "served" : "installed"}`)}`));
    if (m.installed) lines.push(...modelRows(r, m));
  }
  if (r.run) {
    lines.push(
      "",
      out.bold("Run"),
      ...row("num_ctx", String(r.run.configuredNumCtx === "auto" ? autoNumCtx(r, r.run.numCtx) : r.run.numCtx)),
      ...row("loaded context", String(r.run.loadedContext ?? (r.probe ? "not reported" : "not loaded (--no-probe)"))),
      ...row("output budget", `${r.run.outputBudget} tokens per build call`),
      ...row("think", r.run.think ? "on" : "off"),
      ...(r.run.loadMs !== null ? row("load", `${(r.run.loadMs / 1000).toFixed(1)} s`) : []),
    );
  }
  if (r.probe) {
    const p = r.probe;
    // vLLM reports no prompt-eval time, and a reply too short to time has no speed: say so rather than print `?`.
    const tokens = (count: number | undefined) => (count === undefined ? "tokens not reported" : `${count} tokens`);
    const timed = p.promptEvalMs !== undefined ? ` in ${p.promptEvalMs.toFixed(1)} ms${p.promptTokensPerSecond !== undefined ? ` → ${p.promptTokensPerSecond.toFixed(1)} tokens/s` : ""}` : " (the server reports no timing)";
    lines.push(
      "",
      out.bold("Probe (the same short prompt twice)"),
      ...row("prompt eval", `${tokens(p.promptTokens)}${timed}`),
      ...row("generation", `${tokens(p.evalCount)}${p.tokensPerSecond !== undefined ? ` → ${p.tokensPerSecond.toFixed(1)} tokens/s` : " (no speed reported)"}`),
      ...row("prefix cache", `${p.prefixCache === "works" ? out.green("works") : p.prefixCache === "not-working" ? out.red("not working") : "unknown"} — ${p.prefixCacheEvidence}`),
    );
  }
  lines.push("");
  if (r.problems.length === 0) lines.push(out.green("No problems found."));
  for (const p of r.problems) {
    const severity = p.severity === "error" ? out.red("error") : out.yellow("warning");
    lines.push(...fit(`${severity}: `, p.problem, " ".repeat(p.severity.length + 2)), ...fit("  fix: ", p.fix, "       "));
  }
  lines.push(out.dim(`(${(r.wallMs / 1000).toFixed(2)} s)`));
  return lines.join("\n") + "\n";
}
