// d, a, o and u on the audit screen: dismiss the selected finding with a
// reason, accept it as is, reopen it, or undo its applied fix. The core
// writes findings.json (under the run lock); the screen flashes the outcome
// and rereads.

import type { Finding } from "../../src/audit/findings.js";
import { undoProjectFix } from "../../src/audit/run-project-audit.js";
import { useActions, useProject } from "../app-context.js";
import { triageFinding } from "../data/findings-data.js";
import type { Command } from "../keymap.js";

/** Returns the handler of the triage keys for the selected `finding`; false for any other key. */
export function useFindingTriage(refresh: () => void): (command: Command, finding: Finding | undefined) => boolean {
  const { loaded } = useProject();
  const actions = useActions();
  const root = loaded?.root;
  const settle = async (problem: Promise<string | undefined>, done: string) => {
    const p = await problem;
    actions.flash(p ?? done);
    refresh();
  };
  return (command, finding) => {
    switch (command) {
      case "audit.undo":
        if (root && finding) {
          void undoProjectFix(root, finding.id).then((r) => {
            actions.flash(r.ok ? `${finding.id}: fix undone in ${r.file}; the finding is open again` : r.message);
            refresh();
          });
        }
        return true;
      case "audit.dismiss":
        if (root && finding) {
          void actions.prompt(`Why dismiss ${finding.id}?`, "", "a reason is required · Enter saves · Esc cancels").then((reason) => {
            if (reason !== undefined) void settle(triageFinding(root, finding.id, { action: "dismiss", reason }), `${finding.id} dismissed`);
          });
        }
        return true;
      case "audit.accept":
        if (root && finding) void settle(triageFinding(root, finding.id, { action: "accept" }), `${finding.id} accepted as is`);
        return true;
      case "audit.reopen":
        if (root && finding) void settle(triageFinding(root, finding.id, { action: "reopen" }), `${finding.id} reopened`);
        return true;
      default:
        return false;
    }
  };
}
