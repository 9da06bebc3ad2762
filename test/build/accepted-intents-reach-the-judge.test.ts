import { describe, expect, it } from "vitest";
import { acceptedIntentsFor } from "../../src/build/prepare-task.js";
import { assembleTaskPrompt } from "../../src/build/task-prompt.js";
import { foldEntries, type ChangedRef, type IntentEvent } from "../../src/intent/intent-log.js";
import { calcGroup, calcInput, task } from "../build-prompt/fixtures.js";

// Which accepted requests a task's judge reads: those whose decision changed a
// part the task's prompt holds — a ref, the whole section a ref names, or a
// component the task writes — with a follow-up's thread before its own words.

const request = (id: string, words: string, thread?: string): IntentEvent => ({ event: "request", id, at: "t", author: "ana", kind: "ask", words, context: { source: "test" }, ...(thread ? { thread } : {}) });
const decided = (id: string, decision: "accepted" | "edited" | "rejected", changed: ChangedRef[]): IntentEvent => ({ event: "decision", id, at: "t", decision, changed });
const changed = (ref: string, spec = "CALC"): ChangedRef => ({ spec, ref, change: "changed" });

const entries = foldEntries([
  request("I-0001", "division by zero must say so"),
  decided("I-0001", "accepted", [changed("requirements/divide")]),
  request("I-0002", "an idea nobody wanted"),
  decided("I-0002", "rejected", [changed("requirements/divide")]),
  request("I-0003", "the cli prints one line"),
  request("I-0004", "and exits 2 on bad input", "I-0003"),
  decided("I-0004", "edited", [changed("components/Cli")]),
  request("I-0005", "another spec's wish"),
  decided("I-0005", "accepted", [changed("requirements/divide", "REPORT")]),
  request("I-0006", "constraints apply to division too"),
  decided("I-0006", "accepted", [changed("Constraints")]),
]);

describe("accepted intent for the judge", () => {
  it("finds the accepted entries that changed a task's refs, not rejected ones or another spec's", () => {
    const group = calcGroup();
    const arith = task({ id: "T001", title: "Arithmetic", refs: ["requirements/divide", "constraints"], outputs: ["calc/arith.py"] });
    expect(acceptedIntentsFor(arith, group, entries)).toEqual([
      { id: "I-0001", author: "ana", words: [{ id: "I-0001", words: "division by zero must say so" }], refs: ["requirements/divide"] },
      { id: "I-0006", author: "ana", words: [{ id: "I-0006", words: "constraints apply to division too" }], refs: ["Constraints"] },
    ]);
    // A ref to the whole Requirements section holds every requirement.
    expect(acceptedIntentsFor(task({ id: "T009", title: "All", refs: ["requirements"] }), group, entries).map((i) => i.id)).toEqual(["I-0001"]);
    expect(acceptedIntentsFor(arith, group, [])).toEqual([]);
  });

  it("counts a component the task writes without a ref, and reads a follow-up's thread first", () => {
    const cli = task({ id: "T003", title: "CLI", refs: [], outputs: ["calc/cli.py"] });
    expect(acceptedIntentsFor(cli, calcGroup(), entries)).toEqual([
      {
        id: "I-0004",
        author: "ana",
        words: [
          { id: "I-0003", words: "the cli prints one line" },
          { id: "I-0004", words: "and exits 2 on bad input" },
        ],
        refs: ["components/Cli"],
      },
    ]);
  });

  it("becomes an item of the judge's list with the words, never a part of the build prompt", () => {
    const arith = task({ id: "T001", title: "Arithmetic", refs: ["requirements/divide"], outputs: ["calc/arith.py"] });
    const intents = acceptedIntentsFor(arith, calcGroup(), entries);
    const judged = assembleTaskPrompt(calcInput({ task: arith, acceptedIntents: intents }));
    const plain = assembleTaskPrompt(calcInput({ task: arith }));
    expect(judged.messages).toEqual(plain.messages);
    expect(judged.review.items.at(-1)).toEqual({
      id: "intent/I-0001",
      kind: "intent",
      text: "ana's request I-0001, accepted into the spec, changed requirements/divide; the files must do what it asks. The person's words: division by zero must say so",
    });
    expect(plain.review.items.some((i) => i.kind === "intent")).toBe(false);
  });
});
