// The comparison as lines of at most 80 columns, for `specwright compare` and
// the TUI's compare view alike: a title, the table of means, with --runs K the
// spread, and what the columns mean. Pure.

import { join } from "node:path";
import { tokens } from "../report/report-format.js";
import { formatTable } from "../cli/table.js";
import { COMPARE_DIR, RESULT_FILE } from "./compare-folder.js";
import { compareRows, type CompareDocument, type CompareRun } from "./compare-result.js";
import { spreadCell, type Spread } from "./spread.js";

export interface CompareLine {
  text: string;
  bold?: boolean;
}

/** A longer model name is cut in the table (the JSON has it whole). */
const MODEL_COLUMN = 24;
/** Every line fits a terminal of 80 columns. */
const WIDTH = 80;

export function compareTableLines(doc: CompareDocument): CompareLine[] {
  const rows = compareRows(doc);
  const k = doc.inputs.runs;
  const tasks = doc.inputs.tasks.length;
  const out: CompareLine[] = [
    { text: `Comparison ${doc.id}`, bold: true },
    { text: `${tasks} task${tasks === 1 ? "" : "s"}${doc.inputs.only.length > 0 ? ` (--only ${doc.inputs.only.join(",")} and what they need)` : ""}, fix budget ${doc.inputs.maxFixAttempts}, ${k} run${k === 1 ? "" : "s"} per model,` },
    // Side by side names every model's endpoints: wrapped, so the line fits 80 columns.
    ...wrapped("", doc.sideBySide ? `side by side: ${doc.sideBySide.map((l) => `${l.model} on ${l.endpoints.join(" + ")}`).join(", ")}` : `one model after another on ${doc.host}`, "  ").map((text) => ({ text })),
    { text: "" },
  ];
  const mean = (s: Spread, f: (v: number) => string) => (s.mean === undefined ? "–" : f(s.mean));
  const table = formatTable(
    ["MODEL", "1ST TRY", "FIXED", "FAILED", "ATTEMPTS", "TOKENS", "WALL", "TOK/S"],
    rows.map((r) => [
      cut(r.model) + (r.unfinished > 0 ? "*" : ""),
      mean(r.firstTry, count),
      mean(r.afterFixes, count),
      mean(r.failed, count),
      mean(r.attempts, count),
      mean(r.tokens, (v) => tokens(Math.round(v))),
      mean(r.wallMs, wall),
      mean(r.tokensPerSecond, (v) => v.toFixed(1)),
    ]),
  ).split("\n");
  out.push({ text: table[0]!, bold: true }, ...table.slice(1).map((text) => ({ text })));
  if (k > 1) {
    const seeds = doc.models[0]?.runs.map((r) => r.seed) ?? [];
    out.push({ text: "" }, { text: `Spread over ${k > 1 ? `${k} runs` : "1 run"} (mean (lowest–highest); seeds ${seeds.length > 4 ? `${seeds[0]}–${seeds[seeds.length - 1]}` : seeds.join(", ")})`, bold: true });
    const spread = formatTable(
      ["MODEL", "1ST TRY", "FIXED", "FAILED", "ATTEMPTS", "WALL"],
      rows.map((r) => [cut(r.model), spreadCell(r.firstTry), spreadCell(r.afterFixes), spreadCell(r.failed), spreadCell(r.attempts), spreadCell(r.wallMs, wall)]),
    ).split("\n");
    out.push({ text: spread[0]!, bold: true }, ...spread.slice(1).map((text) => ({ text })));
  }
  out.push(
    { text: "" },
    { text: "1ST TRY: passed on the first attempt; FIXED: passed after fixes; FAILED: failed" },
    { text: "or blocked by a failed task; TOKENS: prompt + output; TOK/S: generation." },
  );
  if (rows.some((r) => r.unfinished > 0)) {
    out.push({ text: "* runs not finished yet are left out; rerun the same command to finish them:" });
    for (const m of doc.models) {
      for (const run of m.runs.filter((r) => r.status !== "done")) out.push(...wrapped("  ", unfinishedRun(m.model, run, k, tasks), "    ").map((text) => ({ text })));
    }
  }
  out.push({ text: `${RESULT_FILE}, and each run's output, state and traces (<model>/run-<k>/), in` }, { text: `  ${join(COMPARE_DIR, doc.id)}/` });
  return out;
}

/** Where an unfinished run stands, and why it stopped when it did not stop for Ctrl-C (a server gone, a model that cannot chat). */
function unfinishedRun(model: string, run: CompareRun, runs: number, tasks: number): string {
  const label = runs > 1 ? `${model} run ${run.run}` : model;
  const settled = Object.keys(run.tasks).length;
  if (run.status === "could-not-start") return `${label}: could not start — ${run.message ?? "no reason recorded"}`;
  if (run.message !== undefined) return `${label}: could not finish (${settled} of ${tasks} tasks settled) — ${run.message}`;
  if (run.status === "pending" && settled === 0) return `${label}: not run yet`;
  return `${label}: stopped after ${settled} of ${tasks} tasks`;
}

/** Words to lines of at most `width` columns (80): the first led by `first`, the rest by `indent`; a longer word is cut. */
export function wrapped(first: string, text: string, indent: string, width = WIDTH): string[] {
  const lines: string[] = [];
  let line = first;
  let empty = true;
  for (const word of text.split(" ").filter((w) => w !== "")) {
    if (!empty && line.length + 1 + word.length > width) {
      lines.push(line);
      line = indent;
      empty = true;
    }
    line = empty ? line + word : `${line} ${word}`;
    empty = false;
    while (line.length > width) {
      lines.push(line.slice(0, width));
      line = indent + line.slice(width);
    }
  }
  lines.push(line);
  return lines;
}

function count(v: number): string {
  return Number.isInteger(v) ? String(v) : v.toFixed(1);
}

function cut(model: string): string {
  return model.length <= MODEL_COLUMN ? model : `${model.slice(0, MODEL_COLUMN - 1)}…`;
}

/** Wall time in at most 8 characters: "41.0 s", "12m05s", "2h03m". */
export function wall(ms: number): string {
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  const s = Math.round(ms / 1000);
  if (s < 3600) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, "0")}s`;
  return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, "0")}m`;
}
