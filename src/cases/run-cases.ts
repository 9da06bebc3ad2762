// Runs verification cases against an output dir, with the verify runner's
// guarantees (own process group, timeout, capped output, CI=1, stdin closed):
// function units through the harness specwright writes (harness-python.ts,
// harness-node.ts) in a temp dir, command scenarios each in a fresh copy of
// the output dir (Ossature's "each scenario gets a fresh directory"; the
// steps of one scenario share it). The output dir itself is never written.

import { cp, mkdtemp, readdir, rm, stat, symlink, writeFile } from "node:fs/promises";
import { access, constants } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import type { JsonValue, VmdCommandStep, VmdStreamCheck, VmdWord } from "../../grammar/ast.js";
import { pyRegex } from "../../grammar/py-regex.js";
import { runVerifyCommand, type VerifyCommandResult } from "../build/verify-runner.js";
import type { Redactor } from "../traces/redact.js";
import { describeExpectation, type CaseUnit, type CommandUnit, type FunctionUnit } from "./case-units.js";
import { NODE_HARNESS } from "./harness-node.js";
import { PYTHON_HARNESS } from "./harness-python.js";

export type CaseStatus = "pass" | "fail" | "not-run";

export interface CaseResult {
  /** Stable identity (see FunctionCase.id): `SPEC:group/case` or `SPEC:scenario:slug`. */
  id: string;
  unitId: string;
  spec: string;
  file: string;
  line: number;
  /** `group/case` or `scenario: name`. */
  label: string;
  status: CaseStatus;
  /** What the case expects, in words. */
  expectation: string;
  /** What happened (the return value, the error, the exit code and output), or "" when not run. */
  actual: string;
  /** Why it failed or was not run, when the actual value alone does not say. */
  detail?: string;
  durationMs: number;
}

export interface RunCasesOptions {
  outputDir: string;
  /** Per harness run and per scenario step (`build.verify_timeout`). */
  timeoutMs: number;
  signal?: AbortSignal;
  redactor?: Redactor;
  maxOutputBytes?: number;
  /** Called as each unit starts (for progress lines). */
  onUnit?: (unit: CaseUnit) => void;
}

const CASE_MARK = "@@specwright-case ";
const MAX_SHOWN = 2000;

function clip(text: string): string {
  return text.length <= MAX_SHOWN ? text : `${text.slice(0, MAX_SHOWN)}… (${text.length - MAX_SHOWN} more characters)`;
}

/** Runs every unit; results come in unit order, one per case. Never throws for what the code under test does. */
export async function runCases(units: readonly CaseUnit[], options: RunCasesOptions): Promise<CaseResult[]> {
  const results = new Map<string, CaseResult[]>();
  const functionUnits = units.filter((u): u is FunctionUnit => u.kind === "function");
  const runnable = functionUnits.filter((u) => u.notRunnable === undefined);
  for (const u of functionUnits.filter((u) => u.notRunnable !== undefined)) results.set(u.id, notRun(u, u.notRunnable!));
  for (const language of ["python", "javascript", "typescript"] as const) {
    const batch = runnable.filter((u) => u.language === language);
    if (batch.length === 0) continue;
    for (const u of batch) options.onUnit?.(u);
    for (const [id, r] of await runHarness(language, batch, options)) results.set(id, r);
  }
  for (const u of units) {
    if (u.kind !== "command") continue;
    if (options.signal?.aborted) {
      results.set(u.id, [{ ...originOf(u), id: u.id, label: u.label, status: "not-run", expectation: describeScenario(u.steps), actual: "", detail: "interrupted", durationMs: 0 }]);
      continue;
    }
    options.onUnit?.(u);
    results.set(u.id, [await runScenario(u, options)]);
  }
  return units.flatMap((u) => results.get(u.id) ?? []);
}

function originOf(u: CaseUnit): Pick<CaseResult, "unitId" | "spec" | "file" | "line"> {
  return { unitId: u.id, spec: u.spec, file: u.file, line: u.line };
}

function caseLabel(u: FunctionUnit, name: string): string {
  return u.label.startsWith("scenario: ") ? u.label : `${u.label}/${name}`;
}

function notRun(u: FunctionUnit, why: string): CaseResult[] {
  return u.cases.map((c) => ({ ...originOf(u), id: c.id, line: c.line, label: caseLabel(u, c.name), status: "not-run" as const, expectation: describeExpectation(u, c), actual: "", detail: why, durationMs: 0 }));
}

// ---------------------------------------------------------------------------
// Function units

/** JSON for the node harness: non-finite numbers tagged (JSON has none), the rest as is. */
function tagNumbers(value: JsonValue): unknown {
  if (typeof value === "number" && !Number.isFinite(value)) return { __specwright_number__: String(value) };
  if (Array.isArray(value)) return value.map(tagNumbers);
  if (value !== null && typeof value === "object") return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, tagNumbers(v)]));
  return value;
}

function shellQuote(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch {
    return false;
  }
}

async function runHarness(language: "python" | "javascript" | "typescript", units: FunctionUnit[], options: RunCasesOptions): Promise<Map<string, CaseResult[]>> {
  const out = new Map<string, CaseResult[]>();
  let runner: string;
  if (language === "python") {
    runner = "python3";
  } else if (language === "javascript") {
    runner = shellQuote(process.execPath);
  } else {
    // Node 20 cannot import TypeScript by itself: use the project's tsx when it has one.
    if (!(await exists(join(options.outputDir, "node_modules", "tsx")))) {
      for (const u of units) out.set(u.id, notRun(u, "TypeScript components need tsx in the output dir's node_modules (npm install --save-dev tsx) for specwright's harness to import them"));
      return out;
    }
    runner = `${shellQuote(process.execPath)} --import tsx`;
  }
  const dir = await mkdtemp(join(tmpdir(), "specwright-cases-"));
  try {
    const payload = {
      root: resolve(options.outputDir),
      units: units.map((u) => ({
        id: u.id,
        module: u.module,
        target: u.target,
        params: u.params,
        modes: u.modes,
        approx_tol: u.approxTol,
        // The node harness gets the patterns already translated from Python's `re`.
        pattern: Object.fromEntries(
          u.cases.flatMap((c) => {
            if (c.expect.kind !== "value" || typeof c.expect.value !== "string" || !u.modes.includes("matches")) return [];
            const r = pyRegex(c.expect.value);
            return r.ok ? [[c.expect.value, { source: r.regex.source, flags: r.regex.flags }]] : [];
          }),
        ),
        cases: u.cases.map((c) =>
          language === "python"
            ? { name: c.name, inputs: c.rawInputs, expect: c.expect.kind === "value" ? { kind: "value", raw: c.expect.raw } : c.expect }
            : { name: c.name, inputs: tagNumbers(c.inputs), expect: c.expect.kind === "value" ? { kind: "value", value: tagNumbers(c.expect.value) } : c.expect },
        ),
      })),
    };
    const script = join(dir, language === "python" ? "harness.py" : "harness.mjs");
    const data = join(dir, "cases.json");
    await writeFile(script, language === "python" ? PYTHON_HARNESS : NODE_HARNESS);
    await writeFile(data, JSON.stringify(payload));
    const started = performance.now();
    const run = await runVerifyCommand(`exec ${runner} ${shellQuote(script)} ${shellQuote(data)}`, {
      cwd: options.outputDir,
      timeoutMs: options.timeoutMs,
      separateStreams: true,
      // Imports must not leave __pycache__ in the output dir.
      env: { PYTHONDONTWRITEBYTECODE: "1" },
      ...(options.signal ? { signal: options.signal } : {}),
      ...(options.redactor ? { redactor: options.redactor } : {}),
      ...(options.maxOutputBytes !== undefined ? { maxOutputBytes: options.maxOutputBytes } : {}),
    });
    const seen = new Map<string, { ok: boolean; actual: string; detail: string }>();
    for (const line of (run.stdout ?? "").split("\n")) {
      if (!line.startsWith(CASE_MARK)) continue;
      try {
        const r = JSON.parse(line.slice(CASE_MARK.length)) as { unit: string; case: string; ok: boolean; actual: string; detail: string };
        seen.set(`${r.unit}\u0000${r.case}`, { ok: r.ok === true, actual: String(r.actual ?? ""), detail: String(r.detail ?? "") });
      } catch {
        // a line the code under test printed that happens to start like ours: not a result
      }
    }
    const perCase = (performance.now() - started) / Math.max(1, units.reduce((n, u) => n + u.cases.length, 0));
    const missingWhy = harnessStopped(run, language);
    for (const u of units) {
      out.set(
        u.id,
        u.cases.map((c) => {
          const r = seen.get(`${u.id}\u0000${c.name}`);
          const base = { ...originOf(u), id: c.id, line: c.line, label: caseLabel(u, c.name), expectation: describeExpectation(u, c), durationMs: perCase };
          if (!r) return { ...base, status: missingWhy.notRun ? ("not-run" as const) : ("fail" as const), actual: "", detail: missingWhy.text };
          const result: CaseResult = { ...base, status: r.ok ? "pass" : "fail", actual: clip(r.actual) };
          if (r.detail) result.detail = clip(r.detail);
          return result;
        }),
      );
    }
    return out;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** Why a case has no result line: the harness timed out, was stopped, or crashed (with its output). */
function harnessStopped(run: VerifyCommandResult, language: string): { notRun: boolean; text: string } {
  if (run.aborted) return { notRun: true, text: "interrupted" };
  if (run.timedOut) return { notRun: false, text: `the ${language} harness timed out before this case (build.verify_timeout)` };
  if (run.exitCode === 127 && language === "python") return { notRun: true, text: "python3 was not found on PATH, so the Python cases cannot run" };
  const tail = run.output.trim().split("\n").filter((l) => !l.startsWith(CASE_MARK)).slice(-15).join("\n");
  return { notRun: false, text: clip(`the ${language} harness stopped before this case (exit ${run.exitCode ?? run.signal ?? "?"})${tail ? `:\n${tail}` : ""}`) };
}

// ---------------------------------------------------------------------------
// Command scenarios

// Heavy folders a scenario reads but never needs its own copy of.
const LINKED = new Set(["node_modules", "target", ".venv", "venv", "zig-out"]);

/** A fresh copy of the output dir for one scenario: `.git` left out, heavy folders linked. */
async function freshCopy(outputDir: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), "specwright-scenario-"));
  for (const entry of await readdir(outputDir, { withFileTypes: true })) {
    if (entry.name === ".git") continue;
    const from = join(outputDir, entry.name);
    if (entry.isDirectory() && LINKED.has(entry.name)) await symlink(from, join(dir, entry.name));
    else await cp(from, join(dir, entry.name), { recursive: true, verbatimSymlinks: true });
  }
  return dir;
}

/** Where Ossature's harness looks for a program before PATH. */
async function resolveProgram(dir: string, name: string): Promise<string> {
  if (name.includes("/")) return name;
  for (const rel of ["target/release", "target/debug", "zig-out/bin", "build", "bin", "."]) {
    const full = join(dir, rel, name);
    try {
      if ((await stat(full)).isFile()) {
        await access(full, constants.X_OK);
        return full;
      }
    } catch {
      // not here
    }
  }
  return name;
}

function octal(bytes: Uint8Array): string {
  return [...bytes].map((b) => `\\${b.toString(8).padStart(3, "0")}`).join("");
}

/** The `sh` script that execs argv exactly: byte words are made with printf, so invalid UTF-8 reaches the program. */
function execScript(argv: readonly VmdWord[]): { ok: true; script: string } | { ok: false; why: string } {
  const lines: string[] = [];
  const words: string[] = [];
  for (const [i, word] of argv.entries()) {
    if (typeof word === "string") {
      if (word.includes("\u0000")) return { ok: false, why: "an argument holds a NUL byte, which no program can receive" };
      words.push(shellQuote(word));
    } else {
      if (word.includes(0)) return { ok: false, why: "an argument holds a NUL byte, which no program can receive" };
      // `$(…)` drops trailing newlines: print a sentinel after the bytes and cut it off.
      lines.push(`w${i}=$(printf '${octal(word)}x'); w${i}=\${w${i}%x}`);
      words.push(`"$w${i}"`);
    }
  }
  lines.push(`exec ${words.join(" ")}`);
  return { ok: true, script: lines.join("\n") };
}

function showWord(word: VmdWord): string {
  if (typeof word !== "string") return [...word].map((b) => `\\x${b.toString(16).padStart(2, "0")}`).join("");
  return /^[\w@%+=:,./-]+$/.test(word) ? word : JSON.stringify(word);
}

function describeCheck(channel: string, check: VmdStreamCheck): string {
  return check.mode === "empty" ? `${channel} empty` : `${channel} ${check.mode} ${JSON.stringify(check.text)}`;
}

function describeStep(step: VmdCommandStep): string {
  const parts = [`exit ${step.exitCode}`];
  if (step.stdoutLines) parts.push(`stdout is ${JSON.stringify(step.stdoutLines.join("\n"))}`);
  if (step.stdout) parts.push(describeCheck("stdout", step.stdout));
  if (step.stderr) parts.push(describeCheck("stderr", step.stderr));
  return `$ ${step.argv.map(showWord).join(" ")} → ${parts.join(", ")}`;
}

function describeScenario(steps: readonly VmdCommandStep[]): string {
  return steps.map(describeStep).join("; then ");
}

function withoutOneNewline(text: string): string {
  return text.endsWith("\n") ? text.slice(0, -1) : text;
}

function checkStream(actual: string, check: VmdStreamCheck, channel: string): string | undefined {
  const text = check.text ?? "";
  if (check.mode === "empty") return actual === "" ? undefined : `${channel} is not empty`;
  if (check.mode === "has") return actual.includes(text) ? undefined : `${channel} does not contain ${JSON.stringify(text)}`;
  if (check.mode === "is") return actual === text || withoutOneNewline(actual) === text ? undefined : `${channel} is not ${JSON.stringify(text)}`;
  const r = pyRegex(text);
  if (!r.ok) return `the pattern ${JSON.stringify(text)} cannot be used: ${r.message}`;
  return r.regex.test(actual) ? undefined : `${channel} does not match ${JSON.stringify(text)}`;
}

async function runScenario(u: CommandUnit, options: RunCasesOptions): Promise<CaseResult> {
  const started = performance.now();
  const base = { ...originOf(u), id: u.id, label: u.label, expectation: describeScenario(u.steps) };
  const dir = await freshCopy(options.outputDir);
  try {
    for (const [index, step] of u.steps.entries()) {
      const argv = [...step.argv];
      if (typeof argv[0] === "string") argv[0] = await resolveProgram(dir, argv[0]);
      const exec = execScript(argv);
      const where = u.steps.length > 1 ? `step ${index + 1} (${describeStep(step)}): ` : "";
      if (!exec.ok) return { ...base, status: "fail", actual: "", detail: where + exec.why, durationMs: performance.now() - started };
      const run = await runVerifyCommand(exec.script, {
        cwd: dir,
        timeoutMs: options.timeoutMs,
        separateStreams: true,
        ...(options.signal ? { signal: options.signal } : {}),
        ...(options.redactor ? { redactor: options.redactor } : {}),
        ...(options.maxOutputBytes !== undefined ? { maxOutputBytes: options.maxOutputBytes } : {}),
      });
      const stdout = run.stdout ?? "";
      const stderr = run.stderr ?? "";
      const actual = clip(`exit ${run.exitCode ?? run.signal ?? "?"}${stdout ? `; stdout: ${JSON.stringify(stdout)}` : "; stdout empty"}${stderr ? `; stderr: ${JSON.stringify(stderr)}` : ""}`);
      if (run.aborted) return { ...base, status: "not-run", actual: "", detail: "interrupted", durationMs: performance.now() - started };
      const problems: string[] = [];
      if (run.timedOut) problems.push(`timed out after ${Math.round(options.timeoutMs / 1000)} s (build.verify_timeout)`);
      else if (run.spawnError) problems.push(`could not start: ${run.spawnError}`);
      else if (run.exitCode !== step.exitCode) problems.push(`exit ${run.exitCode ?? run.signal}, expected ${step.exitCode}`);
      if (!run.timedOut && !run.spawnError) {
        if (step.stdoutLines) {
          const expected = step.stdoutLines.join("\n");
          if (stdout !== expected && withoutOneNewline(stdout) !== expected) problems.push(`stdout is not the ${step.stdoutLines.length} expected line(s)`);
        }
        if (step.stdout) problems.push(...[checkStream(stdout, step.stdout, "stdout")].filter((p): p is string => p !== undefined));
        if (step.stderr) problems.push(...[checkStream(stderr, step.stderr, "stderr")].filter((p): p is string => p !== undefined));
      }
      if (problems.length > 0) return { ...base, status: "fail", actual, detail: where + problems.join("; "), durationMs: performance.now() - started };
    }
    return { ...base, status: "pass", actual: "", durationMs: performance.now() - started };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
