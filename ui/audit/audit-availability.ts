// Why a key cannot act on the audit screen now: the palette greys the command
// out with this reason and the footer leaves it out. Pure, from the fix under
// review and the selected finding, so each rule can be read in one place.

import type { Finding } from "../../src/audit/findings.js";
import type { Command } from "../keymap.js";
import type { FixReview } from "./audit-view-state.js";

/** The keys that answer a proposed fix. */
const REVIEW_COMMANDS: readonly Command[] = ["audit.apply", "audit.edit", "audit.reject"];
/** The keys that act on the selected finding. */
const FINDING_COMMANDS: readonly Command[] = ["audit.dismiss", "audit.accept", "audit.reopen", "audit.fix", "audit.undo"];

export function auditCommandWhy(command: Command, fix: FixReview, finding: Finding | undefined): string | undefined {
  const reviewing = REVIEW_COMMANDS.includes(command);
  if (fix.kind === "proposed") {
    if (command === "audit.apply" && !fix.check.ok) return "the edit does not apply as proposed; e edits it";
    return reviewing ? undefined : command.startsWith("audit.") ? "a proposed fix is open: y applies, e edits, n rejects it first" : undefined;
  }
  if (reviewing) return "no fix is proposed; f asks the fixer model for one";
  if (!FINDING_COMMANDS.includes(command)) return undefined;
  if (!finding) return "no finding selected; R runs the audit";
  if (command === "audit.fix" && fix.kind !== "none") return "a fix is already being asked for";
  if (command === "audit.reopen" && finding.status === "open") return `${finding.id} is open`;
  if ((command === "audit.dismiss" || command === "audit.accept") && finding.status !== "open") return `${finding.id} is ${finding.status}; o reopens it`;
  return undefined;
}
