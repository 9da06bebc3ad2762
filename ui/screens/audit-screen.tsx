// Audit: findings grouped by spec and severity; per finding the spec line it
// points at, the issue and the suggestion; dismiss with a reason, accept, or
// reopen — saved to findings.json. Running an audit stays `specwright audit`.

import { Box, Text } from "ink";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { useCallback, useState } from "react";
import { splitLines } from "../../grammar/diagnostic.js";
import { useActions, useProject, useScreenCommands } from "../app-context.js";
import { loadFindings, triageFinding, type FindingsData } from "../data/findings-data.js";
import { cell, plural, wrapLines } from "../format.js";
import { CURSOR, severityTone, theme, toneColor } from "../theme.js";
import { useLoader } from "../use-loader.js";
import type { ScreenProps } from "./screen-props.js";

export function AuditScreen({ active, height, width }: ScreenProps) {
  const { loaded } = useProject();
  const actions = useActions();
  const root = loaded?.root;
  const load = useCallback(() => loadFindings(root!), [root]);
  const [data, reload] = useLoader<FindingsData>(root ? load : undefined, [root, active]);
  const [cursor, setCursor] = useState(0);
  const findings = data.value?.ok ? data.value.findings : [];
  const selected = findings[Math.min(cursor, findings.length - 1)];
  const loadExcerpt = useCallback(async () => {
    if (!root || !selected) return undefined;
    const text = await readFile(join(root, selected.file), "utf8").catch(() => undefined);
    return text === undefined ? undefined : splitLines(text)[selected.line - 1];
  }, [root, selected?.file, selected?.line]);
  const [excerpt] = useLoader<string | undefined>(root && selected ? loadExcerpt : undefined, [root, selected?.file, selected?.line]);

  const settle = async (problem: Promise<string | undefined>, done: string) => {
    const p = await problem;
    actions.flash(p ?? done);
    reload();
  };

  useScreenCommands("audit", (command) => {
    switch (command) {
      case "cursor.up":
        setCursor((c) => Math.max(0, c - 1));
        return true;
      case "cursor.down":
        setCursor((c) => Math.min(findings.length - 1, c + 1));
        return true;
      case "reload":
        reload();
        return true;
      case "audit.dismiss":
        if (root && selected) {
          void actions.prompt(`Why dismiss ${selected.id}?`, "", "a reason is required · Enter saves · Esc cancels").then((reason) => {
            if (reason !== undefined) void settle(triageFinding(root, selected.id, { action: "dismiss", reason }), `${selected.id} dismissed`);
          });
        }
        return true;
      case "audit.accept":
        if (root && selected) void settle(triageFinding(root, selected.id, { action: "accept" }), `${selected.id} accepted`);
        return true;
      case "audit.reopen":
        if (root && selected) void settle(triageFinding(root, selected.id, { action: "reopen" }), `${selected.id} reopened`);
        return true;
      default:
        return false;
    }
  });

  if (!root || (data.state === "loading" && !data.value)) return <Text dimColor>reading findings…</Text>;
  if (data.value && !data.value.ok) return <Text color={theme.error}>{data.value.problem}</Text>;
  if (findings.length === 0) return <Text>No findings. `specwright audit` asks the audit model to look for gaps and contradictions.</Text>;

  const open = findings.filter((f) => f.status === "open").length;
  const detail = selected ? wrapLines(`${selected.issue}\nsuggestion: ${selected.suggestion}${selected.reason ? `\nreason: ${selected.reason}` : ""}`, width - 2) : [];
  const detailRows = Math.min(detail.length, Math.max(2, Math.floor(height / 3)));
  const listRows = Math.max(1, height - 1 - 2 - detailRows);
  const first = Math.max(0, Math.min(cursor - Math.floor(listRows / 2), findings.length - listRows));
  return (
    <Box flexDirection="column">
      <Text bold>
        Findings · {open} open of {plural(findings.length, "finding")}
      </Text>
      {findings.slice(first, first + listRows).map((f, i) => {
        const showSpec = first + i === 0 || findings[first + i - 1]!.spec !== f.spec;
        return (
          <Text key={f.id} wrap="truncate-end" dimColor={f.status !== "open"}>
            {first + i === cursor ? CURSOR : " "} {cell(showSpec ? (f.spec === "*" ? "cross" : f.spec) : "", 10)} {cell(f.id, 9)}{" "}
            <Text color={toneColor(severityTone(f.severity))}>{cell(f.severity, 8)}</Text> {cell(f.status, 10)} {f.issue}
          </Text>
        );
      })}
      {selected ? (
        <Box flexDirection="column">
          <Text wrap="truncate-end" color={theme.accent}>
            {selected.file}:{selected.line} § {selected.section}
          </Text>
          <Text wrap="truncate-end" dimColor>
            {String(selected.line)} | {excerpt.value ?? ""}
          </Text>
          {detail.slice(0, detailRows).map((line, i) => (
            <Text key={i}>{line === "" ? " " : line}</Text>
          ))}
        </Box>
      ) : null}
    </Box>
  );
}
