// `specwright new <name> --draft "<request>"`: a whole spec drafted by the
// editor model from one line, in the Intent style (Outcome with a success
// metric, Goals, Non-Goals, Assumptions, Decisions, Requirements, Acceptance
// Criteria), everything the person did not say marked [inferred]. The request
// is an intent entry like any ask; the draft is validated and reviewed the
// same way (pending, or written with --yes).

import { existsSync } from "node:fs";
import { join } from "node:path";
import { intentAuthor } from "../../intent/author.js";
import { logRequest } from "../../intent/intent-log.js";
import { specIdFor } from "../../project/templates.js";
import type { CommandContext } from "../command-context.js";
import type { LoadedConfig } from "../../config/types.js";
import { EXIT } from "../exit-codes.js";
import { answerAndReport } from "./ask.js";

export async function draftSpec(ctx: CommandContext, loaded: LoadedConfig, name: string, words: string, yes: boolean): Promise<number> {
  const file = join(loaded.config.project.specDir, `${name}.smd`).split("\\").join("/");
  if (existsSync(join(loaded.root, file))) {
    process.stderr.write(`specwright: ${file} already exists — not overwritten; hint: ask for a change to it instead: specwright ask --at ${file} "…"\n`);
    return EXIT.failure;
  }
  const request = await logRequest(loaded.root, { author: await intentAuthor(loaded.root, ctx.env), kind: "draft", words, context: { source: "cli new --draft", file } });
  process.stderr.write(`${request.id}: logged in .specwright/intent.jsonl\n`);
  return answerAndReport(ctx, loaded, { id: request.id, request, status: "unanswered", built: [], events: [request] }, yes, { file, id: specIdFor(name) });
}
