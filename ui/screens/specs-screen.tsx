// Specs: every spec file with its validation state, the selected file's
// diagnostics with source excerpts, and `e` to open it in $EDITOR (the UI
// hands over the terminal and takes it back). A change on disk re-validates.

import { Box, Text } from "ink";
import { spawnSync } from "node:child_process";
import { watch } from "node:fs";
import { join } from "node:path";
import { useCallback, useEffect, useState } from "react";
import { loadProjectSpecs, type ProjectSpecs } from "../../src/specs/project-specs.js";
import { useActions, useProject, useScreenCommands } from "../app-context.js";
import { diagnosticLines, plural } from "../format.js";
import { CURSOR, theme } from "../theme.js";
import { useLoader } from "../use-loader.js";
import type { ScreenProps } from "./screen-props.js";

export function SpecsScreen({ active, height }: ScreenProps) {
  const project = useProject();
  const actions = useActions();
  const { loaded } = project;
  const load = useCallback(() => loadProjectSpecs(loaded!), [loaded]);
  const [specs, reload] = useLoader<ProjectSpecs>(loaded && !project.configBroken ? load : undefined, [loaded, active]);
  const [cursor, setCursor] = useState(0);

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

  const files = specs.value?.sources ?? [];
  const selected = files[Math.min(cursor, files.length - 1)];

  useScreenCommands("specs", (command) => {
    switch (command) {
      case "cursor.up":
        setCursor((c) => Math.max(0, c - 1));
        return true;
      case "cursor.down":
        setCursor((c) => Math.min(files.length - 1, c + 1));
        return true;
      case "reload":
        reload();
        return true;
      case "specs.edit":
      case "open": {
        if (!selected || !loaded) return true;
        const editor = project.env.VISUAL || project.env.EDITOR || "vi";
        actions.suspend(() => {
          const result = spawnSync(editor, [join(loaded.root, selected.file)], { stdio: "inherit", shell: true });
          if (result.error) actions.flash(`cannot start ${editor}: ${result.error.message} — set $EDITOR`);
        });
        reload();
        return true;
      }
      default:
        return false;
    }
  });

  if (!loaded || (specs.state === "loading" && !specs.value)) return <Text dimColor>reading specs…</Text>;
  const value = specs.value;
  if (!value) return <Text color={theme.error}>cannot read the specs{specs.state === "failed" ? `: ${specs.error}` : ""}</Text>;
  if (files.length === 0) return <Text>No spec files in {loaded.config.project.specDir}/ yet. `specwright new &lt;name&gt;` writes one from a template.</Text>;

  const listRows = Math.min(files.length, Math.max(3, Math.floor(height / 3)));
  const first = Math.max(0, Math.min(cursor - Math.floor(listRows / 2), files.length - listRows));
  const mine = selected ? value.diagnostics.filter((d) => d.file === selected.file) : [];
  const lines = diagnosticLines(mine, value.sources.map((s) => [s.file, s.text] as [string, string]));
  const errors = mine.filter((d) => d.severity === "error").length;
  return (
    <Box flexDirection="column">
      {files.slice(first, first + listRows).map((f, i) => {
        const fileErrors = value.diagnostics.filter((d) => d.file === f.file && d.severity === "error").length;
        const fileWarnings = value.diagnostics.filter((d) => d.file === f.file && d.severity === "warning").length;
        return (
          <Text key={f.file} wrap="truncate-end">
            {first + i === cursor ? CURSOR : " "} {fileErrors > 0 ? <Text color={theme.error}>✗</Text> : <Text color={theme.ok}>✓</Text>} {f.file}
            <Text dimColor>{fileErrors + fileWarnings > 0 ? ` ${plural(fileErrors, "error")}, ${plural(fileWarnings, "warning")}` : ""}</Text>
          </Text>
        );
      })}
      <Text bold color={errors > 0 ? theme.error : theme.ok}>
        {selected?.file}: {mine.length === 0 ? "valid" : `${plural(errors, "error")}, ${plural(mine.length - errors, "other diagnostic")}`} · e opens it in {project.env.VISUAL || project.env.EDITOR || "vi ($EDITOR is unset)"}
      </Text>
      {lines.slice(0, Math.max(0, height - listRows - 1)).map((line, i) => (
        <Text key={i} wrap="truncate-end">
          {line === "" ? " " : line}
        </Text>
      ))}
    </Box>
  );
}
