// `specwright new <name> --draft "<request>"`: a whole spec drafted by the
// editor model from one line, in the Intent style (Outcome with a success
// metric, Goals, Non-Goals, Assumptions, Decisions, Requirements, Acceptance
// Criteria), everything the person did not say marked [inferred]. The request
// is an intent entry like any ask; the draft is validated and reviewed the
// same way (pending, or written with --yes).

import { intentAuthor } from "../../intent/author.js";
import { logRequest } from "../../intent/intent-log.js";
import { draftTarget } from "../../intent/draft-target.js";
import type { CommandContext } from "../command-context.js";
import type { LoadedConfig } from "../../config/types.js";
import { EXIT } from "../exit-codes.js";
import { answerAndReport } from "./ask.js";

export async function draftSpec(ctx: CommandContext, loaded: LoadedConfig, name: string, words: string, how: { yes: boolean; audit: boolean }): Promise<number> {
  const target = draftTarget(loaded.root, loaded.config.project.specDir, name);
  if (!target.ok) {
    process.stderr.write(`specwright: ${target.message}; hint: ${target.hint}\n`);
    return EXIT.failure;
  }
  const { file } = target;
  const request = await logRequest(loaded.root, { author: await intentAuthor(loaded.root, ctx.env), kind: "draft", words, context: { source: "cli new --draft", file } });
  process.stderr.write(`${request.id}: logged in .specwright/intent.jsonl\n`);
  return answerAndReport(ctx, loaded, { id: request.id, request, status: "unanswered", built: [], events: [request] }, how, { file, id: target.id });
}
