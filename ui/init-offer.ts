// Outside a project the app offers to start one where it was opened: the same
// files `specwright init` writes, then the project is loaded. Asked once when
// the app finds no project; `i` on the Overview asks again.

import { relative } from "node:path";
import { useEffect, useRef } from "react";
import { scaffoldProject } from "../src/project/scaffold.js";
import type { AppActions, ProjectState } from "./app-context.js";

/** Asks, and on yes writes the project into `cwd` and reloads it. */
export async function offerInit(cwd: string, actions: AppActions, reload: () => Promise<void>): Promise<void> {
  const yes = await actions.confirm(`No specwright project here. Create one in ${cwd}?`, [
    "Writes specwright.toml, an example spec (specs/greeter.smd and .amd), context/",
    "and .gitignore entries, like `specwright init`; existing files are kept.",
  ]);
  if (!yes) {
    actions.flash("no project created; i on the Overview offers it again");
    return;
  }
  try {
    const entries = await scaffoldProject(cwd);
    const created = entries.filter((e) => e.outcome === "created").map((e) => relative(cwd, e.path));
    await reload();
    actions.flash(`created ${created.join(", ")}`);
  } catch (error) {
    actions.flash(`cannot create the project: ${(error as Error).message}`);
  }
}

/** Offers `init` once, when loading finds no project. */
export function useInitOffer(project: ProjectState, actions: AppActions, reload: () => Promise<void>): void {
  const offered = useRef(false);
  useEffect(() => {
    if (offered.current || project.loaded?.projectKind !== "none") return;
    offered.current = true;
    void offerInit(project.cwd, actions, reload);
  }, [project, actions, reload]);
}
