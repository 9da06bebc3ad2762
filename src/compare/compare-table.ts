// The comparison as lines of at most 80 columns, for `specwright compare` and
// the TUI's compare view alike: a title, the table of means, with --runs K the
// spread, and what the columns mean. Pure.

import { join } from "node:path";
import { tokens } from "../report/report-format.js";
import { formatTable } from "../cli/table.js";
import { COMPARE_DIR, RESULT_FILE } from "./compare-folder.js";
import { compareRows, type CompareDocument } from "./compare-result.js";
import { spreadCell, type Spread } from "./spread.js";

export interface CompareLine {
  text: string;
  bold?: boolean;
}

/** A longer model name is cut in the table (the JSON has it whole). */
const MODEL_COLUMN = 24;

export function compareTableLines(doc: CompareDocument): CompareLine[] {
  const rows = compareRows(doc);
  const k = doc.inputs.runs;
  const tasks = doc.inputs.tasks.length;
  const out: CompareLine[] = [
    { text: `Comparison ${doc.id}`, bold: true },
    { text: `${tasks} task${tasks === 1 ? "" : "s"}${doc.inputs.only.length > 0 ? ` (--only ${doc.inputs.only.join(",")} and what they need)` : ""}, fix budget ${doc.inputs.maxFixAttempts}, ${k} run${k === 1 ? "" : "s"} per model,` },
    { text: doc.sideBySide ? `side by side: ${doc.sideBySide.map((l) => `${l.model} on ${l.endpoints.join(" + ")}`).join(", ")}` : `one model after another on ${doc.host}` },
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
  if (rows.some((r) => r.unfinished > 0)) out.push({ text: "* runs not finished yet are left out; rerun the same command to finish them." });
  out.push({ text: `${RESULT_FILE}, and each run's output, state and traces (<model>/run-<k>/), in` }, { text: `  ${join(COMPARE_DIR, doc.id)}/` });
  return out;
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
