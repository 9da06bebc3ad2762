// R on the audit screen: `specwright audit` over the project as the app's
// cancellable operation (the same engine, --fix none: fixes are asked for one
// at a time), its per-spec progress and the model's state fed to the view.

import { useActions, useProject } from "../app-context.js";
import { auditProject } from "../data/audit-actions.js";
import type { AuditViewHandle } from "./use-audit-view.js";

/** Returns what starts an audit; `refresh` rereads the findings when it ends. */
export function useAuditRun(audit: AuditViewHandle, refresh: () => void): () => void {
  const { loaded, env } = useProject();
  const actions = useActions();
  const { dispatch } = audit;
  return () => {
    if (!loaded) return;
    dispatch({ type: "run-started" });
    const auditEvents = audit.auditEvents();
    const modelEvents = audit.modelEvents();
    void actions
      .run("audit", async (signal) => {
        const problem = await auditProject({ loaded, env, signal, onEvent: (e) => auditEvents.push(e), onModelEvent: (e) => modelEvents.push(e) });
        auditEvents.drain();
        modelEvents.drain();
        dispatch({ type: "run-ended", problem });
        refresh();
        return true;
      })
      .then((ran) => {
        if (ran === undefined) dispatch({ type: "run-ended", problem: ["another operation is running; Esc cancels it first"] });
      });
  };
}
