// Messages inside the TUI name keys, not commands: the engine's messages are
// written for the command line ("run `specwright plan` first"), and the app
// puts them in its own terms before showing them ("press 4, then P").
// One table; every message the shell shows (status line, build problems,
// banners) passes through inTuiTerms.

/** A command a message may name, and what does the same inside the app. */
const IN_THE_APP: readonly (readonly [RegExp, string])[] = [
  [/run `specwright plan(?: --from-architecture)?` \(or `specwright plan --from-architecture`\)/g, "press 4 (Plan), then P (or A without a model)"],
  [/run `specwright plan --from-architecture`/g, "press 4 (Plan), then A"],
  [/run `specwright plan --replan`/g, "press 4 (Plan), then X"],
  [/run `specwright plan`(?: first)?/g, "press 4 (Plan), then P"],
  [/`specwright plan --from-architecture`/g, "4 (Plan), then A"],
  [/`specwright plan`/g, "4 (Plan), then P"],
  [/run `specwright init`(?: first)?/g, "press 1 (Overview), then i"],
  [/`specwright init`/g, "i on the Overview (1)"],
  [/run `specwright audit`/g, "press 3 (Audit), then R"],
  [/`specwright audit`/g, "R on Audit (3)"],
  [/run `specwright build`/g, "press 5 (Build), then b"],
  [/`specwright build --force`/g, "F on Build (5)"],
  [/`specwright build`/g, "b on Build (5)"],
  [/`specwright validate` shows them/g, "Specs (2) shows them with their lines"],
  [/`specwright validate`/g, "Specs (2)"],
  [/`specwright status` lists them/g, "4 (Plan) shows each task's"],
  [/`specwright traces`/g, "Traces (6)"],
  [/`specwright models`/g, "Models (7)"],
];

/** The message with every command the app has a key for replaced by that key. */
export function inTuiTerms(message: string): string {
  let text = message;
  for (const [pattern, keys] of IN_THE_APP) text = text.replace(pattern, keys);
  return text;
}
