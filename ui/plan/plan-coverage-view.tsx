// The plan screen's coverage view: `specwright status --coverage` as a
// scrollable table — every requirement, acceptance criterion, contract,
// property and verification case with the tasks that reference it, what
// checks it and its last result — and the selected item's whole id, words,
// place and checks underneath. The same core functions name each cell.

import { Box, Text } from "ink";
import { checksText, itemLabel, resultText, whereText, type CoverageItem } from "../../src/cases/coverage.js";
import { cell, plural } from "../format.js";
import { fitColumns, widest } from "../table-columns.js";
import { CURSOR, inColor, theme } from "../theme.js";

export interface PlanCoverageViewProps {
  /** Undefined while the plan has errors (nothing to map) — the table says so. */
  items: readonly CoverageItem[] | undefined;
  cursor: number;
  /** Rows for the whole view. */
  height: number;
  width: number;
}

function resultColor(item: CoverageItem): string | undefined {
  if (item.noVerify) return undefined;
  return item.result === "fail" ? theme.error : item.result === "pass" ? theme.ok : item.result === "unchecked" ? theme.warning : undefined;
}

/** `20 items: 18 pass, 1 FAIL, 1 unchecked · 2 in no task` */
export function coverageSummary(items: readonly CoverageItem[]): string {
  const count = (f: (i: CoverageItem) => boolean) => items.filter(f).length;
  const fail = count((i) => i.result === "fail");
  const notRun = count((i) => i.result === "not-run");
  const unchecked = count((i) => i.result === "unchecked" && !i.noVerify);
  const unreferenced = count((i) => i.tasks.length === 0 && !i.noVerify);
  const parts = [`${count((i) => i.result === "pass")} pass`, ...(fail > 0 ? [`${fail} FAIL`] : []), ...(notRun > 0 ? [`${notRun} not run`] : []), ...(unchecked > 0 ? [`${unchecked} unchecked`] : [])];
  return `${plural(items.length, "item")}: ${parts.join(", ")}${unreferenced > 0 ? ` · ${unreferenced} in no task` : ""}`;
}

export function PlanCoverageView({ items, cursor, height, width }: PlanCoverageViewProps) {
  if (items === undefined) return <Text color={theme.warning}>No coverage while the plan has errors; fix them first (the table shows them).</Text>;
  const header = (
    <Text bold wrap="truncate-end">
      Coverage · {coverageSummary(items)}
      <Text dimColor> · c or Esc back</Text>
    </Text>
  );
  if (items.length === 0) {
    return (
      <Box flexDirection="column">
        {header}
        <Text>The specs have no requirements, criteria, contracts, properties or cases to cover.</Text>
      </Box>
    );
  }
  const selected = items[Math.min(cursor, items.length - 1)]!;
  const listRows = Math.max(1, height - 4);
  const first = Math.max(0, Math.min(cursor - Math.floor(listRows / 2), items.length - listRows));
  // The result and the place are never cut; the spec goes first (it shows only where it changes), then the checks, the tasks, the item.
  const [specWidth, itemWidth, tasksWidth, checksWidth, resultWidth] = fitColumns(
    [
      { natural: widest(["SPEC", ...items.map((i) => i.spec)]), min: 0, giveWay: 1 },
      { natural: widest(["ITEM", ...items.map(itemLabel)]), min: 12, giveWay: 4 },
      { natural: widest(["TASKS", ...items.map((i) => i.tasks.join(",") || "none")]), min: 4, giveWay: 3 },
      { natural: widest(["CHECKED BY", ...items.map(checksText)]), min: 0, giveWay: 2 },
      { natural: 9, whole: true },
      { natural: widest(["WHERE", ...items.map((i) => whereText(i, items))]), whole: true },
    ],
    width - 2,
  ) as [number, number, number, number, number, number];
  const checks = selected.checks.map((c) => `${c.kind === "verify" ? "" : `${c.kind} `}${c.name}${c.task ? ` (${c.task})` : ""}: ${c.result}`).join(" · ");
  return (
    <Box flexDirection="column">
      {header}
      <Text bold wrap="truncate-end">
        {"  "}
        {specWidth > 0 ? `${cell("SPEC", specWidth)} ` : ""}
        {cell("ITEM", itemWidth)} {cell("TASKS", tasksWidth)} {checksWidth > 0 ? `${cell("CHECKED BY", checksWidth)} ` : ""}
        {cell("RESULT", resultWidth)} WHERE
      </Text>
      {items.slice(first, first + listRows).map((item, i) => {
        const at = first + i;
        const showSpec = at === first || items[at - 1]!.spec !== item.spec;
        return (
          <Text key={`${item.spec}/${item.id}`} wrap="truncate-end">
            {at === cursor ? CURSOR : " "} {specWidth > 0 ? `${cell(showSpec ? item.spec : "", specWidth)} ` : ""}
            {cell(itemLabel(item), itemWidth)} <Text {...inColor(item.tasks.length === 0 && !item.noVerify ? theme.warning : undefined)}>{cell(item.tasks.join(",") || "none", tasksWidth)}</Text>{" "}
            {checksWidth > 0 ? `${cell(checksText(item), checksWidth)} ` : ""}
            <Text {...inColor(resultColor(item))}>{cell(resultText(item), resultWidth)}</Text> {whereText(item, items)}
          </Text>
        );
      })}
      <Text wrap="truncate-end" color={theme.accent}>
        {selected.file}:{selected.line} {selected.spec} {selected.id} — {selected.text}
      </Text>
      <Text wrap="truncate-end" dimColor>
        checked by: {checks || (selected.noVerify ? "nothing ({.no-verify})" : "nothing")}
      </Text>
    </Box>
  );
}
