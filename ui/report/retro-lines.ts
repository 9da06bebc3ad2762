// The Retro section of the Report view: the latest retrospective's summary
// and its recommendations, one of them picked (a sends it to the ask panel).
// Pure, so a test can check what 80 columns show without rendering.

import type { LatestRetro } from "../../src/report/retro.js";
import { wrapProse } from "../format.js";
import type { ReportLine } from "./report-lines.js";

export interface RetroLines {
  lines: ReportLine[];
  /** The line each recommendation starts on, by its index: the view scrolls the picked one into sight. */
  starts: number[];
}

/** The retro (or why there is none) as lines no wider than `width`, the picked recommendation marked. */
export function retroLines(latest: LatestRetro, pick: number, width: number): RetroLines {
  switch (latest.kind) {
    case "none":
      return { lines: wrapProse("No retrospective yet. n asks the reviewer model which spec passages caused the fixes (specwright retro: one call over the last 20 tasks built).", width).map((text) => ({ text, tone: "dim" })), starts: [] };
    case "unreadable":
      return {
        lines: [...wrapProse(`${latest.file} cannot be read: ${latest.message}`, width).map((text) => ({ text, tone: "error" as const })), ...wrapProse("n writes a new retrospective.", width).map((text) => ({ text, tone: "dim" as const }))],
        starts: [],
      };
    case "found":
      break;
  }
  const count = latest.requests.length;
  const lines: ReportLine[] = [
    { text: cut(`${latest.file} · ${latest.model || "model unknown"} · ${count} recommendation${count === 1 ? "" : "s"}`, width), tone: "header" },
    ...wrapProse(latest.summary.trim() || "(no summary)", width).map((text) => ({ text, tone: "dim" as const })),
  ];
  if (count === 0) {
    lines.push({ text: "" }, { text: "No recommendations: the model found nothing in the specs to change.", tone: "dim" });
    return { lines, starts: [] };
  }
  const starts: number[] = [];
  latest.requests.forEach((r, i) => {
    lines.push({ text: "" });
    starts.push(lines.length);
    const mark = i === pick ? "›" : " ";
    const head = `${mark} ${i + 1}. ${r.tasks.length > 0 ? r.tasks.join(", ") : "no task named"}`;
    lines.push({ text: cut(head, width), ...(i === pick ? { tone: "header" as const } : {}) });
    for (const text of wrapProse(r.request, width - 5)) lines.push({ text: `     ${text}` });
    for (const text of wrapProse(`why: ${r.why}`, width - 5)) lines.push({ text: `     ${text}`, tone: "dim" });
  });
  return { lines, starts };
}

/** The first line to show so the picked recommendation is whole in view when it can be (the summary stays while it fits). */
export function retroScroll(retro: RetroLines, pick: number, rows: number): number {
  const start = retro.starts[pick];
  if (start === undefined) return 0;
  const end = retro.starts[pick + 1] !== undefined ? retro.starts[pick + 1]! - 1 : retro.lines.length;
  if (end <= rows) return 0;
  return Math.max(0, Math.min(start, retro.lines.length - rows));
}

function cut(text: string, width: number): string {
  return text.length > width ? text.slice(0, Math.max(0, width - 1)) + "…" : text;
}
