// The project's own places (output, spec and context dirs) as the path policy
// in plans/output-path.ts needs them: every command that checks a plan or
// writes a task's files asks for the layout here, from the effective config.

import type { ProjectLayout } from "../../plans/output-path.js";
import type { SpecwrightConfig } from "./types.js";

export function projectLayout(config: SpecwrightConfig): ProjectLayout {
  return { outputDir: config.output.dir, specDir: config.project.specDir, contextDir: config.project.contextDir };
}
