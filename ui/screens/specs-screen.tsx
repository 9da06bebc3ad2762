// Specs: every spec file with its validation state and its `[inferred]` items
// (text a model added, highlighted until a person confirms it), the selected
// file's diagnostics with source excerpts, `e` to open it in $EDITOR (the UI
// hands over the terminal and takes it back), `n` for a new spec from a
// template, `D` to draft one from your words with the drafter model (the ask
// panel, like `new --draft`) and `c` to confirm an inferred item (an intent
// entry, like `specwright confirm`). A change on disk re-validates.

import { Box, Text } from "ink";
import { spawnSync } from "node:child_process";
import { watch } from "node:fs";
import { join, relative } from "node:path";
import { useCallback, useEffect, useMemo, useRef } from "react";
import { inferredItems, type InferredItem } from "../../grammar/inferred-items.js";
import { intentAuthor } from "../../src/intent/author.js";
import { decideInferred } from "../../src/intent/confirm.js";
import { draftTarget } from "../../src/intent/draft-target.js";
import { createSpecFile, splitSpecName } from "../../src/project/new-spec.js";
import { loadProjectSpecs, type ProjectSpecs } from "../../src/specs/project-specs.js";
import { useActions, useProject, useScreenCommands, useScreenSelection } from "../app-context.js";
import { diagnosticBlocks, fitDiagnostics, plural, wrapHanging } from "../format.js";
import { CURSOR, theme } from "../theme.js";
import { useLiveReducer } from "../use-live-reducer.js";
import { useLoader } from "../use-loader.js";
import type { ScreenProps } from "./screen-props.js";

/** A row of the list: a spec file, or one of its inferred items under it. */
export type SpecRow = { kind: "file"; file: string; inferred: number } | { kind: "item"; file: string; item: InferredItem };

/** The list's rows: each file followed by its inferred items. */
export function specRows(sources: readonly { file: string; text: string }[]): SpecRow[] {
  return sources.flatMap((s) => {
    const items = inferredItems(s.text, s.file);
    return [{ kind: "file" as const, file: s.file, inferred: items.length }, ...items.map((item) => ({ kind: "item" as const, file: s.file, item }))];
  });
}

type CursorAction = { type: "move"; by: number; rows: number } | { type: "to"; at: number };
const cursorReducer = (at: number, action: CursorAction): number =>
  action.type === "to" ? Math.max(0, action.at) : action.rows <= 0 ? 0 : Math.max(0, Math.min(action.rows - 1, at + action.by));

export function SpecsScreen({ active, height, width }: ScreenProps) {
  const project = useProject();
  const actions = useActions();
  const { loaded } = project;
  const load = useCallback(() => loadProjectSpecs(loaded!), [loaded]);
  const [specs, reload] = useLoader<ProjectSpecs>(loaded && !project.configBroken ? load : undefined, [loaded, active]);
  const [cursorState, moveCursor, liveCursor] = useLiveReducer(cursorReducer, () => 0);

  // Re-validate when a spec file changes on disk (an editor in another window, git checkout).
  const specDir = loaded ? join(loaded.root, loaded.config.project.specDir) : undefined;
  useEffect(() => {
    if (!specDir || !active) return;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let watcher: ReturnType<typeof watch> | undefined;
    try {
      watcher = watch(specDir, () => {
        clearTimeout(timer);
        timer = setTimeout(reload, 150);
      });
      watcher.on("error", () => undefined);
    } catch {
      // No spec dir yet: nothing to watch.
    }
    return () => {
      clearTimeout(timer);
      watcher?.close();
    };
  }, [specDir, active, reload]);

  const value = specs.value;
  const rows = useMemo(() => specRows(value?.sources ?? []), [value]);
  const rowsRef = useRef(rows);
  rowsRef.current = rows;
  // A file just created: select it once the reload lists it.
  const pendingSelect = useRef<string | undefined>(undefined);
  useEffect(() => {
    const wanted = pendingSelect.current;
    if (!wanted) return;
    const at = rows.findIndex((r) => r.kind === "file" && r.file === wanted);
    if (at >= 0) {
      pendingSelect.current = undefined;
      moveCursor({ type: "to", at });
    }
  }, [rows, moveCursor]);

  const cursor = Math.min(cursorState, Math.max(0, rows.length - 1));
  const selectedRow = rows[cursor];
  const selectedFile = value?.sources.find((s) => s.file === selectedRow?.file);

  const newSpec = async () => {
    if (!loaded) return;
    const answer = await actions.prompt("New spec name", "", "word-count writes word-count.smd; add .amd or .vmd for those templates");
    if (answer === undefined || answer.trim() === "") return;
    const { name, kind } = splitSpecName(answer);
    const created = await createSpecFile(loaded.root, loaded.config.project.specDir, name, kind ?? "smd");
    if (!created.ok) {
      actions.flash(`${created.message} — ${created.hint}`);
      return;
    }
    const file = relative(loaded.root, created.path);
    pendingSelect.current = file;
    actions.flash(`created ${file} from the ${created.kind} template (spec ${created.id})`);
    reload();
  };

  /** A spec drafted from the person's words: the name here, the words in the ask panel, the draft reviewed there. */
  const draftSpec = async () => {
    if (!loaded) return;
    const answer = await actions.prompt("Name of the spec to draft", "", "word-count drafts word-count.smd from your words (the drafter model)");
    if (answer === undefined || answer.trim() === "") return;
    const target = draftTarget(loaded.root, loaded.config.project.specDir, splitSpecName(answer).name);
    if (!target.ok) {
      actions.flash(`${target.message} — ${target.hint}`);
      return;
    }
    pendingSelect.current = target.file;
    actions.ask({ draft: { file: target.file, id: target.id } });
  };

  /** Confirming is a decision about intent: logged as an entry like `specwright confirm`. */
  const confirm = async (row: Extract<SpecRow, { kind: "item" }>) => {
    if (!loaded) return;
    const result = await decideInferred(loaded, { file: row.file, line: row.item.line }, "confirm", await intentAuthor(loaded.root, project.env), { source: "tui specs" });
    actions.flash(result.ok ? `${result.id}: confirmed ${row.file}:${row.item.line} — the [inferred] marker is gone` : `${result.message} — ${result.hint}`);
    reload();
  };

  useScreenSelection("specs", () => {
    const row = rowsRef.current[Math.min(liveCursor(), Math.max(0, rowsRef.current.length - 1))];
    return row ? { file: row.file, ...(row.kind === "item" ? { line: row.item.line } : {}) } : undefined;
  });

  useScreenCommands("specs", (command) => {
    const list = rowsRef.current;
    const row = list[Math.min(liveCursor(), Math.max(0, list.length - 1))];
    switch (command) {
      case "cursor.up":
      case "cursor.down":
        moveCursor({ type: "move", by: command === "cursor.up" ? -1 : 1, rows: list.length });
        return true;
      case "reload":
        reload();
        return true;
      case "specs.new":
        void newSpec();
        return true;
      case "specs.draft":
        void draftSpec();
        return true;
      case "specs.confirm":
        if (row?.kind === "item") void confirm(row);
        else actions.flash(row && row.kind === "file" && row.inferred > 0 ? "move to one of its [inferred] items (↓), then c confirms it" : "nothing here is marked [inferred]");
        return true;
      case "specs.edit": {
        if (!row || !loaded) return true;
        const editor = project.env.VISUAL || project.env.EDITOR || "vi";
        actions.suspend(() => {
          const result = spawnSync(editor, [join(loaded.root, row.file)], { stdio: "inherit", shell: true });
          if (result.error) actions.flash(`cannot start ${editor}: ${result.error.message} — set $EDITOR`);
        });
        reload();
        return true;
      }
      default:
        return false;
    }
  }, (command) => {
    const row = rows[cursor];
    if (command === "specs.edit") return row ? undefined : "no spec selected";
    if (command === "specs.confirm") return row?.kind === "item" ? undefined : "select an [inferred] item first (none is selected)";
    if (command === "specs.new" || command === "specs.draft") return loaded ? undefined : "the project is still loading";
    return undefined;
  });

  if (!loaded || (specs.state === "loading" && !value)) return <Text dimColor>reading specs…</Text>;
  if (!value) return <Text color={theme.error}>cannot read the specs{specs.state === "failed" ? `: ${specs.error}` : ""}</Text>;
  if (rows.length === 0) return <Text>No spec files in {loaded.config.project.specDir}/ yet. n writes one from a template.</Text>;

  const listRows = Math.min(rows.length, Math.max(3, Math.floor(height / 3)));
  const first = Math.max(0, Math.min(cursor - Math.floor(listRows / 2), rows.length - listRows));
  const mine = selectedFile ? value.diagnostics.filter((d) => d.file === selectedFile.file) : [];
  const errors = mine.filter((d) => d.severity === "error").length;
  const editor = project.env.VISUAL || project.env.EDITOR || "vi ($EDITOR is unset)";
  // The selected file's state and what a key does with it, whole however long its path (run-on lines indented).
  const status = wrapHanging(
    `${selectedFile?.file}: ${mine.length === 0 ? "valid" : `${plural(errors, "error")}, ${plural(mine.length - errors, "other diagnostic")}`} · ${selectedRow?.kind === "item" ? "c confirms the selected [inferred] item" : `e opens it in ${editor}`}`,
    width,
    "  ",
  );
  // Each diagnostic whole (its excerpt gives way first), those with no room counted.
  const lines = fitDiagnostics(diagnosticBlocks(mine, value.sources.map((s) => [s.file, s.text] as [string, string]), width), Math.max(0, height - listRows - status.length), (n) =>
    `… ${plural(n, "more diagnostic")}: \`specwright validate ${selectedFile?.file ?? ""}\` lists them all`,
  );
  return (
    <Box flexDirection="column">
      {rows.slice(first, first + listRows).map((r, i) => {
        const mark = first + i === cursor ? CURSOR : " ";
        if (r.kind === "item") {
          return (
            <Text key={`${r.file}:${r.item.line}`} wrap="truncate-end" color={theme.warning}>
              {mark} {"   "}[inferred] {r.item.line}: {r.item.kind === "heading" ? "### " : "- "}
              {r.item.text}
            </Text>
          );
        }
        const fileErrors = value.diagnostics.filter((d) => d.file === r.file && d.severity === "error").length;
        const fileWarnings = value.diagnostics.filter((d) => d.file === r.file && d.severity === "warning").length;
        return (
          <Text key={r.file} wrap="truncate-end">
            {mark} {fileErrors > 0 ? <Text color={theme.error}>✗</Text> : <Text color={theme.ok}>✓</Text>} {r.file}
            <Text dimColor>{fileErrors + fileWarnings > 0 ? ` ${plural(fileErrors, "error")}, ${plural(fileWarnings, "warning")}` : ""}</Text>
            {r.inferred > 0 ? <Text color={theme.warning}> · {r.inferred} [inferred] to confirm</Text> : null}
          </Text>
        );
      })}
      {status.map((line, i) => (
        <Text key={`s${i}`} bold color={errors > 0 ? theme.error : theme.ok}>
          {line}
        </Text>
      ))}
      {lines.map((line, i) => (
        <Text key={i} wrap="truncate-end">
          {line === "" ? " " : line}
        </Text>
      ))}
    </Box>
  );
}
